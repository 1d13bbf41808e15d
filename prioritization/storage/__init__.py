"""Persistent storage: SQLAlchemy 2 on SQLite (embedded default) or PostgreSQL (hosted).

Access rules are enforced here, not only in the UI: every repository function takes an
:class:`~prioritization.storage.access.Actor` and refuses what that actor may not do.
"""
