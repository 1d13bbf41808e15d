from prioritization.ui.process.timeline import render

render()
