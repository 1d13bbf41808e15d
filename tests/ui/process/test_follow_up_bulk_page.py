"""The follow-up page's issue-14 parts: the bulk status update from a file (preview, then Tillämpa
stores every row or Avbryt drops the file), the roll-up per municipality and phase, and each
object's history (newest first, in Stockholm time)."""

from datetime import UTC, date, datetime
from pathlib import Path

from prioritization.storage import audit, rounds
from prioritization.storage import timeline as store
from tests.ui.conftest import app

VIEW = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "follow_up.py")
TODAY = date(2024, 6, 1)
GOOD = ("objekt_id;steg;datum;anteckning;källa\r\n"
        "SOD-12;I nationella planen;2024-04;Med i planen;S99\r\n"
        "SOD-01;Byggstartsbeslut (år 1–3);2024-05-02;;Regeringsbeslut\r\n").encode()


def page(actor):
    at = app(actor, script=VIEW, today=TODAY)
    return at.run()


def upload(at, data: bytes, name="status.csv"):
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.run()


def frame_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_bulk_update_preview_then_apply_and_the_roll_up_and_history_follow(app_db, fac, example, monkeypatch):
    monkeypatch.setattr(store, "history_time", lambda: datetime(2024, 5, 30, 10, 0, tzinfo=UTC))
    at = page(fac)
    assert not at.exception
    # the roll-up before: SOD-12 (Haninge, Tyresö) has no step yet
    rollup = frame_with(at, "Kommun").set_index("Kommun")
    assert rollup.loc["Tyresö", "Inget steg än"].startswith("1 objekt · ")
    assert "Totalt (varje objekt en gång)" in rollup.index
    assert any("räknas i varje kommuns rad" in m.value for m in at.markdown)
    before = store.state(app_db, fac, example)
    at = upload(at, GOOD)
    assert not at.exception and not at.error
    preview = frame_with(at, "Ändring")
    assert list(preview["Steg"]) == ["I nationella planen", "Byggstartsbeslut (år 1–3)"]
    assert list(preview["Datum"]) == ["april 2024", "2 maj 2024"]
    assert store.state(app_db, fac, example) == before  # a preview stores nothing
    assert at.get("file_uploader")[0].value  # the file is held until Tillämpa or Avbryt
    at.button(key="follow_up_bulk_apply").click().run()
    assert not at.exception
    assert at.success[0].value == "2 steg är registrerade."
    after = store.state(app_db, fac, example)
    assert after.row_version == before.row_version + 1
    tracks = {f.object: f for f in after.follow_up}
    assert tracks["SOD-12"].step("national_plan").precision == "month"
    assert tracks["SOD-01"].step("construction_decision").source == "Regeringsbeslut"
    assert [e.action for e in audit.entries(app_db, fac, example, limit=2)] == ["followup.step"] * 2
    assert not at.get("file_uploader")[0].value  # the file is dropped after applying
    # the roll-up now has SOD-12 in the national plan, in both its municipalities' rows
    rollup = frame_with(at, "Kommun").set_index("Kommun")
    for m in ("Haninge", "Tyresö"):
        assert rollup.loc[m, "I nationella planen"].startswith("1 objekt · ")
    # the history of SOD-01, newest first, in Stockholm time (UTC+2 in May), labelled
    history = frame_with(at, "Tid (svensk tid)")
    assert list(history.columns) == ["Tid (svensk tid)", "Av", "Ändring", "Steg", "Datum", "Anteckning", "Källa"]
    assert history.iloc[0].tolist()[:4] == ["2024-05-30 12:00", "Facilitator", "Registrerat",
                                            "Byggstartsbeslut (år 1–3)"]
    assert len(at.get("vega_lite_chart")) == 2  # the steps over time and the roll-up


def test_a_file_with_a_bad_row_cannot_be_applied_and_cancel_drops_it(app_db, fac, example):
    before = store.state(app_db, fac, example)
    n_audit = len(audit.entries(app_db, fac, example))
    at = upload(page(fac), GOOD + "SOD-99;Omtag;2024-01-01;;\r\nSOD-12;Utgår;2030-01-01;;\r\n".encode())
    assert not at.exception
    assert at.error[0].value.startswith("Filen har 2 fel och kan inte tillämpas.")
    problems = frame_with(at, "Beskrivning")
    assert list(problems["Rad"]) == ["4", "5"]
    assert "SOD-99" in problems["Beskrivning"][0] and "framtiden" in problems["Beskrivning"][1]
    assert at.button(key="follow_up_bulk_apply").disabled
    at.button(key="follow_up_bulk_cancel").click().run()
    assert not at.exception
    assert at.info[-1].value == "Uppdateringen från filen är avbruten. Inget har sparats."
    assert not at.get("file_uploader")[0].value
    assert store.state(app_db, fac, example) == before
    assert len(audit.entries(app_db, fac, example)) == n_audit
    assert rounds.export_project(app_db, fac, example).follow_up_of("SOD-12") is None
