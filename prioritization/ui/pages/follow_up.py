from prioritization.ui.process.follow_up import render

render()
