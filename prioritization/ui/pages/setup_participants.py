from prioritization.ui.setup.setup_participants import render

render()
