"""AppTest harness for the plan-list import page: the test puts the actor, language and round in
session state; this script only renders the page."""

from prioritization.ui.setup import plan_import

plan_import.render()
