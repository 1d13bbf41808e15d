"""The ranked list: contributions, tiers, why an object ranks where it does, the map frame and why
the analyses cannot run (report.ranking), on the example data and on small constructed inputs whose
answers can be checked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.errors import InputError
from prioritization.model import Criterion, InfraObject
from prioritization.report import ranking as rl
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def example():
    project = projectfile.load(EXAMPLE)
    data = analysis.decision_data(project)
    ranking = analysis.rank(project, data=data)
    return SimpleNamespace(project=project, data=data, ranking=ranking)


# --- contributions ---------------------------------------------------------------------------------


def test_contributions_sum_to_the_score_and_follow_the_ranking(example):
    frame = rl.contribution_frame(example.ranking, example.data)
    m = len(example.data.criteria)
    assert len(frame) == len(example.ranking.ranked) * m
    for pos, ro in enumerate(example.ranking.ranked):
        rows = frame[frame["position"] == pos]
        assert list(rows["object_id"].unique()) == [ro.object.id]
        assert list(rows["criterion_index"]) == list(range(m))
        assert abs(rows["contribution"].sum() - ro.score) < 1e-12
        assert rows["row_label"].iloc[0] == f"{ro.rank}. {ro.object.name}"
    assert np.allclose(frame["points"], 100 * frame["contribution"])
    # committed objects are never in the ranked list
    committed = {o.id for o in example.project.committed}
    assert committed == {"SOD-01", "SOD-12"} and not committed & set(frame["object_id"])
    assert list(rl.committed_frame(example.ranking)["object_id"]) == ["SOD-01", "SOD-12"]


def test_contribution_frame_needs_the_weighted_sum(example):
    topsis = analysis.rank(example.project, "topsis", data=example.data)
    with pytest.raises(ValueError, match="wsm"):
        rl.contribution_frame(topsis, example.data)


def test_tiers_and_rank_within_tier(example):
    ids = [ro.object.id for ro in example.ranking.ranked]
    tiers = {ids[0]: "A", ids[1]: "B", ids[2]: "A"}
    frame = rl.contribution_frame(example.ranking, example.data, tiers=tiers).drop_duplicates("object_id")
    assert list(frame["tier"][:3]) == ["A", "B", "A"] and frame["tier"].isna().iloc[3]
    assert list(frame["tier_rank"][:3]) == [1, 1, 2] and frame["tier_rank"].isna().iloc[3]
    assert frame["end_label"].iloc[2].endswith("nivå A, plats 2")
    assert rl.tier_ranks([1, 2, 2, 4], ["A", "A", "A", "A"]) == [1, 2, 2, 4]  # competition ranks within the tier


def test_english_names_are_used_in_english(example):
    frame = rl.contribution_frame(example.ranking, example.data, lang="en")
    assert frame["criterion"].iloc[0] == "Regional accessibility"
    assert frame["object"].iloc[0] == example.ranking.ranked[0].object.attributes["name_en"]


# --- why it ranks where it does --------------------------------------------------------------------


def test_neighbour_frame_and_why_sentences(example):
    ranked = example.ranking.ranked
    me = ranked[2].object.id
    frame = rl.neighbour_frame(example.ranking, example.data, me)
    assert np.allclose(frame["diff_above"].sum(), ranked[2].score - ranked[1].score, atol=1e-12)
    assert np.allclose(frame["diff_below"].sum(), ranked[2].score - ranked[3].score, atol=1e-12)
    sentences = rl.why_sentences(example.ranking, example.data, me)
    assert len(sentences) == 3 and sentences[0].startswith(f"{ranked[2].object.name} har rang 3 av 13 med ")
    best = frame.loc[frame["diff_above"].idxmax(), "criterion"]
    worst = frame.loc[frame["diff_above"].idxmin(), "criterion"]
    assert sentences[1].startswith(f"Jämfört med {ranked[1].object.name} (rang 2, ")
    assert f"starkare på {best} (+" in sentences[1] and f"svagare på {worst} (\u2212" in sentences[1]
    # the first object has no neighbour above
    assert len(rl.why_sentences(example.ranking, example.data, ranked[0].object.id)) == 2


def test_why_sentence_constructed():
    crit = tuple(Criterion(c, n, "benefit") for c, n in (("K1", "Klimat"), ("K2", "Säkerhet"), ("K3", "Kostnad")))
    objs = (InfraObject("a", "Bro"), InfraObject("b", "Väg"))
    contributions = np.array([[0.30, 0.10, 0.10], [0.10, 0.25, 0.05]])
    ranking = analysis.Ranking("wsm", np.array([0.4, 0.3, 0.3]),
                               (analysis.RankedObject(objs[1], 1, 0.40), analysis.RankedObject(objs[0], 2, 0.50)),
                               (), contributions)
    # (contrived: the display order is given, not recomputed, so the sentence logic is checked alone)
    data = SimpleNamespace(objects=objs, criteria=crit)
    assert rl.why_sentences(ranking, data, "a", top_k=1) == [
        "Bro har rang 2 av 2 med 50,0 poäng av 100.",
        "Jämfört med Väg (rang 1, 40,0 poäng): starkare på Klimat (+20,0); svagare på Säkerhet (\u221215,0)."]
    equal = analysis.Ranking("wsm", np.ones(3) / 3, ranking.ranked, (), np.array([[0.1, 0.1, 0.1]] * 2))
    assert rl.why_sentences(equal, data, "b", lang="en")[1] == (
        "Compared with Bro (rank 2, 50.0 points): the same contribution on every criterion.")


# --- map ---------------------------------------------------------------------------------------------


def test_map_frame_on_the_example(example):
    frame = rl.map_frame(example.ranking, tiers={"SOD-02": "A"})
    assert len(frame) == 15 and frame.attrs["without_coordinates"] == [] and frame.attrs["note"] == ""
    committed = frame[frame["status"] == "committed"]
    assert set(committed["object_id"]) == {"SOD-01", "SOD-12"}
    assert (committed["label"] == "\u2013").all() and (committed["category"] == "Redan prioriterade – bevakas").all()
    top = frame[frame["object_id"] == "SOD-02"].iloc[0]
    # the tier is printed with the rank ("1 · A"), so it is never told by colour alone
    assert (top["lat"], top["lon"], top["rank"], top["category"], top["label"]) == (59.27, 17.918, 1, "A", "1 · A")
    other = frame[(frame["status"] == "candidate") & (frame["object_id"] != "SOD-02")]
    assert (other["label"] == other["rank"].astype(int).astype(str)).all()  # no tier: the rank alone


def test_map_frame_lists_objects_without_coordinates():
    objs = (InfraObject("a", "Bro", attributes={"lat": 59.0, "lon": 18.0}), InfraObject("b", "Väg"))
    ranking = analysis.Ranking("wsm", np.ones(1), (analysis.RankedObject(objs[0], 1, 0.9),
                                                   analysis.RankedObject(objs[1], 2, 0.5)), ())
    frame = rl.map_frame(ranking, lang="en")
    assert list(frame["object_id"]) == ["a"] and frame.attrs["without_coordinates"] == ["Väg"]
    assert frame.attrs["note"] == "No coordinates, not shown on the map: Väg"


# --- why the analyses cannot run -------------------------------------------------------------------------


def test_incomplete_reason_names_the_missing_cells(small_round):
    small_round["scores"] = [s for s in small_round["scores"] if not (s["object"] == "O2" and s["criterion"] == "K3")]
    project = projectfile.parse(small_round, require_complete=False)
    with pytest.raises(InputError) as e:
        analysis.decision_data(project)
    [(o, c)] = rl.missing_cells(project)
    assert (o.id, c.id) == ("O2", "K3")
    text = rl.incomplete_reason(project, e.value)
    assert text.startswith("poäng saknas för 1 av 9 kombinationer av objekt och kriterium")
    assert text.endswith(f"till exempel {o.name} \u2013 {c.name}.")
    assert "scores are missing for 1 of 9" in rl.incomplete_reason(project, e.value, "en")


def test_incomplete_reason_without_candidates_and_otherwise(small_round):
    complete = projectfile.parse(small_round)
    assert rl.missing_cells(complete) == []
    assert rl.incomplete_reason(complete, InputError("unknown weight profile 'x'")) == (
        "uppgifterna räcker inte för analysen (unknown weight profile 'x').")
    for o in small_round["objects"]:
        o["status"] = "committed"
    nothing = projectfile.parse(small_round, require_complete=False)
    assert rl.incomplete_reason(nothing, InputError("no candidates")) == (
        "inget objekt har status kandidat, så det finns inget att rangordna.")
