from prioritization.ui.pages.setup_weights import render

render()
