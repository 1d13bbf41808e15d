"""Words for an object's place in the plan process (issue 14), in Swedish or English: the
controlled lists of :mod:`prioritization.planning.vocab`, the comparability warnings of
:mod:`prioritization.planning.comparability` and the re-evaluation changes of
:mod:`prioritization.planning.reevaluation`. The one home of these words for pages and exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prioritization import i18n
from prioritization.planning import vocab
from prioritization.planning.comparability import NOT_STATED, Mismatch
from prioritization.planning.reevaluation import PHASE, Change

LISTS = {"plan": vocab.PLANS, "phase": vocab.PHASES, "stage": vocab.ALL_STAGES, "avs": vocab.AVS_STATUSES,
         "evidence": vocab.EVIDENCE_LEVELS, "method": vocab.COST_METHODS, "financing": vocab.FINANCING_STATUSES,
         "link": vocab.LINK_KINDS, "review": vocab.REVIEW_DECISIONS}


def label(kind: str, value: str | None, lang: str = "sv") -> str:
    """The word for ``value`` of the list ``kind`` (plan, phase, stage, avs, evidence, method,
    financing, link, review); "ej angivet" / "not stated" for no value."""
    if value is None or value == NOT_STATED:
        return i18n.t("planning.not_stated", lang)
    return i18n.t(f"planning.{kind}.{value}", lang)


def options(kind: str, lang: str = "sv") -> dict[str, str]:
    """``{id: word}`` of a controlled list, in its order (for select boxes and templates)."""
    return {v: label(kind, v, lang) for v in LISTS[kind]}


def party_label(party: str, lang: str = "sv") -> str:
    """"Staten", "Huddinge kommun", …"""
    if (name := vocab.party_municipality(party)) is not None:
        return i18n.t("planning.party.municipality", lang, name=name)
    return i18n.t(f"planning.party.{party}", lang)


def _value_text(basis: str, value: str, lang: str) -> str:
    if value == NOT_STATED:
        return i18n.t("planning.not_stated", lang)
    return label("evidence", value, lang) if basis == "evidence" else value


def mismatch_text(m: Mismatch, lang: str = "sv", name: Callable[[str], str] | None = None) -> str:
    """"Kostnaderna kommer från olika underlagsnivåer och kan inte jämföras rakt av: Plan (SOD-01),
    ej angivet (SOD-03, SOD-05)." ``name`` turns an object id into what the reader sees (default:
    the id)."""
    def shown(ids: Iterable[str]) -> str:
        return ", ".join(name(x) if name else x for x in ids)

    groups = "; ".join(i18n.t("planning.mismatch_group", lang, value=_value_text(m.basis, v, lang),
                              objects=shown(ids)) for v, ids in m.groups)
    return i18n.t("planning.mismatch", lang, figure=i18n.t(f"planning.figure.{m.figure}", lang),
                  basis=i18n.t(f"planning.basis.{m.basis}", lang), groups=groups)


def change_text(c: Change, lang: str = "sv") -> str:
    """One re-evaluation trigger in words ("Kostnaden har ändrats från 1 000 till 1 300 MSEK")."""
    kind = {"stage_back": "stage", "cancelled": "stage", "evidence": "evidence", PHASE: "phase"}.get(c.code)
    if kind is None:  # cost: MSEK as numbers in the language's format
        old = "–" if c.old is None else i18n.number(float(c.old), lang, decimals=0)
        new = "–" if c.new is None else i18n.number(float(c.new), lang, decimals=0)
    else:
        old, new = label(kind, c.old, lang), label(kind, c.new, lang)
    return i18n.t(f"planning.change.{c.code}", lang, old=old, new=new, plan=c.plan or "")
