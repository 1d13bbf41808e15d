from prioritization.ui.committee.municipal_input import render

render()
