"""Pure helpers of the versions and audit pages: readable change tables and audit rows."""

import copy
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from prioritization import i18n, projectfile
from prioritization.storage.versions import Change, compare
from prioritization.ui.process import versions_logic as logic

ROOT = Path(__file__).resolve().parents[3]
NBSP = "\u00a0"

DOC = {
    "format": "prioritization-project", "version": 1, "name": "Testomgång",
    "criteria": [
        {"id": "K1", "name": "Tillgänglighet", "name_en": "Accessibility", "direction": "benefit", "scale": [1, 5]},
        {"id": "K/2", "name": "Klimat", "direction": "benefit", "scale": [1, 5]},
    ],
    "weights": {"method": "direct", "points": {"K1": 3, "K/2": 1}},
    "objects": [
        {"id": "O1", "name": "Spårväg syd", "cost": 4200, "status": "candidate"},
        {"id": "O/2", "name": "Bussväg", "cost": 100, "status": "candidate"},
    ],
    "participants": [{"id": "p1", "name": "Anna Haninge"}, {"id": "p/2", "name": "Bo Botkyrka"}],
    "scores": [
        {"object": "O1", "criterion": "K1", "participant": "p1", "value": 4},
        {"object": "O1", "criterion": "K1", "participant": "p/2", "value": 2},
        {"object": "O/2", "criterion": "K/2", "participant": "p/2", "value": 3},
    ],
}


def project(doc):
    return projectfile.parse(doc, require_complete=False)


def test_format_number_swedish_and_english():
    assert logic.format_number(3.0, "sv") == "3"
    assert logic.format_number(3.5, "sv") == "3,5"
    assert logic.format_number(3.5, "en") == "3.5"
    assert logic.format_number(1234.5, "sv") == f"1{NBSP}234,5"
    assert logic.format_number(0.125, "sv") == "0,125"
    assert logic.format_value(None, "sv") == "vet ej"
    assert logic.format_value("—", "sv") == "saknas"
    assert logic.format_value((1.0, 5.0), "sv") == "1–5"


def test_local_time_is_stockholm_winter_and_summer():
    assert logic.local_time(datetime(2024, 1, 15, 12, 0), "sv") == "2024-01-15 13:00"  # naive = UTC (SQLite)
    assert logic.local_time(datetime(2024, 7, 1, 12, 0, tzinfo=UTC), "sv") == "2024-07-01 14:00"


def test_change_rows_use_names_for_scores_even_with_slashes_in_ids():
    a = project(DOC)
    d = copy.deepcopy(DOC)
    d["scores"][1]["value"] = 5  # O1/K1/p/2: 2 -> 5
    d["scores"][2]["value"] = None  # O/2/K/2/p/2: 3 -> "vet ej"
    d["scores"].append({"object": "O/2", "criterion": "K1", "participant": None, "value": 2})  # new agreed score
    b = project(d)
    rows = logic.change_rows(compare(a, b), a, b, "sv")
    assert rows == [
        logic.ChangeRow("Poäng", "Spårväg syd · Tillgänglighet · Bo Botkyrka", "2", "5"),
        logic.ChangeRow("Poäng", "Bussväg · Klimat · Bo Botkyrka", "3", "vet ej"),
        logic.ChangeRow("Överenskommen poäng", "Bussväg · Tillgänglighet", "saknas", "2"),
    ]
    en = logic.change_rows(compare(a, b), a, b, "en")
    assert en[0] == logic.ChangeRow("Score", "Spårväg syd · Accessibility · Bo Botkyrka", "2", "5")


def test_change_rows_for_weights_objects_and_criteria():
    a = project(DOC)
    d = copy.deepcopy(DOC)
    d["weights"]["points"]["K1"] = 2.5
    d["objects"][0]["cost"] = 4500
    d["objects"][1]["name"] = "Bussväg 2"
    d["objects"].append({"id": "O3", "name": "Cykelbana", "cost": None, "status": "committed"})
    d["criteria"][1]["scale"] = [0, 10]
    b = project(d)
    rows = logic.change_rows(compare(a, b), a, b, "sv")
    assert logic.ChangeRow("Vikter", "Tillgänglighet · poäng", "3", "2,5") in rows
    assert logic.ChangeRow("Objekt", "Spårväg syd · kostnad (MSEK)", f"4{NBSP}200", f"4{NBSP}500") in rows
    assert logic.ChangeRow("Objekt", "Bussväg 2 · namn", "Bussväg", "Bussväg 2") in rows
    assert logic.ChangeRow("Objekt", "Cykelbana", "finns inte", "finns") in rows
    assert logic.ChangeRow("Kriterium", "Klimat · skala", "1–5", "0–10") in rows
    assert len(rows) == 5
    removed = logic.change_rows(compare(b, a), b, a, "sv")
    assert logic.ChangeRow("Objekt", "Cykelbana", "finns", "finns inte") in removed


def test_change_rows_for_method_change_and_ahp_pairs():
    a = project(DOC)
    d = copy.deepcopy(DOC)
    d["weights"] = {"method": "ahp", "variant": "eigen", "matrix": [[1, 2], [0.5, 1]]}
    b = project(d)
    assert logic.change_rows(compare(a, b), a, b, "sv") == [
        logic.ChangeRow("Vikter", "viktmetod", "direkt poängsättning", "parvisa jämförelser (AHP)")]
    d2 = copy.deepcopy(d)
    d2["weights"]["matrix"] = [[1, 3], [1 / 3, 1]]
    c = project(d2)
    assert logic.change_rows(compare(b, c), b, c, "sv") == [
        logic.ChangeRow("Vikter", "Tillgänglighet jämfört med Klimat", "2", "3")]


@pytest.mark.parametrize("changes, sv, en", [
    ([Change("score", f"o/c/p{i}", 1, 2) for i in range(12)] + [Change("weights", "weights", {}, {"x": 1})],
     "12 poäng och vikterna har ändrats.", "Changed: 12 scores and the weights."),
    ([Change("score", "o/c/p", 1, 2)], "1 poäng har ändrats.", "Changed: 1 score."),
    ([Change("weights", "weights", {}, {"x": 1})], "Vikterna har ändrats.", "Changed: the weights."),
    ([Change("agreed", "o/c", 1, 2), Change("agreed", "o/d", 1, 2), Change("object", "o", "A", "B"),
      Change("criterion", "c", None, "K")],
     "2 överenskomna poäng, 1 objekt och 1 kriterium har ändrats.",
     "Changed: 2 agreed scores, 1 object and 1 criterion."),
])
def test_summary(changes, sv, en):
    assert logic.summary(changes, "sv") == sv
    assert logic.summary(changes, "en") == en


def test_summary_without_changes():
    assert logic.summary([], "sv").startswith("Inga poäng, vikter, objekt eller kriterier har ändrats")


def test_file_name_is_safe():
    assert logic.file_name("Underlag till Samarbetskommittén", 3) == "version-3-Underlag-till-Samarbetskommittén.json"
    assert logic.file_name("../../etc/passwd", 4) == "version-4-etc-passwd.json"
    assert logic.file_name("///", 5) == "version-5.json"


def _recorded_actions() -> set[str]:
    """Every action the storage layer writes to the audit log (setup.* expanded)."""
    actions = set()
    for path in (ROOT / "prioritization" / "storage").glob("*.py"):
        actions |= set(re.findall(r'audit\.record\([^)]*?"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    rounds_src = (ROOT / "prioritization" / "storage" / "rounds.py").read_text(encoding="utf-8")
    allowed = re.search(r"allowed = \{([^}]*)\}", rounds_src).group(1)
    actions |= {f"setup.{k}" for k in re.findall(r'"([a-z_]+)"', allowed)}
    return actions


def test_every_audited_action_has_a_plain_label():
    actions = _recorded_actions()
    assert {"score.set", "version.freeze", "round.status", "setup.weights"} <= actions, "the scan is broken"
    for lang in ("sv", "en"):
        missing = sorted(a for a in actions if logic.action_label(a, lang) == a)
        assert missing == []
    assert logic.action_label("score.set", "sv") == "Poäng satt"
    assert logic.action_label("no.such", "sv") == "no.such"


def entry(id, action, target=None, old=None, new=None, actor="facilitator:Anna", round_id=1,
          at=datetime(2024, 1, 15, 12, 0)):
    return SimpleNamespace(id=id, round_id=round_id, at=at, actor=actor, action=action, target=target,
                           old_value=old, new_value=new)


NAMES = logic.names_of([project(DOC)], "sv")


def test_audit_rows_are_readable():
    rows = logic.audit_rows([
        entry(3, "score.set", "O/2/K/2/phase 2", '{"comment": null, "value": 3.0}',
              '{"comment": "osäker", "value": 4.5}', actor="participant:Bo"),
        entry(2, "round.status", None, '"setup"', '"scoring"'),
        entry(1, "version.freeze", "Underlag", None, '"' + "ab" * 32 + '"'),
        entry(0, "agreed.clear", "O1/K1", '{"note": null, "value": 2.0}', None),
    ], "sv", {1: NAMES})
    assert rows[0] == logic.AuditRow(3, 1, "2024-01-15 13:00", "Bo (deltagare)", "score.set", "Poäng satt",
                                     "Bussväg · Klimat (bedömningsrunda 2)", "3", "4,5 (osäker)")
    assert (rows[1].who, rows[1].action_label, rows[1].old, rows[1].new) == \
        ("Anna (facilitator)", "Status ändrad", "förberedelse", "poängsättning öppen")
    assert (rows[2].what, rows[2].old, rows[2].new) == ("Underlag", "", "SHA-256 abababababab…")
    assert (rows[3].what, rows[3].old, rows[3].new) == ("Spårväg syd · Tillgänglighet", "2", "")


def test_audit_weights_value_uses_criterion_names():
    text = logic.audit_value('{"method": "direct", "points": {"K1": 3, "K/2": 1.5}}', "weights.own", NAMES, "sv")
    assert text == "direkt poängsättning: Tillgänglighet 3, Klimat 1,5"


def test_filter_and_page():
    rows = logic.audit_rows([entry(i, "score.set" if i % 2 else "round.status", "O1/K1/phase 1",
                                   actor="facilitator:Anna" if i < 5 else "participant:Bo") for i in range(10)],
                            "sv", {1: NAMES})
    assert [r.id for r in logic.filter_rows(rows, actions=["round.status"])] == [0, 2, 4, 6, 8]
    assert [r.id for r in logic.filter_rows(rows, who=["Bo (deltagare)"])] == [5, 6, 7, 8, 9]
    assert [r.id for r in logic.filter_rows(rows, ["score.set"], ["Anna (facilitator)"])] == [1, 3]
    # every word, any case; the names are only resolved for score entries
    assert [r.id for r in logic.filter_rows(rows, text="spårVÄG tillgänglighet")] == [1, 3, 5, 7, 9]
    assert logic.filter_rows(rows, text="spårväg cykel") == []
    assert len(logic.filter_rows(rows, text="poäng satt")) == 5  # searches the translated action too
    part, pages = logic.page_of(rows, 2, 4)
    assert ([r.id for r in part], pages) == ([4, 5, 6, 7], 3)
    assert [r.id for r in logic.page_of(rows, 99, 4)[0]] == [8, 9]
    assert logic.page_of([], 1, 4) == ([], 1)


def test_keys_used_by_the_helpers_exist_in_both_languages():
    src = (ROOT / "prioritization" / "ui" / "process" / "versions_logic.py").read_text(encoding="utf-8")
    used = set(re.findall(r'_t\(\s*"([a-z0-9_.]+)"', src))
    assert "versions.summary" in used
    for lang in ("sv", "en"):
        assert sorted(k for k in used if k not in i18n.catalogue(lang)) == []
