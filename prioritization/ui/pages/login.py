from prioritization.ui.shell.login import render

render()
