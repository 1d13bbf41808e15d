"""AppTest harness for the participants and invitations page: the test puts the actor, language
and round in session state (and the browser URL in ``at.context``); this script renders the page."""

from prioritization.ui.setup import setup_participants

setup_participants.render()
