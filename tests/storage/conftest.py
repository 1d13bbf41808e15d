"""Storage fixtures: every test runs on SQLite, and on PostgreSQL when PRIORITIZATION_TEST_PG_URL
points at a reachable server (``.ci/run`` starts one on loopback).

Under pytest-xdist each worker has a PostgreSQL database of its own (the tests reset the whole
schema): ``<database>_gw0``, ``<database>_gw1``, ... next to the given one, created on first use
through a connection to the given database. Without xdist the given database itself is used."""

import os
import time

import pytest
from sqlalchemy import create_engine, make_url, text

from prioritization import projectfile
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.storage.database import Database
from tests.conftest import FIXTURES

GIVEN_PG_URL = os.environ.get("PRIORITIZATION_TEST_PG_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # "gw0", "gw1", ... under xdist, else unset


def worker_url(url: str, worker: str | None) -> str:
    """The URL of the worker's own database: the given one with ``_<worker>`` after its name."""
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def _ensure_database(url: str, worker_db_url: str) -> None:
    """Create the worker's database unless it exists (through the given database, autocommit)."""
    name = make_url(worker_db_url).database
    quoted = name.replace('"', '""')
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(5):
            with eng.connect() as c:
                if c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                    return
                try:
                    c.execute(text(f'CREATE DATABASE "{quoted}"'))
                    return
                except Exception as exc:  # noqa: BLE001 - another run creating it, or template1 busy: retry
                    if attempt == 4:
                        raise RuntimeError(f"cannot create the test worker's PostgreSQL database {name!r} "
                                           "(the user needs CREATEDB; or run the tests without -n)") from exc
            time.sleep(0.5 * (attempt + 1))
    finally:
        eng.dispose()


def _reachable(url: str) -> bool:
    try:
        eng = create_engine(url)
        try:
            with eng.connect() as c:
                c.execute(text("select 1"))
        finally:
            eng.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


def _worker_pg_url() -> str | None:
    """The PostgreSQL URL this process's tests use, or None without a reachable server."""
    if not GIVEN_PG_URL or not _reachable(GIVEN_PG_URL):
        return None
    url = worker_url(GIVEN_PG_URL, WORKER)
    if url != GIVEN_PG_URL:
        # the server is reachable: a database that cannot be made is an error, not a silent skip
        _ensure_database(GIVEN_PG_URL, url)
    return url


PG_URL = _worker_pg_url()


def _pg_available() -> bool:
    return PG_URL is not None


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
