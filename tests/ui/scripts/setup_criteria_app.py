"""Test-only entry script: the test puts actor, lang and round_id into session state."""

from prioritization.ui.pages.setup_criteria import render

render()
