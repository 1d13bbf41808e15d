from prioritization.ui.pages.setup_participants import render

render()
