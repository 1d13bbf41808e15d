"""The audit-log page: entries after actions (newest first, plain Swedish), filters, paging, CSV
export, and refusal for anyone but the facilitator."""

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization import projectfile
from prioritization.storage import audit, rounds, scores, versions
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from tests.conftest import EXAMPLE
from tests.ui.conftest import app

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "audit_log_app.py")
SPARVAG = "Spårväg syd (Flemingsberg–Älvsjö)"


def page(actor, lang="sv") -> AppTest:
    return app(actor, lang, script=SCRIPT)


@pytest.fixture
def rid(app_db, fac):
    return rounds.list_rounds(app_db, fac)[0].id


@pytest.fixture
def haninge(rid):
    return Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")


def old_score():
    return next(s.value for s in projectfile.load(EXAMPLE, require_complete=False).scores
                if (s.object, s.criterion, s.participant) == ("SOD-02", "C1", "p-haninge"))


@pytest.fixture
def actions(app_db, fac, rid, haninge):
    """Import (by seeding), status change, a participant's score, a frozen version."""
    rounds.set_status(app_db, fac, rid, "scoring")
    new = 1.0 if old_score() != 1 else 2.0
    scores.save_score(app_db, haninge, rid, "SOD-02", "C1", new, "Osäker på siffran")
    versions.freeze(app_db, fac, rid, "Underlag till Samarbetskommittén")
    return new


def table(at):
    return at.dataframe[0].value


def test_entries_after_actions_newest_first_in_plain_swedish(app_db, fac, actions):
    at = page(fac).run()
    assert not at.exception
    df = table(at)
    assert list(df.columns) == ["Tid (svensk tid)", "Vem", "Åtgärd", "Vad", "Gammalt värde", "Nytt värde"]
    assert df["Åtgärd"].tolist() == ["Version fryst", "Poäng satt", "Status ändrad", "Omgång importerad"]
    score = df.iloc[1]
    assert score["Vem"] == "Haninge (deltagare)"
    assert score["Vad"] == f"{SPARVAG} · Regional tillgänglighet (bedömningsrunda 1)"
    assert score["Nytt värde"] == f"{actions:g} (Osäker på siffran)"
    assert score["Gammalt värde"] == f"{old_score():g}"
    status = df.iloc[2]
    assert (status["Vem"], status["Gammalt värde"], status["Nytt värde"]) == \
        ("Facilitator (facilitator)", "förberedelse", "poängsättning öppen")
    assert at.caption[0].value == "4 av 4 rader."


def test_english_labels(app_db, fac, actions):
    at = page(fac, lang="en").run()
    assert table(at)["Action"].tolist() == ["Version frozen", "Score set", "Status changed", "Round imported"]


def test_filters_by_action_who_and_text(app_db, fac, actions):
    at = page(fac).run()
    at.multiselect(key="audit_actions").select("round.status").run()
    assert table(at)["Åtgärd"].tolist() == ["Status ändrad"]
    at.multiselect(key="audit_actions").unselect("round.status")
    at.multiselect(key="audit_who").select("Haninge (deltagare)").run()
    assert table(at)["Åtgärd"].tolist() == ["Poäng satt"]
    at.multiselect(key="audit_who").unselect("Haninge (deltagare)")
    at.text_input(key="audit_text").input("samarbetskommittén").run()
    assert table(at)["Vad"].tolist() == ["Underlag till Samarbetskommittén"]
    assert at.caption[0].value == "1 av 4 rader."
    at.text_input(key="audit_text").input("finns inte någonstans").run()
    assert at.info[0].value == "Inga rader matchar filtret."
    assert not at.dataframe


def test_export_csv_downloads_the_log(app_db, fac, rid, actions, media):
    at = page(fac).run()
    url = next(b for b in at.get("download_button") if b.key == "audit_export").proto.url
    data = media[-1].get_file(url.rsplit("/", 1)[1]).content
    assert data == audit.export_csv(app_db, fac, rid)
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3] == "åtgärd"
    assert [r[3] for r in rows[1:]] == ["round.import", "round.status", "score.set", "version.freeze"]


def test_paging_for_large_logs(app_db, fac, rid, haninge):
    rounds.set_status(app_db, fac, rid, "scoring")
    for i in range(130):  # 130 score changes + import + status = 132 entries
        scores.save_score(app_db, haninge, rid, "SOD-02", "C1", 1 + i % 5, f"ändring {i}")
    at = page(fac).run()
    assert at.caption[0].value == "132 av 132 rader."
    assert len(table(at)) == 100
    assert table(at)["Nytt värde"].iloc[0].endswith("(ändring 129)")  # newest first
    at.number_input(key="audit_page").set_value(2).run()
    assert len(table(at)) == 32
    assert table(at)["Åtgärd"].iloc[-1] == "Omgång importerad"
    assert at.caption[1].value == "Visar rad 101–132 av 132."
    at.multiselect(key="audit_actions").select("round.status").run()  # one page left: no paging, no crash
    assert not at.exception
    assert table(at)["Åtgärd"].tolist() == ["Status ändrad"]


@pytest.mark.parametrize("who", ["viewer", "participant"])
def test_others_cannot_open_the_audit_log(app_db, rid, actions, haninge, who):
    actor = Actor(VIEWER, "Kommittén", round_id=rid) if who == "viewer" else haninge
    at = page(actor).run()
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn kan se ändringsloggen."
    assert not at.dataframe
    assert not at.get("download_button")
