"""Plain-language sentences and tables of the sensitivity page (dashboard_logic), on the example
data and on constructed inputs whose answers can be checked by hand."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from prioritization import analysis, projectfile
from prioritization.engine.sensitivity import Stability
from prioritization.errors import InputError
from prioritization.model import Participant, WeightSpec
from prioritization.ui import charts_dashboard as charts
from prioritization.ui import dashboard_logic as dl
from tests.conftest import EXAMPLE

NB = "\u00a0"


@pytest.fixture(scope="module")
def example():
    project = projectfile.load(EXAMPLE)
    data = analysis.decision_data(project)
    ranking = analysis.rank(project, data=data)
    report = analysis.sensitivity(project, samples=2000, seed=5)
    return SimpleNamespace(project=project, data=data, ranking=ranking, report=report)


def _index(report) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(report.data.objects)}


# --- what was varied -------------------------------------------------------------------------------


def test_varied_sentence_names_the_models_samples_and_seed(example):
    text = dl.varied_sentence(example.report)
    assert "jämnt över alla möjliga viktfördelningar" in text  # weight model "uniform"
    assert "slumpvis vald bedömare" in text  # score model "raters": the example has individual scores
    assert f"2{NB}000 scenarier" in text and "(5)" in text
    en = dl.varied_sentence(example.report, "en")
    assert "randomly chosen rater" in en and "2,000 scenarios" in en and "(5)" in en


def test_varied_sentence_follows_the_models_and_the_weight_bounds(small_round):
    project = projectfile.parse(small_round)  # K1 has weight bounds
    fixed = analysis.sensitivity(project, samples=10, seed=1, weight_model="fixed", score_model="none")
    text = dl.varied_sentence(fixed)
    assert "hölls fasta vid de valda vikterna" in text and "poängen hölls fasta" in text
    assert "viktgränser" not in text  # fixed weights: the bounds play no part
    uniform = analysis.sensitivity(project, samples=10, seed=1, score_model="uniform")
    text = dl.varied_sentence(uniform)
    assert "inom kriteriernas viktgränser" in text and "osäkerhetsmarginal" in text


# --- rank ranges, robust top, fragile position -------------------------------------------------------


def test_share_label_treats_float_noise_at_the_ends_as_the_end():
    assert 0.6 + 0.3 + 0.1 < 1.0  # the noise this is about
    assert dl.share_label(0.6 + 0.3 + 0.1) == f"100{NB}%"
    assert dl.share_label(1e-12) == f"0{NB}%"
    assert dl.share_label(0.9999) == f"> 99{NB}%" and dl.share_label(0.0001) == f"< 1{NB}%"


def test_rank_range_hand_checked():
    assert dl.rank_range([1.0, 0.0, 0.0]) == (1, 1)
    assert dl.rank_range([0.05, 0.9, 0.05]) == (2, 2)  # 5 % on either side is within the 10 % tails
    assert dl.rank_range([0.15, 0.7, 0.15]) == (1, 3)
    assert dl.rank_range([0.25, 0.25, 0.25, 0.25]) == (1, 4)
    assert dl.rank_range([0.25, 0.25, 0.25, 0.25], coverage=0.5) == (2, 3)
    assert dl.rank_range([0.1, 0.0, 0.8, 0.1]) == (3, 3)  # exactly 10 % above and below


def _report(acceptability, names, *, confidence=None, central=None, score_model="raters"):
    b = np.asarray(acceptability, dtype=float)
    n = b.shape[0]
    objects = tuple(SimpleNamespace(id=f"O{i}", name=name, attributes={}) for i, name in enumerate(names))
    smaa = SimpleNamespace(rank_acceptability=b, samples=100, seed=3,
                           confidence=np.zeros(n) if confidence is None else np.asarray(confidence, dtype=float),
                           central_weights=np.full((n, 2), 0.5) if central is None else np.asarray(central))
    return SimpleNamespace(smaa=smaa, data=SimpleNamespace(objects=objects), score_model=score_model)


def _ranking(report, ranks):
    ranked = sorted(zip(report.data.objects, ranks), key=lambda p: p[1])
    return SimpleNamespace(ranked=tuple(SimpleNamespace(object=o, rank=r, score=0.0) for o, r in ranked))


def test_robust_top_sentence_constructed():
    b = [[0.6, 0.3, 0.1, 0.0], [0.3, 0.3, 0.2, 0.2], [0.1, 0.2, 0.3, 0.4], [0.0, 0.2, 0.4, 0.4]]
    report = _report(b, ["A", "B", "C", "D"])
    ranking = _ranking(report, [1, 2, 3, 4])
    assert dl.robust_top_sentence(report, ranking) == (
        f"Av topp 3 med de valda vikterna är A i topp 3 i 100{NB}% av scenarierna, B i 80{NB}% och C i 60{NB}%.")
    assert dl.robust_top_sentence(report, ranking, k=2) == (
        f"Av topp 2 med de valda vikterna är A i topp 2 i 90{NB}% av scenarierna och B i 60{NB}%.")
    # the ranking shown decides who is "top"; ties bring in more than k
    tied = _ranking(report, [2, 1, 4, 2])
    assert dl.robust_top_sentence(report, tied, k=2) == (
        f"Av topp 2 med de valda vikterna är B i topp 2 i 60{NB}% av scenarierna, A i 90{NB}% och D i 20{NB}%.")
    # with k = 1 (two objects) "topp 1" would read oddly: say "etta"
    assert dl.robust_top_sentence(report, ranking, k=1) == f"Etta med de valda vikterna: A, som är etta i 60{NB}% av scenarierna."
    en = dl.robust_top_sentence(report, ranking, k=1, lang="en")
    assert en == f"First with the chosen weights: A, first in 60{NB}% of the scenarios."
    two = _report([[0.7, 0.3], [0.3, 0.7]], ["A", "B"])
    assert "topp 1" not in dl.robust_top_sentence(two, _ranking(two, [1, 2]))
    single = _report([[1.0]], ["A"])
    assert dl.robust_top_sentence(single, _ranking(single, [1])) is None
    assert dl.fragile_sentence(single, _ranking(single, [1])) is None


def test_fragile_sentence_picks_the_widest_range_and_the_better_rank_on_ties():
    b = [[0.8, 0.2, 0.0, 0.0], [0.2, 0.4, 0.3, 0.1], [0.0, 0.2, 0.5, 0.3], [0.0, 0.2, 0.2, 0.6]]
    report = _report(b, ["A", "B", "C", "D"])
    # ranges: A 1-2 (width 1), B 1-3 (2), C 2-4 (2), D 2-4 (2): B has the best rank of the widest
    assert [dl.rank_range(row) for row in b] == [(1, 2), (1, 3), (2, 4), (2, 4)]
    assert dl.fragile_sentence(report, _ranking(report, [1, 2, 3, 4])) == (
        f"Osäkrast placering: B (rang 2 med de valda vikterna) hamnar mellan rang 1 och 3 i 80{NB}% av scenarierna.")
    # in another ranking C comes before B
    assert dl.fragile_sentence(report, _ranking(report, [1, 3, 2, 4])).startswith("Osäkrast placering: C (rang 2")
    certain = _report(np.eye(3), ["A", "B", "C"])
    assert dl.fragile_sentence(certain, _ranking(certain, [1, 2, 3])) == (
        f"Varje objekt har samma rang i minst 80{NB}% av scenarierna.")


def test_summary_sentences_on_the_example_use_the_engine_figures(example):
    b = example.report.smaa.rank_acceptability
    index = _index(example.report)
    text = dl.robust_top_sentence(example.report, example.ranking)
    for ro in example.ranking.ranked[:3]:
        share = float(b[index[ro.object.id], :3].sum())
        assert f"{ro.object.name} i " in text and dl.share_label(share) in text
    fragile = dl.fragile_sentence(example.report, example.ranking)
    widths = {ro.object.name: np.subtract(*dl.rank_range(b[index[ro.object.id]])[::-1])
              for ro in example.ranking.ranked}
    name = fragile.split("Osäkrast placering: ")[1].split(" (rang")[0]
    assert widths[name] == max(widths.values())


# --- confidence factor and the per-object table ------------------------------------------------------


def test_confidence_sentence_lists_the_most_often_first_with_their_factor():
    b = [[0.2, 0.8, 0.0], [0.7, 0.3, 0.0], [0.0, 0.0, 1.0]]  # C is never first: no central weight
    central = [[0.5, 0.5], [0.4, 0.6], [np.nan, np.nan]]
    report = _report(b, ["A", "B", "C"], confidence=[0.55, 0.91, 0.0], central=central)
    assert dl.confidence_sentence(report).endswith(f": B 91{NB}%, A 55{NB}%.")  # most often first leads
    assert dl.confidence_sentence(report, limit=1).endswith(f": B 91{NB}%.")
    assert dl.confidence_sentence(_report(b, ["A", "B", "C"], central=central, score_model="none")) is None


def test_acceptability_table_on_the_example(example):
    table = dl.acceptability_table(example.report, example.ranking)
    b = example.report.smaa.rank_acceptability
    index = _index(example.report)
    assert list(table["object_id"]) == [ro.object.id for ro in example.ranking.ranked]
    assert {"top_3", "top_5", "top_10", "top_3_label", "confidence_label"} <= set(table.columns)
    for row in table.itertuples():
        i = index[row.object_id]
        assert row.at_rank == pytest.approx(b[i, row.rank - 1])
        assert row.top_5 == pytest.approx(b[i, :5].sum())
        assert (row.range_lo, row.range_hi) == dl.rank_range(b[i])
        assert row.sentence == dl.acceptability_sentence(b[i], row.rank, score_model="raters")
        if np.isnan(example.report.smaa.central_weights[i]).any():
            assert np.isnan(row.confidence) and row.confidence_label == "\u2013"
        else:
            assert row.confidence == pytest.approx(example.report.smaa.confidence[i])
    # cut-offs at or above the number of objects are left out
    small = _report([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], ["A", "B", "C"])
    small_table = dl.acceptability_table(small, _ranking(small, [1, 2, 3]))
    assert "top_3" not in small_table and "top_5" not in small_table
    assert list(small_table["range_label"]) == ["1\u20132", "1\u20132", "3"]


# --- stability ------------------------------------------------------------------------------------------


def _stab(lo, hi, w, top=(0.0, 1.0)):
    return Stability(0, w, top, (None, None), (lo, hi), (None, None), (None, None), (None, None))


def test_stability_sentence_rounds_to_the_nearest_with_one_decimal():
    # one decimal everywhere, to the nearest (not inwards: 10.28 % is not "11 %")
    text = dl.stability_sentence(_stab(0.1028, 0.1525, 0.12), "Regional tillgänglighet")
    assert f"mellan 10,3{NB}% och 15,3{NB}%; nu 12,0{NB}%" in text
    text = dl.stability_sentence(_stab(0.1107, 0.1266, 0.12), "Klimat")
    assert f"mellan 11,1{NB}% och 12,7{NB}%; nu 12,0{NB}%" in text
    # two decimals only where one would make different figures look the same
    text = dl.stability_sentence(_stab(0.11951, 0.1266, 0.1199), "Klimat")
    assert f"mellan 11,95{NB}% och 12,66{NB}%; nu 11,99{NB}%" in text
    assert dl.stability_sentence(_stab(0.0, 0.2, 0.12), "K").endswith(f"högst 20,0{NB}%; nu 12,0{NB}%.")


def _pct(x: float, d: int = 1) -> str:
    """x (a fraction) in percent, rounded half up to d decimals, written the Swedish way."""
    from decimal import ROUND_HALF_UP, Decimal
    q = (Decimal(repr(x)) * 100).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    return f"{q}".replace(".", ",") + f"{NB}%"


def test_stability_frame_on_the_example_uses_the_sentence_figures(example):
    frame = dl.stability_frame(example.report)
    assert list(frame["criterion_id"]) == [c.id for c in example.data.criteria]
    for row, s in zip(frame.itertuples(), example.report.stability):
        assert (row.lo, row.hi) == s.ranking and (row.top_lo, row.top_hi) == s.top
        assert "-" not in row.interval_label + row.top_label  # never "-0 %"
        # every bound to the nearest tenth of a per cent, the same figures in the table and the sentence
        assert row.interval_label == f"{_pct(s.ranking[0])}\u2013{_pct(s.ranking[1])}"
        assert row.weight_label == _pct(s.weight)
        assert row.top_label == f"{_pct(s.top[0])}\u2013{_pct(s.top[1])}"
        for figure in (_pct(s.ranking[0]), _pct(s.ranking[1]), _pct(s.weight)):
            assert figure in row.sentence or s.ranking[0] <= 0 or s.ranking[1] >= 1
    report = SimpleNamespace(data=SimpleNamespace(criteria=(example.data.criteria[0],), values=np.eye(2),
                                                  ratings=np.full((1, 2, 2), 1.0)),
                             weights=np.array([0.6, 0.4]), stability=[_stab(0.1107, 0.1266, 0.12, top=(0.0, 0.77))])
    row = dl.stability_frame(report).iloc[0]
    assert row["interval_label"] == f"11,1{NB}%\u201312,7{NB}%" and row["weight_label"] == f"12,0{NB}%"
    assert row["top_label"] == f"0,0{NB}%\u201377,0{NB}%"


# --- agreement between rankings -----------------------------------------------------------------------


def _ranks(columns: dict[str, list[int]], names=("A", "B", "C", "D")) -> pd.DataFrame:
    rows = []
    for k, (col, ranks) in enumerate(columns.items()):
        for name, r in zip(names, ranks):
            rows.append({"profile": col, "profile_index": k, "object_id": name.lower(), "object": name, "rank": r})
    return pd.DataFrame(rows)


def test_agreement_sentence_constructed():
    same = _ranks({"P": [1, 2, 3, 4], "Q": [1, 2, 3, 4]})
    assert dl.agreement_sentence(same, "profile", "Profilerna") == "Profilerna ger exakt samma rangordning."
    order = _ranks({"P": [1, 2, 3, 4], "Q": [1, 2, 4, 3], "R": [1, 2, 3, 4]})
    text = dl.agreement_sentence(order, "profile", "Profilerna", k=2)
    assert text.startswith("Profilerna är överens om topp 2 i samma ordning: A och B. 2 av 4 objekt har samma rang")
    # least similar pair: P or R against Q, tau-b = (5 - 1)/6
    assert text.endswith("Mest olika är P och Q (Kendalls tau 0,67; 1 betyder samma ordning).")
    swapped = _ranks({"P": [1, 2, 3, 4], "Q": [2, 1, 3, 4]})
    text = dl.agreement_sentence(swapped, "profile", "X", k=2)
    assert text.startswith("X är överens om vilka som är topp 2 (A och B) men inte om ordningen. 2 av 4")
    assert "Kendalls tau mellan P och Q är 0,67" in text
    some = _ranks({"P": [1, 2, 3, 4], "Q": [1, 3, 2, 4]})
    assert dl.agreement_sentence(some, "profile", "X", k=2).startswith("X har inte samma topp 2; i topp 2 hos alla: A.")
    none = _ranks({"P": [1, 2, 3, 4], "Q": [3, 4, 1, 2]})
    assert dl.agreement_sentence(none, "profile", "X", k=2).startswith(
        "X har inte samma topp 2; inget objekt är i topp 2 hos alla. 0 av 4")
    assert dl.agreement_sentence(_ranks({"P": [1, 2, 3, 4]}), "profile", "X") is None
    en = dl.agreement_sentence(order, "profile", "The profiles", k=2, lang="en")
    assert en.startswith("The profiles agree on the top 2 in the same order: A and B. 2 of 4 objects")


def test_agreement_sentence_on_the_example_profiles(example):
    ranks = dl.profile_rank_frame(example.project, dl.profile_weights(example.project), data=example.data)
    text = dl.agreement_sentence(ranks, "profile", "Viktprofilerna")
    wide = ranks.pivot(index="object_id", columns="profile", values="rank")
    same = int((wide.nunique(axis=1) == 1).sum())
    assert f"{same} av {len(wide)} objekt har samma rang överallt." in text
    table = dl.correlation_table(ranks, "profile")
    worst = table.loc[table["kendall"].idxmin()]
    assert f"Mest olika är {worst['a']} och {worst['b']} (Kendalls tau {worst['kendall_label']};" in text


# --- participants' own weights ------------------------------------------------------------------------------


def test_participant_weights_keep_everyone_when_labels_repeat(small_round):
    project = projectfile.parse(small_round)
    spec = WeightSpec("direct", points={"K1": 1, "K2": 1, "K3": 2})
    people = (Participant("p1", "Anna", "Huddinge", spec), Participant("p2", "Bo", "Huddinge", spec),
              Participant("p3", "Tyresö", None, spec), Participant("p4", "Tyresö", None, spec),
              Participant("p5", "Cecilia", "Nacka", None))
    own = dl.participant_weights(dataclasses.replace(project, participants=people))
    assert list(own) == ["Huddinge (Anna)", "Huddinge (Bo)", "Tyresö (p3)", "Tyresö (p4)"]
    assert np.allclose(own["Huddinge (Anna)"], [0.25, 0.25, 0.5])


# --- why the analyses cannot run -------------------------------------------------------------------------


def test_incomplete_reason_names_the_missing_cells(small_round):
    small_round["scores"] = [s for s in small_round["scores"] if not (s["object"] == "O2" and s["criterion"] == "K3")]
    project = projectfile.parse(small_round, require_complete=False)
    with pytest.raises(InputError) as e:
        analysis.decision_data(project)
    [(o, c)] = dl.missing_cells(project)
    assert (o.id, c.id) == ("O2", "K3")
    text = dl.incomplete_reason(project, e.value)
    assert text.startswith("poäng saknas för 1 av 9 kombinationer av objekt och kriterium")
    assert text.endswith(f"till exempel {o.name} \u2013 {c.name}.")
    assert "scores are missing for 1 of 9" in dl.incomplete_reason(project, e.value, "en")


def test_incomplete_reason_without_candidates_and_otherwise(small_round):
    complete = projectfile.parse(small_round)
    assert dl.missing_cells(complete) == []
    assert dl.incomplete_reason(complete, InputError("unknown weight profile 'x'")) == (
        "uppgifterna räcker inte för analysen (unknown weight profile 'x').")
    for o in small_round["objects"]:
        o["status"] = "committed"
    nothing = projectfile.parse(small_round, require_complete=False)
    assert dl.incomplete_reason(nothing, InputError("no candidates")) == (
        "inget objekt har status kandidat, så det finns inget att rangordna.")


def test_bump_chart_for_participants_has_its_own_title_and_axis(example):
    weights = {"Vikter i bruk": example.ranking.weights, "Huddinge": np.full(len(example.data.criteria), 1.0)}
    frame = dl.profile_rank_frame(example.project, weights, data=example.data).rename(
        columns={"profile": "participant", "profile_index": "participant_index"})
    spec = charts.bump_chart(frame, key="participant", title="Rang med deltagarnas egna vikter").to_dict(validate=True)
    assert spec["title"] == "Rang med deltagarnas egna vikter"
    lines = spec["layer"][0]
    assert lines["encoding"]["x"]["field"] == "participant" and lines["encoding"]["x"]["title"] == "Deltagare"
    assert charts.bump_chart(dl.profile_rank_frame(example.project, weights, data=example.data)).to_dict()[
        "title"] == "Rang per viktprofil"  # the default is unchanged


# --- the smallest weight change that matters (A1, A4) ----------------------------------------------------

CHANGE = re.compile(r"(höjs|sänks) från ([\d,]+)\xa0% till ([\d,]+)\xa0% \(([+\u2212])([\d,]+) procentenheter\)")


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_weight_points_change_is_the_difference_of_the_printed_weights():
    # 10.44 % and 21.56 % print as 10,4 % and 21,6 %: a reader computes 11,2, not the true 11,12
    assert dl.weight_points_change(0.1044, 0.2156) == "+11,2 procentenheter"
    assert dl.weight_points_change(0.5, 0.4) == "\u221210,0 procentenheter"
    assert dl.weight_points_change(0.1, 0.2, "en") == "+10.0 percentage points"


def test_change_sentences_add_up_for_raised_and_lowered_weights(example):
    tiers = example.project.tiers
    tier_of = tiers.assign((ro.object.id, ro.rank) for ro in example.ranking.ranked)
    verbs = set()
    for which in dl.CHANGE_EVENTS:
        text = dl.change_sentence(example.report, which, tiers=tiers, tier_of=tier_of)
        verb, now, new, sign, diff = CHANGE.search(text).groups()
        verbs.add(verb)
        assert _num(new) - _num(now) == (_num(diff) if sign == "+" else -_num(diff))
        assert (verb == "höjs") == (sign == "+") == (_num(new) > _num(now))
        change = dl.weight_change(example.report, which, tiers=tiers)
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
    exact = dl.weight_change(report, which, **kw)
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
        return tiers.assign(zip(ids, (int(r) for r in ranks)))

    _check_against_brute_force(report, "any", _untied_pairs_changed)
    _check_against_brute_force(report, "first", lambda b, r: set(np.flatnonzero(b == 1)) != set(np.flatnonzero(r == 1)))
    _check_against_brute_force(report, "top", lambda b, r: set(np.flatnonzero(b <= 3)) != set(np.flatnonzero(r <= 3)),
                               k=3)
    _check_against_brute_force(report, "tier", lambda b, r: tier_map(b) != tier_map(r), tiers=tiers)
    # an object assigned to its tier by hand stays there: the tier change moves on to another pair
    change = dl.weight_change(report, "tier", tiers=tiers)
    base = tier_map(np.asarray([ro.rank for ro in sorted(example.ranking.ranked, key=lambda ro: ids.index(ro.object.id))]))
    pair = (report.data.objects[change.above].id, report.data.objects[change.below].id)
    pinned = dataclasses.replace(tiers, assigned={oid: base[oid] for oid in pair})
    _check_against_brute_force(report, "tier", lambda b, r: pinned.assign(zip(ids, map(int, b))) != pinned.assign(
        zip(ids, map(int, r))), tiers=pinned)
    assert dl.weight_change(report, "tier", tiers=pinned) != change
    assert dl.weight_change(report, "tier") is None and dl.change_sentence(report, "tier") is None


def _project(rows: dict[str, list[float]], *, points=None, tiers=None, names=None):
    """Agreed scores only (no participants): rows are objects, columns criteria on a 1-5 scale."""
    m = len(next(iter(rows.values())))
    data = {"format": "prioritization-project", "version": 1, "name": "Konstruerad",
            "criteria": [{"id": f"K{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5]}
                         for j in range(m)],
            "weights": {"method": "direct", "points": {f"K{j}": (points or [1] * m)[j] for j in range(m)}},
            "objects": [{"id": oid, "name": (names or {}).get(oid, oid)} for oid in rows],
            "participants": [],
            "scores": [{"object": oid, "criterion": f"K{j}", "participant": None, "value": v}
                       for oid, vals in rows.items() for j, v in enumerate(vals)]}
    if tiers:
        data["tiers"] = tiers
    return projectfile.parse(data)


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
        change = dl.weight_change(report, which, tiers=tied.project.tiers, k=2)
        assert change is not None and change.size > 0.01  # never the zero change that splits a tie
        pair = {report.data.objects[change.above].id, report.data.objects[change.below].id}
        assert pair not in ({"A", "B"}, {"C", "D"})
    _check_against_brute_force(report, "any", _untied_pairs_changed)
    # C and D (first) never separate: a change of who is first is someone catching up with them
    _check_against_brute_force(report, "first", lambda b, r: set(np.flatnonzero(b == 1)) != set(np.flatnonzero(r == 1)))
    text = dl.ties_sentence(report)
    assert text.startswith("Objekt som delar rang räknas inte i meningarna om viktändringar")
    assert "C och D (rang 1)" in text and "A och B (rang 3)" in text
    assert text.endswith("C och D har samma värden i alla kriterier och delar alltid rang.")
    # the stability interval is a single point; the sentence gives the interval apart from the ties
    j = 0
    assert report.stability[j].ranking[0] == report.stability[j].ranking[1]
    lo, hi = dl.untied_interval(report, j)
    assert lo < report.weights[j] < hi
    base = np.asarray([ro.rank for ro in sorted(ranking.ranked, key=lambda ro: ro.object.id)])
    ts, ranks = _scan(report, j)
    inside = [t for t, r in zip(ts, ranks) if not _untied_pairs_changed(base, r)]
    assert min(inside) == pytest.approx(lo, abs=1e-4) and max(inside) == pytest.approx(hi, abs=1e-4)
    sentence = dl.stability_frame(report)["sentence"].iloc[j]
    assert sentence.startswith("Några objekt har i dag samma poäng") and "Bortsett från dem" in sentence
    assert f"mellan {_pct(lo)} och {_pct(hi)}" in sentence
    curves = dl.oat_curves(report, j)
    assert curves.band == (lo, hi) and curves.band_untied
    # identical objects always share a rank: they are not "the least certain position"
    fragile = dl.fragile_sentence(report, ranking) or ""
    assert "Osäkrast placering: C " not in fragile and "Osäkrast placering: D " not in fragile
    assert dl.ties_sentence(example_like_without_ties()) is None


def test_two_tied_objects_hold_for_any_weight_apart_from_their_tie():
    report = analysis.sensitivity(_project({"A": [5, 1], "B": [1, 5]}), samples=100, seed=1)
    assert dl.weight_change(report, "any") is None and dl.untied_interval(report, 0) == (0.0, 1.0)
    assert dl.stability_frame(report)["sentence"].iloc[0] == (
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
    top = dl.robust_top_sentence(report, ranking, k=3)
    assert "Samma namn (X1)" in top and "Samma namn (X2)" in top
    table = dl.acceptability_table(report, ranking)
    assert {"Samma namn (X1)", "Samma namn (X2)"} <= set(table["object"])
    change = dl.change_sentence(report, "any")
    assert "Samma namn i" not in change and "Samma namn ikapp" not in change


def test_confidence_is_listed_by_the_value_shown_and_not_blamed_on_agreeing_raters():
    b = [[0.7, 0.3, 0.0], [0.2, 0.7, 0.1], [0.1, 0.0, 0.9]]
    report = _report(b, ["A", "B", "C"], confidence=[0.5, 0.9, 0.3])
    assert dl.confidence_sentence(report).endswith(f": B 90{NB}%, A 50{NB}%, C 30{NB}%.")
    assert "de vikter som typiskt gör det till etta" in dl.confidence_sentence(report)
    assert "mest gynnsamma" not in dl.confidence_sentence(report)
    # raters who agree in every cell: the factor only says who shares the first place
    agree = np.stack([np.full((3, 2), 3.0)] * 2)
    report.data.ratings = agree
    assert dl.confidence_sentence(report) is None
    report.data.ratings = agree.copy()
    report.data.ratings[1, 0, 0] = 4.0
    assert dl.confidence_sentence(report) is not None


def test_varied_sentence_says_when_the_raters_agree():
    project = _project({"A": [5, 1], "B": [1, 5], "C": [3, 3]})
    report = analysis.sensitivity(project, samples=100, seed=1, score_model="raters")
    assert "alla bedömare gav samma poäng i varje cell" in dl.varied_sentence(report)
    # nor do the per-object sentences blame the raters' disagreement
    sentences = dl.acceptability_table(report, analysis.rank(project))["sentence"]
    assert all("av viktscenarierna" in x and "oenighet" not in x for x in sentences)
    order = analysis.sensitivity(project, samples=100, seed=1, weight_model="order")
    assert "i samma ordning som de valda vikterna" in dl.varied_sentence(order)


def test_agreement_sentence_names_repeated_names_apart_and_prints_a_real_minus():
    def two_ids(ranks):
        ranks["object_id"] = ranks["object_id"] + ranks.groupby("profile").cumcount().astype(str)  # two ids, one name
        return ranks

    same_top = two_ids(_ranks({"P": [1, 2, 3, 4], "Q": [2, 1, 3, 4]}, names=("Samma", "Samma", "C", "D")))
    assert "topp 2 (Samma (samma0) och Samma (samma1))" in dl.agreement_sentence(same_top, "profile", "X", k=2)
    ranks = two_ids(_ranks({"P": [1, 2, 3, 4], "Q": [4, 3, 2, 1]}, names=("Samma", "Samma", "C", "D")))
    text = dl.agreement_sentence(ranks, "profile", "X", k=2)
    assert "Kendalls tau mellan P och Q är \u22121,00" in text and "-1,00" not in text
    assert set(dl.correlation_table(ranks, "profile")["kendall_label"]) == {"\u22121,00"}
