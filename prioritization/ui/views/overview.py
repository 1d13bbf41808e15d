from prioritization.ui.pages.overview import render

render()
