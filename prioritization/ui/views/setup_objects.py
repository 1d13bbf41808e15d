from prioritization.ui.pages.setup_objects import render

render()
