from prioritization.ui.pages.login import render

render()
