"""The smallest weight change that matters, checked against a brute-force scan, the critical
criterion sentence and objects that share a rank (report.weight_change), on the example data and on
constructed inputs whose answers can be checked by hand."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest

from prioritization import analysis
from prioritization.model import Criterion, InfraObject
from prioritization.report import sensitivity as sl
from prioritization.report import weight_change as wc
from tests.report.analysed import analysed_example
from tests.report.test_sensitivity_logic import _pct, _project

NB = "\u00a0"


@pytest.fixture(scope="module")
def example():
    return analysed_example(samples=2000, seed=5)


# --- the smallest weight change that matters (A1, A4) ----------------------------------------------------


CHANGE = re.compile(r"(höjs|sänks) från ([\d,]+)\xa0% till ([\d,]+)\xa0% \(([+\u2212])([\d,]+) procentenheter\)")


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_change_sentences_add_up_for_raised_and_lowered_weights(example):
    tiers = example.project.tiers
    tier_of = tiers.assign((ro.object.id, ro.rank) for ro in example.ranking.ranked)
    verbs = set()
    for which in wc.CHANGE_EVENTS:
        text = wc.change_sentence(example.report, which, tiers=tiers, tier_of=tier_of)
        verb, now, new, sign, diff = CHANGE.search(text).groups()
        verbs.add(verb)
        assert _num(new) - _num(now) == (_num(diff) if sign == "+" else -_num(diff))
        assert (verb == "höjs") == (sign == "+") == (_num(new) > _num(now))
        change = wc.weight_change(example.report, which, tiers=tiers)
        assert now == _pct(change.weight)[:-2] and new == _pct(change.t)[:-2]  # one decimal, to the nearest
        assert "relativ" not in text
    assert verbs == {"höjs", "sänks"}  # the example has both directions among the four changes


def _scan(report, j: int, step: float = 1e-4):
    """Weights t of criterion j on a grid outwards from the weight now (nearest first), and the
    competition ranks at each."""
    from prioritization.engine.sensitivity import competition_ranks_rows, difference_epsilon
    w = float(report.weights[j])
    k = np.arange(1, int(1 / step) + 1)
    ts = np.r_[w + k * step, w - k * step]
    ts = ts[(ts >= 0) & (ts <= 1)]
    ts = ts[np.argsort(np.abs(ts - w), kind="stable")]
    ranks = competition_ranks_rows(report.oat[j].scores_at(ts), difference_epsilon(report.data.values))
    return ts, ranks


def _brute_force(report, changed) -> tuple[float, int] | None:
    """The smallest |t - w| over all criteria at which ``changed(base ranks, ranks)`` holds."""
    from prioritization.engine.ranking import competition_ranks
    base = competition_ranks(report.data.values @ report.weights)
    best = None
    for j in range(len(report.weights)):
        ts, ranks = _scan(report, j)
        hit = next((k for k in range(len(ts)) if changed(base, ranks[k])), None)
        if hit is not None and (best is None or abs(ts[hit] - report.weights[j]) < best[0] - 1e-12):
            best = (abs(ts[hit] - report.weights[j]), j)
    return best


def _untied_pairs_changed(base, ranks):
    a, c = np.triu_indices(base.shape[0], 1)
    untied = base[a] != base[c]
    return bool(np.any(untied & (np.sign(base[a] - base[c]) != np.sign(ranks[a] - ranks[c]))))


def _check_against_brute_force(report, which, changed, **kw):
    exact = wc.weight_change(report, which, **kw)
    brute = _brute_force(report, changed)
    if exact is None:
        assert brute is None
        return
    size, j = brute
    assert exact.size - 1e-9 <= size <= exact.size + 1e-4 + 1e-9  # the grid step is 1e-4
    assert j == exact.criterion


def test_weight_changes_match_a_brute_force_scan_on_the_example(example):
    report = example.report
    tiers = example.project.tiers
    ids = [o.id for o in report.data.objects]

    def tier_map(ranks):
        return tiers.assign(zip(ids, (int(r) for r in ranks), strict=True))

    _check_against_brute_force(report, "any", _untied_pairs_changed)
    _check_against_brute_force(report, "first", lambda b, r: set(np.flatnonzero(b == 1)) != set(np.flatnonzero(r == 1)))
    _check_against_brute_force(report, "top", lambda b, r: set(np.flatnonzero(b <= 3)) != set(np.flatnonzero(r <= 3)),
                               k=3)
    _check_against_brute_force(report, "tier", lambda b, r: tier_map(b) != tier_map(r), tiers=tiers)
    # an object assigned to its tier by hand stays there: the tier change moves on to another pair
    change = wc.weight_change(report, "tier", tiers=tiers)
    base = tier_map(np.asarray([ro.rank for ro in sorted(example.ranking.ranked, key=lambda ro: ids.index(ro.object.id))]))
    pair = (report.data.objects[change.above].id, report.data.objects[change.below].id)
    pinned = dataclasses.replace(tiers, assigned={oid: base[oid] for oid in pair})
    _check_against_brute_force(report, "tier", lambda b, r: pinned.assign(zip(ids, map(int, b), strict=True)) != pinned.assign(
        zip(ids, map(int, r), strict=True)), tiers=pinned)
    assert wc.weight_change(report, "tier", tiers=pinned) != change
    assert wc.weight_change(report, "tier") is None and wc.change_sentence(report, "tier") is None


# --- the critical criterion ------------------------------------------------------------------------


def _two_objects(weights):
    """Bro scores 1 and 0, Väg 0 and 1 (normalised): their lines cross at t = 0.5 for both criteria."""
    data = SimpleNamespace(values=np.array([[1.0, 0.0], [0.0, 1.0]]),
                           objects=(InfraObject("a", "Bro"), InfraObject("b", "Väg")),
                           criteria=(Criterion("K1", "Klimat", "benefit"), Criterion("K2", "Säkerhet", "benefit")))
    return SimpleNamespace(data=data, weights=np.asarray(weights, dtype=float))


def test_critical_sentence_constructed():
    # Bro 0.6, Väg 0.4: lowering Klimat to 50 % (or raising Säkerhet to 50 %) ties them; same size,
    # the lower criterion index wins
    assert wc.critical_sentence(_two_objects([0.6, 0.4])) == (
        f"Den minsta viktändring som får två objekt att byta plats: om vikten för Klimat sänks från 60,0{NB}% "
        f"till 50,0{NB}% (\u221210,0 procentenheter) hinner Väg ikapp Bro.")
    up = wc.critical_sentence(_two_objects([0.45, 0.55]))
    assert f"Klimat höjs från 45,0{NB}% till 50,0{NB}% (+5,0 procentenheter) hinner Bro ikapp Väg." in up
    assert wc.critical_sentence(_two_objects([0.45, 0.55]), which="top").startswith(
        "Den minsta viktändring som byter etta: om vikten för Klimat höjs")
    # one criterion: nothing can change
    single = SimpleNamespace(data=SimpleNamespace(values=np.array([[1.0], [0.0]]), objects=(), criteria=()),
                             weights=np.array([1.0]))
    assert wc.critical_sentence(single) == "Ingen ändring av en enskild vikt ändrar rangordningen."


def test_critical_sentence_on_the_example_is_the_any_pair_change(example):
    change = wc.weight_change(example.report, "any")
    assert wc.critical_sentence(example.report).startswith(
        f"Den minsta viktändring som får två objekt att byta plats: om vikten för "
        f"{example.data.criteria[change.criterion].name} ")


# --- objects that share a rank ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tied():
    # A and B tie under equal weights (not identical); D is identical to C; E is last
    project = _project({"A": [5, 1, 3], "B": [1, 5, 3], "C": [4, 4, 2], "D": [4, 4, 2], "E": [1, 2, 1]},
                       tiers={"levels": [{"label": "A", "through_rank": 2}, {"label": "B"}]})
    report = analysis.sensitivity(project, samples=500, seed=2)
    return SimpleNamespace(project=project, report=report, ranking=analysis.rank(project))


def test_objects_sharing_a_rank_are_told_apart_and_never_the_headline(tied):
    report, ranking = tied.report, tied.ranking
    assert [ro.rank for ro in ranking.ranked] == [1, 1, 3, 3, 5]
    for which in ("any", "first", "top", "tier"):
        change = wc.weight_change(report, which, tiers=tied.project.tiers, k=2)
        assert change is not None and change.size > 0.01  # never the zero change that splits a tie
        pair = {report.data.objects[change.above].id, report.data.objects[change.below].id}
        assert pair not in ({"A", "B"}, {"C", "D"})
    _check_against_brute_force(report, "any", _untied_pairs_changed)
    # C and D (first) never separate: a change of who is first is someone catching up with them
    _check_against_brute_force(report, "first", lambda b, r: set(np.flatnonzero(b == 1)) != set(np.flatnonzero(r == 1)))
    text = sl.ties_sentence(report)
    assert text.startswith("Objekt som delar rang räknas inte i meningarna om viktändringar")
    assert "C och D (rang 1)" in text and "A och B (rang 3)" in text
    assert text.endswith("C och D har samma värden i alla kriterier och delar alltid rang.")
    # the stability interval is a single point; the sentence gives the interval apart from the ties
    j = 0
    assert report.stability[j].ranking[0] == report.stability[j].ranking[1]
    lo, hi = wc.untied_interval(report, j)
    assert lo < report.weights[j] < hi
    base = np.asarray([ro.rank for ro in sorted(ranking.ranked, key=lambda ro: ro.object.id)])
    ts, ranks = _scan(report, j)
    inside = [t for t, r in zip(ts, ranks, strict=True) if not _untied_pairs_changed(base, r)]
    assert min(inside) == pytest.approx(lo, abs=1e-4) and max(inside) == pytest.approx(hi, abs=1e-4)
    sentence = sl.stability_frame(report)["sentence"].iloc[j]
    assert sentence.startswith("Några objekt har i dag samma poäng") and "Bortsett från dem" in sentence
    assert f"mellan {_pct(lo)} och {_pct(hi)}" in sentence
    curves = sl.oat_curves(report, j)
    assert curves.band == (lo, hi) and curves.band_untied
    # identical objects always share a rank: they are not "the least certain position"
    fragile = sl.fragile_sentence(report, ranking) or ""
    assert "Osäkrast placering: C " not in fragile and "Osäkrast placering: D " not in fragile
    assert sl.ties_sentence(example_like_without_ties()) is None


def test_two_tied_objects_hold_for_any_weight_apart_from_their_tie():
    report = analysis.sensitivity(_project({"A": [5, 1], "B": [1, 5]}), samples=100, seed=1)
    assert wc.weight_change(report, "any") is None and wc.untied_interval(report, 0) == (0.0, 1.0)
    assert sl.stability_frame(report)["sentence"].iloc[0] == (
        "Några objekt har i dag samma poäng, så deras inbördes ordning ändras vid minsta ändring av vikten för "
        f"Kriterium 0. Bortsett från dem håller rangordningen för varje vikt; nu 50,0{NB}%.")


def example_like_without_ties():
    project = _project({"A": [5, 1, 3], "B": [1, 4, 3], "C": [4, 4, 2]})
    return analysis.sensitivity(project, samples=100, seed=1)


def test_duplicate_names_get_their_id_in_sentences():
    project = _project({"X1": [5, 1, 3], "X2": [1, 4, 3], "C": [4, 4, 1], "D": [2, 2, 2]},
                       names={"X1": "Samma namn", "X2": "Samma namn"})
    report = analysis.sensitivity(project, samples=300, seed=1)
    ranking = analysis.rank(project)
    top = sl.robust_top_sentence(report, ranking, k=3)
    assert "Samma namn (X1)" in top and "Samma namn (X2)" in top
    table = sl.acceptability_table(report, ranking)
    assert {"Samma namn (X1)", "Samma namn (X2)"} <= set(table["object"])
    change = wc.change_sentence(report, "any")
    assert "Samma namn i" not in change and "Samma namn ikapp" not in change
