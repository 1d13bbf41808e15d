"""Test-only entry point: the audit_log page alone (the test puts actor and language in session state)."""

from prioritization.ui.process.audit_log import render

render()
