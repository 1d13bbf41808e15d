"""Whether costs and NNK values shown side by side can be compared (issue 14): figures from different
evidence levels, ASEK versions or price levels are named as not comparable, a value nobody stated is
a value of its own, and fewer than two figures are never a mismatch."""

from __future__ import annotations

from prioritization.model import InfraObject
from prioritization.planning.comparability import (
    ASEK,
    COST,
    EVIDENCE,
    NNK,
    NOT_STATED,
    PRICE_LEVEL,
    Mismatch,
    flagged_objects,
    mismatches,
)
from prioritization.planning.model import CostRange, PlanData, Seb


def obj(oid: str, cost: float | None = 1000, evidence: str | None = "plan", price_level: str | None = "2024",
        nnk: float | None = None, asek: str | None = None, seb_price: str | None = None) -> InfraObject:
    seb = None if nnk is None and asek is None else Seb(nnk=nnk, asek_version=asek, price_level=seb_price)
    cost_range = None if price_level is None else CostRange(price_level=price_level)
    return InfraObject(oid, oid, cost, plan=PlanData(evidence=evidence, cost=cost_range, seb=seb))


def test_costs_from_different_evidence_levels_are_flagged_in_groups():
    found = mismatches([obj("A", evidence="plan"), obj("B", evidence="avs"), obj("C", evidence="plan")])
    assert found == [Mismatch(COST, EVIDENCE, (("plan", ("A", "C")), ("avs", ("B",))))]
    assert flagged_objects(found) == {"A": {COST}, "B": {COST}, "C": {COST}}


def test_costs_in_different_price_levels_are_flagged():
    found = mismatches([obj("A", price_level="2017"), obj("B", price_level="2024")], figures=(COST,))
    assert found == [Mismatch(COST, PRICE_LEVEL, (("2017", ("A",)), ("2024", ("B",))))]


def test_nnk_from_different_asek_versions_is_flagged_and_the_cost_is_not():
    a = obj("A", nnk=0.4, asek="ASEK 6.1", seb_price="2017")
    b = obj("B", nnk=-0.2, asek="ASEK 7.0", seb_price="2017")
    assert mismatches([a, b]) == [Mismatch(NNK, ASEK, (("ASEK 6.1", ("A",)), ("ASEK 7.0", ("B",))))]


def test_no_mismatch_when_every_basis_is_equal():
    same = [obj(x, nnk=0.5, asek="ASEK 7.0", seb_price="2017") for x in "ABC"]
    assert mismatches(same) == [] and flagged_objects([]) == {}


def test_fewer_than_two_figures_are_never_a_mismatch():
    assert mismatches([]) == []
    assert mismatches([obj("A", evidence="idea")]) == []
    # only one object has an NNK; two costs without a stated level are alike (both not stated)
    lone = [obj("A", nnk=0.4, asek="ASEK 7.0", evidence=None, price_level=None),
            obj("B", evidence=None, price_level=None)]
    assert mismatches(lone) == []
    # an object without a cost does not take part in the cost comparison
    assert mismatches([obj("A", evidence="plan"), obj("B", cost=None, evidence="idea")]) == []


def test_a_level_nobody_stated_counts_as_a_value_of_its_own():
    found = mismatches([obj("A", evidence="plan"), obj("B", evidence=None), obj("C", evidence=None)],
                       figures=(COST,))
    assert found == [Mismatch(COST, EVIDENCE, (("plan", ("A",)), (NOT_STATED, ("B", "C"))))]
    nnk = mismatches([obj("A", nnk=1.0, asek="ASEK 7.0"), obj("B", nnk=2.0)], figures=(NNK,))
    assert Mismatch(NNK, ASEK, (("ASEK 7.0", ("A",)), (NOT_STATED, ("B",)))) in nnk


def test_every_basis_that_differs_is_named_once_per_figure():
    a = obj("A", evidence="plan", price_level="2017", nnk=0.4, asek="ASEK 6.1", seb_price="2015")
    b = obj("B", evidence="avs", price_level="2024", nnk=0.1, asek="ASEK 7.0", seb_price="2017")
    assert [(m.figure, m.basis) for m in mismatches([a, b])] == [
        (COST, EVIDENCE), (COST, PRICE_LEVEL), (NNK, EVIDENCE), (NNK, ASEK), (NNK, PRICE_LEVEL)]
