"""Page bodies: each module has a ``render()`` that the thin scripts in ``ui/views`` call."""
