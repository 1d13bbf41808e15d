"""Engine creation and migrations.

Default: a SQLite file ``var/prioritization.db`` (outside the package, git-ignored) or the URL in
``PRIORITIZATION_DB_URL`` (e.g. ``postgresql+psycopg://user@host/db``). SQLite runs with WAL, a
busy timeout and foreign keys on. The schema is brought up to date with Alembic at start.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_SQLITE = Path("var") / "prioritization.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    url = os.environ.get("PRIORITIZATION_DB_URL")
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE.resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE) so two writers never deadlock on a lock
    # upgrade; readers (execution option write=False) use a plain deferred BEGIN and never block
    # on WAL.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write", True) else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            raise ValueError("in-memory SQLite cannot be shared between sessions; use a file")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # BEGIN IMMEDIATE for writes avoids SQLITE_BUSY upgrade deadlocks between concurrent writers
        event.listen(engine, "begin", _sqlite_begin)

        @event.listens_for(engine, "connect")
        def _no_pysqlite_tx(dbapi_conn, _record):  # let SQLAlchemy's "begin" event issue BEGIN
            dbapi_conn.isolation_level = None

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine, revision: str = "head", *, down: bool = False) -> None:
    """Bring the schema to ``revision`` (default: the newest) with Alembic; ``down`` goes back to it
    (the migration tests do)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


@dataclass
class Database:
    engine: Engine

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        reading = self.engine.execution_options(write=False)
        if self.engine.dialect.name == "postgresql":
            # one snapshot for the whole read, as SQLite's WAL read transactions give: a read of a
            # round (its set-up, then its scores) never mixes states from before and after another
            # session's commit; read-only, so a reader can neither write nor fail to serialise
            reading = reading.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._readers = sessionmaker(reading, expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None, *, upgrade: bool = True) -> Database:
        engine = make_engine(url or default_url())
        if upgrade:
            migrate(engine)
        return cls(engine)

    @contextmanager
    def session(self):
        """A transaction: committed at the end, rolled back on any error (nothing half-written)."""
        with self._sessions() as s, s.begin():
            yield s

    @contextmanager
    def reader(self):
        """A read view of one consistent state (one snapshot on PostgreSQL and on SQLite with WAL):
        objects stay usable after it closes (expire_on_commit=False)."""
        with self._readers() as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["Database", "Session", "default_url", "make_engine", "migrate"]
