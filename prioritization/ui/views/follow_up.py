from prioritization.ui.pages.follow_up import render

render()
