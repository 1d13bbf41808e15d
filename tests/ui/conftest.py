"""AppTest fixtures: every test gets its own SQLite database (seeded with the example round) and
clean Streamlit caches."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from prioritization.storage import auth
from prioritization.storage.access import FACILITATOR, Actor
from prioritization.storage.database import Database
from prioritization.ui.state import seed_example

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "ett bra lösenord"


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Database:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("PRIORITIZATION_DB_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    db = Database.open(url)
    seed_example(db)
    yield db
    db.dispose()
    st.cache_resource.clear()


@pytest.fixture
def fac() -> Actor:
    return Actor(FACILITATOR, "Facilitator")


def app(actor: Actor | None = None, lang: str = "sv", **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if actor is not None:
        at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    return at


def with_password(db: Database) -> None:
    auth.set_facilitator_password(db, PASSWORD)
