"""The thin ``st.Page`` scripts (one per address, registered by :mod:`prioritization.ui.shell.navigation`):
each only imports a page body's ``render()`` from a feature folder and calls it."""
