"""AppTest fixtures: every test gets its own SQLite database (seeded with the example round) and
clean Streamlit caches."""

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from prioritization import projectfile
from prioritization.storage import auth, rounds
from prioritization.storage import example as example_round
from prioritization.storage.access import FACILITATOR, Actor
from prioritization.storage.database import Database
from prioritization.ui.shell.state import EXAMPLE_PROJECT

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "ett bra lösenord"


def open_app_db(path: Path, monkeypatch) -> Database:
    """Point the app at the SQLite file ``path`` (created and migrated if new), with clean caches."""
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PRIORITIZATION_DB_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    return Database.open(url)


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory) -> Path:
    """The example round in a migrated SQLite file, made once per test session: as imported, before
    any anchoring (the pages' tests start there; the seeded anchoring and decision of ``make run``
    are tested in tests/storage/test_example_seed.py and tests/ui/committee/)."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    db = Database.open(f"sqlite:///{path}")
    example_round.seed(db, Path(EXAMPLE_PROJECT), anchoring=False)
    db.dispose()
    return path


@pytest.fixture
def app_db(seeded_file, tmp_path, monkeypatch) -> Database:
    """A database of its own for each test, holding the example round (a copy of the seeded file)."""
    shutil.copy(seeded_file, tmp_path / "app.db")
    db = open_app_db(tmp_path / "app.db", monkeypatch)
    yield db
    db.dispose()
    st.cache_resource.clear()


@pytest.fixture
def empty_app_db(tmp_path, monkeypatch) -> Database:
    """A database of its own without any round (tests import the small round they need)."""
    db = open_app_db(tmp_path / "empty.db", monkeypatch)
    yield db
    db.dispose()
    st.cache_resource.clear()


@pytest.fixture
def example(app_db) -> int:
    """The id of the example round in ``app_db``."""
    return rounds.list_rounds(app_db, Actor(FACILITATOR, "Facilitator"))[0].id


@pytest.fixture
def small(app_db, small_round) -> int:
    """tests/fixtures/small-round.json imported into ``app_db``: 3 criteria K1-K3, AHP weights."""
    return rounds.import_project(app_db, Actor(FACILITATOR, "Facilitator"), projectfile.parse(small_round))


@pytest.fixture
def media(monkeypatch):
    """The media storages AppTest creates, so a test can read what a download button serves."""
    created = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, endpoint):
            super().__init__(endpoint)
            created.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    return created


@pytest.fixture
def click_download(monkeypatch):
    """``click_download(at, key) -> bytes``: what a download button serves when clicked, also when
    its data is a builder that runs only on click (a deferred download)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers = []

    class Recording(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)

    def click(at: AppTest, key: str) -> bytes:
        button = next(b for b in at.get("download_button") if key in b.proto.id)
        url = button.proto.url or managers[-1].execute_deferred(button.proto.deferred_file_id)
        return managers[-1]._storage.get_file(url.rsplit("/", 1)[1].split(".")[0]).content

    return click


@pytest.fixture
def fac() -> Actor:
    return Actor(FACILITATOR, "Facilitator")


def app(actor: Actor | None = None, lang: str = "sv", *, script: str = APP, **state) -> AppTest:
    """An AppTest of ``script`` (the whole app by default) with the actor, language and state set."""
    at = AppTest.from_file(script, default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    return at


def with_password(db: Database) -> None:
    auth.set_facilitator_password(db, PASSWORD)


def shown(markdown: str) -> str:
    """What a reader sees of Markdown whose user text was escaped (prioritization.safe_text.md):
    the backslash escapes removed."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")  # safe_text.WORD_JOINER
