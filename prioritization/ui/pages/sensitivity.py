from prioritization.ui.results.sensitivity import render

render()
