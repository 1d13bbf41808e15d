from prioritization.ui.pages.setup_criteria import render

render()
