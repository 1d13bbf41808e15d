from prioritization.ui.pages.versions import render

render()
