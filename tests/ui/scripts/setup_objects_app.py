"""AppTest harness for the objects set-up page: the test puts the actor, language and round in
session state; this script only renders the page."""

from prioritization.ui.setup import setup_objects

setup_objects.render()
