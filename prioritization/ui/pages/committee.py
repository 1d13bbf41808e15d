from prioritization.ui.committee.committee_page import render

render()
