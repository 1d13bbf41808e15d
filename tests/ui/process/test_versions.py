"""The versions page: freezing, the list with hashes, downloading the exact bytes, comparing, roles."""

import hashlib
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization import projectfile
from prioritization.storage import rounds, scores, versions
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from tests.conftest import EXAMPLE
from tests.ui.conftest import app

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "versions_app.py")
NAME = "Underlag till Samarbetskommittén"


def page(actor, lang="sv") -> AppTest:
    return app(actor, lang, script=SCRIPT)


def downloaded(at: AppTest, media, key: str) -> bytes:
    url = at.get("download_button")[[b.key for b in at.get("download_button")].index(key)].proto.url
    return media[-1].get_file(url.rsplit("/", 1)[1]).content


@pytest.fixture
def rid(app_db, fac):
    return rounds.list_rounds(app_db, fac)[0].id


def example_score(obj, crit, participant):
    return next(s.value for s in projectfile.load(EXAMPLE, require_complete=False).scores
                if (s.object, s.criterion, s.participant) == (obj, crit, participant))


def test_facilitator_freezes_a_version_with_the_right_hash(app_db, fac, rid):
    expected = hashlib.sha256(projectfile.dumps(rounds.export_project(app_db, fac, rid)).encode("utf-8")).hexdigest()
    at = page(fac).run()
    assert not at.exception
    assert at.info[0].value == "Inga versioner är frysta än."
    at.text_input(key="versions_name").input(NAME)
    at.button(key="versions_freeze").click().run()
    assert not at.exception
    [v] = versions.list_versions(app_db, fac, rid)
    assert (v.name, v.created_by, v.sha256) == (NAME, "Facilitator", expected)
    assert at.success[0].value == f"Versionen ”{NAME}” är fryst (SHA-256 {expected[:12]}…)."
    assert at.text_input(key="versions_name").value == ""  # ready for the next one
    listed = at.dataframe[0].value
    assert list(listed.columns) == ["Namn", "Tid (svensk tid)", "Fryst av", "SHA-256 (början)", "Kontroll"]
    assert listed.iloc[0]["Kontroll"] == "Förseglad och oförändrad"  # issue 10 #8: the check is shown
    name, when, who, short, _ = listed.iloc[0].tolist()
    assert (name, who, short) == (NAME, "Facilitator", expected[:12] + "…")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", when)
    assert at.code[0].value == expected


def test_downloaded_bytes_hash_to_the_shown_sha(app_db, fac, rid, media):
    versions.freeze(app_db, fac, rid, "Första")
    scores.set_agreed_score(app_db, fac, rid, "SOD-02", "C1", 3)
    second = versions.freeze(app_db, fac, rid, "Andra")
    at = page(fac).run()
    assert at.selectbox(key="versions_pick").value == second.id  # newest first
    data = downloaded(at, media, "versions_download")
    assert hashlib.sha256(data).hexdigest() == at.code[0].value == second.sha256
    assert projectfile.loads(data, require_complete=False).name.startswith("Södertörns prioriteringslista")
    first = versions.list_versions(app_db, fac, rid)[0]
    at.selectbox(key="versions_pick").select(first.id).run()
    data = downloaded(at, media, "versions_download")
    assert hashlib.sha256(data).hexdigest() == at.code[0].value == first.sha256 != second.sha256


def test_empty_name_is_refused(app_db, fac, rid):
    at = page(fac).run()
    at.text_input(key="versions_name").input("   ")
    at.button(key="versions_freeze").click().run()
    assert not at.exception
    assert at.error[0].value == "Versionen behöver ett namn."
    assert versions.list_versions(app_db, fac, rid) == []


def _haninge_changes_a_score(app_db, fac, rid) -> tuple[float, float]:
    """Participant Haninge changes SOD-02/C1 during scoring; returns (old, new)."""
    old = example_score("SOD-02", "C1", "p-haninge")
    new = 1.0 if old != 1 else 2.0
    rounds.set_status(app_db, fac, rid, "scoring")
    scores.save_score(app_db, Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge"), rid,
                      "SOD-02", "C1", new)
    return old, new


def test_comparing_two_versions_lists_the_changed_score_with_names(app_db, fac, rid):
    first = versions.freeze(app_db, fac, rid, "Före")
    old, new = _haninge_changes_a_score(app_db, fac, rid)
    second = versions.freeze(app_db, fac, rid, "Efter")
    at = page(fac).run()
    at.selectbox(key="versions_compare_a").select(first.id)
    at.selectbox(key="versions_compare_b").select(second.id).run()
    assert not at.exception
    assert at.markdown[-1].value == "**1 poäng har ändrats.**"
    table = at.dataframe[1].value
    assert list(table.columns) == ["Vad", "Var", "Före (A)", "Efter (B)"]
    assert table.values.tolist() == [[
        "Poäng", "Spårväg syd (Flemingsberg–Älvsjö) · Regional tillgänglighet · Tjänsteperson Haninge (exempel)",
        f"{old:g}", f"{new:g}"]]


def test_compare_with_the_live_round_shows_weights_and_agreed_score_in_english(app_db, fac, rid):
    first = versions.freeze(app_db, fac, rid, "Före")
    info = rounds.round_info(app_db, fac, rid)
    weights = rounds.setup_document(app_db, fac, rid)["weights"]
    weights["points"]["C1"] = 20
    rounds.replace_setup(app_db, fac, rid, {"weights": weights}, info["row_version"])
    scores.set_agreed_score(app_db, fac, rid, "SOD-02", "C1", 4)
    at = page(fac, lang="en").run()
    assert at.selectbox(key="versions_compare_a").value == first.id
    assert at.selectbox(key="versions_compare_b").value == -1  # "the round as it is now" by default
    assert at.markdown[-1].value == "**Changed: 1 agreed score and the weights.**"
    assert at.dataframe[1].value.values.tolist() == [
        ["Agreed score", "Spårväg syd (Flemingsberg–Älvsjö) · Regional accessibility", "missing", "4"],
        ["Weights", "Regional accessibility · points", "12", "20"],
    ]


def test_same_version_on_both_sides_and_identical_live_round(app_db, fac, rid):
    v = versions.freeze(app_db, fac, rid, "Enda")
    at = page(fac).run()
    assert "Versionerna är identiska (samma SHA-256)." in [x.value for x in at.success]  # nothing changed since
    at.selectbox(key="versions_compare_b").select(v.id).run()
    assert at.info[-1].value == "Välj två olika versioner att jämföra."


def test_viewer_cannot_freeze_and_downloads_only_after_setup(app_db, fac, rid, media):
    v = versions.freeze(app_db, fac, rid, NAME)
    viewer = Actor(VIEWER, "Kommittén", round_id=rid)
    at = page(viewer).run()
    assert not at.exception
    # issue 11 #13: no facilitator instructions for a role that cannot act on them
    assert "Frys en version" not in [h.value for h in at.subheader]
    assert not [i for i in at.info if "frysa" in i.value]
    assert not [b for b in at.button if b.key == "versions_freeze"]
    assert at.dataframe[0].value.iloc[0, 0] == NAME  # the list is visible
    assert at.info[-1].value == "Versionen kan inte laddas ned just nu: Omgångens resultat är inte släppta än."
    assert not at.get("download_button")
    assert not [s for s in at.selectbox if s.key == "versions_compare_a"]  # no compare for the committee
    rounds.set_status(app_db, fac, rid, "scoring")
    at.run()
    # issue 10 #7: before the round is locked the committee gets the version with anonymous ratings
    anonymous = downloaded(at, media, "versions_download")
    assert hashlib.sha256(anonymous).hexdigest() != v.sha256
    assert b"Anonym deltagare 1" in anonymous and b'"p-haninge"' not in anonymous
    assert "anonyma individuella bedömningar" in " ".join(x.value for x in at.info)
    for status in ("revealed", "locked"):
        rounds.set_status(app_db, fac, rid, status)
    at.run()
    assert hashlib.sha256(downloaded(at, media, "versions_download")).hexdigest() == v.sha256


def test_participant_cannot_freeze_nor_download_before_lock(app_db, fac, rid):
    versions.freeze(app_db, fac, rid, NAME)
    rounds.set_status(app_db, fac, rid, "scoring")
    at = page(Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")).run()
    assert not at.exception
    # issue 11 #13: no facilitator instructions for a role that cannot act on them
    assert "Frys en version" not in [h.value for h in at.subheader]
    assert not [i for i in at.info if "frysa" in i.value]
    assert not [b for b in at.button if b.key == "versions_freeze"]
    assert at.info[-1].value == "Deltagare kan ladda ned versioner när omgången är låst."
    assert not at.get("download_button")


def test_storage_refusal_is_shown_when_the_role_changed_in_between(app_db, fac, rid):
    """Defence in depth: the freeze callback runs with whoever is signed in now; storage refuses."""
    at = page(fac).run()
    at.text_input(key="versions_name").input(NAME)
    at.session_state["actor"] = Actor(VIEWER, "Kommittén", round_id=rid)
    at.button(key="versions_freeze").click().run()
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert versions.list_versions(app_db, fac, rid) == []


def test_a_version_rewritten_in_the_database_is_flagged_and_not_offered(app_db, fac, rid):
    """Issue 10 #8: the check's result is on the page; a forged version cannot be downloaded."""
    from sqlalchemy import update

    from prioritization.storage.schema import Version

    v = versions.freeze(app_db, fac, rid, NAME)
    forged = versions.stored_text(app_db, fac, v.id).replace('"value": 5', '"value": 1', 1)
    with app_db.session() as s:
        s.execute(update(Version).where(Version.id == v.id).values(
            project_json=forged, sha256=hashlib.sha256(forged.encode()).hexdigest()))
    at = page(fac).run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["Kontroll"] == "ÄNDRAD efter frysningen – används inte"
    assert at.error[0].value.startswith("Versionen är INTE den som frystes")
    assert not at.get("download_button")
