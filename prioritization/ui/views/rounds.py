from prioritization.ui.pages.rounds import render

render()
