"""The words of an object's plan data (issue 14): one line per fact, the object list's cells and the
comparability warnings, in Swedish and English."""

from __future__ import annotations

from datetime import date

from prioritization.model import InfraObject
from prioritization.planning.comparability import mismatches
from prioritization.planning.model import Avs, CostRange, Link, PlanData, PlanRef, Seb, Verified
from prioritization.report import plan_facts as pf


def test_each_fact_in_words():
    p = PlanData(refs=(PlanRef("NP", "2026–2037", "VST005", "ongoing"), PlanRef("LP", "2022–2033")),
                 stage="cancelled", stage_note="  Arbetet avslutat 2022 ", avs=Avs("planned"),
                 seb=Seb(nnk=-0.3), cost=CostRange(high=900, method="rough"), requires=("B",), excludes=("C",),
                 package="Paket syd", links=(Link("news", "https://example.invalid/n"),),
                 verified=Verified(date(2026, 5, 2), "Anna"))
    assert pf.stage_text(p) == "Avbruten – Arbetet avslutat 2022"
    assert pf.refs_text(p) == "NP 2026–2037: VST005, Pågående; LP 2022–2033"
    assert pf.avs_text(p) == "ÅVS planerad"
    assert pf.nnk_text(p) == "-0,3"  # no ASEK version or price level stated: the bare value
    assert pf.cost_range_text(p) == "?–900 MSEK (Grov kostnadsindikation)"
    assert pf.dependencies_text(p, name={"B": "Bro", "C": "Cykel"}.get) == "Förutsätter: Bro; Utesluter: Cykel; Paket: Paket syd"
    assert pf.links_text(p) == "Nyhet: https://example.invalid/n"
    assert pf.verified_text(p) == "2 maj 2026 av Anna"
    assert pf.verified_text(p, "en") == "2 May 2026 by Anna"
    assert pf.stage_text(PlanData()) is None and pf.facts(PlanData()) == []
    assert [k for k, _ in pf.facts(p, keys=("evidence", "stage"))] == ["stage"]  # only what it has


def test_the_cells_and_the_warnings_of_objects_listed_together():
    a = InfraObject("A", "Bro", 100, plan=PlanData(evidence="plan", seb=Seb(nnk=0.5, asek_version="7.0")))
    b = InfraObject("B", "Väg", 200, plan=PlanData(evidence="idea", seb=Seb(nnk=1.5, asek_version="7.0")))
    c = InfraObject("C", "Spår", None, plan=PlanData(evidence="avs"))  # no cost: not compared
    warned = pf.warnings_by_object([a, b, c])
    assert set(warned) == {"A", "B"}
    assert warned["A"][0] == ("Kostnaderna kommer från olika underlagsnivåer och kan inte jämföras rakt av: "
                              "Plan (Bro); Idé/screening (Väg).")
    assert any(w.startswith("NNK-värdena kommer från olika underlagsnivåer") for w in warned["A"])
    cells = dict(zip(pf.COLUMNS, pf.column_values(a, warnings=warned), strict=True))
    assert cells["evidence"] == "Plan" and cells["nnk"] == 0.5 and cells["asek_version"] == "7.0"
    assert cells["comparability"] == " ".join(warned["A"])
    assert pf.column_values(c, warnings=warned)[-1] is None
    assert pf.flagged([a, b, c]) == {"A": {"cost", "nnk"}, "B": {"cost", "nnk"}}
    assert pf.marked("100", True) == "100 †" and pf.marked("100", False) == "100"
    data = pf.mismatch_data(mismatches([a, b]))
    assert data[0] == {"figure": "cost", "basis": "evidence",
                       "groups": [{"value": "plan", "objects": ["A"]}, {"value": "idea", "objects": ["B"]}]}
    assert pf.warnings([a, b], "en")[0].startswith("The costs come from different evidence levels")
    assert pf.warnings([a, InfraObject("D", "D", 50, plan=PlanData(evidence="plan"))], figures=("cost",)) == []
