from prioritization.ui.results.portfolio import render

render()
