"""Pure helpers of the municipal representative's page (issue 13; no Streamlit, no storage calls).

* :func:`error_message` - a storage refusal (``code`` and ``params``) as the page's message key and
  its parameters, objects named by their names;
* the local input points table: :func:`points_frame` (one row per candidate object with the
  municipality's points and rationale), :func:`parse_points` (the edited table back into
  allocations, or every problem found, so the page stores all of it or nothing) and
  :func:`budget_status` (used and left, shown live while editing);
* the other forms: :func:`proposal_fields`, :func:`decision_ref`, :func:`object_comments`;
* :func:`window_state` - not opened, open or closed.

Every problem is a :class:`Problem`: a message key under ``municipal.`` and its parameters; the
page translates and escapes them (names typed by people go into Markdown escaped).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from prioritization import text_rules
from prioritization.committee.model import PLAN_CHANNELS, Allocation, DecisionRef, InputWindow
from prioritization.ui.widgets.cells import is_empty

# the columns of the points table (positional ids: any object id is safe as data)
OBJECT_ID, OBJECT, POINTS, RATIONALE = "object_id", "object", "points", "rationale"
POINTS_COLUMNS = (OBJECT_ID, OBJECT, POINTS, RATIONALE)
MAX_RATIONALE = 500  # "a short rationale": a sentence or two
MODES = ("road", "rail", "rail-freight", "tram", "bus", "cycle", "walk", "node", "P&R", "sea")
NOT_OPENED, OPEN, CLOSED = "not_opened", "open", "closed"


@dataclass(frozen=True)
class Problem:
    """Something the page says instead of storing: ``key`` under ``municipal.`` with ``params``."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


# --- storage refusals ---------------------------------------------------------------------------

# storage.committee's codes this page meets -> its message key (the rest: state.error_text)
ERROR_KEYS = {code: f"municipal.error.{code}" for code in (
    "not_whole", "negative_points", "over_cap", "over_budget", "points_off", "window_not_open", "window_closed",
    "unknown_municipality", "unknown_object", "not_candidate", "duplicate_object", "unknown_proposal",
    "proposal_not_open", "name_missing", "need_missing", "bad_cost", "bad_plan_channel", "bad_link", "bad_text",
    "not_out_for_reply", "bad_stance", "reference_missing", "body_missing", "bad_date", "already_decided",
    "other_municipality", "municipality_only", "invalid_committee", "unknown_field")}


def error_message(code: str | None, params: Mapping[str, Any] | None,
                  object_names: Mapping[str, str] | None = None) -> Problem | None:
    """The page's message for a storage refusal, or None when the page has none of its own (the
    app's general message applies). Object ids in the parameters become names."""
    key = ERROR_KEYS.get(code or "")
    if key is None:
        return None
    names = object_names or {}
    out = {k: v for k, v in dict(params or {}).items() if isinstance(v, str | int | float)}
    if isinstance(oid := out.get("object"), str):
        out["object"] = names.get(oid, oid)
    return Problem(key.removeprefix("municipal."), out)


# --- the window ---------------------------------------------------------------------------------


def window_state(window: InputWindow) -> str:
    """:data:`NOT_OPENED`, :data:`OPEN` or :data:`CLOSED`."""
    if window.is_closed:
        return CLOSED
    return OPEN if window.is_open else NOT_OPENED


# --- local input points -------------------------------------------------------------------------


def points_frame(objects: Iterable[tuple[str, str]], allocations: Iterable[Allocation]) -> pd.DataFrame:
    """One row per candidate object ``(id, shown name)``, in the given order, with the points and
    rationale this municipality gave it (empty when none). Points are floats (Float64), so a typed
    fraction reaches :func:`parse_points` and is refused in words rather than rounded away."""
    given = {a.object: a for a in allocations}
    rows = [{OBJECT_ID: oid, OBJECT: name, POINTS: given[oid].points if oid in given else None,
             RATIONALE: (given[oid].rationale or "") if oid in given else ""} for oid, name in objects]
    frame = pd.DataFrame(rows, columns=list(POINTS_COLUMNS))
    frame[POINTS] = frame[POINTS].astype("Float64")
    frame[RATIONALE] = frame[RATIONALE].astype("string")
    return frame


_empty = is_empty


def _number(value: Any) -> float | None:
    """A cell as a number (text such as "12" or "1,5" too), or None when it is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("\u2212", "-").replace(",", "."))
        except ValueError:
            return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _shown(value: Any) -> str:
    """A typed value as the message repeats it."""
    if isinstance(value, float | int) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value))
    return str(value).strip().replace(".", ",") if _number(value) is not None else str(value).strip()


def apply_edit(frame: pd.DataFrame, delta: Mapping[str, Any] | None) -> pd.DataFrame:
    """The points table as shown (``frame``) with the editor's edits (``st.data_editor`` state:
    ``edited_rows`` by row position) applied to the points and rationale columns; values are kept
    as given (text too), so :func:`parse_points` names whatever is wrong with them."""
    out = frame.copy()
    out[POINTS] = out[POINTS].astype(object)
    out[RATIONALE] = out[RATIONALE].astype(object)
    for pos, changes in ((delta or {}).get("edited_rows") or {}).items():
        try:
            row = int(pos)
        except (TypeError, ValueError):
            continue
        if not 0 <= row < len(out):
            continue
        for column, value in (changes or {}).items():
            if column in (POINTS, RATIONALE):
                out.iat[row, out.columns.get_loc(column)] = value
    return out


@dataclass(frozen=True)
class PointsEdit:
    """The edited points table read back: the allocations to store (when there are no problems),
    the problems, and the whole points given (for the live budget line; invalid cells count 0)."""

    allocations: tuple[Allocation, ...]
    problems: tuple[Problem, ...]
    used: int

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_points(frame: pd.DataFrame, municipality: str, budget: int, cap: int) -> PointsEdit:
    """The edited table (as ``st.data_editor`` returns it) as allocations for ``municipality``.

    A row's points: empty or 0 is none; otherwise a whole number from 1 to ``cap``. Every row is
    read and every problem named (not a number, not whole, negative, over the cap, a rationale
    without points, a rationale too long), then the total against ``budget``. The page stores the
    allocations only when there is no problem (whole or refused)."""
    allocations: list[Allocation] = []
    problems: list[Problem] = []
    used = 0
    for row in frame.to_dict("records"):
        oid, name = str(row[OBJECT_ID]), str(row[OBJECT])
        raw, rationale = row.get(POINTS), row.get(RATIONALE)
        text = None if _empty(rationale) else str(rationale).strip()
        if text is not None and len(text) > MAX_RATIONALE:
            problems.append(Problem("points.too_long", {"object": name, "length": len(text), "limit": MAX_RATIONALE}))
        elif text is not None and (found := text_rules.check("rationale", text)) is not None:
            problems.append(Problem(f"points.{found[0]}", {"object": name, **found[1]}))
        if _empty(raw):
            if text is not None:
                problems.append(Problem("points.rationale_without_points", {"object": name}))
            continue
        number = _number(raw)
        if number is None:
            problems.append(Problem("points.not_a_number", {"object": name, "value": _shown(raw)}))
            continue
        if not number.is_integer():
            problems.append(Problem("points.not_whole", {"object": name, "value": _shown(number)}))
            continue
        points = int(number)
        if points < 0:
            problems.append(Problem("points.negative", {"object": name, "value": points}))
            continue
        if points > cap:
            problems.append(Problem("points.over_cap", {"object": name, "value": points, "cap": cap}))
        used += points
        if points == 0:
            if text is not None:
                problems.append(Problem("points.rationale_without_points", {"object": name}))
            continue
        allocations.append(Allocation(municipality, oid, points, text))
    if used > budget:
        problems.append(Problem("points.over_budget", {"total": used, "budget": budget, "over": used - budget}))
    return PointsEdit(tuple(allocations), tuple(problems), used)


@dataclass(frozen=True)
class Budget:
    used: int
    budget: int

    @property
    def left(self) -> int:
        return self.budget - self.used

    @property
    def over(self) -> int:
        return max(0, self.used - self.budget)

    @property
    def share(self) -> float:
        """For a progress bar: used / budget, at most 1."""
        return min(1.0, self.used / self.budget) if self.budget else 0.0


def budget_status(used: int, budget: int) -> Budget:
    return Budget(used, budget)


def allocations_digest(allocations: Iterable[Allocation]) -> str:
    """Stands for what is stored: the table's key changes with it, so after a save (or a change made
    elsewhere) the table shows what is stored, not an old edit."""
    text = "\x1f".join(f"{a.object}\x1e{a.points}\x1e{a.rationale or ''}"
                        for a in sorted(allocations, key=lambda a: a.object))
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


# --- proposals ----------------------------------------------------------------------------------


def links_from(text: str | None) -> list[str]:
    """One web address a line (blank lines ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def proposal_fields(name: str | None, need: str | None, location: str | None, modes: Sequence[str],
                    cost: float | None, plan_channel: str | None, links: str | None
                    ) -> tuple[dict[str, Any], list[Problem]]:
    """The proposal form as ``storage.committee.propose`` fields, and the problems the page names
    before storing (name and need required, cost from 0, a known plan channel, web addresses).
    Storage checks all of it again."""
    problems: list[Problem] = []
    fields: dict[str, Any] = {}
    for key, value in (("name", name), ("need", need), ("location", location)):
        text = (value or "").strip()
        if text:
            fields[key] = text
            # the name is a name (length and formula rule), the need and location are texts
            if (found := text_rules.check("name" if key == "name" else "description", text)) is not None:
                problems.append(Problem(f"proposal.{key}_{found[0]}", found[1]))
    if "name" not in fields:
        problems.append(Problem("proposal.name_missing"))
    if "need" not in fields:
        problems.append(Problem("proposal.need_missing"))
    if unknown := [m for m in modes if m not in MODES]:
        problems.append(Problem("proposal.bad_mode", {"mode": unknown[0]}))
    elif modes:
        fields["mode"] = "+".join(modes)
    if cost is not None:
        if not math.isfinite(cost) or cost < 0:
            problems.append(Problem("proposal.bad_cost"))
        else:
            fields["cost"] = int(cost) if float(cost).is_integer() else float(cost)
    channel = plan_channel or "unknown"
    if channel not in PLAN_CHANNELS:
        problems.append(Problem("proposal.bad_plan_channel"))
    fields["plan_channel"] = channel
    found_links = links_from(links)
    if bad := [x for x in found_links if not (x.startswith(("http://", "https://")) and " " not in x and len(x) > 8)]:
        problems.append(Problem("proposal.bad_link", {"link": bad[0]}))
    if found_links:
        fields["links"] = found_links
    return fields, problems


# --- the stance ---------------------------------------------------------------------------------


def decision_ref(body: str | None, day: date | None, reference: str | None) -> tuple[DecisionRef | None, Problem | None]:
    """The municipality's own decision: all three parts (body, date, § number) or none of them."""
    body, reference = (body or "").strip(), (reference or "").strip()
    if not body and day is None and not reference:
        return None, None
    missing = [part for part, given in (("body", body), ("date", day is not None), ("reference", reference))
               if not given]
    if missing or day is None:
        return None, Problem("stance.ref_incomplete", {"missing": missing})
    return DecisionRef(body, day, reference), None


def object_comments(texts: Mapping[str, str | None]) -> dict[str, str]:
    """Per object id its comment; empty ones left out."""
    return {oid: text.strip() for oid, text in texts.items() if text and text.strip()}
