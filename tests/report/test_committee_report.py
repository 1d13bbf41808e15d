"""The committee stage in words and tables (report/committee.py, committee/priority.py): the
priority list agrees with the weighted-sum ranking and the formula, the share sentence names the
exact crossing, the anchoring matrix says what is missing, the decided list shows every move."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from prioritization import analysis, projectfile
from prioritization.committee.model import (
    Allocation,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
    Draft,
    LocalPoints,
    Municipality,
    Stance,
)
from prioritization.committee.priority import priority_list
from prioritization.report import committee as view
from tests.conftest import EXAMPLE

SHA = "c" * 64
TOWNS = (Municipality("huddinge", "Huddinge"), Municipality("haninge", "Haninge"))


@pytest.fixture(scope="module")
def base():
    return dataclasses.replace(projectfile.load(EXAMPLE), committee=Committee())


def with_committee(project, **parts):
    return dataclasses.replace(project, committee=Committee(municipalities=TOWNS, **parts))


def test_no_points_no_priority_list(base):
    assert priority_list(base) is None
    assert priority_list(with_committee(base)) is None


def test_the_priority_list_follows_the_formula(base):
    ranking = analysis.rank(base, "wsm")
    last = ranking.ranked[-1].object.id
    p = with_committee(base, points=LocalPoints(100, 40, 0.3),
                       allocations=(Allocation("huddinge", last, 40), Allocation("haninge", last, 40)))
    pl = priority_list(p)
    t = {r.object.id: r.score for r in ranking.ranked}
    assert {r.object.id for r in pl.rows} == set(t)
    for r in pl.rows:
        assert r.technical == pytest.approx(t[r.object.id])
        assert r.local == (1.0 if r.object.id == last else 0.0)  # 80 points / (2 x 40)
        assert r.priority == pytest.approx(0.7 * r.technical + 0.3 * r.local)
    assert pl.row(last).technical_rank == len(pl.rows)
    assert [r.rank for r in pl.rows] == sorted(r.rank for r in pl.rows)
    frame = view.priority_frame(pl)
    assert list(frame["object_id"]) == [r.object.id for r in pl.rows]
    assert "s = 0,30" in view.formula_sentence(pl) and "2 kommuner" in view.formula_sentence(pl)


def test_the_share_sentence_names_the_crossing_of_the_first_place(base):
    ranking = analysis.rank(base, "wsm")
    first, second = ranking.ranked[0], ranking.ranked[1]
    # every point to the second: its line P = T2 + s (1 - T2) meets the leader's P = T1 (1 - s) at
    # s* = (T1 - T2) / ((T1 - T2) + 1)
    p = with_committee(dataclasses.replace(base, tiers=None), points=LocalPoints(100, 40, 0.0),
                       allocations=(Allocation("huddinge", second.object.id, 40),
                                    Allocation("haninge", second.object.id, 40)))
    pl = priority_list(p)  # without tiers only the first place can change
    d = first.score - second.score
    assert pl.below is None
    assert pl.above.kind == "first" and pl.above.share == pytest.approx(d / (d + 1))
    assert pl.above.enters == (second.object.id,) and pl.above.leaves == (first.object.id,)
    sentence = view.share_sentence(pl)
    assert sentence.startswith("Med andelen s = 0,00: vid s = ") and "ändras förstaplatsen" in sentence
    with_tiers = priority_list(with_committee(base, points=LocalPoints(100, 40, 0.0),
                                              allocations=p.committee.allocations))
    assert with_tiers.above.share <= pl.above.share  # a tier boundary may change first, never later


def test_the_anchoring_matrix_says_what_is_missing(base):
    draft = Draft(SHA, "Remissversion", datetime(2024, 10, 1, 8, tzinfo=UTC), date(2024, 11, 15))
    stance = Stance("huddinge", SHA, "oppose", "Nej", {"SOD-02": "Etapp 1"},
                    DecisionRef("Kommunstyrelsen", date(2024, 11, 4), "KS § 123"),
                    datetime(2024, 11, 5, 12, tzinfo=UTC))
    p = with_committee(base, drafts=(draft,), stances=(stance,))
    frame = view.anchoring_frame(p, draft)
    assert list(frame["municipality"]) == ["Huddinge", "Haninge"]
    assert list(frame["stance"]) == ["Avstyrker", "–"]
    assert list(frame["missing"]) == ["", "Svar saknas"]
    assert "KS § 123" in frame["decision"][0] and "Etapp 1" in frame["comment"][0]
    assert view.anchoring_sentence(p, draft).startswith("1 av 2 kommuner har svarat på ”Remissversion” (1 avstyrker)")
    assert view.opposed(p, draft) == ["Huddinge"]


def test_the_decided_list_shows_every_move_and_its_reason(base):
    order = (DecidedEntry("SOD-03", 2, 1, "A", "A", "Bostäder"), DecidedEntry("SOD-02", 1, 2, "A", "A"),
             DecidedEntry("SOD-04", 3, 3, "A", "B", "Finansiering saknas"))
    decision = Decision(SHA, "Remissversion", DecisionRef("Samarbetskommittén", date(2024, 12, 10), "Prot. § 5"),
                        order)
    p = with_committee(base, decision=decision)
    frame = view.decided_frame(p)
    assert list(frame["object_id"]) == ["SOD-03", "SOD-02", "SOD-04"]
    assert list(frame["move"]) == ["↑ 1", "↓ 1", "–"]
    assert list(frame["tier"]) == ["A", "A", "B"] and frame["reason"][0] == "Bostäder"
    sentence = view.decision_sentence(p)
    assert "Samarbetskommittén" in sentence and "Prot. § 5" in sentence and "Avvikelser från modellens lista: 2" in sentence
    assert view.decision_sentence(base) is None


def test_a_frozen_version_carries_what_was_recorded_about_it_since(base):
    draft = Draft(SHA, "Remissversion", datetime(2024, 10, 1, 8, tzinfo=UTC), date(2024, 11, 15))
    other = Draft("d" * 64, "Annan", datetime(2024, 9, 1, 8, tzinfo=UTC), date(2024, 9, 30))
    stance = Stance("huddinge", SHA, "support")
    decision = Decision(SHA, "Remissversion", DecisionRef("Samarbetskommittén", date(2024, 12, 10), "§ 5"),
                        (DecidedEntry("SOD-02", 1, 1),))
    now = Committee(municipalities=TOWNS, drafts=(other, draft), stances=(stance,), decision=decision)
    version = with_committee(base)
    shown = view.with_record(version, SHA, now)
    assert shown.committee.drafts == (draft,) and shown.committee.stances == (stance,)
    assert shown.committee.decision == decision
    assert view.with_record(version, "e" * 64, now) is version  # nothing recorded about another version
