from prioritization.ui.workshop.my_weights import render

render()
