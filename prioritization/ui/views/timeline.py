from prioritization.ui.pages.timeline import render

render()
