"""The follow-up roll-up per municipality and phase, against numbers computed by hand."""

import dataclasses
import json
from datetime import date

import pytest

from prioritization import i18n, projectfile
from prioritization.model import InfraObject
from prioritization.report import follow_up_rollup as rollup
from prioritization.report.follow_up import STEP_COLOURS
from prioritization.report.theme import MUTED_GREY
from prioritization.timeline.follow_up import FollowUp, FollowUpStep
from tests.conftest import EXAMPLE


def obj(oid, status, cost, municipalities, made_up=False):
    attributes = {"municipalities": municipalities}
    if made_up:
        attributes["cost_illustrative"] = True
    return InfraObject(oid, f"Objekt {oid}", cost, status, attributes)


@pytest.fixture(scope="module")
def project():
    """A: shared by Huddinge and Botkyrka, construction started (after being in the plan); B: committed,
    no step, made-up cost; C: sent for rework, cost unknown; D: opened, no municipality; E: a candidate
    without a track (not followed up); F: construction started, made-up cost."""
    objects = (
        obj("A", "committed", 1000, ["Huddinge", "Botkyrka"]),
        obj("B", "committed", 200, ["Huddinge"], made_up=True),
        obj("C", "candidate", None, ["Haninge"]),
        obj("D", "candidate", 300, []),
        obj("E", "candidate", 700, ["Huddinge"]),
        obj("F", "committed", 50, ["Botkyrka"], made_up=True),
    )
    tracks = (
        FollowUp("A", steps=(FollowUpStep("national_plan", date(2022, 6, 1)),
                             FollowUpStep("construction_started", date(2024, 3, 1)))),
        FollowUp("C", steps=(FollowUpStep("construction_decision", date(2022, 6, 1)),
                             FollowUpStep("rework", date(2025, 4, 1)))),
        FollowUp("D", steps=(FollowUpStep("opened", date(2020, 1, 1), "year"),)),
        FollowUp("F", steps=(FollowUpStep("construction_started", date(2023, 9, 1), "month"),)),
    )
    base = projectfile.load(EXAMPLE)
    return dataclasses.replace(base, objects=objects, follow_up=tracks, scores=(), tiers=None,
                               committee=type(base.committee)())


def test_counts_and_msek_per_municipality_and_phase(project):
    data = rollup.rollup(project)
    assert list(data) == ["Botkyrka", "Haninge", "Huddinge", "", None]  # alphabetical; no municipality, total last
    flat = {(m, p): (c.object_ids, c.msek, c.illustrative, c.no_cost) for m, cells in data.items()
            for p, c in cells.items()}
    assert flat == {
        ("Botkyrka", "construction_started"): (("A", "F"), 1050.0, True, 0),
        ("Haninge", "rework"): (("C",), 0.0, False, 1),
        ("Huddinge", "construction_started"): (("A",), 1000.0, False, 0),
        ("Huddinge", "none"): (("B",), 200.0, True, 0),
        ("", "opened"): (("D",), 300.0, False, 0),
        (None, "construction_started"): (("A", "F"), 1050.0, True, 0),
        (None, "rework"): (("C",), 0.0, False, 1),
        (None, "opened"): (("D",), 300.0, False, 0),
        (None, "none"): (("B",), 200.0, True, 0),
    }
    # the shared object A is in both its municipalities' rows and once in the total: 6 vs 5 objects
    assert sum(c.objects for m, cells in data.items() if m is not None for c in cells.values()) == 6
    assert sum(c.objects for c in data[None].values()) == 5
    assert "E" not in {i for cells in data.values() for c in cells.values() for i in c.object_ids}


def test_the_table_says_objects_and_msek_and_marks_made_up_costs(project):
    table = rollup.rollup_table(project, "sv").set_index("Kommun")
    assert list(table.columns) == ["Byggstart", "Öppnad för trafik", "Omtag", "Inget steg än", "Alla faser"]
    assert list(table.index) == ["Botkyrka", "Haninge", "Huddinge", "Ingen kommun angiven",
                                 "Totalt (varje objekt en gång)"]
    assert table.loc["Botkyrka", "Byggstart"] == f"2 objekt · {i18n.msek(1050, illustrative=True)}"
    assert "(exempeldata)" in table.loc["Botkyrka", "Byggstart"]
    assert table.loc["Huddinge", "Byggstart"] == f"1 objekt · {i18n.msek(1000)}"  # no made-up cost in it
    assert table.loc["Haninge", "Omtag"] == "1 objekt · kostnad saknas"  # no sum of nothing
    assert table.loc["Haninge", "Byggstart"] == "–"
    assert table.loc["Totalt (varje objekt en gång)", "Alla faser"] == (
        f"5 objekt · {i18n.msek(1550, illustrative=True)} (kostnad saknas för 1)")
    sentence = rollup.rollup_sentence(project, "sv")
    assert sentence.startswith("5 bevakade objekt i 3 kommuner") and "(1 objekt delas)" in sentence
    en = rollup.rollup_table(project, "en").set_index("Municipality")
    assert en.loc["Total (each object once)", "Construction started"] == f"2 objects · {i18n.msek(1050, 'en', illustrative=True)}"


def test_the_chart_stacks_phases_per_municipality_in_the_steps_colours(project):
    spec = rollup.rollup_chart(project, "sv").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["municipality_label"] for v in values} == {"Botkyrka", "Haninge", "Huddinge", "Ingen kommun angiven"}
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Byggstart", "Öppnad för trafik", "Omtag", "Inget steg än"]
    assert colour["range"] == [STEP_COLOURS["construction_started"], STEP_COLOURS["opened"], STEP_COLOURS["rework"],
                               MUTED_GREY]
    assert spec["encoding"]["x"]["field"] == "objects" and spec["encoding"]["x"]["aggregate"] == "sum"
    assert i18n.msek(1050, illustrative=True) in json.dumps(values, ensure_ascii=False)  # in the tooltip
    alt_text = rollup.chart_alt(project, "sv")
    assert "4 staplar, 5 objekt totalt" in alt_text and "tabellen" in alt_text
