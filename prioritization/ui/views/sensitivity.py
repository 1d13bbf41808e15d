from prioritization.ui.pages.sensitivity import render

render()
