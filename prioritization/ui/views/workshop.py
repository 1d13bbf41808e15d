from prioritization.ui.pages.workshop import render

render()
