"""The app around the pages: navigation (roles -> pages), session state and the database
(:mod:`.state`), the browser session (:mod:`.session`), sign-in (:mod:`.login`, :mod:`.oidc`)."""
