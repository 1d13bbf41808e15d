from prioritization.ui.workshop.workshop import render

render()
