"""The projector's charts are drawn from specs cached per state of the round (issue 15): each
input of a chart (the cell chosen, a new score, the language) draws a new chart, a rerun with
nothing new draws the same charts from the cache and reads no ratings again."""

import json
from pathlib import Path

import pytest

from prioritization import projectfile
from prioritization.storage import rounds, scores
from prioritization.storage.access import PARTICIPANT, Actor
from tests.conftest import FIXTURES
from tests.ui.conftest import app

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "workshop_app.py")


@pytest.fixture
def small(empty_app_db, fac) -> int:
    return rounds.import_project(empty_app_db, fac, projectfile.load(FIXTURES / "small-round.json"))


def specs(at) -> dict[str, str]:
    """The page's charts by kind (their spec as sent, with the names of their Arrow datasets)."""
    found = {}
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        first = spec["layer"][0]
        if first["mark"]["type"] == "rect":
            kind = "heatmap"
        elif first["encoding"]["y"]["field"] == "count":
            kind = "distribution"
        else:
            kind = f"progress {len(found)}"
        found[kind] = c.proto.spec + "|" + ",".join(d.name for d in c.proto.datasets)
    assert {"heatmap", "distribution"} <= set(found) and len(found) == 4
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before if before[k] != after.get(k)}


def test_each_input_of_a_projector_chart_draws_a_new_chart(empty_app_db, fac, small, monkeypatch):
    rounds.set_status(empty_app_db, fac, small, "scoring")  # the live scores shown as they arrive
    reads = []
    original = scores.anonymous_ratings
    monkeypatch.setattr(scores, "anonymous_ratings", lambda *a, **k: reads.append(a[3]) or original(*a, **k))
    at = app(fac, "sv", script=SCRIPT, round_id=small, workshop_show_hidden=True).run()
    assert not at.exception
    base, first_reads = specs(at), len(reads)
    assert first_reads == 1  # the live panel and the chosen cell share one read of the round
    assert specs(at.run()) == base and len(reads) == first_reads  # nothing new: the same charts, no read
    # another cell: only its distribution (which shows no cell name: cells rated alike look alike)
    chosen = at.selectbox(key="workshop_cell").value
    seen = set()
    for other in at.selectbox(key="workshop_cell").options[1:]:
        at.selectbox(key="workshop_cell").set_value(other).run()
        seen.add(frozenset(changed(base, specs(at))))
    assert frozenset({"distribution"}) in seen and seen <= {frozenset(), frozenset({"distribution"})}
    at.selectbox(key="workshop_cell").set_value(chosen).run()
    assert specs(at) == base
    # a participant's new score in the chosen cell (a new revision): its distribution and the heatmap
    o, c = json.loads(chosen)
    p1 = Actor(PARTICIPANT, "p1", round_id=small, participant_key="p1")
    was = scores.my_scores(empty_app_db, p1, small).get((o, c), (None, None))[0]
    scores.save_score(empty_app_db, p1, small, o, c, 1 if was != 1 else 5)
    at.run()
    assert not at.exception
    assert {"heatmap", "distribution"} <= changed(base, specs(at))
    # the language: every chart
    now = specs(at)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert changed(now, specs(at)) == set(now)
