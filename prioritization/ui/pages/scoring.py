from prioritization.ui.workshop.scoring import render

render()
