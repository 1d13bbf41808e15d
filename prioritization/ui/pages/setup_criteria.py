from prioritization.ui.setup.setup_criteria import render

render()
