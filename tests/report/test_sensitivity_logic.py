"""Rank acceptability, weight curves, stability intervals and the plain-language summary of the
sensitivity page (report.sensitivity), on the example data and on constructed inputs whose answers
can be checked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.engine.sensitivity import Stability
from prioritization.i18n import percent
from prioritization.model import InfraObject
from prioritization.report import sensitivity as sl
from tests.report.analysed import analysed_example

NB = "\u00a0"


@pytest.fixture(scope="module")
def example():
    return analysed_example(samples=2000, seed=5)


def _index(report) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(report.data.objects)}


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


# --- what was varied -------------------------------------------------------------------------------


def test_varied_sentence_names_the_models_samples_and_seed(example):
    text = sl.varied_sentence(example.report)
    assert "jämnt över alla möjliga viktfördelningar" in text  # weight model "uniform"
    assert "slumpvis vald bedömare" in text  # score model "raters": the example has individual scores
    assert f"2{NB}000 scenarier" in text and "(5)" in text
    en = sl.varied_sentence(example.report, "en")
    assert "randomly chosen rater" in en and "2,000 scenarios" in en and "(5)" in en


def test_varied_sentence_follows_the_models_and_the_weight_bounds(small_round):
    project = projectfile.parse(small_round)  # K1 has weight bounds
    fixed = analysis.sensitivity(project, samples=10, seed=1, weight_model="fixed", score_model="none")
    text = sl.varied_sentence(fixed)
    assert "hölls fasta vid de valda vikterna" in text and "poängen hölls fasta" in text
    assert "viktgränser" not in text  # fixed weights: the bounds play no part
    uniform = analysis.sensitivity(project, samples=10, seed=1, score_model="uniform")
    text = sl.varied_sentence(uniform)
    assert "inom kriteriernas viktgränser" in text and "osäkerhetsmarginal" in text


def test_varied_sentence_says_when_the_raters_agree():
    project = _project({"A": [5, 1], "B": [1, 5], "C": [3, 3]})
    report = analysis.sensitivity(project, samples=100, seed=1, score_model="raters")
    assert "alla bedömare gav samma poäng i varje cell" in sl.varied_sentence(report)
    # nor do the per-object sentences blame the raters' disagreement
    sentences = sl.acceptability_table(report, analysis.rank(project))["sentence"]
    assert all("av viktscenarierna" in x and "oenighet" not in x for x in sentences)
    order = analysis.sensitivity(project, samples=100, seed=1, weight_model="order")
    assert "i samma ordning som de valda vikterna" in sl.varied_sentence(order)


# --- rank acceptability ------------------------------------------------------------------------------


def test_rank_buckets_follow_the_number_of_objects():
    assert [b[2] for b in sl.rank_buckets(13)] == ["1", "2–3", "4–5", "6–10", ">10"]
    assert [(lo, hi) for lo, hi, _ in sl.rank_buckets(13)] == [(1, 1), (2, 3), (4, 5), (6, 10), (11, 13)]
    assert [b[2] for b in sl.rank_buckets(4)] == ["1", "2–3", "4"]
    assert [b[2] for b in sl.rank_buckets(1)] == ["1"]


def test_acceptability_frame_sums_rank_acceptability_per_bucket(example):
    frame = sl.acceptability_frame(example.report, example.ranking)
    b = example.report.smaa.rank_acceptability
    index = {o.id: i for i, o in enumerate(example.data.objects)}
    for ro in example.ranking.ranked:
        rows = frame[frame["object_id"] == ro.object.id]
        i = index[ro.object.id]
        assert np.allclose(rows["share"], [b[i, 0], b[i, 1:3].sum(), b[i, 3:5].sum(), b[i, 5:10].sum(),
                                           b[i, 10:].sum()], atol=1e-15)
        assert abs(rows["share"].sum() - 1) < 1e-9
        assert rows["first_label"].iloc[0] == "Rang 1: " + sl.share_label(b[i, 0])
    assert list(frame["object_id"].unique()) == [ro.object.id for ro in example.ranking.ranked]


def test_acceptability_sentence_constructed():
    b = np.array([0.01, 0.05, 0.82, 0.06, 0.03, 0.02, 0.01, 0, 0, 0, 0, 0])
    assert sl.acceptability_sentence(b, 3) == f"Rang 3 i 82{NB}% av viktscenarierna, topp 5 i 97{NB}%"
    assert sl.acceptability_sentence(b, 3, score_model="raters", lang="en") == (
        f"Rank 3 in 82{NB}% of the scenarios (weights and the raters' disagreement), top 5 in 97{NB}%")
    first = np.array([0.996, 0.004, 0.0, 0.0])
    assert sl.acceptability_sentence(first, 1) == f"Rang 1 i > 99{NB}% av viktscenarierna, topp 3 i 100{NB}%"
    # no "topp k" when no cutoff lies between the rank and the number of objects
    assert sl.acceptability_sentence(np.array([0.5, 0.5]), 2) == f"Rang 2 i 50{NB}% av viktscenarierna"


def test_share_label_never_claims_zero_or_all():
    assert sl.share_label(0.0) == f"0{NB}%" and sl.share_label(1.0) == f"100{NB}%"
    assert sl.share_label(0.003) == f"< 1{NB}%" and sl.share_label(0.997) == f"> 99{NB}%"


# --- rank ranges, robust top, fragile position -------------------------------------------------------


def test_share_label_treats_float_noise_at_the_ends_as_the_end():
    assert 0.6 + 0.3 + 0.1 < 1.0  # the noise this is about
    assert sl.share_label(0.6 + 0.3 + 0.1) == f"100{NB}%"
    assert sl.share_label(1e-12) == f"0{NB}%"
    assert sl.share_label(0.9999) == f"> 99{NB}%" and sl.share_label(0.0001) == f"< 1{NB}%"


def test_rank_range_hand_checked():
    assert sl.rank_range([1.0, 0.0, 0.0]) == (1, 1)
    assert sl.rank_range([0.05, 0.9, 0.05]) == (2, 2)  # 5 % on either side is within the 10 % tails
    assert sl.rank_range([0.15, 0.7, 0.15]) == (1, 3)
    assert sl.rank_range([0.25, 0.25, 0.25, 0.25]) == (1, 4)
    assert sl.rank_range([0.25, 0.25, 0.25, 0.25], coverage=0.5) == (2, 3)
    assert sl.rank_range([0.1, 0.0, 0.8, 0.1]) == (3, 3)  # exactly 10 % above and below


def _report(acceptability, names, *, confidence=None, central=None, score_model="raters"):
    b = np.asarray(acceptability, dtype=float)
    n = b.shape[0]
    objects = tuple(InfraObject(f"O{i}", name) for i, name in enumerate(names))  # the model: names via label()
    smaa = SimpleNamespace(rank_acceptability=b, samples=100, seed=3,
                           confidence=np.zeros(n) if confidence is None else np.asarray(confidence, dtype=float),
                           central_weights=np.full((n, 2), 0.5) if central is None else np.asarray(central))
    return SimpleNamespace(smaa=smaa, data=SimpleNamespace(objects=objects), score_model=score_model)


def _ranking(report, ranks):
    ranked = sorted(zip(report.data.objects, ranks, strict=True), key=lambda p: p[1])
    return SimpleNamespace(ranked=tuple(SimpleNamespace(object=o, rank=r, score=0.0) for o, r in ranked))


def test_robust_top_sentence_constructed():
    b = [[0.6, 0.3, 0.1, 0.0], [0.3, 0.3, 0.2, 0.2], [0.1, 0.2, 0.3, 0.4], [0.0, 0.2, 0.4, 0.4]]
    report = _report(b, ["A", "B", "C", "D"])
    ranking = _ranking(report, [1, 2, 3, 4])
    assert sl.robust_top_sentence(report, ranking) == (
        f"Av topp 3 med de valda vikterna är A i topp 3 i 100{NB}% av scenarierna, B i 80{NB}% och C i 60{NB}%.")
    assert sl.robust_top_sentence(report, ranking, k=2) == (
        f"Av topp 2 med de valda vikterna är A i topp 2 i 90{NB}% av scenarierna och B i 60{NB}%.")
    # the ranking shown decides who is "top"; ties bring in more than k
    tied = _ranking(report, [2, 1, 4, 2])
    assert sl.robust_top_sentence(report, tied, k=2) == (
        f"Av topp 2 med de valda vikterna är B i topp 2 i 60{NB}% av scenarierna, A i 90{NB}% och D i 20{NB}%.")
    # with k = 1 (two objects) "topp 1" would read oddly: say "etta"
    assert sl.robust_top_sentence(report, ranking, k=1) == f"Etta med de valda vikterna: A, som är etta i 60{NB}% av scenarierna."
    en = sl.robust_top_sentence(report, ranking, k=1, lang="en")
    assert en == f"First with the chosen weights: A, first in 60{NB}% of the scenarios."
    two = _report([[0.7, 0.3], [0.3, 0.7]], ["A", "B"])
    assert "topp 1" not in sl.robust_top_sentence(two, _ranking(two, [1, 2]))
    single = _report([[1.0]], ["A"])
    assert sl.robust_top_sentence(single, _ranking(single, [1])) is None
    assert sl.fragile_sentence(single, _ranking(single, [1])) is None


def test_fragile_sentence_picks_the_widest_range_and_the_better_rank_on_ties():
    b = [[0.8, 0.2, 0.0, 0.0], [0.2, 0.4, 0.3, 0.1], [0.0, 0.2, 0.5, 0.3], [0.0, 0.2, 0.2, 0.6]]
    report = _report(b, ["A", "B", "C", "D"])
    # ranges: A 1-2 (width 1), B 1-3 (2), C 2-4 (2), D 2-4 (2): B has the best rank of the widest
    assert [sl.rank_range(row) for row in b] == [(1, 2), (1, 3), (2, 4), (2, 4)]
    assert sl.fragile_sentence(report, _ranking(report, [1, 2, 3, 4])) == (
        f"Osäkrast placering: B (rang 2 med de valda vikterna) hamnar mellan rang 1 och 3 i 80{NB}% av scenarierna.")
    # in another ranking C comes before B
    assert sl.fragile_sentence(report, _ranking(report, [1, 3, 2, 4])).startswith("Osäkrast placering: C (rang 2")
    certain = _report(np.eye(3), ["A", "B", "C"])
    assert sl.fragile_sentence(certain, _ranking(certain, [1, 2, 3])) == (
        f"Varje objekt har samma rang i minst 80{NB}% av scenarierna.")


def test_summary_sentences_on_the_example_use_the_engine_figures(example):
    b = example.report.smaa.rank_acceptability
    index = _index(example.report)
    text = sl.robust_top_sentence(example.report, example.ranking)
    for ro in example.ranking.ranked[:3]:
        share = float(b[index[ro.object.id], :3].sum())
        assert f"{ro.object.name} i " in text and sl.share_label(share) in text
    fragile = sl.fragile_sentence(example.report, example.ranking)
    widths = {ro.object.name: np.subtract(*sl.rank_range(b[index[ro.object.id]])[::-1])
              for ro in example.ranking.ranked}
    name = fragile.split("Osäkrast placering: ")[1].split(" (rang")[0]
    assert widths[name] == max(widths.values())


# --- confidence factor and the per-object table ------------------------------------------------------


def test_confidence_sentence_lists_the_most_often_first_with_their_factor():
    b = [[0.2, 0.8, 0.0], [0.7, 0.3, 0.0], [0.0, 0.0, 1.0]]  # C is never first: no central weight
    central = [[0.5, 0.5], [0.4, 0.6], [np.nan, np.nan]]
    report = _report(b, ["A", "B", "C"], confidence=[0.55, 0.91, 0.0], central=central)
    assert sl.confidence_sentence(report).endswith(f": B 91{NB}%, A 55{NB}%.")  # most often first leads
    assert sl.confidence_sentence(report, limit=1).endswith(f": B 91{NB}%.")
    assert sl.confidence_sentence(_report(b, ["A", "B", "C"], central=central, score_model="none")) is None


def test_confidence_is_listed_by_the_value_shown_and_not_blamed_on_agreeing_raters():
    b = [[0.7, 0.3, 0.0], [0.2, 0.7, 0.1], [0.1, 0.0, 0.9]]
    report = _report(b, ["A", "B", "C"], confidence=[0.5, 0.9, 0.3])
    assert sl.confidence_sentence(report).endswith(f": B 90{NB}%, A 50{NB}%, C 30{NB}%.")
    assert "de vikter som typiskt gör det till etta" in sl.confidence_sentence(report)
    assert "mest gynnsamma" not in sl.confidence_sentence(report)
    # raters who agree in every cell: the factor only says who shares the first place
    agree = np.stack([np.full((3, 2), 3.0)] * 2)
    report.data.ratings = agree
    assert sl.confidence_sentence(report) is None
    report.data.ratings = agree.copy()
    report.data.ratings[1, 0, 0] = 4.0
    assert sl.confidence_sentence(report) is not None


def test_acceptability_table_on_the_example(example):
    table = sl.acceptability_table(example.report, example.ranking)
    b = example.report.smaa.rank_acceptability
    index = _index(example.report)
    assert list(table["object_id"]) == [ro.object.id for ro in example.ranking.ranked]
    assert {"top_3", "top_5", "top_10", "top_3_label", "confidence_label"} <= set(table.columns)
    for row in table.itertuples():
        i = index[row.object_id]
        assert row.at_rank == pytest.approx(b[i, row.rank - 1])
        assert row.top_5 == pytest.approx(b[i, :5].sum())
        assert (row.range_lo, row.range_hi) == sl.rank_range(b[i])
        assert row.sentence == sl.acceptability_sentence(b[i], row.rank, score_model="raters")
        if np.isnan(example.report.smaa.central_weights[i]).any():
            assert np.isnan(row.confidence) and row.confidence_label == "\u2013"
        else:
            assert row.confidence == pytest.approx(example.report.smaa.confidence[i])
    # cut-offs at or above the number of objects are left out
    small = _report([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]], ["A", "B", "C"])
    small_table = sl.acceptability_table(small, _ranking(small, [1, 2, 3]))
    assert "top_3" not in small_table and "top_5" not in small_table
    assert list(small_table["range_label"]) == ["1\u20132", "1\u20132", "3"]


# --- weight curves -------------------------------------------------------------------------------


def test_oat_curves_follow_the_engine_lines(example):
    j = 3
    curves = sl.oat_curves(example.report, j, top_n=4, grid=11)
    res = example.report.oat[j]
    assert curves.weight == res.weight and curves.band == example.report.stability[j].ranking
    assert curves.criterion == example.data.criteria[j].name
    top_ids = [ro.object.id for ro in example.ranking.ranked[:4]]
    assert list(curves.lines["object_id"].unique()) == top_ids
    index = {o.id: i for i, o in enumerate(example.data.objects)}
    for oid in top_ids:
        rows = curves.lines[curves.lines["object_id"] == oid]
        assert np.allclose(rows["score"], res.scores_at(rows["t"].to_numpy())[:, index[oid]], atol=0)
        assert rows["t"].iloc[0] == 0.0 and rows["t"].iloc[-1] == 1.0 and res.weight in set(rows["t"])
    # every breakpoint shown lies where two of the shown lines meet
    for _, bp in curves.breakpoints.iterrows():
        s = res.scores_at(bp["t"])[[index[i] for i in top_ids]]
        assert np.sum(np.abs(s - bp["score"]) < 1e-9) >= 2


# --- stability ------------------------------------------------------------------------------------------


def _stab(lo, hi, w, top=(0.0, 1.0)):
    return Stability(0, w, top, (None, None), (lo, hi), (None, None), (None, None), (None, None))


def test_stability_sentence_constructed():
    assert sl.stability_sentence(_stab(0.08, 0.19, 0.12), "Klimat") == (
        f"Rangordningen håller så länge vikten för Klimat ligger mellan 8,0{NB}% och 19,0{NB}%; nu 12,0{NB}%.")
    assert sl.stability_sentence(_stab(0.08, 0.19, 0.12), "Climate", "en") == (
        f"The ranking holds while the weight of Climate stays between 8.0{NB}% and 19.0{NB}%; now 12.0{NB}%.")
    # to the nearest tenth of a per cent (not inwards to whole per cents: 8.4 % is not "9 %")
    assert f"mellan 8,4{NB}% och 18,6{NB}%" in sl.stability_sentence(_stab(0.084, 0.186, 0.12), "K")
    assert f"mellan 11,6{NB}% och 12,5{NB}%; nu 12,0{NB}%" in sl.stability_sentence(_stab(0.1155, 0.1245, 0.12), "K")
    assert sl.stability_sentence(_stab(0.0, 0.3, 0.1), "K").endswith(f"är högst 30,0{NB}%; nu 10,0{NB}%.")
    assert sl.stability_sentence(_stab(0.05, 1.0, 0.1), "K").endswith(f"är minst 5,0{NB}%; nu 10,0{NB}%.")
    assert sl.stability_sentence(_stab(0.0, 1.0, 0.1), "K") == f"Rangordningen håller för varje vikt för K; nu 10,0{NB}%."
    assert "minsta ändring" in sl.stability_sentence(_stab(0.1, 0.1, 0.1), "K")
    assert "enda kriterium" in sl.stability_sentence(_stab(1.0, 1.0, 1.0), "K")


def test_stability_sentence_on_the_example_is_the_true_interval_to_a_tenth(example):
    crit = example.data.criteria[0]
    st = example.report.stability[0]
    text = sl.stability_sentence(st, crit.name)
    assert text.startswith(f"Rangordningen håller så länge vikten för {crit.name} ligger mellan ")
    lo, hi = st.ranking
    shown = [float(x.split("\u00a0")[0].replace(",", ".")) / 100
             for x in text.split("mellan ")[1].split(";")[0].split(" och ")]
    assert abs(shown[0] - lo) <= 0.0005 + 1e-12 and abs(shown[1] - hi) <= 0.0005 + 1e-12  # rounded to the nearest
    assert text.endswith(f"nu {percent(st.weight, 'sv', 1)}.")


def test_stability_sentence_rounds_to_the_nearest_with_one_decimal():
    # one decimal everywhere, to the nearest (not inwards: 10.28 % is not "11 %")
    text = sl.stability_sentence(_stab(0.1028, 0.1525, 0.12), "Regional tillgänglighet")
    assert f"mellan 10,3{NB}% och 15,3{NB}%; nu 12,0{NB}%" in text
    text = sl.stability_sentence(_stab(0.1107, 0.1266, 0.12), "Klimat")
    assert f"mellan 11,1{NB}% och 12,7{NB}%; nu 12,0{NB}%" in text
    # two decimals only where one would make different figures look the same
    text = sl.stability_sentence(_stab(0.11951, 0.1266, 0.1199), "Klimat")
    assert f"mellan 11,95{NB}% och 12,66{NB}%; nu 11,99{NB}%" in text
    assert sl.stability_sentence(_stab(0.0, 0.2, 0.12), "K").endswith(f"högst 20,0{NB}%; nu 12,0{NB}%.")


def _pct(x: float, d: int = 1) -> str:
    """x (a fraction) in percent, rounded half up to d decimals, written the Swedish way."""
    from decimal import ROUND_HALF_UP, Decimal
    q = (Decimal(repr(x)) * 100).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    return f"{q}".replace(".", ",") + f"{NB}%"


def test_stability_frame_on_the_example_uses_the_sentence_figures(example):
    frame = sl.stability_frame(example.report)
    assert list(frame["criterion_id"]) == [c.id for c in example.data.criteria]
    for row, s in zip(frame.itertuples(), example.report.stability, strict=True):
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
    row = sl.stability_frame(report).iloc[0]
    assert row["interval_label"] == f"11,1{NB}%\u201312,7{NB}%" and row["weight_label"] == f"12,0{NB}%"
    assert row["top_label"] == f"0,0{NB}%\u201377,0{NB}%"
