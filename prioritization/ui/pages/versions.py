from prioritization.ui.process.versions import render

render()
