"""Pure helpers of the scoring page: set-up reading, options, progress, the grid delta, the
first-round distribution. No Streamlit."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

from prioritization.ui.workshop import scoring_logic as logic
from prioritization.ui.workshop.scoring_logic import UNKNOWN, CellEdit

DOC = {
    "criteria": [
        {"id": "C1", "name": "Tillgänglighet", "name_en": "Accessibility", "group": "Grupp A", "scale": [1, 5],
         "guidance": {"5": "Stor", "1": "Ingen", "3": "Märkbar"}, "description": "Restider."},
        {"id": "C2", "name": "Andel", "scale": [0, 100]},
        {"id": "C3", "name": "Kostnad (MSEK)", "scale": None},
    ],
    "objects": [
        {"id": "A", "name": "Bro", "name_en": "Bridge", "cost": 1234.5, "municipalities": ["Haninge", "Tyresö"],
         "mode": "road", "planning_status": "", "extra": 1},
        {"id": "B", "name": "Väg", "status": "committed"},
        {"id": "C", "name": "Spår", "status": "candidate", "cost": None, "fyrsteg_step": 4},
        {"id": "D", "name": "Gammal", "status": "withdrawn"},
    ],
}


def test_discrete_levels():
    assert logic.discrete_levels([1, 5]) == (1, 2, 3, 4, 5)
    assert logic.discrete_levels([0.0, 10.0]) == tuple(range(11))
    assert logic.discrete_levels([0, 11]) is None  # 12 steps: a free number instead
    assert logic.discrete_levels([0, 1.5]) is None
    assert logic.discrete_levels(None) is None


def test_criteria_items_in_both_languages():
    sv = logic.criteria_items(DOC, "sv")
    assert [c.key for c in sv] == ["C1", "C2", "C3"]
    assert sv[0].name == "Tillgänglighet" and sv[0].group == "Grupp A" and sv[0].description == "Restider."
    assert sv[0].guidance == (("1", "Ingen"), ("3", "Märkbar"), ("5", "Stor"))  # numeric order
    assert sv[0].options == [1, 2, 3, 4, 5, UNKNOWN]
    assert sv[1].levels is None and sv[1].scale == (0.0, 100.0) and sv[1].options == [UNKNOWN]
    assert sv[2].scale is None and sv[2].guidance == ()
    en = logic.criteria_items(DOC, "en")
    assert en[0].name == "Accessibility" and en[0].group == "Grupp A"  # no group_en: Swedish kept
    assert en[1].name == "Andel"


def test_guidance_levels_sort_numerically():
    doc = {"criteria": [{"id": "X", "name": "X", "scale": [0, 10], "guidance": {"10": "b", "2": "a", "x": "c"}}],
           "objects": []}
    assert [lv for lv, _ in logic.criteria_items(doc, "sv")[0].guidance] == ["2", "10", "x"]


def test_only_candidates_with_their_facts():
    objs = logic.candidate_objects(DOC, "sv")
    assert [o.key for o in objs] == ["A", "C"]  # committed and withdrawn objects are not scored
    assert objs[0].facts == (("municipalities", ["Haninge", "Tyresö"]), ("mode", "road"), ("cost", 1234.5))
    assert objs[1].facts == (("cost", None), ("fyrsteg_step", 4))  # an unknown cost is still said
    assert logic.candidate_objects(DOC, "en")[0].name == "Bridge"


PLANNED = {"id": "P", "name": "Tvärförbindelse", "cost": 1500, "cost_basis": "Plan", "plan_channel": "NP", "plan": {
    "refs": [{"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "phase": "ongoing"}],
    "stage": "legally_binding", "stage_note": "Vägplan laga kraft jan 2024",
    "avs": {"status": "done", "report_no": "TRV 2020:115", "year": 2020, "steps": [3, 4]},
    "seb": {"nnk": 0.45, "asek_version": "7.0", "price_level": "2017"}, "evidence": "plan",
    "cost": {"low": 1200, "high": 1800, "price_level": "2024", "method": "successive"},
    "financing": [{"party": "state", "amount_msek": 1000, "status": "agreement"},
                  {"party": "municipality:Huddinge", "status": "letter_of_intent"}]}}


def test_the_plan_facts_are_shown_in_words_after_the_cost_basis():
    (o,) = logic.candidate_objects({"objects": [PLANNED]}, "sv")
    keys = [k for k, _ in o.facts]
    assert keys == ["cost", "cost_basis", "plan_stage", "plan_evidence", "plan_refs", "plan_avs", "plan_nnk",
                    "plan_cost_range", "plan_financing", "plan_channel"]
    facts = dict(o.facts)
    assert facts["plan_stage"] == "Laga kraft – Vägplan laga kraft jan 2024"
    assert facts["plan_evidence"] == "Plan"
    assert facts["plan_refs"] == "NP 2026–2037: VST005, Pågående"
    assert facts["plan_avs"] == "ÅVS klar, TRV 2020:115 (2020), steg 3, 4"
    assert facts["plan_nnk"] == "0,45 (ASEK 7.0, prisnivå 2017)"
    assert facts["plan_cost_range"] == "1\xa0200–1\xa0800 MSEK (prisnivå 2024, Successivkalkyl)"
    assert facts["plan_financing"] == "Staten 1\xa0000 MSEK (Avtal); Huddinge kommun (Avsiktsförklaring)"
    en = dict(logic.candidate_objects({"objects": [PLANNED]}, "en")[0].facts)
    assert en["plan_stage"] == "Legally binding – Vägplan laga kraft jan 2024"
    assert en["plan_cost_range"] == "SEK 1,200–1,800 m (price level 2024, Successive estimate)"


def test_a_free_text_planning_status_of_an_older_document_is_shown_as_the_stage_note():
    old = {"id": "O", "name": "Gammal", "planning_status": "ÅVS pågår"}
    (o,) = logic.candidate_objects({"objects": [old]}, "sv")
    assert o.facts == (("plan_stage", "ÅVS pågår"),)
    assert "planning_status" not in logic.FACT_KEYS


def test_fact_text():
    assert logic.fact_text("municipalities", ["Haninge", "Tyresö"], "sv", "okänd") == "Haninge, Tyresö"
    assert logic.fact_text("cost", 1234.6, "sv", "okänd") == "1\xa0235 MSEK"
    assert logic.fact_text("cost", 15800, "en", "unknown") == "SEK 15,800 m"
    assert logic.fact_text("cost", None, "sv", "okänd") == "okänd"
    # a made-up example cost says so (issue 11 #15)
    assert logic.fact_text("cost", 2600, "sv", "okänd", illustrative=True) == "2\xa0600 MSEK (exempeldata)"
    assert logic.fact_text("cost", None, "sv", "okänd", illustrative=True) == "okänd"
    assert logic.fact_text("fyrsteg_step", 4, "sv", "") == "4"
    assert logic.fact_text("mode", "rail", "sv", "") == "järnväg"  # a code, shown in words


def test_md_escape():
    assert logic.md_escape("a*b*_c_ $x$ :red[y] [l](u) #1 <b>") == \
        "a\\*b\\*\\_c\\_ \\$x\\$ \\:red\\[y\\] \\[l\\]\\(u\\) \\#1 \\<b\\>"
    assert logic.md_escape("Väg 259 – Södertälje") == "Väg 259 – Södertälje"


def test_format_value():
    assert logic.format_value(3.0, "sv") == "3"
    assert logic.format_value(3.5, "sv") == "3,5"
    assert logic.format_value(3.25, "en") == "3.25"
    assert logic.format_value(2.001, "sv") == "2"  # two decimals at most, never "2,"


def test_option_for_and_value_for():
    levels = (1, 2, 3, 4, 5)
    assert logic.option_for(None, levels) is None
    assert logic.option_for((None, "x"), levels) == UNKNOWN
    assert logic.option_for((4.0, None), levels) == 4
    assert logic.option_for((3.5, None), levels) is None  # not a step: shown as text by the page
    assert logic.option_for((4.0, None), None) is None
    assert logic.value_for(UNKNOWN) is None
    assert logic.value_for(4) == 4.0


def test_progress_counts_numbers_and_vet_ej_over_candidates_only():
    answers = {("A", "C1"): (3.0, None), ("A", "C2"): (None, None), ("B", "C1"): (2.0, None),
               ("C", "C3"): (1.0, "x")}
    p = logic.progress(answers, ["A", "C"], ["C1", "C2", "C3"])
    assert (p.done, p.total) == (3, 6)
    assert p.per_object == {"A": (2, 3), "C": (1, 3)}
    assert not p.object_done("A")
    full = logic.progress({("A", c): (1.0, None) for c in ("C1", "C2", "C3")}, ["A"], ["C1", "C2", "C3"])
    assert full.object_done("A") and (full.done, full.total) == (3, 3)
    assert logic.progress({}, [], ["C1"]).total == 0


def test_grid_rows():
    crits = logic.criteria_items(DOC, "sv")
    objs = logic.candidate_objects(DOC, "sv")
    answers = {("A", "C1"): (3.0, None), ("A", "C2"): (42.5, None), ("C", "C1"): (None, None),
               ("C", "C2"): (None, None)}
    prog = logic.progress(answers, ["A", "C"], ["C1", "C2", "C3"])
    rows = logic.grid_rows(objs, crits, answers, "Vet ej", "sv", prog)
    assert rows == [
        {"objekt": "Bro", "klart": "2/3", "k0": "3", "k1": 42.5, "k2": None},
        {"objekt": "Spår", "klart": "2/3", "k0": "Vet ej", "k1": None, "k2": None},
    ]
    assert list(logic.grid_columns(crits)) == ["k0", "k1", "k2"]


def test_parse_cell():
    labels = ["Vet ej", "Don't know"]
    assert logic.parse_cell("3", labels) == 3.0
    assert logic.parse_cell(" 3,5 ", labels) == 3.5
    assert logic.parse_cell(4, labels) == 4.0
    assert logic.parse_cell(np.int64(2), labels) == 2.0
    assert logic.parse_cell("vet ej", labels) is None
    assert logic.parse_cell("Don't know", labels) is None
    for bad in ("mycket", "", True, float("inf"), "nan", [1]):
        with pytest.raises(ValueError):
            logic.parse_cell(bad, labels)


def test_delta_to_edits_is_positional():
    cols = {"k0": "C1", "k1": "C2"}
    delta = {"edited_rows": {1: {"k0": "4", "k1": "Vet ej", "objekt": "x"}, "0": {"k1": 12.0},
                             7: {"k0": "1"}, 2: {"k0": None, "k1": math.nan}},
             "added_rows": [{"k0": "1"}], "deleted_rows": [0]}
    edits, problems = logic.delta_to_edits(delta, ["A", "C", "E"], cols, ["Vet ej"])
    # row 0 is A and row 1 is C as rendered; the name column, rows out of the grid, cleared cells,
    # added and deleted rows are ignored
    assert edits == [CellEdit("A", "C2", 12.0), CellEdit("C", "C1", 4.0), CellEdit("C", "C2", None)]
    assert problems == []
    edits, problems = logic.delta_to_edits({"edited_rows": {0: {"k0": "mycket"}}}, ["A"], cols, ["Vet ej"])
    assert edits == [] and problems == [logic.GridProblem("A", "C1", "mycket")]
    assert logic.delta_to_edits(None, ["A"], cols, []) == ([], [])
    assert logic.delta_to_edits({"edited_rows": {}}, ["A"], cols, []) == ([], [])  # the reconcile delta


def test_out_of_scale_is_left_to_storage():
    edits, problems = logic.delta_to_edits({"edited_rows": {0: {"k0": "9"}}}, ["A"], {"k0": "C1"}, [])
    assert edits == [CellEdit("A", "C1", 9.0)] and problems == []


def test_changed_edits_and_apply_keep_comments():
    answers = {("A", "C1"): (3.0, "motivering"), ("A", "C2"): (None, None)}
    edits = [CellEdit("A", "C1", 3.0), CellEdit("A", "C2", None), CellEdit("A", "C1", 4.0),
             CellEdit("C", "C1", None), CellEdit("C", "C2", 9.0)]
    assert logic.changed_edits(edits, answers) == [CellEdit("A", "C1", 4.0), CellEdit("C", "C1", None),
                                                    CellEdit("C", "C2", 9.0)]
    calls = []

    def save(edit, comment):
        if edit.value == 9.0:
            raise ValueError("out of scale")
        calls.append((edit, comment))

    saved, failed = logic.apply_edits(edits, answers, save)
    assert calls == [(CellEdit("A", "C1", 4.0), "motivering"), (CellEdit("C", "C1", None), None)]
    assert saved == [e for e, _ in calls]
    assert [(e, str(err)) for e, err in failed] == [(CellEdit("C", "C2", 9.0), "out of scale")]


@settings(max_examples=60, deadline=None)
@given(hst.lists(hst.tuples(hst.integers(0, 5), hst.sampled_from(["k0", "k1", "x"]),
                            hst.one_of(hst.none(), hst.integers(1, 5), hst.just("Vet ej"), hst.just("?"))),
                 max_size=12))
def test_delta_edits_and_problems_cover_every_real_cell(entries):
    keys = ["A", "B", "C"]
    rows: dict = {}
    for pos, col, val in entries:
        rows.setdefault(pos, {})[col] = val
    edits, problems = logic.delta_to_edits({"edited_rows": rows}, keys, {"k0": "C1", "k1": "C2"}, ["Vet ej"])
    expected = {(keys[p], {"k0": "C1", "k1": "C2"}[c]) for p, r in rows.items() for c, v in r.items()
                if p < len(keys) and c in ("k0", "k1") and v is not None}
    got = [(e.object_key, e.criterion_key) for e in edits] + [(q.object_key, q.criterion_key) for q in problems]
    assert sorted(got) == sorted(expected)  # each real cell exactly once, as an edit or a problem
    assert all(q.raw == "?" for q in problems)


def test_distribution():
    values = np.array([4.0, 4.0, 5.0, np.nan, np.nan])
    answered = np.array([True, True, True, True, False])  # one "vet ej", one not answered
    d = logic.distribution(values, answered, (1, 2, 3, 4, 5))
    assert d.counts == ((1, 0), (2, 0), (3, 0), (4, 2), (5, 1))
    assert (d.unknown, d.n, d.median, d.low, d.high) == (1, 3, 4.0, 4.0, 5.0)
    free = logic.distribution(np.array([10.0, 30.0]), np.array([True, True]), None)
    assert free.counts == () and (free.n, free.median, free.low, free.high) == (2, 20.0, 10.0, 30.0)
    none = logic.distribution(np.array([np.nan]), np.array([False]), (1, 2))
    assert (none.n, none.unknown, none.median) == (0, 0, None)


def test_coded_facts_are_shown_in_words():
    """Issue 11 #11: "Trafikslag: tram / road+cycle" leaked data codes into the Swedish page."""
    from prioritization.ui.workshop.scoring_logic import fact_text

    assert fact_text("mode", "road+cycle", "sv", "okänd") == "väg + cykel"
    assert fact_text("mode", "tram", "sv", "okänd") == "spårväg"
    assert fact_text("mode", "node+P&R", "en", "unknown") == "interchange + park and ride"
    assert fact_text("mode", "hyperloop", "sv", "okänd") == "hyperloop"  # no label: as it is
    assert fact_text("data_quality", "I", "sv", "okänd") == "I – illustrativt (exempel)"
