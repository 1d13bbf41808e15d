from prioritization.ui.setup.setup_weights import render

render()
