"""The plan data on the results pages (issue 14): a warning next to the costs when they come from
different evidence levels (and none when they match), "†" on the cells involved with a legend in
words, the planning stage of the committed objects, the plan facts of the object in detail, and the
same warning on the portfolio page where costs are summed."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd

from prioritization import projectfile
from prioritization.storage import rounds
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
WARNING = "kan inte jämföras rakt av"


def planned(small_round: dict, evidence: dict[str, str]) -> dict:
    doc = copy.deepcopy(small_round)
    for o in doc["objects"]:
        o["plan"] = {"evidence": evidence.get(o["id"], "plan"),
                     "cost": {"low": o["cost"] * 0.8, "high": o["cost"] * 1.3, "price_level": "2024"}}
    o4 = next(o for o in doc["objects"] if o["id"] == "O4")
    o4["plan"] |= {"stage": "construction", "stage_note": "Bygget *pågår*"}
    o1 = next(o for o in doc["objects"] if o["id"] == "O1")
    o1["plan"]["refs"] = [{"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "phase": "ongoing"}]
    return doc


def ranked_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Rang" in d.value.columns and "Poäng (0–100)" in d.value.columns)


def warnings_text(at) -> str:
    return "\n".join(w.value for w in at.warning)


def test_costs_from_different_evidence_levels_are_flagged_and_matching_ones_are_not(empty_app_db, fac,
                                                                                    small_round):
    mixed = rounds.import_project(empty_app_db, fac, projectfile.parse(planned(small_round, {"O2": "idea"})))
    at = app(fac, script=RESULTS, page="overview", round_id=mixed).run()
    assert not at.exception
    warned = [w.value for w in at.warning if WARNING in w.value]
    assert len(warned) == 1  # the ranked list's costs; the one committed object has nothing to compare with
    # the sentence names both groups (names escaped for Markdown)
    assert "underlagsnivåer" in warned[0] and "Idé/screening \\(Spår – etapp 2\\)" in warned[0]
    assert "Bro över Ölandssundet" in warned[0] and "Cykelstråk" in warned[0]
    table = ranked_table(at).set_index("Objekt")
    assert table.loc["Spår – etapp 2", "Kostnad (MSEK)"] == "800 †"
    assert table.loc["Spår – etapp 2", "Underlagsnivå"] == "Idé/screening"
    assert table.loc["Cykelstråk", "Underlagsnivå"] == "Plan"
    assert any("† Siffran kommer från en annan underlagsnivå" in c.value for c in at.caption)  # the legend
    # the committed object's planning stage and its note, from the plan data
    apart = next(d.value for d in at.dataframe if "Planeringsläge" in d.value.columns).set_index("Objekt")
    assert apart.loc["Redan finansierad väg", "Planeringsläge"] == "Byggstart – Bygget *pågår*"
    assert apart.loc["Redan finansierad väg", "Kostnad (MSEK)"] == "5\xa0000"  # nothing beside it: no mark
    # the object in detail: its plan facts in words
    at.selectbox(key="overview_detail").select("O1").run()
    facts = "\n".join(m.value for m in at.markdown)
    assert "**I plan:** NP 2026–2037\\: VST005, Pågående" in facts
    assert "**Kostnadsintervall:** 960–1\xa0560 MSEK \\(prisnivå 2024\\)" in facts

    # the portfolio page sums these costs: the same warning, and the mark in its table
    at = app(fac, script=RESULTS, page="portfolio", round_id=mixed).run()
    assert not at.exception
    assert WARNING in warnings_text(at)
    frontier = next(d.value for d in at.dataframe if "Kostnad" in " ".join(d.value.columns))
    assert any(str(v).endswith("†") for v in frontier.filter(like="Kostnad").iloc[:, 0])

    same = rounds.import_project(empty_app_db, fac, projectfile.parse(planned(small_round, {})))
    at = app(fac, script=RESULTS, page="overview", round_id=same).run()
    assert not at.exception
    assert WARNING not in warnings_text(at)
    costs = ranked_table(at)["Kostnad (MSEK)"]
    assert not any("†" in str(v) for v in costs)
    assert not any("† Siffran" in c.value for c in at.caption)


def test_a_price_level_differing_is_said_in_english(empty_app_db, fac, small_round):
    doc = planned(small_round, {})
    next(o for o in doc["objects"] if o["id"] == "O3")["plan"]["cost"]["price_level"] = "2017"
    rid = rounds.import_project(empty_app_db, fac, projectfile.parse(doc))
    at = app(fac, "en", script=RESULTS, page="overview", round_id=rid).run()
    assert not at.exception
    text = warnings_text(at)
    assert "The costs come from different price levels and cannot be compared directly" in text
    assert "2017 \\(Cykelstråk\\)" in text
    assert ranked_table_en(at).set_index("Object").loc["Cykelstråk", "Cost (MSEK)"].endswith("†")


def ranked_table_en(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Rank" in d.value.columns and "Object" in d.value.columns)
