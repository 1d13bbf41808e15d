"""Test-only entry script: the test puts actor, lang and round_id into session state."""

from prioritization.ui.setup.setup_weights import render

render()
