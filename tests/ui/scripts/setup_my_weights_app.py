"""Test-only entry script: the test puts actor, lang and round_id into session state."""

from prioritization.ui.workshop.my_weights import render

render()
