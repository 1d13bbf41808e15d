from prioritization.ui.pages.portfolio import render

render()
