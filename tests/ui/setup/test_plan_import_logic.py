"""The Streamlit-free parts of the plan-list import page: the check of what the facilitator states,
the confirmed name matches, and the report's sentence (the tables' text alternative)."""

from datetime import date

from prioritization.model import InfraObject
from prioritization.planning import plan_changes as pc
from prioritization.planning.model import PlanData, PlanRef
from prioritization.ui.setup import plan_import_logic as logic

TODAY = date(2026, 12, 7)


def test_setting_problems():
    assert logic.setting_problems("2026–2037", "Bilaga 1", date(2026, 4, 28), TODAY) == []
    assert logic.setting_problems("2026-2037", " https://x.se ", TODAY, TODAY) == []
    assert logic.setting_problems("2037–2026", "", date(2027, 1, 1), TODAY) == [
        "plan_import.future_date", "plan_import.bad_period", "plan_import.no_source"]
    assert logic.normal_period(" 2026-2037 ") == "2026–2037"


def test_a_row_confirmed_twice_is_left_out():
    row = pc.ListRow(4, None, "Väg 73")
    suggestions = [pc.NameMatch(row, "A", "Väg 73 norr", 0.8), pc.NameMatch(row, "B", "Väg 73 syd", 0.8),
                   pc.NameMatch(pc.ListRow(5, None, "Bro"), "C", "Bro", 1.0)]
    assert logic.confirmed_matches(suggestions, {(4, "A"), (5, "C")}) == ({4: "A", 5: "C"}, [])
    assert logic.confirmed_matches(suggestions, {(4, "A"), (4, "B")}) == ({}, [4])


def test_summary_sentence_in_both_languages():
    objects = [InfraObject("A", "Bro", plan=PlanData(refs=(PlanRef("NP", "2026–2037", "X1", "named", 100),))),
               InfraObject("B", "Väg")]
    src = pc.ImportSource("NP", "2026–2037", date(2026, 4, 28), "Bilaga 1")
    report = pc.report([pc.ListRow(2, "X1", "Bro", "removed", 100), pc.ListRow(3, "Z9", "Okänd", "named")],
                       objects, src)
    recording = pc.steps_to_record(report, [])
    assert recording == {"A": "removed"}
    assert logic.summary_text(report, recording, "sv") == (
        "Nationell plan 2026–2037: 1 objekt i omgången finns i listan: 1 utgår. 1 rader i listan matchar inget "
        "objekt i omgången. Tillämpa ändringarna uppdaterar planreferensen för 1 objekt och registrerar 1 steg i "
        "bevakningen.")
    assert "1 removed" in logic.summary_text(report, recording, "en")
    table = logic.change_table(report.changes, recording, "sv")
    assert table.iloc[0].tolist() == ["A Bro", "2", "X1 Bro", "Namngivet objekt", "Utgår", "100", "100", "Utgår ur planen"]
