"""Test-only entry point: the versions page alone (the test puts actor and language in session state)."""

from prioritization.ui.process.versions import render

render()
