from prioritization.ui.setup.rounds import render

render()
