from prioritization.ui.results.overview import render

render()
