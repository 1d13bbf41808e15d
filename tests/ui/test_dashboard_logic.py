"""Data shaping and plain-language sentences of the committee dashboard, on the example data and
on small constructed inputs whose answers can be checked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.engine.sensitivity import Stability
from prioritization.i18n import percent
from prioritization.model import Criterion, InfraObject
from prioritization.ui import dashboard_logic as dl
from tests.conftest import EXAMPLE

NB = "\u00a0"


@pytest.fixture(scope="module")
def example():
    project = projectfile.load(EXAMPLE)
    data = analysis.decision_data(project)
    ranking = analysis.rank(project, data=data)
    report = analysis.sensitivity(project, samples=2000, seed=7)
    return SimpleNamespace(project=project, data=data, ranking=ranking, report=report)


# --- contributions ---------------------------------------------------------------------------------


def test_contributions_sum_to_the_score_and_follow_the_ranking(example):
    frame = dl.contribution_frame(example.ranking, example.data)
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
    assert list(dl.committed_frame(example.ranking)["object_id"]) == ["SOD-01", "SOD-12"]


def test_contribution_frame_needs_the_weighted_sum(example):
    topsis = analysis.rank(example.project, "topsis", data=example.data)
    with pytest.raises(ValueError, match="wsm"):
        dl.contribution_frame(topsis, example.data)


def test_tiers_and_rank_within_tier(example):
    ids = [ro.object.id for ro in example.ranking.ranked]
    tiers = {ids[0]: "A", ids[1]: "B", ids[2]: "A"}
    frame = dl.contribution_frame(example.ranking, example.data, tiers=tiers).drop_duplicates("object_id")
    assert list(frame["tier"][:3]) == ["A", "B", "A"] and frame["tier"].isna().iloc[3]
    assert list(frame["tier_rank"][:3]) == [1, 1, 2] and frame["tier_rank"].isna().iloc[3]
    assert frame["end_label"].iloc[2].endswith("nivå A, plats 2")
    assert dl.tier_ranks([1, 2, 2, 4], ["A", "A", "A", "A"]) == [1, 2, 2, 4]  # competition ranks within the tier


def test_twelve_criteria_in_six_groups_get_tints_of_six_okabe_ito_hues(example):
    colours = dl.criterion_colours(example.data.criteria)
    groups = [c.group for c in example.data.criteria]
    assert len(set(colours)) == 12
    first_of_group = [colours[groups.index(g)] for g in dict.fromkeys(groups)]
    assert len(first_of_group) == 6 and first_of_group == list(dl.OKABE_ITO[:6])  # the first criterion of a group has the pure hue
    assert colours[:3] == ["#0072B2", dl._tint("#0072B2", 0.3), dl._tint("#0072B2", 0.6)]


def test_few_criteria_get_one_okabe_ito_colour_each():
    crit = [Criterion(f"C{k}", f"K{k}", "benefit") for k in range(3)]
    assert dl.criterion_colours(crit) == ["#0072B2", "#E69F00", "#009E73"]
    ungrouped = [Criterion(f"C{k}", f"K{k}", "benefit") for k in range(10)]
    colours = dl.criterion_colours(ungrouped)
    assert colours[:8] == list(dl.OKABE_ITO) and colours[8] == dl._tint(dl.OKABE_ITO[0], 0.6)


def test_tint_mixes_with_white():
    assert dl._tint("#000000", 0.5) == "#808080" and dl._tint("#0072B2", 0.0) == "#0072B2"
    assert dl._tint("#0072B2", 1.0) == "#FFFFFF"


# --- rank acceptability ------------------------------------------------------------------------------


def test_rank_buckets_follow_the_number_of_objects():
    assert [b[2] for b in dl.rank_buckets(13)] == ["1", "2–3", "4–5", "6–10", ">10"]
    assert [(lo, hi) for lo, hi, _ in dl.rank_buckets(13)] == [(1, 1), (2, 3), (4, 5), (6, 10), (11, 13)]
    assert [b[2] for b in dl.rank_buckets(4)] == ["1", "2–3", "4"]
    assert [b[2] for b in dl.rank_buckets(1)] == ["1"]


def test_acceptability_frame_sums_rank_acceptability_per_bucket(example):
    frame = dl.acceptability_frame(example.report, example.ranking)
    b = example.report.smaa.rank_acceptability
    index = {o.id: i for i, o in enumerate(example.data.objects)}
    for ro in example.ranking.ranked:
        rows = frame[frame["object_id"] == ro.object.id]
        i = index[ro.object.id]
        assert np.allclose(rows["share"], [b[i, 0], b[i, 1:3].sum(), b[i, 3:5].sum(), b[i, 5:10].sum(),
                                           b[i, 10:].sum()], atol=1e-15)
        assert abs(rows["share"].sum() - 1) < 1e-9
        assert rows["first_label"].iloc[0] == "Rang 1: " + dl.share_label(b[i, 0])
    assert list(frame["object_id"].unique()) == [ro.object.id for ro in example.ranking.ranked]


def test_acceptability_sentence_constructed():
    b = np.array([0.01, 0.05, 0.82, 0.06, 0.03, 0.02, 0.01, 0, 0, 0, 0, 0])
    assert dl.acceptability_sentence(b, 3) == f"Rang 3 i 82{NB}% av viktscenarierna, topp 5 i 97{NB}%"
    assert dl.acceptability_sentence(b, 3, score_model="raters", lang="en") == (
        f"Rank 3 in 82{NB}% of the scenarios (weights and the raters' disagreement), top 5 in 97{NB}%")
    first = np.array([0.996, 0.004, 0.0, 0.0])
    assert dl.acceptability_sentence(first, 1) == f"Rang 1 i > 99{NB}% av viktscenarierna, topp 3 i 100{NB}%"
    # no "topp k" when no cutoff lies between the rank and the number of objects
    assert dl.acceptability_sentence(np.array([0.5, 0.5]), 2) == f"Rang 2 i 50{NB}% av viktscenarierna"


def test_share_label_never_claims_zero_or_all():
    assert dl.share_label(0.0) == f"0{NB}%" and dl.share_label(1.0) == f"100{NB}%"
    assert dl.share_label(0.003) == f"< 1{NB}%" and dl.share_label(0.997) == f"> 99{NB}%"


# --- stability, critical criterion ---------------------------------------------------------------


def _stab(lo, hi, w):
    return Stability(0, w, (0.0, 1.0), (None, None), (lo, hi), (None, None), (None, None), (None, None))


def test_stability_sentence_constructed():
    assert dl.stability_sentence(_stab(0.08, 0.19, 0.12), "Klimat") == (
        f"Rangordningen håller så länge vikten för Klimat ligger mellan 8,0{NB}% och 19,0{NB}%; nu 12,0{NB}%.")
    assert dl.stability_sentence(_stab(0.08, 0.19, 0.12), "Climate", "en") == (
        f"The ranking holds while the weight of Climate stays between 8.0{NB}% and 19.0{NB}%; now 12.0{NB}%.")
    # to the nearest tenth of a per cent (not inwards to whole per cents: 8.4 % is not "9 %")
    assert f"mellan 8,4{NB}% och 18,6{NB}%" in dl.stability_sentence(_stab(0.084, 0.186, 0.12), "K")
    assert f"mellan 11,6{NB}% och 12,5{NB}%; nu 12,0{NB}%" in dl.stability_sentence(_stab(0.1155, 0.1245, 0.12), "K")
    assert dl.stability_sentence(_stab(0.0, 0.3, 0.1), "K").endswith(f"är högst 30,0{NB}%; nu 10,0{NB}%.")
    assert dl.stability_sentence(_stab(0.05, 1.0, 0.1), "K").endswith(f"är minst 5,0{NB}%; nu 10,0{NB}%.")
    assert dl.stability_sentence(_stab(0.0, 1.0, 0.1), "K") == f"Rangordningen håller för varje vikt för K; nu 10,0{NB}%."
    assert "minsta ändring" in dl.stability_sentence(_stab(0.1, 0.1, 0.1), "K")
    assert "enda kriterium" in dl.stability_sentence(_stab(1.0, 1.0, 1.0), "K")


def test_stability_sentence_on_the_example_is_the_true_interval_to_a_tenth(example):
    crit = example.data.criteria[0]
    st = example.report.stability[0]
    text = dl.stability_sentence(st, crit.name)
    assert text.startswith(f"Rangordningen håller så länge vikten för {crit.name} ligger mellan ")
    lo, hi = st.ranking
    shown = [float(x.split("\u00a0")[0].replace(",", ".")) / 100
             for x in text.split("mellan ")[1].split(";")[0].split(" och ")]
    assert abs(shown[0] - lo) <= 0.0005 + 1e-12 and abs(shown[1] - hi) <= 0.0005 + 1e-12  # rounded to the nearest
    assert text.endswith(f"nu {percent(st.weight, 'sv', 1)}.")


def _two_objects(weights):
    """Bro scores 1 and 0, Väg 0 and 1 (normalised): their lines cross at t = 0.5 for both criteria."""
    data = SimpleNamespace(values=np.array([[1.0, 0.0], [0.0, 1.0]]),
                           objects=(InfraObject("a", "Bro"), InfraObject("b", "Väg")),
                           criteria=(Criterion("K1", "Klimat", "benefit"), Criterion("K2", "Säkerhet", "benefit")))
    return SimpleNamespace(data=data, weights=np.asarray(weights, dtype=float))


def test_critical_sentence_constructed():
    # Bro 0.6, Väg 0.4: lowering Klimat to 50 % (or raising Säkerhet to 50 %) ties them; same size,
    # the lower criterion index wins
    assert dl.critical_sentence(_two_objects([0.6, 0.4])) == (
        f"Två objekt byter plats vid minst viktändring om vikten för Klimat sänks från 60,0{NB}% till 50,0{NB}% "
        f"(\u221210,0 procentenheter): då hinner Väg ikapp Bro.")
    up = dl.critical_sentence(_two_objects([0.45, 0.55]))
    assert f"Klimat höjs från 45,0{NB}% till 50,0{NB}% (+5,0 procentenheter): då hinner Bro ikapp Väg." in up
    assert dl.critical_sentence(_two_objects([0.45, 0.55]), which="top").startswith(
        "Ettan ändras vid minst viktändring om vikten för Klimat höjs")
    # one criterion: nothing can change
    single = SimpleNamespace(data=SimpleNamespace(values=np.array([[1.0], [0.0]]), objects=(), criteria=()),
                             weights=np.array([1.0]))
    assert dl.critical_sentence(single) == "Ingen ändring av en enskild vikt ändrar rangordningen."


def test_critical_sentence_on_the_example_is_the_any_pair_change(example):
    change = dl.weight_change(example.report, "any")
    assert dl.critical_sentence(example.report).startswith(
        f"Två objekt byter plats vid minst viktändring om vikten för {example.data.criteria[change.criterion].name} ")


# --- why it ranks where it does --------------------------------------------------------------------


def test_neighbour_frame_and_why_sentences(example):
    ranked = example.ranking.ranked
    me = ranked[2].object.id
    frame = dl.neighbour_frame(example.ranking, example.data, me)
    assert np.allclose(frame["diff_above"].sum(), ranked[2].score - ranked[1].score, atol=1e-12)
    assert np.allclose(frame["diff_below"].sum(), ranked[2].score - ranked[3].score, atol=1e-12)
    sentences = dl.why_sentences(example.ranking, example.data, me)
    assert len(sentences) == 3 and sentences[0].startswith(f"{ranked[2].object.name} har rang 3 av 13 med ")
    best = frame.loc[frame["diff_above"].idxmax(), "criterion"]
    worst = frame.loc[frame["diff_above"].idxmin(), "criterion"]
    assert sentences[1].startswith(f"Jämfört med {ranked[1].object.name} (rang 2, ")
    assert f"starkare på {best} (+" in sentences[1] and f"svagare på {worst} (\u2212" in sentences[1]
    # the first object has no neighbour above
    assert len(dl.why_sentences(example.ranking, example.data, ranked[0].object.id)) == 2


def test_why_sentence_constructed():
    crit = tuple(Criterion(c, n, "benefit") for c, n in (("K1", "Klimat"), ("K2", "Säkerhet"), ("K3", "Kostnad")))
    objs = (InfraObject("a", "Bro"), InfraObject("b", "Väg"))
    contributions = np.array([[0.30, 0.10, 0.10], [0.10, 0.25, 0.05]])
    ranking = analysis.Ranking("wsm", np.array([0.4, 0.3, 0.3]),
                               (analysis.RankedObject(objs[1], 1, 0.40), analysis.RankedObject(objs[0], 2, 0.50)),
                               (), contributions)
    # (contrived: the display order is given, not recomputed, so the sentence logic is checked alone)
    data = SimpleNamespace(objects=objs, criteria=crit)
    assert dl.why_sentences(ranking, data, "a", top_k=1) == [
        "Bro har rang 2 av 2 med 50,0 poäng av 100.",
        "Jämfört med Väg (rang 1, 40,0 poäng): starkare på Klimat (+20,0); svagare på Säkerhet (\u221215,0)."]
    equal = analysis.Ranking("wsm", np.ones(3) / 3, ranking.ranked, (), np.array([[0.1, 0.1, 0.1]] * 2))
    assert dl.why_sentences(equal, data, "b", lang="en")[1] == (
        "Compared with Bro (rank 2, 50.0 points): the same contribution on every criterion.")


# --- frontier ---------------------------------------------------------------------------------------


def test_efficient_mask_hand_checked():
    cost = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 1.0])
    score = np.array([0.5, 0.7, 0.6, 0.65, 0.9, 0.5])
    # 2 is dominated by 1 (same cost, lower score), 3 by 1 (cheaper, better); 0 and 5 are equal: both kept
    assert dl.efficient_mask(cost, score).tolist() == [True, True, False, False, True, True]


def test_frontier_frame_on_the_example(example):
    frame = dl.frontier_frame(example.ranking)
    assert list(frame["object_id"]) == ["SOD-05", "SOD-02"]  # the two candidates with a cost, by cost
    assert frame["cost"].is_monotonic_increasing
    without = frame.attrs["without_cost"]
    assert len(without) == 11 and frame.attrs["note"].startswith("Saknar kostnad och visas inte: ")
    front = frame[frame["efficient"]]
    # non-dominated: along the frontier a higher cost always buys a higher score
    assert (np.diff(front["cost"]) > 0).all() and (np.diff(front["score"]) > 0).all()
    for _, row in frame[~frame["efficient"]].iterrows():
        assert ((front["cost"] <= row["cost"]) & (front["score"] >= row["score"])).any()


# --- rank correlations -----------------------------------------------------------------------------


def test_average_ranks_share_ties():
    assert dl.average_ranks([10, 20, 20, 30]).tolist() == [1.0, 2.5, 2.5, 4.0]
    assert dl.average_ranks([1, 1, 1]).tolist() == [2.0, 2.0, 2.0]


def test_spearman_and_kendall_hand_checked():
    a = [1, 2, 3, 4, 5]
    assert dl.spearman(a, a) == pytest.approx(1.0, abs=1e-15) and dl.kendall_tau_b(a, a) == 1.0
    assert dl.spearman(a, a[::-1]) == pytest.approx(-1.0) and dl.kendall_tau_b(a, a[::-1]) == -1.0
    b = [1, 3, 2, 4, 5]  # one adjacent swap: rho = 1 - 6*2/(5*24) = 0.9, tau = (9-1)/10 = 0.8
    assert dl.spearman(a, b) == pytest.approx(0.9) and dl.kendall_tau_b(a, b) == pytest.approx(0.8)
    # ties: tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)); here C=5, D=0, one tied pair in y
    assert dl.kendall_tau_b([1, 2, 3, 4], [1, 2, 2, 4]) == pytest.approx(5 / np.sqrt(6 * 5))
    # Spearman with ties is Pearson on the average ranks
    assert dl.spearman([1, 2, 3, 4], [1, 2, 2, 4]) == pytest.approx(np.corrcoef([1, 2, 3, 4], [1, 2.5, 2.5, 4])[0, 1])
    assert np.isnan(dl.spearman(a, [1] * 5)) and np.isnan(dl.kendall_tau_b(a, [1] * 5))


def test_profile_ranks_and_agreement_on_the_example(example):
    profiles = dl.profile_weights(example.project)
    assert next(iter(profiles)) == "Vikter i bruk" and len(profiles) == 6
    frame = dl.profile_rank_frame(example.project, profiles, data=example.data)
    assert len(frame) == 6 * 13
    in_use = frame[frame["profile"] == "Vikter i bruk"]
    assert list(in_use["object_id"]) == [ro.object.id for ro in example.ranking.ranked]
    agreement = dl.agreement_frame(frame, "profile")
    assert len(agreement) == 36
    assert (agreement.loc[agreement["a"] == agreement["b"], "value"] == 1.0).all()
    pivot = agreement.pivot(index="a", columns="b", values="value")
    assert np.allclose(pivot.to_numpy(), pivot.to_numpy().T)  # symmetric
    assert ((agreement["value"] >= -1) & (agreement["value"] <= 1)).all()
    table = dl.correlation_table(frame, "profile")
    assert len(table) == 15 and set(table.columns) >= {"spearman", "kendall"}


def test_method_ranks_on_the_example(example):
    frame = dl.method_rank_frame(example.project, data=example.data)
    assert list(frame["method_id"].unique()) == ["wsm", "topsis", "promethee2"]
    assert list(frame["method"].unique()) == ["Viktad summa", "TOPSIS", "PROMETHEE II"]
    wsm = frame[frame["method_id"] == "wsm"]
    assert (wsm["rank"] == wsm["wsm_rank"]).all()
    for m in analysis.METHODS:
        ranks = {ro.object.id: ro.rank for ro in analysis.rank(example.project, m, data=example.data).ranked}
        rows = frame[frame["method_id"] == m]
        assert dict(zip(rows["object_id"], rows["rank"])) == ranks
    table = dl.correlation_table(frame, "method")
    assert list(zip(table["a"], table["b"])) == [("Viktad summa", "TOPSIS"), ("Viktad summa", "PROMETHEE II"),
                                                 ("TOPSIS", "PROMETHEE II")]


# --- weight curves -------------------------------------------------------------------------------


def test_oat_curves_follow_the_engine_lines(example):
    j = 3
    curves = dl.oat_curves(example.report, j, top_n=4, grid=11)
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


# --- map ---------------------------------------------------------------------------------------------


def test_map_frame_on_the_example(example):
    frame = dl.map_frame(example.ranking, tiers={"SOD-02": "A"})
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
    frame = dl.map_frame(ranking, lang="en")
    assert list(frame["object_id"]) == ["a"] and frame.attrs["without_coordinates"] == ["Väg"]
    assert frame.attrs["note"] == "No coordinates, not shown on the map: Väg"


def test_english_names_are_used_in_english(example):
    frame = dl.contribution_frame(example.ranking, example.data, lang="en")
    assert frame["criterion"].iloc[0] == "Regional accessibility"
    assert frame["object"].iloc[0] == example.ranking.ranked[0].object.attributes["name_en"]
