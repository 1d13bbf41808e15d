from prioritization.ui.pages.my_weights import render

render()
