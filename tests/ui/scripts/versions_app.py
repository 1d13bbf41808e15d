"""Test-only entry point: the versions page alone (the test puts actor and language in session state)."""

from prioritization.ui.pages.versions import render

render()
