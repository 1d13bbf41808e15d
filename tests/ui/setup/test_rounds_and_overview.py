"""The facilitator's rounds page, importing rounds, and the viewer's access to the ranking."""

import json

from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, VIEWER, Actor
from tests.conftest import FIXTURES
from tests.ui.conftest import app


def test_rounds_page_lists_and_changes_status(app_db, fac):
    at = app(fac).run()
    at.switch_page("prioritization/ui/pages/rounds.py").run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[0]["Status"] == "förberedelse"
    at.selectbox(key="new_status").select("scoring")
    at.button(key="apply_status").click().run()
    assert rounds.list_rounds(app_db, fac)[0].status == "scoring"
    assert at.success[0].value == "Status är nu: poängsättning öppen."


def test_viewer_sees_ranking_once_locked(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    for st in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, rid, st)
    at = app(Actor(VIEWER, "Kommittén", round_id=rid)).run()
    assert not at.exception
    assert len(next(d.value for d in at.dataframe if "Rang" in d.value.columns)) == 13  # the ranked list


def _upload(at, content: bytes):
    at.switch_page("prioritization/ui/pages/rounds.py").run()
    at.get("file_uploader")[0].set_value(("omgang.json", content, "application/json"))
    at.run()
    at.button(key="import_button").click().run()
    return at


def test_import_of_invalid_project_file_stores_nothing(app_db, fac):
    before = rounds.list_rounds(app_db, fac)
    data = json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8"))
    data["scores"][0]["value"] = 9
    at = _upload(app(fac).run(), json.dumps(data, ensure_ascii=False).encode("utf-8"))
    assert not at.exception
    assert at.error[0].value.startswith("Projektfilen är felaktig: scores[0].value: 9 is outside the scale 1–5")
    assert rounds.list_rounds(app_db, fac) == before
    at = _upload(app(fac).run(), b"\x00\x01 not json")
    assert at.error[0].value.startswith("Projektfilen är felaktig:")
    assert rounds.list_rounds(app_db, fac) == before


def test_import_of_valid_project_file_creates_round(app_db, fac):
    at = _upload(app(fac).run(), (FIXTURES / "small-round.json").read_bytes())
    assert not at.exception
    assert at.success[0].value == 'Omgången "Liten testomgång – Södertörn (testdata)" är skapad.'
    assert [r.name for r in rounds.list_rounds(app_db, fac)][-1] == "Liten testomgång – Södertörn (testdata)"


def test_imported_round_becomes_the_selected_one(app_db, fac):
    at = _upload(app(fac).run(), (FIXTURES / "small-round.json").read_bytes())
    new_id = rounds.list_rounds(app_db, fac)[-1].id
    assert at.selectbox(key="round_select").value == new_id
    at.button(key="apply_status").click().run()
    statuses = {r.id: r.status for r in rounds.list_rounds(app_db, fac)}
    assert statuses[new_id] == "scoring"
    assert list(statuses.values()).count("scoring") == 1  # the example round was not touched


def test_an_installation_can_start_without_the_example_round(tmp_path, monkeypatch):
    """README: PRIORITIZATION_EXAMPLE=0 starts from an empty database."""
    from prioritization.storage.database import Database
    from prioritization.ui.shell import state

    db = Database.open(f"sqlite:///{tmp_path / 'tom.db'}")
    monkeypatch.setenv(state.EXAMPLE_ENV, "0")
    state.seed_example(db)
    assert rounds.list_rounds(db, Actor(FACILITATOR, "t")) == []
    monkeypatch.delenv(state.EXAMPLE_ENV)
    state.seed_example(db)
    # the decided example round first, then the next round it leads to (storage.example.seed_next_round)
    seeded, following = rounds.list_rounds(db, Actor(FACILITATOR, "t"))
    assert following.status == "setup" and following.id > seeded.id
    # all three stages of the process: the municipalities' input, the anchoring and the decision
    from prioritization.storage import committee
    c = committee.committee(db, Actor(FACILITATOR, "t"), seeded.id)
    assert c.allocations and c.drafts and c.stances and c.decision is not None
    db.dispose()


def test_next_years_round_is_made_on_the_rounds_page_without_scores(app_db, fac):
    """Issue 11 #9: "Ny omgång" on Omgångar copies a round's set-up, not its scores; the timeline
    is the plan-round template; the round-select widget logs no warning when the new round is chosen."""
    from prioritization.timeline.template import default_plan_year, round_template

    source = rounds.list_rounds(app_db, fac)[0]
    at = app(fac).run()
    at.switch_page("prioritization/ui/pages/rounds.py").run()
    at.button(key="rounds_new_button").click().run()
    assert at.error[0].value == "Den nya omgången behöver ett namn. Inget skapades."
    assert len(rounds.list_rounds(app_db, fac)) == 1
    at.text_input(key="rounds_new_name").input("Södertörn 2027/28 **fet**")
    at.checkbox(key="rounds_new_participants").uncheck()
    at.button(key="rounds_new_button").click().run()
    assert not at.exception
    listed = rounds.list_rounds(app_db, fac)
    new = next(r for r in listed if r.id != source.id)
    assert at.success[0].value.startswith("Omgången ”Södertörn 2027/28 \\*\\*fet\\*\\*” är skapad")
    assert at.selectbox(key="round_select").value == new.id
    copied = rounds.export_project(app_db, fac, new.id)
    original = rounds.export_project(app_db, fac, source.id)
    assert [o.id for o in copied.objects] == [o.id for o in original.objects]
    assert [c.id for c in copied.criteria] == [c.id for c in original.criteria]
    assert copied.scores == () and copied.participants == ()
    from datetime import date
    assert [m.id for m in copied.milestones] == [m.id for m in round_template(default_plan_year(date.today()))]
    assert rounds.export_project(app_db, fac, source.id) == original  # the source is untouched
    # the round to copy follows the round worked with (found in the browser: it kept the old one)
    assert at.selectbox(key="rounds_new_source").value == new.id
    at.selectbox(key="round_select").select(source.id).run()
    assert at.selectbox(key="rounds_new_source").value == source.id
    assert not at.exception
