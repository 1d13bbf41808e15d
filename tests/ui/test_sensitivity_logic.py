"""Plain-language sentences and tables of the sensitivity page (dashboard_logic), on the example
data and on constructed inputs whose answers can be checked by hand."""

from __future__ import annotations

import dataclasses
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
    en = dl.robust_top_sentence(report, ranking, k=1, lang="en")
    assert en == f"Of the top 1 with the chosen weights, A is in the top 1 in 60{NB}% of the scenarios."
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


def test_stability_sentence_adds_decimals_when_rounding_inwards_would_collapse_the_interval():
    # 11.07 % and 12.66 % round inwards to 12 % and 12 %: one decimal is needed
    text = dl.stability_sentence(_stab(0.1107, 0.1266, 0.12), "Klimat")
    assert f"mellan 11,1{NB}% och 12,6{NB}%; nu 12,0{NB}%" in text


def test_stability_frame_on_the_example_and_constructed(example):
    frame = dl.stability_frame(example.report)
    assert list(frame["criterion_id"]) == [c.id for c in example.data.criteria]
    for row, s in zip(frame.itertuples(), example.report.stability):
        assert (row.lo, row.hi) == s.ranking and (row.top_lo, row.top_hi) == s.top
        assert "-" not in row.interval_label + row.top_label  # never "-0 %"
        lo, hi = (float(x.split(NB)[0].replace(",", ".")) / 100 for x in row.interval_label.split("\u2013"))
        assert s.ranking[0] - 1e-12 <= lo <= hi <= s.ranking[1] + 1e-12  # rounded inwards
    report = SimpleNamespace(data=SimpleNamespace(criteria=(example.data.criteria[0],)),
                             stability=[_stab(0.1107, 0.1266, 0.12, top=(0.0, 0.77))])
    row = dl.stability_frame(report).iloc[0]
    assert row["interval_label"] == f"11,1{NB}%\u201312,6{NB}%" and row["weight_label"] == f"12,0{NB}%"
    assert row["top_label"] == f"0{NB}%\u201377{NB}%"


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
