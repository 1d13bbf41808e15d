from prioritization.ui.process.audit_log import render

render()
