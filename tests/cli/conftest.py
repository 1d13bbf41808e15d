"""The database fixture for ``reset-password`` (test_reset_password_cli.py): the storage tests' own,
on SQLite and on PostgreSQL when PRIORITIZATION_TEST_PG_URL points at a reachable server."""

from tests.storage.conftest import db  # noqa: F401 - a fixture, used by name
