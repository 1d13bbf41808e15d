from prioritization.ui.pages.audit_log import render

render()
