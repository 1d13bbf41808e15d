from prioritization.ui.setup.plan_import import render

render()
