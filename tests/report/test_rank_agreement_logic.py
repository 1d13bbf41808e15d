"""Rankings compared with each other: rank correlations, profile, participant and method ranks and
the agreement sentence (report.rank_agreement), on the example data and on constructed rankings
whose answers can be checked by hand."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from prioritization import analysis, projectfile
from prioritization.model import Participant, WeightSpec
from prioritization.report import rank_agreement as ra
from prioritization.ui.results import charts_dashboard as charts
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def example():
    project = projectfile.load(EXAMPLE)
    data = analysis.decision_data(project)
    ranking = analysis.rank(project, data=data)
    return SimpleNamespace(project=project, data=data, ranking=ranking)


# --- rank correlations -----------------------------------------------------------------------------


def test_average_ranks_share_ties():
    assert ra.average_ranks([10, 20, 20, 30]).tolist() == [1.0, 2.5, 2.5, 4.0]
    assert ra.average_ranks([1, 1, 1]).tolist() == [2.0, 2.0, 2.0]


def test_spearman_and_kendall_hand_checked():
    a = [1, 2, 3, 4, 5]
    assert ra.spearman(a, a) == pytest.approx(1.0, abs=1e-15) and ra.kendall_tau_b(a, a) == 1.0
    assert ra.spearman(a, a[::-1]) == pytest.approx(-1.0) and ra.kendall_tau_b(a, a[::-1]) == -1.0
    b = [1, 3, 2, 4, 5]  # one adjacent swap: rho = 1 - 6*2/(5*24) = 0.9, tau = (9-1)/10 = 0.8
    assert ra.spearman(a, b) == pytest.approx(0.9) and ra.kendall_tau_b(a, b) == pytest.approx(0.8)
    # ties: tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)); here C=5, D=0, one tied pair in y
    assert ra.kendall_tau_b([1, 2, 3, 4], [1, 2, 2, 4]) == pytest.approx(5 / np.sqrt(6 * 5))
    # Spearman with ties is Pearson on the average ranks
    assert ra.spearman([1, 2, 3, 4], [1, 2, 2, 4]) == pytest.approx(np.corrcoef([1, 2, 3, 4], [1, 2.5, 2.5, 4])[0, 1])
    assert np.isnan(ra.spearman(a, [1] * 5)) and np.isnan(ra.kendall_tau_b(a, [1] * 5))


def test_profile_ranks_and_agreement_on_the_example(example):
    profiles = ra.profile_weights(example.project)
    assert next(iter(profiles)) == "Vikter i bruk" and len(profiles) == 6
    frame = ra.profile_rank_frame(example.project, profiles, data=example.data)
    assert len(frame) == 6 * 13
    in_use = frame[frame["profile"] == "Vikter i bruk"]
    assert list(in_use["object_id"]) == [ro.object.id for ro in example.ranking.ranked]
    agreement = ra.agreement_frame(frame, "profile")
    assert len(agreement) == 36
    assert (agreement.loc[agreement["a"] == agreement["b"], "value"] == 1.0).all()
    pivot = agreement.pivot(index="a", columns="b", values="value")
    assert np.allclose(pivot.to_numpy(), pivot.to_numpy().T)  # symmetric
    assert ((agreement["value"] >= -1) & (agreement["value"] <= 1)).all()
    table = ra.correlation_table(frame, "profile")
    assert len(table) == 15 and set(table.columns) >= {"spearman", "kendall"}


def test_method_ranks_on_the_example(example):
    frame = ra.method_rank_frame(example.project, data=example.data)
    assert list(frame["method_id"].unique()) == ["wsm", "topsis", "promethee2"]
    assert list(frame["method"].unique()) == ["Viktad summa", "TOPSIS", "PROMETHEE II"]
    wsm = frame[frame["method_id"] == "wsm"]
    assert (wsm["rank"] == wsm["wsm_rank"]).all()
    for m in analysis.METHODS:
        ranks = {ro.object.id: ro.rank for ro in analysis.rank(example.project, m, data=example.data).ranked}
        rows = frame[frame["method_id"] == m]
        assert dict(zip(rows["object_id"], rows["rank"], strict=True)) == ranks
    table = ra.correlation_table(frame, "method")
    assert list(zip(table["a"], table["b"], strict=True)) == [("Viktad summa", "TOPSIS"), ("Viktad summa", "PROMETHEE II"),
                                                 ("TOPSIS", "PROMETHEE II")]


# --- agreement between rankings -----------------------------------------------------------------------


def _ranks(columns: dict[str, list[int]], names=("A", "B", "C", "D")) -> pd.DataFrame:
    rows = []
    for k, (col, ranks) in enumerate(columns.items()):
        for name, r in zip(names, ranks, strict=True):
            rows.append({"profile": col, "profile_index": k, "object_id": name.lower(), "object": name, "rank": r})
    return pd.DataFrame(rows)


def test_agreement_sentence_constructed():
    same = _ranks({"P": [1, 2, 3, 4], "Q": [1, 2, 3, 4]})
    assert ra.agreement_sentence(same, "profile", "Profilerna") == "Profilerna ger exakt samma rangordning."
    order = _ranks({"P": [1, 2, 3, 4], "Q": [1, 2, 4, 3], "R": [1, 2, 3, 4]})
    text = ra.agreement_sentence(order, "profile", "Profilerna", k=2)
    assert text.startswith("Profilerna är överens om topp 2 i samma ordning: A och B. 2 av 4 objekt har samma rang")
    # least similar pair: P or R against Q, tau-b = (5 - 1)/6
    assert text.endswith("Mest olika är P och Q (Kendalls tau 0,67; 1 betyder samma ordning).")
    swapped = _ranks({"P": [1, 2, 3, 4], "Q": [2, 1, 3, 4]})
    text = ra.agreement_sentence(swapped, "profile", "X", k=2)
    assert text.startswith("X är överens om vilka som är topp 2 (A och B) men inte om ordningen. 2 av 4")
    assert "Kendalls tau mellan P och Q är 0,67" in text
    some = _ranks({"P": [1, 2, 3, 4], "Q": [1, 3, 2, 4]})
    assert ra.agreement_sentence(some, "profile", "X", k=2).startswith("X har inte samma topp 2; i topp 2 hos alla: A.")
    none = _ranks({"P": [1, 2, 3, 4], "Q": [3, 4, 1, 2]})
    assert ra.agreement_sentence(none, "profile", "X", k=2).startswith(
        "X har inte samma topp 2; inget objekt är i topp 2 hos alla. 0 av 4")
    assert ra.agreement_sentence(_ranks({"P": [1, 2, 3, 4]}), "profile", "X") is None
    en = ra.agreement_sentence(order, "profile", "The profiles", k=2, lang="en")
    assert en.startswith("The profiles agree on the top 2 in the same order: A and B. 2 of 4 objects")


def test_agreement_sentence_on_the_example_profiles(example):
    ranks = ra.profile_rank_frame(example.project, ra.profile_weights(example.project), data=example.data)
    text = ra.agreement_sentence(ranks, "profile", "Viktprofilerna")
    wide = ranks.pivot(index="object_id", columns="profile", values="rank")
    same = int((wide.nunique(axis=1) == 1).sum())
    assert f"{same} av {len(wide)} objekt har samma rang överallt." in text
    table = ra.correlation_table(ranks, "profile")
    worst = table.loc[table["kendall"].idxmin()]
    assert f"Mest olika är {worst['a']} och {worst['b']} (Kendalls tau {worst['kendall_label']};" in text


def test_agreement_sentence_names_repeated_names_apart_and_prints_a_real_minus():
    def two_ids(ranks):
        ranks["object_id"] = ranks["object_id"] + ranks.groupby("profile").cumcount().astype(str)  # two ids, one name
        return ranks

    same_top = two_ids(_ranks({"P": [1, 2, 3, 4], "Q": [2, 1, 3, 4]}, names=("Samma", "Samma", "C", "D")))
    assert "topp 2 (Samma (samma0) och Samma (samma1))" in ra.agreement_sentence(same_top, "profile", "X", k=2)
    ranks = two_ids(_ranks({"P": [1, 2, 3, 4], "Q": [4, 3, 2, 1]}, names=("Samma", "Samma", "C", "D")))
    text = ra.agreement_sentence(ranks, "profile", "X", k=2)
    assert "Kendalls tau mellan P och Q är \u22121,00" in text and "-1,00" not in text
    assert set(ra.correlation_table(ranks, "profile")["kendall_label"]) == {"\u22121,00"}


# --- participants' own weights ------------------------------------------------------------------------------


def test_participant_weights_keep_everyone_when_labels_repeat(small_round):
    project = projectfile.parse(small_round)
    spec = WeightSpec("direct", points={"K1": 1, "K2": 1, "K3": 2})
    people = (Participant("p1", "Anna", "Huddinge", spec), Participant("p2", "Bo", "Huddinge", spec),
              Participant("p3", "Tyresö", None, spec), Participant("p4", "Tyresö", None, spec),
              Participant("p5", "Cecilia", "Nacka", None))
    own = ra.participant_weights(dataclasses.replace(project, participants=people))
    assert list(own) == ["Huddinge (Anna)", "Huddinge (Bo)", "Tyresö (p3)", "Tyresö (p4)"]
    assert np.allclose(own["Huddinge (Anna)"], [0.25, 0.25, 0.5])


def test_bump_chart_for_participants_has_its_own_title_and_axis(example):
    weights = {"Vikter i bruk": example.ranking.weights, "Huddinge": np.full(len(example.data.criteria), 1.0)}
    frame = ra.profile_rank_frame(example.project, weights, data=example.data).rename(
        columns={"profile": "participant", "profile_index": "participant_index"})
    spec = charts.bump_chart(frame, key="participant", title="Rang med deltagarnas egna vikter").to_dict(validate=True)
    assert spec["title"] == "Rang med deltagarnas egna vikter"
    lines = spec["layer"][0]
    assert lines["encoding"]["x"]["field"] == "participant" and lines["encoding"]["x"]["title"] == "Deltagare"
    assert charts.bump_chart(ra.profile_rank_frame(example.project, weights, data=example.data)).to_dict()[
        "title"] == "Rang per viktprofil"  # the default is unchanged
