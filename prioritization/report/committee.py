"""What the committee stage says (issue 13), for the dashboard, the exports and the committee pages:
the priority list with local input points, where each municipality's points went, the anchoring
matrix of a draft, and the decided list beside the model's with the reason for every departure.

Pure functions (no Streamlit): a :class:`~prioritization.model.Project` in, frames and plain
sentences out. Texts come back unescaped: a page escapes them for Markdown, an export neutralises
them for a spreadsheet (``prioritization.safe_text``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from prioritization import i18n
from prioritization.committee.model import OPPOSE, STANCES, Committee, Draft
from prioritization.committee.priority import PriorityList
from prioritization.model import Project
from prioritization.report.result_text import object_name

NONE = "–"


def _names(project: Project, lang: str) -> dict[str, str]:
    return {o.id: object_name(o, lang) for o in project.objects}


def municipality_names(committee: Committee) -> dict[str, str]:
    return {m.id: m.name for m in committee.municipalities}


# --- the priority list ---------------------------------------------------------------------------

PRIORITY_COLUMNS = ("rank", "object_id", "object", "priority", "technical_rank", "technical", "local", "points")


def priority_frame(pl: PriorityList, lang: str = "sv") -> pd.DataFrame:
    """One row per candidate in priority order: rank by P, id, name, P, rank by T, T, L, points."""
    return pd.DataFrame([{"rank": r.rank, "object_id": r.object.id, "object": object_name(r.object, lang),
                          "priority": r.priority, "technical_rank": r.technical_rank, "technical": r.technical,
                          "local": r.local, "points": r.points} for r in pl.rows], columns=list(PRIORITY_COLUMNS))


def priority_headers(lang: str = "sv") -> dict[str, str]:
    """The shown heading of each :data:`PRIORITY_COLUMNS` column."""
    return {c: i18n.t(f"committee.col.{c}", lang) for c in PRIORITY_COLUMNS}


def formula_sentence(pl: PriorityList, lang: str = "sv") -> str:
    """How the priority score is made, with this round's numbers."""
    return i18n.t("committee.formula", lang, share=i18n.number(pl.share, lang, 2), n=pl.municipalities, cap=pl.cap,
                  budget=pl.budget)


def share_sentence(pl: PriorityList, names: dict[str, str] | None = None, lang: str = "sv") -> str:
    """One sentence: the nearest share s below and above the current one at which the first place or
    a tier boundary would change, or that no share in [0, 1] changes them."""
    names = names or {r.object.id: object_name(r.object, lang) for r in pl.rows}
    parts = []
    for b in (pl.below, pl.above):
        if b is None:
            continue
        what = (i18n.t("committee.change.first", lang) if b.kind == "first"
                else i18n.t("committee.change.boundary", lang, k=b.through_rank))
        parts.append(i18n.t("committee.change.at", lang, share=i18n.number(b.share, lang, 3), what=what,
                            entering=", ".join(names.get(i, i) for i in b.enters),
                            leaving=", ".join(names.get(i, i) for i in b.leaves)))
    if not parts:
        return i18n.t("committee.change.none", lang, share=i18n.number(pl.share, lang, 2))
    return i18n.t("committee.change.lead", lang, share=i18n.number(pl.share, lang, 2)) + " " + "; ".join(parts) + "."


# --- local input points per municipality ------------------------------------------------------------


def points_frame(project: Project, lang: str = "sv") -> pd.DataFrame:
    """Every allocation: municipality, object, points, rationale (the municipalities' order, then the
    objects' order)."""
    c = project.committee
    names, towns = _names(project, lang), municipality_names(c)
    m_order = {m.id: i for i, m in enumerate(c.municipalities)}
    o_order = {o.id: i for i, o in enumerate(project.objects)}
    rows = sorted(c.allocations, key=lambda a: (m_order.get(a.municipality, 0), o_order.get(a.object, 0)))
    return pd.DataFrame([{"municipality": towns.get(a.municipality, a.municipality),
                          "object": names.get(a.object, a.object), "points": a.points,
                          "rationale": a.rationale or ""} for a in rows],
                        columns=["municipality", "object", "points", "rationale"])


def spent_frame(project: Project) -> pd.DataFrame:
    """Per municipality: points given of the budget, and on how many objects."""
    c = project.committee
    budget = c.points.budget if c.points else 0
    rows = []
    for m in c.municipalities:
        mine = [a for a in c.allocations if a.municipality == m.id]
        rows.append({"municipality": m.name, "points": sum(a.points for a in mine), "budget": budget,
                     "objects": len(mine)})
    return pd.DataFrame(rows, columns=["municipality", "points", "budget", "objects"])


# --- anchoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchoringRow:
    municipality: str  # shown name
    stance: str | None  # one of STANCES, None = no reply
    replied: str  # date, or NONE
    decision: str  # "Kommunstyrelsen 2024-11-04, KS § 123", or NONE
    comment: str
    missing: str  # what is missing, or ""


def anchoring_rows(project: Project, draft: Draft, lang: str = "sv") -> list[AnchoringRow]:
    """The anchoring matrix of ``draft``: one row per member municipality, what it replied and what
    is missing (a reply, or the reference of its own decision)."""
    c = project.committee
    by = {s.municipality: s for s in c.stances if s.version == draft.version}
    names = _names(project, lang)
    rows = []
    for m in c.municipalities:
        s = by.get(m.id)
        if s is None:
            rows.append(AnchoringRow(m.name, None, NONE, NONE, "", i18n.t("committee.anchor.missing_reply", lang)))
            continue
        ref = (NONE if s.decision is None else i18n.t("committee.anchor.ref", lang, body=s.decision.body,
                                                       date=i18n.day(s.decision.date, lang),
                                                       reference=s.decision.reference))
        comments = [s.comment] if s.comment else []
        comments += [f"{names.get(k, k)}: {v}" for k, v in s.object_comments.items()]
        rows.append(AnchoringRow(m.name, s.stance, NONE if s.replied_at is None else i18n.day(s.replied_at, lang),
                                 ref, " · ".join(comments),
                                 "" if s.decision else i18n.t("committee.anchor.missing_ref", lang)))
    return rows


def anchoring_frame(project: Project, draft: Draft, lang: str = "sv") -> pd.DataFrame:
    rows = anchoring_rows(project, draft, lang)
    return pd.DataFrame([{"municipality": r.municipality,
                          "stance": NONE if r.stance is None else i18n.t(f"committee.stance.{r.stance}", lang),
                          "replied": r.replied, "decision": r.decision, "comment": r.comment, "missing": r.missing}
                         for r in rows], columns=["municipality", "stance", "replied", "decision", "comment",
                                                  "missing"])


def anchoring_sentence(project: Project, draft: Draft, lang: str = "sv") -> str:
    """"5 av 8 kommuner har svarat (4 tillstyrker, 1 avstyrker); svar senast 15 nov. 2024."."""
    rows = anchoring_rows(project, draft, lang)
    replied = [r for r in rows if r.stance is not None]
    counts = ", ".join(i18n.t("committee.anchor.count", lang, n=sum(1 for r in replied if r.stance == s),
                              stance=i18n.t(f"committee.stance.{s}", lang).lower())
                       for s in STANCES if any(r.stance == s for r in replied))
    return i18n.t("committee.anchor.summary", lang, n=len(replied), total=len(rows), counts=counts or NONE,
                  version=draft.version_name, reply_by=i18n.day(draft.reply_by, lang))


def opposed(project: Project, draft: Draft) -> list[str]:
    """Names of the municipalities that oppose the draft."""
    towns = municipality_names(project.committee)
    return [towns.get(s.municipality, s.municipality) for s in project.committee.stances
            if s.version == draft.version and s.stance == OPPOSE]


# --- the decision -----------------------------------------------------------------------------------


def with_record(version: Project, sha256: str, now: Committee) -> Project:
    """A frozen version with what the round recorded about it after it was frozen: the drafts of
    it, the municipalities' replies to them and the committee's decision on it (``now``: the round's
    committee as it is now). A version is frozen before it is sent out and decided, so its own file
    never holds these; the decision document of the decided version must."""
    drafts = tuple(d for d in now.drafts if d.version == sha256)
    stances = tuple(x for x in now.stances if x.version == sha256)
    decision = now.decision if now.decision is not None and now.decision.version == sha256 else None
    if not (drafts or stances or decision):
        return version
    c = version.committee
    return dataclasses.replace(version, committee=dataclasses.replace(
        c, drafts=c.drafts + tuple(d for d in drafts if d not in c.drafts),
        stances=c.stances + tuple(x for x in stances if x not in c.stances),
        decision=c.decision or decision))


def movement(model_rank: int, rank: int) -> str:
    """"↑ 2", "↓ 1" or "–" (the decided rank against the model's)."""
    if rank < model_rank:
        return f"↑ {model_rank - rank}"
    if rank > model_rank:
        return f"↓ {rank - model_rank}"
    return NONE


DECIDED_COLUMNS = ("rank", "object_id", "object", "model_rank", "move", "model_tier", "tier", "reason")


def decided_frame(project: Project, lang: str = "sv") -> pd.DataFrame:
    """The decided list in decided order: rank, object, the model's rank, the move, tiers (model →
    decided) and the written reason."""
    d = project.committee.decision
    if d is None:
        return pd.DataFrame(columns=list(DECIDED_COLUMNS))
    names = _names(project, lang)
    rows = sorted(d.order, key=lambda e: (e.rank, e.model_rank))
    return pd.DataFrame([{"rank": e.rank, "object_id": e.object, "object": names.get(e.object, e.object),
                          "model_rank": e.model_rank, "move": movement(e.model_rank, e.rank),
                          "model_tier": e.model_tier or NONE, "tier": e.tier or NONE, "reason": e.reason or ""}
                         for e in rows], columns=list(DECIDED_COLUMNS))


def decided_headers(lang: str = "sv") -> dict[str, str]:
    return {c: i18n.t(f"committee.decided.{c}", lang) for c in DECIDED_COLUMNS}


def decision_sentence(project: Project, lang: str = "sv") -> str | None:
    """"Beslutad av Samarbetskommittén 10 dec. 2024 (Protokoll 2024-12-10 § 5), version ”X”; 2
    avvikelser från modellens lista, var och en motiverad." or None before a decision."""
    d = project.committee.decision
    if d is None:
        return None
    departures = sum(1 for e in d.order if e.reason)
    return i18n.t("committee.decision.sentence", lang, body=d.ref.body, date=i18n.day(d.ref.date, lang),
                  reference=d.ref.reference, version=d.version_name, n=departures)
