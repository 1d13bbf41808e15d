"""Milestones of the political calendar (the ``milestones`` part of the project file, format v1).

A milestone is a band of dates from ``start`` to ``end`` (inclusive) with a *precision* that says
how exact the dates are:

* ``day``: one known day (start = end), e.g. a committee meeting;
* ``month``: known to the month; starts on the 1st and ends on the last day of a month;
* ``season``: known to the season (vår, sommar, höst, vinter, see :mod:`.seasons`); month-aligned
  like ``month`` (e.g. "efter sommaren" = September–October);
* ``range``: an explicit span between any two days.

``kind`` (file key ``type``) is ``internal`` (the own process) or ``external`` (a plan-round anchor
such as the government's decision on the national plan). ``status`` is the stored status (planned,
in_progress, done, late); :meth:`Milestone.effective_status` adds lateness: a milestone that is not
done and whose end has passed is late. ``decision`` marks the committee's decision milestone (at
most one). ``links`` attaches frozen versions (by SHA-256) and scoring phases to a milestone.

:func:`parse` validates the decoded JSON list and reports every problem with its exact path, e.g.
``milestones[3].end: 2023-01-01 is before start 2023-02-01``; :func:`to_data` is its canonical
inverse. Keys not listed here are descriptive attributes, kept as they are.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from prioritization.errors import describe as _describe
from prioritization.timeline.seasons import default_end, is_month_end, is_month_start

DAY, MONTH, SEASON, RANGE = "day", "month", "season", "range"
PRECISIONS = (DAY, MONTH, SEASON, RANGE)
INTERNAL, EXTERNAL = "internal", "external"
KINDS = (INTERNAL, EXTERNAL)
PLANNED, IN_PROGRESS, DONE, LATE = "planned", "in_progress", "done", "late"
STATUSES = (PLANNED, IN_PROGRESS, DONE, LATE)
LINK_KINDS = ("versions", "phases")
CORE_KEYS = ("id", "title_sv", "title_en", "start", "end", "precision", "owner", "type", "depends_on",
             "status", "decision", "note", "source", "links")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class MilestoneLinks:
    """Workshop material attached to a milestone; references are opaque strings.

    ``versions``: frozen versions by the SHA-256 of their project file (what
    :func:`prioritization.storage.versions.freeze` returns), e.g. the version presented at the
    committee meeting. ``phases``: scoring phases (Delphi rounds) of the round, ``"1"`` or ``"2"``.
    """

    versions: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.versions or self.phases)


@dataclass(frozen=True)
class Milestone:
    id: str
    title_sv: str
    start: date
    end: date
    precision: str = DAY
    title_en: str | None = None
    owner: str | None = None
    kind: str = INTERNAL  # file key "type"
    depends_on: tuple[str, ...] = ()
    status: str = PLANNED  # stored status; see effective_status
    decision: bool = False  # the committee's decision milestone
    note: str | None = None
    source: str | None = None
    links: MilestoneLinks = MilestoneLinks()
    attributes: Mapping[str, Any] = field(default_factory=dict)  # other keys of the file, kept as is

    def title(self, lang: str = "sv") -> str:
        """The title in ``lang`` (English falls back to Swedish)."""
        return self.title_en if lang == "en" and self.title_en else self.title_sv

    @property
    def is_internal(self) -> bool:
        return self.kind == INTERNAL

    @property
    def is_done(self) -> bool:
        return self.status == DONE

    def is_late(self, today: date) -> bool:
        """Not done and the end has passed (or stored as late)."""
        return self.status == LATE or (self.status != DONE and self.end < today)

    def effective_status(self, today: date) -> str:
        """The stored status, except that a milestone not done whose end has passed is ``late``."""
        return LATE if self.is_late(today) else self.status

    def replace(self, **changes: Any) -> Milestone:
        return dataclasses.replace(self, **changes)


# ------------------------------------------------------------------------------------------
# reading


def parse_date(v: Any) -> date | None:
    """An ISO date ``YYYY-MM-DD`` (text) as a date, or None if it is not one."""
    if isinstance(v, date):
        return v
    if not isinstance(v, str) or not _ISO_DATE.match(v):
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


class _Check:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def text(self, item: dict, key: str, path: str, *, required: bool = False) -> str | None:
        v = item.get(key)
        if v is None:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return None
        if not isinstance(v, str):
            self.add(f"{path}.{key}", f"expected text, got {_describe(v)}")
            return None
        if required and not v.strip():
            self.add(f"{path}.{key}", "must not be empty")
            return None
        return v

    def choice(self, item: dict, key: str, path: str, allowed: Sequence[str], default: str) -> str | None:
        v = item.get(key, default)
        if not isinstance(v, str) or v not in allowed:
            self.add(f"{path}.{key}", f"expected one of {', '.join(allowed)}, got {_describe(v)}")
            return None
        return v

    def date(self, item: dict, key: str, path: str) -> date | None:
        v = item.get(key)
        d = parse_date(v)
        if d is None:
            what = "is missing" if v is None else f"{_describe(v)} is not a date (expected YYYY-MM-DD)"
            self.add(f"{path}.{key}", what)
        return d

    def id_list(self, v: Any, path: str, what: str) -> tuple[str, ...] | None:
        if not isinstance(v, list):
            self.add(path, f"expected a list of {what}, got {_describe(v)}")
            return None
        out: list[str] = []
        for j, x in enumerate(v):
            if not isinstance(x, str) or not x:
                self.add(f"{path}[{j}]", f"expected a non-empty text, got {_describe(x)}")
            elif x in out:
                self.add(f"{path}[{j}]", f'"{x}" is listed twice')
            else:
                out.append(x)
        return tuple(out)


def _band(c: _Check, item: dict, path: str, precision: str | None) -> tuple[date | None, date | None]:
    start = c.date(item, "start", path)
    if "end" in item and item["end"] is not None:
        end = c.date(item, "end", path)
    elif precision == RANGE:
        c.add(f"{path}.end", 'is missing (a "range" milestone needs an end)')
        end = None
    else:
        end = default_end(start, precision) if start is not None and precision is not None else None
    if start is None or end is None or precision is None:
        return start, end
    if end < start:
        c.add(f"{path}.end", f"{end.isoformat()} is before start {start.isoformat()}")
        return start, None
    if precision == DAY and end != start:
        c.add(f"{path}.end", f'{end.isoformat()}: a "day" milestone ends on its start day {start.isoformat()} '
                             '(use precision "range" for a span)')
        return start, None
    if precision in (MONTH, SEASON):
        if not is_month_start(start):
            c.add(f"{path}.start", f'{start.isoformat()}: a "{precision}" milestone starts on the first day of a month')
            return None, end
        if not is_month_end(end):
            c.add(f"{path}.end", f'{end.isoformat()}: a "{precision}" milestone ends on the last day of a month')
            return start, None
    return start, end


def _finite(c: _Check, v: Any, path: str) -> None:
    """Descriptive attributes may hold any JSON, but no NaN or infinity (JSON has none)."""
    if isinstance(v, float) and not math.isfinite(v):
        c.add(path, f"{v} is not a finite number")
    elif isinstance(v, dict):
        for k, x in v.items():
            _finite(c, x, f"{path}.{k}")
    elif isinstance(v, list):
        for k, x in enumerate(v):
            _finite(c, x, f"{path}[{k}]")


def _links(c: _Check, v: Any, path: str) -> MilestoneLinks | None:
    if v is None:
        return MilestoneLinks()
    if not isinstance(v, dict):
        c.add(path, f"expected an object like {{\"versions\": [...], \"phases\": [...]}}, got {_describe(v)}")
        return None
    ok = True
    for key in v:
        if key not in LINK_KINDS:
            c.add(f"{path}.{key}", f'unknown key "{key}" (allowed: {", ".join(LINK_KINDS)})')
            ok = False
    versions = c.id_list(v.get("versions", []), f"{path}.versions", "version references (SHA-256)")
    phases = c.id_list(v.get("phases", []), f"{path}.phases", "scoring phases")
    if not ok or versions is None or phases is None:
        return None
    return MilestoneLinks(versions, phases)


def _cycles(deps: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Every dependency cycle found by a depth-first search, each as [a, b, ..., a] starting at its
    first id in input order (iterative, so a long chain cannot exhaust the stack)."""
    order = {node: k for k, node in enumerate(deps)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    found: list[list[str]] = []
    seen: set[frozenset] = set()
    for root in deps:
        if root in state:
            continue
        path: list[str] = [root]
        iters = [iter(deps[root])]
        state[root] = 1
        while iters:
            dep = next(iters[-1], None)
            if dep is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            if dep not in deps:
                continue
            if state.get(dep) == 1:
                cycle = path[path.index(dep):]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    k = cycle.index(min(cycle, key=order.__getitem__))
                    found.append(cycle[k:] + cycle[:k] + [cycle[k]])
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                iters.append(iter(deps[dep]))
    return found


def parse(data: Any, path: str = "milestones") -> tuple[tuple[Milestone, ...], list[tuple[str, str]]]:
    """Validate a decoded ``milestones`` list. Returns the milestones (empty if there are problems)
    and every problem as ``(path, message)``."""
    c = _Check()
    if not isinstance(data, list):
        return (), [(path, f"expected a list of milestones, got {_describe(data)}")]
    seen: dict[str, int] = {}
    out: list[Milestone] = []
    dep_paths: list[tuple[str, str, tuple[str, ...]]] = []  # (id, path, depends_on)
    decision_at: int | None = None
    for i, item in enumerate(data):
        p = f"{path}[{i}]"
        if not isinstance(item, dict):
            c.add(p, f"expected an object, got {_describe(item)}")
            continue
        n_before = len(c.problems)
        mid = item.get("id")
        if not isinstance(mid, str) or not mid:
            c.add(f"{p}.id", f"every milestone needs a non-empty text id, got {_describe(mid)}")
            mid = None
        elif mid in seen:
            c.add(f"{p}.id", f'duplicate id "{mid}" (also {path}[{seen[mid]}])')
        else:
            seen[mid] = i
        title_sv = c.text(item, "title_sv", p, required=True)
        title_en = c.text(item, "title_en", p)
        precision = c.choice(item, "precision", p, PRECISIONS, DAY)
        start, end = _band(c, item, p, precision)
        owner = c.text(item, "owner", p)
        kind = c.choice(item, "type", p, KINDS, INTERNAL)
        depends = c.id_list(item.get("depends_on", []), f"{p}.depends_on", "milestone ids")
        status = c.choice(item, "status", p, STATUSES, PLANNED)
        decision = item.get("decision", False)
        if not isinstance(decision, bool):
            c.add(f"{p}.decision", f"expected true or false, got {_describe(decision)}")
        elif decision:
            if decision_at is not None:
                c.add(f"{p}.decision", f"only one milestone can be the decision (also {path}[{decision_at}])")
            else:
                decision_at = i
        note = c.text(item, "note", p)
        source = c.text(item, "source", p)
        links = _links(c, item.get("links"), f"{p}.links")
        attributes = {k: v for k, v in item.items() if k not in CORE_KEYS}
        _finite(c, attributes, p)
        if mid is not None and depends is not None:
            dep_paths.append((mid, f"{p}.depends_on", depends))
        if len(c.problems) == n_before:
            out.append(Milestone(id=mid, title_sv=title_sv, start=start, end=end, precision=precision,
                                 title_en=title_en, owner=owner, kind=kind, depends_on=depends, status=status,
                                 decision=decision, note=note, source=source, links=links, attributes=attributes))
    for mid, p, depends in dep_paths:
        for j, dep in enumerate(depends):
            if dep == mid:
                c.add(f"{p}[{j}]", f'milestone "{mid}" depends on itself')
            elif dep not in seen:
                c.add(f"{p}[{j}]", f'unknown milestone "{dep}"')
    graph = {mid: tuple(d for d in depends if d != mid) for mid, _, depends in dep_paths}
    where = {mid: p for mid, p, _ in dep_paths}
    for cycle in _cycles(graph):
        c.add(where[cycle[0]], "dependency cycle " + " → ".join(cycle))
    if c.problems:
        return (), c.problems
    return tuple(out), []


def problems(data: Any, path: str = "milestones") -> list[tuple[str, str]]:
    """Every problem of a decoded ``milestones`` list as ``(path, message)``; empty when valid."""
    return parse(data, path)[1]


def from_data(data: Any) -> tuple[Milestone, ...]:
    """The milestones of a valid list; raises ``ValueError`` naming the first problem otherwise."""
    found, errs = parse(data)
    if errs:
        raise ValueError("; ".join(f"{p}: {m}" for p, m in errs))
    return found


# ------------------------------------------------------------------------------------------
# writing


def to_dict(m: Milestone) -> dict[str, Any]:
    """One milestone as a format-v1 object, keys in a fixed order (canonical)."""
    d: dict[str, Any] = {"id": m.id, "title_sv": m.title_sv}
    if m.title_en is not None:
        d["title_en"] = m.title_en
    d.update(start=m.start.isoformat(), end=m.end.isoformat(), precision=m.precision)
    if m.owner is not None:
        d["owner"] = m.owner
    d["type"] = m.kind
    d["depends_on"] = list(m.depends_on)
    d["status"] = m.status
    if m.decision:
        d["decision"] = True
    for key in ("note", "source"):
        if getattr(m, key) is not None:
            d[key] = getattr(m, key)
    if m.links:
        d["links"] = {k: list(getattr(m.links, k)) for k in LINK_KINDS if getattr(m.links, k)}
    d.update(m.attributes)
    return d


def to_data(milestones: Iterable[Milestone]) -> list[dict[str, Any]]:
    """The milestones as the format-v1 ``milestones`` list (input order kept)."""
    return [to_dict(m) for m in milestones]


def by_id(milestones: Iterable[Milestone]) -> dict[str, Milestone]:
    return {m.id: m for m in milestones}
