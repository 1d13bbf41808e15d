"""Whether figures shown side by side can be compared (issue 14): costs and NNK values from
different evidence levels, ASEK versions or price levels "kan ikke direkte sammenlignes" (the Danish
rule, research/plan-round-2026.md §1.3 [S N24]; ASEK 7.0 moved the CO2 value from about 1.7 to about
7 SEK/kg and the base price year to 2017 [S N21, N22]).

:func:`mismatches` names, for the objects shown together, every basis on which their figures
differ; pages and exports put the words from :mod:`prioritization.report.planning` next to the
figures. A value nobody stated counts as a value of its own ("not stated"): a known level beside an
unknown one is not known to be comparable either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prioritization.model import InfraObject

COST, NNK = "cost", "nnk"
EVIDENCE, ASEK, PRICE_LEVEL = "evidence", "asek_version", "price_level"
NOT_STATED = ""  # the value of a basis nobody stated


@dataclass(frozen=True)
class Mismatch:
    """Figures of kind ``figure`` (cost or nnk) that differ in ``basis`` (evidence, asek_version or
    price_level): ``groups`` is ((value, object ids), …) in order of first appearance, with
    :data:`NOT_STATED` for objects whose value is not stated."""

    figure: str
    basis: str
    groups: tuple[tuple[str, tuple[str, ...]], ...]


def _bases(o: InfraObject, figure: str) -> dict[str, str]:
    p = o.plan
    if figure == COST:
        return {EVIDENCE: p.evidence or NOT_STATED,
                PRICE_LEVEL: (p.cost.price_level if p.cost else None) or NOT_STATED}
    seb = p.seb
    return {EVIDENCE: p.evidence or NOT_STATED, ASEK: (seb.asek_version if seb else None) or NOT_STATED,
            PRICE_LEVEL: (seb.price_level if seb else None) or NOT_STATED}


def has_figure(o: InfraObject, figure: str) -> bool:
    return o.cost is not None if figure == COST else o.plan.seb is not None and o.plan.seb.nnk is not None


def mismatches(objects: Iterable[InfraObject], figures: tuple[str, ...] = (COST, NNK)) -> list[Mismatch]:
    """Every way the shown objects' costs and NNK values are not comparable (none when they are)."""
    objects = list(objects)
    out: list[Mismatch] = []
    for figure in figures:
        with_figure = [o for o in objects if has_figure(o, figure)]
        if len(with_figure) < 2:
            continue
        for basis in (EVIDENCE, ASEK, PRICE_LEVEL) if figure == NNK else (EVIDENCE, PRICE_LEVEL):
            groups: dict[str, list[str]] = {}
            for o in with_figure:
                groups.setdefault(_bases(o, figure)[basis], []).append(o.id)
            if len(groups) > 1:
                out.append(Mismatch(figure, basis, tuple((k, tuple(v)) for k, v in groups.items())))
    return out


def flagged_objects(found: Iterable[Mismatch]) -> dict[str, set[str]]:
    """``{object id: {figure, …}}`` for the objects whose figure is part of a mismatch: a table marks
    those cells."""
    out: dict[str, set[str]] = {}
    for m in found:
        for _, ids in m.groups:
            for oid in ids:
                out.setdefault(oid, set()).add(m.figure)
    return out
