from prioritization.ui.pages.scoring import render

render()
