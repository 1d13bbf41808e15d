from prioritization.ui.setup.setup_objects import render

render()
