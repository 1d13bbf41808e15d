"""The facilitator's committee page without Streamlit (issue 13): the checks the page makes before
it calls storage (each a :class:`Problem` with a message key under ``committee_page.problem.``),
which message key tells a storage refusal, the decided-order table (built from the model's list,
read back from the editor's delta), the screening and proposal tables, and safe links.

Texts come back unescaped (names, reasons people typed): the page escapes what reaches Markdown.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from prioritization import i18n, text_rules
from prioritization.committee import decision as decision_rules
from prioritization.committee.model import (
    DEFAULT_CHECKLIST,
    LET_THROUGH,
    PARKED,
    PASSED,
    PLAN_CHANNELS,
    Check,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
)
from prioritization.model import CANDIDATE, Project
from prioritization.model import PARKED as PARKED_STATUS
from prioritization.report.result_text import object_name

NONE = "–"
P = "committee_page"  # the page's message keys

# --- problems found before storage is asked ---------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Bad input the page refuses itself: ``code`` names the message ``committee_page.problem.<code>``."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{P}.problem.{self.code}"


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _too_long(key: str, text: str | None) -> Problem | None:
    if text and (found := text_rules.check(key, text)) is not None:
        return Problem(found[0], found[1])
    return None


def decline_problem(reason: str | None) -> Problem | None:
    """A proposal is declined only with the reason the municipality is given."""
    if _blank(reason):
        return Problem("decline_needs_reason")
    return _too_long("reason", reason)


def points_problem(on: bool, budget: Any, cap: Any, share: Any) -> Problem | None:
    """Local input points: whole budget and cap of at least 1, cap not above the budget, share in [0, 1]."""
    if not on:
        return None
    for name, v in (("budget", budget), ("cap", cap)):
        if not _whole(v) or int(v) < 1:
            return Problem(f"{name}_not_whole", {"value": _shown(v)})
    if int(cap) > int(budget):
        return Problem("cap_over_budget", {"cap": int(cap), "budget": int(budget)})
    if not isinstance(share, int | float) or isinstance(share, bool) or not math.isfinite(share) \
            or not 0 <= share <= 1:
        return Problem("share_out_of_range", {"value": _shown(share)})
    return None


def screening_problem(outcome: str | None, failed: Sequence[str], reason: str | None,
                      checklist: Sequence[Check]) -> Problem | None:
    """Parking an object or letting it through against the checklist needs a reason; letting it
    through names the checks it does not meet; a passed object meets them all."""
    if outcome not in (PASSED, PARKED, LET_THROUGH):
        return Problem("no_outcome")
    known = {c.id for c in checklist}
    if unknown := [f for f in failed if f not in known]:
        return Problem("unknown_check", {"check": unknown[0]})
    if outcome == PARKED and _blank(reason):
        return Problem("park_needs_reason")
    if outcome == LET_THROUGH and _blank(reason):
        return Problem("let_through_needs_reason")
    if outcome == LET_THROUGH and not failed:
        return Problem("let_through_needs_failed")
    if outcome == PASSED and failed:
        return Problem("passed_with_failed", {"n": len(failed)})
    return _too_long("reason", reason)


def draft_problem(version_id: int | None, known: Iterable[int], reply_by: date | None, today: date
                  ) -> Problem | None:
    """A draft is a frozen version of the round with a reply date that has not passed."""
    if version_id is None or version_id not in set(known):
        return Problem("no_version")
    if not isinstance(reply_by, date):
        return Problem("reply_by_missing")
    if reply_by < today:
        return Problem("reply_by_past", {"date": reply_by})
    return None


def decision_ref(body: str | None, when: date | None, reference: str | None, *, required: bool
                 ) -> tuple[DecisionRef | None, Problem | None]:
    """A body's decision from the form's three fields. The committee's decision needs all three
    (the protocol reference first of all); a municipality's own decision is optional, but given
    in part it is refused (all three or none)."""
    body, reference = (body or "").strip(), (reference or "").strip()
    if not required and not body and not reference and when is None:
        return None, None
    if required and not reference:
        return None, Problem("decision_needs_reference")
    if not body:
        return None, Problem("decision_needs_body" if required else "stance_ref_incomplete")
    if not isinstance(when, date):
        return None, Problem("decision_needs_date" if required else "stance_ref_incomplete")
    if not reference:
        return None, Problem("stance_ref_incomplete")
    for key, text in (("name", body), ("name", reference)):
        if (p := _too_long(key, text)) is not None:
            return None, p
    return DecisionRef(body, when, reference), None


def _whole(v: Any) -> bool:
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, str):
        return re.fullmatch(r"[+]?\d+", v.strip()) is not None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return False
    return math.isfinite(f) and f == int(f)


def _shown(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return NONE
    return str(v)


# --- storage refusals: which message ---------------------------------------------------------------

# Storage refusals (prioritization.storage.committee's codes) this page tells in its own words,
# ``committee_page.error.<code>``; a code whose meaning depends on the action ("reason_missing")
# is told by the action's own problem message. Any other code goes to the app's general wording
# (``error.<code>``, prioritization.ui.shell.state.error_text).
OWN_ERRORS = frozenset({
    "not_whole", "bad_points_setting", "bad_share", "points_in_use", "over_cap", "over_budget",
    "window_not_open", "window_closed", "window_already_open", "unknown_milestone", "unknown_municipality",
    "duplicate_municipality", "municipality_in_use", "id_missing", "text_missing", "bad_text",
    "unknown_proposal", "proposal_not_open", "duplicate_check", "check_in_use", "unknown_check", "bad_outcome",
    "not_candidate", "unknown_version", "draft_already_sent", "unknown_draft", "not_out_for_reply", "bad_stance",
    "reference_missing", "body_missing", "bad_date", "already_decided", "not_rankable", "order_incomplete",
    "bad_rank", "unknown_tier", "duplicate_object", "invalid_committee", "reason_missing",
})
# (action, code) -> the problem the page itself would have named
ACTION_ERRORS = {
    ("decline", "reason_missing"): "decline_needs_reason",
    ("screen_parked", "reason_missing"): "park_needs_reason",
    ("screen_let_through", "reason_missing"): "let_through_needs_reason",
    ("decide", "reason_missing"): "override_needs_reason",
    ("decide", "reference_missing"): "decision_needs_reference",
    ("decide", "body_missing"): "decision_needs_body",
}


def error_key(code: str | None, action: str | None = None) -> str | None:
    """The page's message key for a storage refusal ``code`` met while doing ``action``, or None
    for the app's general wording."""
    if action is not None and code is not None and (action, code) in ACTION_ERRORS:
        return f"{P}.problem.{ACTION_ERRORS[action, code]}"
    return f"{P}.error.{code}" if code in OWN_ERRORS else None


def _param(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return "; ".join(": ".join(map(str, x)) if isinstance(x, list | tuple) else str(x) for x in v) \
            if any(isinstance(x, list | tuple) for x in v) else ", ".join(map(str, v))
    return v


def message_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A refusal's parameters as shown: lists joined (ids with commas, ``(place, problem)`` pairs
    with semicolons), the rest as is (the page escapes text for Markdown)."""
    return {k: _param(v) for k, v in params.items()}


# --- municipalities and the checklist as editor rows -------------------------------------------------

TOWN_COLUMNS = ("id", "name")
CHECK_COLUMNS = ("id", "name", "text_en")  # "name" is the Swedish text (the shared editor needs a name)


def town_rows(committee: Committee) -> list[dict[str, Any]]:
    return [{"id": m.id, "name": m.name} for m in committee.municipalities]


def check_rows(checklist: Iterable[Check]) -> list[dict[str, Any]]:
    return [{k: v for k, v in (("id", c.id), ("name", c.text), ("text_en", c.text_en)) if v is not None}
            for c in checklist]


def checks_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Check]:
    return [Check(str(r["id"]), str(r["name"]), r.get("text_en") or None) for r in rows]


def default_checklist() -> list[Check]:
    """The checklist offered when a round has none (committee.model.DEFAULT_CHECKLIST)."""
    return [Check(cid, sv, en) for cid, sv, en in DEFAULT_CHECKLIST]


def check_text(c: Check, lang: str) -> str:
    return c.text_en if lang == "en" and c.text_en else c.text


# --- proposals and wishes -------------------------------------------------------------------------------

SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def safe_links(links: Iterable[str]) -> list[tuple[str, str]]:
    """(label, address) of every link that is a plain web address (http or https with a host); the
    label is the host and the start of the path. Anything else (javascript:, data:, mail) is left out."""
    out = []
    for url in links:
        if not isinstance(url, str) or not SAFE_URL.match(url.strip()):
            continue
        url = url.strip()
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if not parts.hostname:
            continue
        label = parts.hostname + (parts.path if len(parts.path) <= 40 else parts.path[:39] + "…")
        out.append((label.rstrip("/") or parts.hostname, url))
    return out


def channel_label(channel: str | None, lang: str) -> str:
    return i18n.t(f"{P}.channel.{channel if channel in PLAN_CHANNELS else 'unknown'}", lang)


def proposal_frame(committee: Committee, lang: str) -> pd.DataFrame:
    """Every proposal: municipality, name, need, cost (MSEK), plan channel, status, submitted."""
    towns = {m.id: m.name for m in committee.municipalities}
    rows = []
    for p in committee.proposals:
        rows.append({"id": p.id, "municipality": towns.get(p.municipality, p.municipality), "name": p.name,
                     "need": p.need, "cost": p.cost, "channel": channel_label(p.plan_channel, lang),
                     "status": i18n.t(f"{P}.proposal_status.{p.status}", lang),
                     "object": p.object or "",
                     "submitted": i18n.timestamp(p.submitted_at, lang, zone=False) if p.submitted_at else NONE})
    return pd.DataFrame(rows, columns=["id", "municipality", "name", "need", "cost", "channel", "status", "object",
                                       "submitted"])


def wishes_by_object(project: Project, committee: Committee, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(object name, [(municipality name, wish)]) in the objects' order, municipalities' order within."""
    towns = {m.id: m.name for m in committee.municipalities}
    m_order = {m.id: i for i, m in enumerate(committee.municipalities)}
    out = []
    for o in project.objects:
        mine = sorted((w for w in committee.wishes if w.object == o.id), key=lambda w: m_order.get(w.municipality, 0))
        if mine:
            out.append((object_name(o, lang), [(towns.get(w.municipality, w.municipality), w.text) for w in mine]))
    return out


# --- screening ------------------------------------------------------------------------------------------

SCREENING_COLUMNS = ("object_id", "object", "outcome", "failed", "reason")


def screenable(project: Project) -> list[str]:
    """The objects the screening decides about: the candidates and the parked ones (which may be let
    back in); committed, completed and withdrawn objects are not screened."""
    return [o.id for o in project.objects if o.status in (CANDIDATE, PARKED_STATUS)]


def outcome_label(outcome: str | None, lang: str) -> str:
    return i18n.t(f"{P}.outcome.{outcome or 'none'}", lang)


def screening_frame(project: Project, committee: Committee, lang: str, *, parked: bool) -> pd.DataFrame:
    """The screened objects (``parked=False``: the candidates, with their outcome or "not screened";
    ``parked=True``: the parked objects, apart), with the checks they fail and the reason."""
    checks = {c.id: check_text(c, lang) for c in committee.checklist}
    rows = []
    for o in project.objects:
        if o.id not in screenable(project):
            continue
        r = committee.screening_of(o.id)
        is_parked = o.status == PARKED_STATUS or (r is not None and r.outcome == PARKED)
        if is_parked != parked:
            continue
        rows.append({"object_id": o.id, "object": object_name(o, lang),
                     "outcome": outcome_label(r.outcome if r else None, lang),
                     "failed": "; ".join(checks.get(f, f) for f in r.failed) if r else "",
                     "reason": (r.reason or "") if r else ""})
    return pd.DataFrame(rows, columns=list(SCREENING_COLUMNS))


# --- the decided order ------------------------------------------------------------------------------------

DECIDED_EDIT_COLUMNS = ("object_id", "object", "model_rank", "model_tier", "rank", "tier", "reason")
EDITABLE = ("rank", "tier", "reason")


@dataclass(frozen=True)
class ModelRow:
    """An object's place in the model's list of a frozen version."""

    object: str
    model_rank: int
    model_tier: str | None = None


def model_rows(entries: Iterable[Any]) -> list[ModelRow]:
    """The model's list as :class:`ModelRow` from what ``committee.ranking.model_list`` gives
    (objects with ``object``, ``model_rank`` and ``model_tier``, or such tuples)."""
    out = []
    for e in entries:
        if isinstance(e, tuple):
            oid, rank, *rest = e
            out.append(ModelRow(str(oid), int(rank), rest[0] if rest else None))
        else:
            out.append(ModelRow(e.object, int(e.model_rank), getattr(e, "model_tier", None)))
    return sorted(out, key=lambda r: r.model_rank)


def decided_rows(model: Sequence[ModelRow], names: Mapping[str, str], previous: Decision | None = None
                 ) -> list[dict[str, Any]]:
    """The editor's rows: the model's list in its order, each starting at the model's rank and tier
    (or, when this version was decided before, at what was decided)."""
    before = {e.object: e for e in previous.order} if previous is not None else {}
    rows = []
    for m in model:
        e = before.get(m.object)
        rows.append({"object_id": m.object, "object": names.get(m.object, m.object), "model_rank": m.model_rank,
                     "model_tier": m.model_tier, "rank": e.rank if e else m.model_rank,
                     "tier": (e.tier if e else m.model_tier), "reason": (e.reason or "") if e else ""})
    return rows


def decided_editor_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([{k: r.get(k) for k in DECIDED_EDIT_COLUMNS} for r in rows],
                        columns=list(DECIDED_EDIT_COLUMNS))


def apply_decided_delta(rows: Sequence[Mapping[str, Any]], delta: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The rows with the editor's edits applied (positional ``edited_rows``; only the decided rank,
    tier and reason can change: the ids, names and the model's columns are read-only, whatever the
    browser sends; the editor neither adds nor deletes rows)."""
    out = [dict(r) for r in rows]
    for pos, changes in ((delta or {}).get("edited_rows") or {}).items():
        try:
            i = int(pos)
        except (TypeError, ValueError):
            continue
        if 0 <= i < len(out) and isinstance(changes, Mapping):
            out[i].update({k: v for k, v in changes.items() if k in EDITABLE})
    return out


@dataclass(frozen=True)
class RowProblem:
    """A problem in the decided-order table: the row (1-based, as shown), its object and the code
    of ``committee_page.problem.<code>``."""

    row: int
    object: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{P}.problem.{self.code}"


def _cell_text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    text = str(v).strip()
    return text or None


def read_decided(rows: Sequence[Mapping[str, Any]], tiers: Sequence[str]) -> tuple[list[DecidedEntry], list[RowProblem]]:
    """The decided list read from the (edited) rows, and every problem: a decided rank missing or not
    a whole number from 1, a tier missing (when the version has tiers) or one it does not have, a text too long, and each departure from
    the model's list (a move or another tier) without a reason
    (:func:`prioritization.committee.decision.missing_reasons`). Save only when there are none."""
    entries: list[DecidedEntry] = []
    problems: list[RowProblem] = []
    position = {}
    for i, r in enumerate(rows, start=1):
        oid, rank = str(r["object_id"]), r.get("rank")
        position[oid] = (i, r.get("object") or oid)
        if rank is None or (isinstance(rank, float) and math.isnan(rank)) or _cell_text(rank) is None:
            problems.append(RowProblem(i, r.get("object") or oid, "rank_missing"))
            continue
        if not _whole(rank) or int(float(rank)) < 1:
            problems.append(RowProblem(i, r.get("object") or oid, "rank_not_whole", {"value": _shown(rank)}))
            continue
        tier = _cell_text(r.get("tier"))
        if tier is None and tiers:
            problems.append(RowProblem(i, r.get("object") or oid, "tier_missing", {"tiers": ", ".join(tiers)}))
            continue
        if tier is not None and tiers and tier not in tiers:
            problems.append(RowProblem(i, r.get("object") or oid, "unknown_tier",
                                       {"tier": tier, "tiers": ", ".join(tiers)}))
            continue
        reason = _cell_text(r.get("reason"))
        if (p := _too_long("reason", reason)) is not None:
            problems.append(RowProblem(i, r.get("object") or oid, p.code, p.params))
            continue
        entries.append(DecidedEntry(oid, int(r["model_rank"]), int(float(rank)), _cell_text(r.get("model_tier")),
                                    tier, reason))
    entries = placed(entries)
    if not problems:
        for oid in decision_rules.missing_reasons(entries):
            row, name = position[oid]
            problems.append(RowProblem(row, name, "reason_missing"))
    problems.sort(key=lambda p: p.row)
    return entries, problems


def placed(entries: Sequence[DecidedEntry]) -> list[DecidedEntry]:
    """The decided list with ranks 1, 2, 3, … in the order the ranks typed in give: an object given
    rank 3 takes place 3 and the objects from there move down one (of two objects with the same
    typed rank, the one whose rank was changed goes first, then the model's order)."""
    order = sorted(entries, key=lambda e: (e.rank, e.rank == e.model_rank, e.model_rank))
    return [dataclasses.replace(e, rank=k) for k, e in enumerate(order, start=1)]


def needing_reasons(entries: Sequence[DecidedEntry]) -> list[str]:
    """The objects whose decided place departs from the model's (moved or another tier), in decided order."""
    return decision_rules.moves(entries)


def storage_order(entries: Iterable[DecidedEntry]) -> list[tuple[str, int, str | None, str | None]]:
    """The decided order as ``storage.committee.record_decision`` takes it: (object, rank, tier, reason)."""
    return [(e.object, e.rank, e.tier, e.reason) for e in entries]


def tier_labels(project: Project) -> list[str]:
    return [level.label for level in project.tiers.levels] if project.tiers else []


# --- a stance recorded on a municipality's behalf ------------------------------------------------------


def comment_rows(project: Project, lang: str, existing: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per candidate object of the round for the per-object comments of a stance."""
    existing = existing or {}
    return [{"object_id": o.id, "object": object_name(o, lang), "comment": existing.get(o.id, "")}
            for o in project.objects if o.status == CANDIDATE or o.id in existing]


def object_comments(rows: Sequence[Mapping[str, Any]], delta: Mapping[str, Any] | None) -> dict[str, str]:
    """``{object id: comment}`` from the comment rows with the editor's edits (only the comment
    column counts; empty comments are left out)."""
    out = {}
    edited = {}
    for pos, changes in ((delta or {}).get("edited_rows") or {}).items():
        try:
            edited[int(pos)] = changes
        except (TypeError, ValueError):
            continue
    for i, r in enumerate(rows):
        text = r.get("comment")
        if isinstance(edited.get(i), Mapping) and "comment" in edited[i]:
            text = edited[i]["comment"]
        if (text := _cell_text(text)) is not None:
            out[str(r["object_id"])] = text
    return out
