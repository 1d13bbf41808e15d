"""Storage fixtures: every test runs on SQLite, and on PostgreSQL when PRIORITIZATION_TEST_PG_URL
points at a reachable server (``.ci/run`` starts one on loopback)."""

import os

import pytest
from sqlalchemy import create_engine, text

from prioritization import projectfile
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.storage.database import Database
from tests.conftest import FIXTURES

PG_URL = os.environ.get("PRIORITIZATION_TEST_PG_URL")


def _pg_available() -> bool:
    if not PG_URL:
        return False
    try:
        with create_engine(PG_URL).connect() as c:
            c.execute(text("select 1"))
        return True
    except Exception:  # noqa: BLE001
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if _pg_available() else [])


def reset_postgres(url: str) -> None:
    eng = create_engine(url)
    with eng.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    eng.dispose()


def open_db(backend: str, tmp_path) -> Database:
    if backend == "sqlite":
        return Database.open(f"sqlite:///{tmp_path / 'test.db'}")
    reset_postgres(PG_URL)
    return Database.open(PG_URL)


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    d = open_db(request.param, tmp_path)
    yield d
    d.dispose()


@pytest.fixture
def fac():
    return Actor(FACILITATOR, "Facilitator")


@pytest.fixture
def round_id(db, fac):
    """The small test round imported into the database."""
    from prioritization.storage import rounds

    return rounds.import_project(db, fac, projectfile.load(FIXTURES / "small-round.json"))


def participant(round_id: int, key: str = "p1") -> Actor:
    return Actor(PARTICIPANT, f"Deltagare {key}", round_id=round_id, participant_key=key)


def viewer(round_id: int | None = None) -> Actor:
    return Actor(VIEWER, "Kommittén", round_id=round_id)
