"""Read and write the portable project file, format version 1 (see ``docs/project-file.md``).

Reading validates everything and reports every problem with the exact place in the file, e.g.
``scores[17].value: 7 is outside the scale 1–5 of criterion C3``. Nothing is silently repaired
[S0.4]. Writing produces UTF-8 JSON with ``ensure_ascii=False``; :func:`dumps` is canonical (same
project, same bytes), so its SHA-256 identifies a version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import math
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from prioritization import text_rules
from prioritization.committee import fileformat as committee_format
from prioritization.committee.model import Committee
from prioritization.engine.normalize import onto_scale
from prioritization.engine.weights import RI_TABLES, validate_ahp_matrix
from prioritization.errors import InputError, ProjectFileError, describe
from prioritization.model import (
    AGGREGATIONS,
    AHP_VARIANTS,
    CANDIDATE,
    OBJECT_STATUSES,
    Criterion,
    InfraObject,
    Participant,
    Project,
    Score,
    WeightProfile,
    WeightSpec,
)
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import EMPTY as NO_PLAN_DATA
from prioritization.planning.model import PlanData
from prioritization.tiers import Tiers
from prioritization.tiers import from_dict as tiers_from_dict
from prioritization.tiers import problems as tier_problems
from prioritization.tiers import to_dict as tiers_to_dict
from prioritization.timeline import follow_up as follow_up_format
from prioritization.timeline import milestones as milestone_format

FORMAT = "prioritization-project"
VERSION = 1
MAX_PROBLEMS = 200
MAX_FILE_BYTES = 50 * 1024 * 1024

TOP_KEYS = {"format", "version", "name", "description", "data_label", "criteria", "weights",
            "weight_profiles", "objects", "tiers", "participants", "scores", "aggregation", "milestones",
            "follow_up", "committee"}
CRITERION_KEYS = {"id", "name", "direction", "scale", "normalization", "group", "description", "guidance",
                  "weight_bounds", "uncertainty", "name_en", "group_en", "description_en"}
WEIGHT_KEYS = {"direct": {"method", "points"}, "swing": {"method", "points"}, "roc": {"method", "ranks"},
               "rank_sum": {"method", "ranks"}, "ahp": {"method", "variant", "matrix", "ri_table"}}
PROFILE_KEYS = {"id", "name", "weights", "description"}
OBJECT_CORE_KEYS = {"id", "name", "cost", "status"}
PARTICIPANT_KEYS = {"id", "name", "organisation", "weights"}
SCORE_KEYS = {"object", "criterion", "participant", "value", "comment"}


class _NonFinite:
    """Stands in for NaN/Infinity in the JSON text so validation can name the place."""

    def __init__(self, token: str):
        self.token = token

    def __repr__(self) -> str:
        return self.token


def _parse_float(token: str) -> float | _NonFinite:
    """Numbers too large for a float (1e999) would become infinity: keep them as a marker."""
    x = float(token)
    return x if math.isfinite(x) else _NonFinite(token)


class _Problems:
    def __init__(self) -> None:
        self.items: list[InputError] = []

    def add(self, path: str, message: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(InputError(message, path))

    def __bool__(self) -> bool:
        return bool(self.items)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _fmt(x: float) -> str:
    return f"{x:g}"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _describe(v: Any) -> str:
    if isinstance(v, _NonFinite):
        return f"{v.token} (not a finite number)"
    return describe(v)


class _Reader:
    """Validates one decoded JSON document and builds a :class:`Project`."""

    def __init__(self, data: Any, require_complete: bool, check_text: bool = True, today: date | None = None):
        self.data = data
        self.today = today  # for "a price level in the future"; None: today in Europe/Stockholm
        self.require_complete = require_complete
        self.check_text = check_text
        self.p = _Problems()

    # -- small typed getters -------------------------------------------------------------
    def number(self, v: Any, path: str, *, minimum: float | None = None, allow_none: bool = False) -> float | None:
        if v is None and allow_none:
            return None
        if isinstance(v, _NonFinite):
            self.p.add(path, f"{v.token} is not a finite number")
            return None
        if not _is_number(v):
            self.p.add(path, f"expected a number, got {_describe(v)}")
            return None
        x = float(v)
        if not math.isfinite(x):
            self.p.add(path, f"{_fmt(x)} is not a finite number")
            return None
        if minimum is not None and x < minimum:
            self.p.add(path, f"{_fmt(x)} must not be less than {_fmt(minimum)}")
            return None
        return x

    def pair(self, v: Any, path: str, expected: str) -> tuple[float, float] | None:
        """Two numbers [lo, hi] (order not checked here), or None when absent/null or invalid."""
        if v is None:
            return None
        if not (isinstance(v, list) and len(v) == 2):
            self.p.add(path, f"expected {expected}, got {_describe(v)}")
            return None
        lo = self.number(v[0], f"{path}[0]")
        hi = self.number(v[1], f"{path}[1]")
        return None if lo is None or hi is None else (lo, hi)

    def text(self, obj: dict, key: str, path: str, *, required: bool = False) -> str | None:
        if key not in obj or obj[key] is None:
            if required:
                if path:
                    self.p.add(path, f'"{key}" is missing')
                else:
                    self.p.add(key, "is missing")
            return None
        v = obj[key]
        if not isinstance(v, str):
            self.p.add(_join(path, key), f"expected text, got {_describe(v)}")
            return None
        if required and v.strip() == "":
            self.p.add(_join(path, key), "must not be empty")
            return None
        return v

    def unknown_keys(self, obj: dict, allowed: set[str], path: str) -> None:
        for k in obj:
            if k not in allowed:
                self.p.add(f"{path}.{k}" if path else k,
                           f'unknown key "{k}" (allowed: {", ".join(sorted(allowed))})')

    def list_of_objects(self, key: str, *, required: bool) -> list[tuple[int, dict]]:
        if key not in self.data:
            if required:
                self.p.add(key, "is missing")
            return []
        v = self.data[key]
        if not isinstance(v, list):
            self.p.add(key, f"expected a list, got {_describe(v)}")
            return []
        out = []
        for i, item in enumerate(v):
            if not isinstance(item, dict):
                self.p.add(f"{key}[{i}]", f"expected an object, got {_describe(item)}")
            else:
                out.append((i, item))
        return out

    def ids(self, items: list[tuple[int, dict]], key: str, what: str) -> dict[str, int]:
        seen: dict[str, int] = {}
        for i, item in items:
            v = item.get("id")
            if not isinstance(v, str) or v == "":
                self.p.add(f"{key}[{i}].id", f"every {what} needs a non-empty text id, got {_describe(v)}")
                continue
            if v in seen:
                self.p.add(f"{key}[{i}].id", f'duplicate id "{v}" (also {key}[{seen[v]}])')
                continue
            seen[v] = i
        return seen

    # -- sections ------------------------------------------------------------------------
    def header(self) -> str | None:
        d = self.data
        if d.get("format") != FORMAT:
            self.p.add("format", f'expected "{FORMAT}", got {_describe(d.get("format"))}')
        v = d.get("version")
        if not (isinstance(v, int) and not isinstance(v, bool)):
            self.p.add("version", f"expected the whole number {VERSION}, got {_describe(v)}")
        elif v != VERSION:
            self.p.add("version", f"unsupported format version {v} (this tool reads version {VERSION})")
        self.unknown_keys(d, TOP_KEYS, "")
        return self.text(d, "name", "", required=True)

    def criteria(self) -> list[Criterion]:
        items = self.list_of_objects("criteria", required=True)
        if "criteria" in self.data and isinstance(self.data["criteria"], list) and not self.data["criteria"]:
            self.p.add("criteria", "there must be at least one criterion")
        self.ids(items, "criteria", "criterion")
        out: list[Criterion] = []
        for i, c in items:
            path = f"criteria[{i}]"
            self.unknown_keys(c, CRITERION_KEYS, path)
            cid = c.get("id") if isinstance(c.get("id"), str) else f"#{i}"
            name = self.text(c, "name", path, required=True)
            direction = c.get("direction")
            if not isinstance(direction, str) or direction not in ("benefit", "cost"):
                self.p.add(f"{path}.direction", f'expected "benefit" or "cost", got {_describe(direction)}')
            scale = self.pair(c.get("scale"), f"{path}.scale", "[lo, hi] or null")
            if scale is not None and scale[0] >= scale[1]:
                self.p.add(f"{path}.scale", f"the lower end {_fmt(scale[0])} must be less than the upper end {_fmt(scale[1])}")
                scale = None
            norm = c.get("normalization")
            if norm is not None and (not isinstance(norm, str) or norm not in ("scale", "minmax", "none")):
                self.p.add(f"{path}.normalization", f'expected "scale", "minmax" or "none", got {_describe(norm)}')
                norm = None
            if norm == "scale" and c.get("scale") is None:
                self.p.add(f"{path}.normalization", '"scale" needs a scale [lo, hi]')
            if norm == "none" and direction == "cost":
                self.p.add(f"{path}.normalization", '"none" is only allowed for benefit criteria')
            guidance: dict[str, str] = {}
            g = c.get("guidance")
            if g is not None:
                if not isinstance(g, dict):
                    self.p.add(f"{path}.guidance", f'expected an object like {{"1": "...", "5": "..."}}, got {_describe(g)}')
                else:
                    for level, txt in g.items():
                        try:
                            lv = float(level)
                        except ValueError:
                            self.p.add(f"{path}.guidance", f'the key "{level}" is not a score level (a number)')
                            continue
                        if scale and not (scale[0] <= lv <= scale[1]):
                            self.p.add(f"{path}.guidance", f'level "{level}" is outside the scale {_fmt(scale[0])}–{_fmt(scale[1])}')
                        if not isinstance(txt, str):
                            self.p.add(f"{path}.guidance.{level}", f"expected text, got {_describe(txt)}")
                        else:
                            guidance[level] = txt
            bounds = self.pair(c.get("weight_bounds"), f"{path}.weight_bounds", "[lo, hi] (fractions of 1)")
            if bounds is not None and not (0 <= bounds[0] <= bounds[1] <= 1):
                self.p.add(f"{path}.weight_bounds", "need 0 ≤ lo ≤ hi ≤ 1 (fractions of the total weight), "
                                                    f"got [{_fmt(bounds[0])}, {_fmt(bounds[1])}]")
                bounds = None
            unc = None
            if c.get("uncertainty") is not None:
                unc = self.number(c["uncertainty"], f"{path}.uncertainty", minimum=0.0)
            texts = {k: self.text(c, k, path) for k in ("group", "description", "name_en", "group_en", "description_en")}
            if name is not None and direction in ("benefit", "cost"):
                out.append(Criterion(cid, name, direction, scale, norm, texts["group"], texts["description"], guidance,
                                     bounds, unc, texts["name_en"], texts["group_en"], texts["description_en"]))
        lower = sum(c.weight_bounds[0] for c in out if c.weight_bounds)
        upper = sum(c.weight_bounds[1] if c.weight_bounds else 1.0 for c in out)
        if lower > 1 + 1e-12:
            self.p.add("criteria", f"the lower weight bounds sum to {_fmt(lower)} > 1; no weights can satisfy them")
        if out and upper < 1 - 1e-12:
            self.p.add("criteria", f"the upper weight bounds sum to {_fmt(upper)} < 1; no weights can satisfy them")
        return out

    def weight_spec(self, w: Any, path: str, criteria: list[Criterion]) -> WeightSpec | None:
        if not isinstance(w, dict):
            self.p.add(path, f"expected an object with a method, got {_describe(w)}")
            return None
        method = w.get("method")
        if not isinstance(method, str) or method not in WEIGHT_KEYS:
            self.p.add(f"{path}.method", f'expected one of {", ".join(WEIGHT_KEYS)}, got {_describe(method)}')
            return None
        self.unknown_keys(w, WEIGHT_KEYS[method], path)
        ids = [c.id for c in criteria]
        if method in ("direct", "swing", "roc", "rank_sum"):
            key = "points" if method in ("direct", "swing") else "ranks"
            table = w.get(key)
            if not isinstance(table, dict):
                self.p.add(f"{path}.{key}", f"expected an object {{criterion_id: number}}, got {_describe(table)}")
                return None
            values: dict[str, float] = {}
            for cid, val in table.items():
                if cid not in ids:
                    self.p.add(f"{path}.{key}.{cid}", f'unknown criterion "{cid}"')
                    continue
                x = self.number(val, f"{path}.{key}.{cid}", minimum=0.0 if key == "points" else 1.0)
                if x is None:
                    continue
                if key == "ranks" and x != int(x):
                    self.p.add(f"{path}.{key}.{cid}", f"a rank must be a whole number, got {_fmt(x)}")
                    continue
                values[cid] = x
            missing = [cid for cid in ids if cid not in table]
            if missing:
                self.p.add(f"{path}.{key}", f"missing for criteria {', '.join(missing)} (every criterion needs one)")
            if key == "points" and values and len(values) == len(table) and not missing:
                if sum(values.values()) <= 0:
                    self.p.add(f"{path}.points", "the points must not all be zero")
                if method == "swing":
                    over = [cid for cid, x in values.items() if x > 100]
                    if over:
                        self.p.add(f"{path}.points", f"swing points must be between 0 and 100 ({', '.join(over)} exceed 100)")
                    elif max(values.values()) != 100:
                        self.p.add(f"{path}.points",
                                   f"the most important swing must be rated 100 (the largest is {_fmt(max(values.values()))})")
            if key == "points":
                return WeightSpec(method, points={c: values.get(c, 0.0) for c in ids if c in table})
            return WeightSpec(method, ranks={c: int(values[c]) for c in ids if c in values})
        # AHP
        variant = w.get("variant", "eigen")
        if not isinstance(variant, str) or variant not in AHP_VARIANTS:
            self.p.add(f"{path}.variant", f'expected "eigen" or "geometric", got {_describe(variant)}')
        ri = w.get("ri_table")
        if ri is not None and (not isinstance(ri, str) or ri not in RI_TABLES):
            self.p.add(f"{path}.ri_table", f'expected one of {", ".join(RI_TABLES)}, got {_describe(ri)}')
        m = w.get("matrix")
        n = len(criteria)
        if not (isinstance(m, list) and all(isinstance(r, list) for r in m)):
            self.p.add(f"{path}.matrix", f"expected a list of rows (lists of numbers), got {_describe(m)}")
            return None
        if len(m) != n or any(len(r) != n for r in m):
            self.p.add(f"{path}.matrix",
                       f"expected a {n}×{n} matrix (one row and column per criterion, in criteria order), "
                       f"got {len(m)} rows of lengths {sorted({len(r) for r in m})}")
            return None
        rows = []
        ok = True
        for i, r in enumerate(m):
            row = []
            for j, v in enumerate(r):
                x = self.number(v, f"{path}.matrix[{i}][{j}]")
                ok = ok and x is not None
                row.append(x)
            rows.append(tuple(row))
        if not ok:
            return None
        try:
            validate_ahp_matrix(np.array(rows))
        except InputError as e:
            self.p.add(f"{path}.matrix", e.message)
            return None
        return WeightSpec("ahp", matrix=tuple(rows), variant=variant if variant in AHP_VARIANTS else "eigen", ri_table=ri)

    def profiles(self, criteria: list[Criterion]) -> list[WeightProfile]:
        items = self.list_of_objects("weight_profiles", required=False)
        self.ids(items, "weight_profiles", "weight profile")
        out = []
        for i, item in items:
            path = f"weight_profiles[{i}]"
            self.unknown_keys(item, PROFILE_KEYS, path)
            name = self.text(item, "name", path, required=True)
            spec = self.weight_spec(item.get("weights"), f"{path}.weights", criteria)
            if spec is not None and name is not None and isinstance(item.get("id"), str):
                out.append(WeightProfile(item["id"], name, spec, self.text(item, "description", path)))
        return out

    def objects(self) -> list[InfraObject]:
        items = self.list_of_objects("objects", required=True)
        if "objects" in self.data and isinstance(self.data["objects"], list) and not self.data["objects"]:
            self.p.add("objects", "there must be at least one object")
        self.ids(items, "objects", "object")
        out = []
        plans: dict[str, PlanData] = {}
        paths: dict[str, str] = {}
        for i, o in items:
            path = f"objects[{i}]"
            o = plan_format.upgrade_object(o)  # noqa: PLW2901 - a pre-issue-14 planning_status moves into plan
            name = self.text(o, "name", path, required=True)
            cost = self.number(o.get("cost"), f"{path}.cost", minimum=0.0, allow_none=True)
            status = o.get("status", CANDIDATE)
            if not isinstance(status, str) or status not in OBJECT_STATUSES:
                self.p.add(f"{path}.status", f'expected one of {", ".join(OBJECT_STATUSES)}, got {_describe(status)}')
            for key, lim in (("lat", 90.0), ("lon", 180.0)):
                if o.get(key) is not None:
                    x = self.number(o[key], f"{path}.{key}")
                    if x is not None and abs(x) > lim:
                        self.p.add(f"{path}.{key}", f"{_fmt(x)} is outside −{lim:g}…{lim:g}")
            if "cost_illustrative" in o and not isinstance(o["cost_illustrative"], bool):
                # a "true" or 1 would otherwise pass for a sourced cost (model.illustrative_cost)
                self.p.add(f"{path}.cost_illustrative", f"expected true or false, got {_describe(o['cost_illustrative'])}")
            self._check_finite(o, path)
            plan = self.plan(o, path, cost)
            attrs = {k: v for k, v in o.items() if k not in OBJECT_CORE_KEYS and k != "plan"}
            if isinstance(o.get("id"), str):
                plans[o["id"]], paths[o["id"]] = plan or NO_PLAN_DATA, path
            if name is not None and isinstance(o.get("id"), str) and isinstance(status, str) and status in OBJECT_STATUSES:
                out.append(InfraObject(o["id"], name, cost, status, attrs, plan or NO_PLAN_DATA))
        if not self.p:
            for place, message in plan_format.dependency_problems(plans, paths):
                self.p.add(place, message)
        return out

    def plan(self, o: dict, path: str, cost: float | None) -> PlanData | None:
        """An object's place in the plan process (issue 14); the rules are in
        :mod:`prioritization.planning.fileformat`. The cost range must hold the object's cost."""
        if o.get("plan") is None:
            return None
        self._check_finite(o["plan"], f"{path}.plan")
        found, problems = plan_format.parse(o["plan"], f"{path}.plan", self.today)
        for place, message in problems:
            self.p.add(place, message)
        if found is not None and found.cost is not None and cost is not None:
            low, high = found.cost.low, found.cost.high
            if low is not None and cost < low or high is not None and cost > high:
                self.p.add(f"{path}.plan.cost", f"the cost {_fmt(cost)} MSEK is outside its range "
                                                f"{'…' if low is None else _fmt(low)}–{'…' if high is None else _fmt(high)} MSEK")
        return found

    def tiers(self, objects: list[InfraObject]) -> Tiers | None:
        if "tiers" not in self.data or self.data["tiers"] is None:
            return None
        found = tier_problems(self.data["tiers"], [o.id for o in objects])
        for problem in found:
            self.p.add(problem.path, problem.message)
        return None if found else tiers_from_dict(self.data["tiers"])

    def milestones(self) -> tuple:
        """The timeline; the rules are in :mod:`prioritization.timeline.milestones`."""
        raw = self.data.get("milestones", [])
        self._check_finite(raw, "milestones")
        found, problems = milestone_format.parse(raw)
        for path, message in problems:
            self.p.add(path, message)
        return found

    def follow_up(self, objects: list[InfraObject]) -> tuple:
        """Follow-up tracks; the rules are in :mod:`prioritization.timeline.follow_up`."""
        raw = self.data.get("follow_up", [])
        self._check_finite(raw, "follow_up")
        found, problems = follow_up_format.parse(raw, [o.id for o in objects])
        for path, message in problems:
            self.p.add(path, message)
        return found

    def committee(self, objects: list[InfraObject], milestones: tuple | None) -> Committee:
        """The committee's round after the summer (issue 13); the rules are in
        :mod:`prioritization.committee.fileformat`. Without the section: an empty committee."""
        statuses = {o.id: o.status for o in objects}
        found: Committee = Committee()
        problems: list[tuple[str, str]] = []
        if self.data.get("committee") is not None:
            self._check_finite(self.data["committee"], "committee")
            found, problems = committee_format.parse(self.data["committee"], statuses,
                                                     None if milestones is None else [m.id for m in milestones])
        if not problems:
            problems = committee_format.parked_problems(found, statuses)
        for path, message in problems:
            self.p.add(path, message)
        return found

    def _check_finite(self, v: Any, path: str) -> None:
        if isinstance(v, _NonFinite):
            self.p.add(path, f"{v.token} is not allowed (not a finite number)")
        elif isinstance(v, dict):
            for k, x in v.items():
                self._check_finite(x, f"{path}.{k}")
        elif isinstance(v, list):
            for k, x in enumerate(v):
                self._check_finite(x, f"{path}[{k}]")

    def participants(self, criteria: list[Criterion]) -> list[Participant]:
        items = self.list_of_objects("participants", required=False)
        self.ids(items, "participants", "participant")
        out = []
        for i, item in items:
            path = f"participants[{i}]"
            self.unknown_keys(item, PARTICIPANT_KEYS, path)
            name = self.text(item, "name", path, required=True)
            org = self.text(item, "organisation", path)
            own = None
            if item.get("weights") is not None:
                own = self.weight_spec(item["weights"], f"{path}.weights", criteria)
            if name is not None and isinstance(item.get("id"), str):
                out.append(Participant(item["id"], name, org, own))
        return out

    def valid_scores(self, criteria: list[Criterion], objects: list[InfraObject], participants: list[Participant],
                     aggregation: str) -> list[Score] | None:
        """The score records as :meth:`scores` reads them when every record is valid (nearly always),
        checked column by column in one pass over the records, in canonical order; None when any
        record may have a problem, which :meth:`scores` then names record by record."""
        raw = self.data.get("scores", [])
        if type(raw) is not list or not all(type(s) is dict for s in raw):
            return None
        if not raw:
            return []
        if not set().union(*raw) <= SCORE_KEYS:
            return None
        crit = {c.id: c for c in criteria}
        absent = _NonFinite("absent")  # a "value" that is missing
        oids = [s.get("object") for s in raw]
        cids = [s.get("criterion") for s in raw]
        pids = [s.get("participant") for s in raw]
        values = [s.get("value", absent) for s in raw]
        comments = [s.get("comment") for s in raw]
        if not (set(map(type, oids)) == {str} and set(oids) <= {o.id for o in objects}
                and set(map(type, cids)) == {str} and set(cids) <= crit.keys()
                and set(map(type, pids)) <= {str, type(None)} and set(pids) <= {p.id for p in participants} | {None}
                and set(map(type, comments)) <= {str, type(None)}):
            return None
        # each record's place in the canonical order (canonical_scores); a file this app wrote is
        # in that order already, and then needs no sorting
        cell, col = _canonical_keys(oids, cids, pids, objects, criteria, participants)
        order = None
        if not np.all(cell[1:] > cell[:-1]):
            order = np.argsort(cell, kind="stable")
            ordered = cell[order]
            if np.any(ordered[1:] == ordered[:-1]):  # a score twice for one (object, criterion, participant)
                return None
        kinds = set(map(type, values))
        if not kinds <= {int, float, type(None)}:
            return None
        if type(None) in kinds and None in pids and any(v is None and p is None
                                                        for v, p in zip(values, pids, strict=True)):
            return None  # an agreed score without a number
        floats = [None if v is None else float(v) for v in values]
        x = np.array([math.nan if v is None else v for v in floats])
        if not np.isfinite(x[~np.isnan(x)]).all():
            return None
        # on the scale: clipped within the rounding band (onto_scale), else a problem
        lo = np.array([-math.inf if c.scale is None else c.scale[0] for c in criteria])[col]  # col: list positions
        hi = np.array([math.inf if c.scale is None else c.scale[1] for c in criteria])[col]
        for i in np.flatnonzero(~((lo <= x) & (x <= hi)) & ~np.isnan(x)).tolist():
            value, scale = floats[i], crit[cids[i]].scale
            assert value is not None and scale is not None  # a number off a scale (else lo, hi are infinite)
            on = onto_scale(value, scale)
            if on is None:
                return None
            floats[i] = on
        if aggregation == "geometric" and any(v is not None and v <= 0 and p is not None
                                              for v, p in zip(floats, pids, strict=True)):
            return None
        # one string per id, shared by every record that names it (the decoder makes a string per
        # record: 90 000 of them, 4.5 MB at 200 objects x 15 criteria x 10 participants)
        oids = list(map({o.id: o.id for o in objects}.__getitem__, oids))
        cids = list(map({c: c for c in crit}.__getitem__, cids))
        pids = list(map({p.id: p.id for p in participants}.get, pids))  # None: the agreed score
        records = list(map(_new_score, zip(oids, cids, pids, floats, comments, strict=True)))
        return records if order is None else [records[i] for i in order.tolist()]

    def scores(self, criteria: list[Criterion], objects: list[InfraObject], participants: list[Participant],
               aggregation: str) -> list[Score]:
        """The valid score records in canonical order (:func:`canonical_scores`); the problems of
        the others are recorded."""
        fast = self.valid_scores(criteria, objects, participants, aggregation)
        if fast is not None:
            return fast
        items = self.list_of_objects("scores", required=False)
        crit = {c.id: c for c in criteria}
        obj_ids = {o.id for o in objects}
        part_ids = {p.id for p in participants}
        seen: dict[tuple, int] = {}
        out = []
        for i, s in items:
            path = f"scores[{i}]"
            self.unknown_keys(s, SCORE_KEYS, path)
            ok = True
            oid, cid, pid = s.get("object"), s.get("criterion"), s.get("participant")
            if not isinstance(oid, str) or oid not in obj_ids:
                self.p.add(f"{path}.object", f"unknown object {_describe(oid) if not isinstance(oid, str) else repr(oid)}")
                ok = False
            if not isinstance(cid, str) or cid not in crit:
                self.p.add(f"{path}.criterion", f"unknown criterion {_describe(cid) if not isinstance(cid, str) else repr(cid)}")
                ok = False
            if pid is not None and (not isinstance(pid, str) or pid not in part_ids):
                self.p.add(f"{path}.participant",
                           f"unknown participant {_describe(pid) if not isinstance(pid, str) else repr(pid)} "
                           "(use null for an agreed score)")
                ok = False
            if "value" not in s:
                self.p.add(f"{path}.value", "is missing (use null for “vet ej” / unknown)")
                ok = False
            value = self.number(s.get("value"), f"{path}.value", allow_none=True)
            if s.get("value") is not None and value is None:
                ok = False
            comment = self.text(s, "comment", path)
            if ok:
                key = (oid, cid, pid)
                if key in seen:
                    who = f"participant {pid!r}" if pid is not None else "the agreed score"
                    self.p.add(path, f"duplicate score for object {oid!r}, criterion {cid!r}, {who} (also scores[{seen[key]}])")
                    continue
                seen[key] = i
                c = crit[cid]
                if value is not None and c.scale is not None:
                    on = onto_scale(value, c.scale)
                    if on is None:
                        lo, hi = c.scale
                        self.p.add(f"{path}.value", f"{_fmt(value)} is outside the scale {_fmt(lo)}–{_fmt(hi)} of criterion {cid}")
                        continue
                    value = on
                if pid is None and value is None:
                    self.p.add(f"{path}.value", "an agreed score (participant null) needs a number; remove it instead")
                    continue
                if aggregation == "geometric" and value is not None and value <= 0 and pid is not None:
                    self.p.add(f"{path}.value", f"{_fmt(value)}: the geometric aggregation needs scores greater than 0")
                    continue
                out.append(Score(oid, cid, pid, value, comment))
        return list(canonical_scores(out, objects, criteria, participants))

    def completeness(self, criteria: list[Criterion], objects: list[InfraObject], scores: list[Score]) -> None:
        candidates = [o for o in objects if o.is_candidate]
        if objects and not candidates:
            self.p.add("objects", 'no object has status "candidate"; there is nothing to rank')
        have = {(o, c) for o, c, _, value, _ in scores if value is not None}
        missing = [(o, c) for o in candidates for c in criteria if (o.id, c.id) not in have]
        for o, c in missing[:20]:
            self.p.add("scores", f"object {o.id!r} ({o.name}), criterion {c.id!r} ({c.name}): nobody scored this cell "
                                 "and there is no agreed score")
        if len(missing) > 20:
            self.p.add("scores", f"… and {len(missing) - 20} more unscored cells")

    def read(self) -> Project:
        if not isinstance(self.data, dict):
            raise ProjectFileError([InputError(f"the file must contain a JSON object, got {_describe(self.data)}")])
        if self.check_text:
            found = [] if text_rules.accepted(self.data) else list(text_rules.problems(self.data))
            for place, why in found:
                self.p.add(place, why)
            if any("nested more than" in why for _, why in found):  # the rest would only add noise
                raise ProjectFileError(self.p.items)
        name = self.header()
        criteria = self.criteria()
        weights = self.weight_spec(self.data.get("weights"), "weights", criteria) if "weights" in self.data else None
        if "weights" not in self.data:
            self.p.add("weights", "is missing")
        profiles = self.profiles(criteria)
        objects = self.objects()
        tier_set = self.tiers(objects)
        participants = self.participants(criteria)
        aggregation = self.data.get("aggregation", "mean")
        if not isinstance(aggregation, str) or aggregation not in AGGREGATIONS:
            self.p.add("aggregation", f'expected one of {", ".join(AGGREGATIONS)}, got {_describe(aggregation)}')
            aggregation = "mean"
        scores = self.scores(criteria, objects, participants, aggregation)
        before = len(self.p.items)
        milestones = self.milestones()
        readable = len(self.p.items) == before  # else the window's milestone is not checked against them
        follow_up = self.follow_up(objects)
        committee = self.committee(objects, milestones if readable else None)
        for key in ("description", "data_label"):
            self.text(self.data, key, "")
        if self.require_complete and not self.p:
            self.completeness(criteria, objects, scores)
        if self.p:
            raise ProjectFileError(self.p.items)
        return Project(name=name, criteria=tuple(criteria), weights=weights, objects=tuple(objects),
                       participants=tuple(participants),
                       scores=tuple(scores), aggregation=aggregation,
                       weight_profiles=tuple(profiles), tiers=tier_set, milestones=milestones,
                       follow_up=follow_up, committee=committee,
                       description=self.data.get("description"), data_label=self.data.get("data_label"))


# ------------------------------------------------------------------------------------------
# public API


MAX_INT_DIGITS = 30  # far beyond any cost, score or point; Python would refuse 4 300 digits with a crash


def _parse_int(token: str) -> int | _NonFinite:
    return int(token) if len(token.lstrip("-")) <= MAX_INT_DIGITS else _NonFinite(
        f"{token[:12]}… ({len(token.lstrip('-'))} digits)")


class _Duplicates(list):
    """The keys that appear twice in one JSON object (the JSON standard leaves it undefined which
    one counts; json.loads silently keeps the last)."""

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = dict(pairs)  # the same dict as the loop below builds (last value wins)
        if len(out) == len(pairs):  # no key twice: nothing to record (nearly always; dict() runs in C)
            return out
        out = {}
        for k, v in pairs:
            if k in out and len(self) < MAX_PROBLEMS:
                self.append(k)
            out[k] = v
        return out


def decode(text: str) -> Any:
    """Decode JSON text; NaN/Infinity and huge integers are kept as markers so validation can name
    their place. Refused with a clear problem: invalid JSON, duplicate keys in one object, and
    nesting too deep to read."""
    dups = _Duplicates()
    try:
        data = json.loads(text, parse_constant=_NonFinite, parse_float=_parse_float, parse_int=_parse_int,
                          object_pairs_hook=dups.hook)
    except json.JSONDecodeError as e:
        raise ProjectFileError([InputError(f"not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})")]) from None
    except RecursionError:
        raise ProjectFileError([InputError("the JSON is nested too deeply to be a project file")]) from None
    if dups:
        raise ProjectFileError([InputError(f'the key "{k}" appears twice in one object; keep one') for k in dups])
    return data


def parse(data: Any, *, require_complete: bool = True, check_text: bool = True, today: date | None = None
          ) -> Project:
    """Validate a decoded document and build the project.

    ``require_complete`` also demands that every cell of every candidate object has a value (needed
    to analyse; a round still being scored is loaded with ``False``). ``check_text`` applies the
    rules for text coming in (:mod:`prioritization.text_rules`: lengths, formula-like names,
    nesting); storage reads what it stored earlier with ``False``. ``today`` (default: today in
    Europe/Stockholm) is the day a price level must not be after.
    """
    return _Reader(data, require_complete, check_text, today).read()


def loads(text: str | bytes, *, require_complete: bool = True, check_text: bool = True) -> Project:
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise ProjectFileError([InputError(f"the file is too large ({len(text) // 1_048_576} MiB; the limit is "
                                               f"{MAX_FILE_BYTES // 1_048_576} MiB)")])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ProjectFileError([InputError(f"the file is not UTF-8 text (byte {e.start})")]) from None
    with collector_paused():
        return parse(decode(text), require_complete=require_complete, check_text=check_text)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a round is read: reading creates one object per score
    record (30 000 at 200 objects x 15 criteria x 10 participants) and no reference cycle, and the
    collector would run every 700 of them, now and then over all older objects too (about 20 ms of
    the CLI's sensitivity run; in the app, whose heap is large, 60 ms of reading a live round).
    Reads in several threads (Streamlit sessions) overlap: the first to start pauses it, the last to
    end turns it back on if it was on (counted under a lock: checking and pausing in each read alone
    could leave it off for good when another read ends in between). Used by this reader and by
    ``storage.stored_scores``."""
    global _paused_reads, _resume_collector
    with _PAUSE_LOCK:
        if _paused_reads == 0:
            _resume_collector = gc.isenabled()
            gc.disable()
        _paused_reads += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _paused_reads -= 1
            if _paused_reads == 0 and _resume_collector:
                gc.enable()


_PAUSE_LOCK = threading.Lock()
_paused_reads = 0  # reads in progress in any thread (collector_paused)
_resume_collector = False  # whether the collector was on when the first of them started


def load(path: str | Path, *, require_complete: bool = True) -> Project:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ProjectFileError([InputError(f"cannot read {p}: {e.strerror}")]) from None
    if size > MAX_FILE_BYTES:
        raise ProjectFileError([InputError(f"the file is too large ({size // 1_048_576} MiB; the limit is "
                                           f"{MAX_FILE_BYTES // 1_048_576} MiB)")])
    return loads(p.read_bytes(), require_complete=require_complete)


_new_score = functools.partial(tuple.__new__, Score)  # Score from a 5-tuple, in C (Score._make checks the length)


def _canonical_keys(oids: Iterable[str], cids: Iterable[str], pids: Iterable[str | None], objects, criteria,
                    participants) -> tuple[np.ndarray, np.ndarray]:
    """Each score's place in the canonical order as one integer, (object, criterion, participant)
    with the agreed score (participant None) after every participant, from the id columns; and the
    criterion positions. Every id must be in the lists (KeyError otherwise)."""
    n_c, n_p = len(criteria), len(participants) + 1

    def positions(ids: Iterable[Any], pos: dict[Any, int]) -> np.ndarray:
        return np.fromiter(map(pos.__getitem__, ids), dtype=np.int64)

    ppos: dict[str | None, int] = {p.id: k for k, p in enumerate(participants)}
    ppos[None] = n_p - 1
    col = positions(cids, {c.id: j for j, c in enumerate(criteria)})
    obj = positions(oids, {o.id: i for i, o in enumerate(objects)})
    return (obj * n_c + col) * n_p + positions(pids, ppos), col


def canonical_scores(scores, objects, criteria, participants) -> tuple[Score, ...]:
    """Scores in canonical order (object, criterion, participant, agreed score last), so the same
    content always gives the same file and the same SHA-256. Scores read from a file or from
    storage come in that order already: they are checked (one integer per score) and kept."""
    scores = tuple(scores)
    if not scores:
        return scores
    objects, criteria, participants = tuple(objects), tuple(criteria), tuple(participants)  # any iterables
    key, _ = _canonical_keys(map(itemgetter(0), scores), map(itemgetter(1), scores),
                             map(itemgetter(2), scores), objects, criteria, participants)
    if np.all(key[1:] >= key[:-1]):  # a stable sort would keep this order
        return scores
    return tuple(map(scores.__getitem__, np.argsort(key, kind="stable").tolist()))


def _weights_dict(w: WeightSpec) -> dict[str, Any]:
    if w.method in ("direct", "swing"):
        return {"method": w.method, "points": dict(w.points or {})}
    if w.method in ("roc", "rank_sum"):
        return {"method": w.method, "ranks": dict(w.ranks or {})}
    d: dict[str, Any] = {"method": "ahp", "variant": w.variant, "matrix": [list(r) for r in w.matrix or ()]}
    if w.ri_table is not None:
        d["ri_table"] = w.ri_table
    return d


def _clean_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def to_dict(project: Project) -> dict[str, Any]:
    """The project as a format-v1 document (inverse of :func:`parse`)."""
    d: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": project.name}
    if project.description is not None:
        d["description"] = project.description
    if project.data_label is not None:
        d["data_label"] = project.data_label
    crits = []
    for c in project.criteria:
        cd: dict[str, Any] = {"id": c.id, "name": c.name, "direction": c.direction,
                              "scale": [_clean_number(c.scale[0]), _clean_number(c.scale[1])] if c.scale else None}
        for key in ("normalization", "group", "description", "name_en", "group_en", "description_en"):
            if getattr(c, key) is not None:
                cd[key] = getattr(c, key)
        if c.guidance:
            cd["guidance"] = dict(c.guidance)
        if c.weight_bounds is not None:
            cd["weight_bounds"] = list(c.weight_bounds)
        if c.uncertainty is not None:
            cd["uncertainty"] = c.uncertainty
        crits.append(cd)
    d["criteria"] = crits
    d["weights"] = _weights_dict(project.weights)
    if project.weight_profiles:
        d["weight_profiles"] = []
        for p in project.weight_profiles:
            pd = {"id": p.id, "name": p.name, "weights": _weights_dict(p.weights)}
            if p.description is not None:
                pd["description"] = p.description
            d["weight_profiles"].append(pd)
    objs = []
    for o in project.objects:
        od: dict[str, Any] = {"id": o.id, "name": o.name, "cost": None if o.cost is None else _clean_number(o.cost),
                              "status": o.status}
        od.update(o.attributes)
        if not o.plan.is_empty:
            od["plan"] = plan_format.to_data(o.plan)
        objs.append(od)
    d["objects"] = objs
    if project.tiers:
        d["tiers"] = tiers_to_dict(project.tiers)
    d["participants"] = [{"id": p.id, "name": p.name, **({"organisation": p.organisation} if p.organisation else {}),
                          **({"weights": _weights_dict(p.weights)} if p.weights is not None else {})}
                         for p in project.participants]
    scores = []
    for s in canonical_scores(project.scores, project.objects, project.criteria, project.participants):
        sd: dict[str, Any] = {"object": s.object, "criterion": s.criterion, "participant": s.participant,
                              "value": None if s.value is None else _clean_number(s.value)}
        if s.comment is not None:
            sd["comment"] = s.comment
        scores.append(sd)
    d["scores"] = scores
    d["aggregation"] = project.aggregation
    d["milestones"] = milestone_format.to_data(project.milestones)
    if project.follow_up:
        d["follow_up"] = follow_up_format.to_data(project.follow_up)
    if section := committee_format.to_data(project.committee):
        d["committee"] = section
    return d


def _pretty(d: dict[str, Any]) -> str:
    return json.dumps(d, ensure_ascii=False, indent=2, allow_nan=False)


def _score_records(scores: tuple[Score, ...]) -> str:
    """The score records as ``json.dumps(..., indent=2)`` writes them at the second level of the
    file, character for character, written directly: Python's JSON encoder writes indented text in
    pure Python, about 4 µs per value, and the scores are most of a round's file (30 000 records at
    200 objects x 15 criteria x 10 participants). Ids and values repeat: each distinct one is
    encoded once, and the records are put together column by column."""
    if not scores:
        return "[]"
    objects, criteria, people, values, comments = (list(map(itemgetter(k), scores)) for k in range(5))
    ids: dict[Any, str] = {None: "null"}
    for column in (objects, criteria, people):
        ids.update((x, _JSON_STRING(x)) for x in set(column).difference(ids))
    if set(map(type, values)) <= {float, type(None)}:  # as read and as stored: each distinct value once
        numbers = {v: _value_text(v) for v in set(values)}  # 0.0 and -0.0 are one key and one text, "0"
        texts = map(numbers.__getitem__, values)
    else:  # an int equals a float with other text (2**53 + 2): one by one
        texts = map(_value_text, values)
    tails = ["" if c is None else f',\n      "comment": {_JSON_STRING(c)}' for c in comments]
    n = len(scores)
    # the pieces of every record in turn, joined once (3x faster than formatting record by record)
    pieces = zip(repeat('    {\n      "object": ', n), map(ids.__getitem__, objects),
                 repeat(',\n      "criterion": ', n), map(ids.__getitem__, criteria),
                 repeat(',\n      "participant": ', n), map(ids.__getitem__, people),
                 repeat(',\n      "value": ', n), texts, tails, repeat("\n    },\n", n), strict=True)
    return "[\n" + "".join(chain.from_iterable(pieces))[:-2] + "\n  ]"  # no comma after the last


def _value_text(value: float | None) -> str:
    """A score's value as ``json.dumps`` writes what :func:`to_dict` holds for it."""
    if value is None:
        return "null"
    value = _clean_number(value)
    text = int.__repr__(value) if type(value) is int else float.__repr__(value)
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {text}")
    return text


_JSON_STRING = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


def names(project: Project) -> frozenset[str]:
    """Every id and name in the project (:func:`prioritization.text_rules.names_in` of its file).
    The score records are left out: they only repeat ids of objects, criteria and participants
    (the reader refuses any other), and they are nearly all of a round's file."""
    return frozenset(text_rules.names_in(to_dict(dataclasses.replace(project, scores=()))))


def dumps(project: Project) -> str:
    """Canonical UTF-8 JSON text: exactly ``json.dumps(to_dict(project), ensure_ascii=False,
    indent=2, allow_nan=False)`` and a trailing newline. The part before and after the scores is
    written by ``json.dumps``, the score records by :func:`_score_records` (same characters, written
    directly; ``tests/test_canonical_text.py`` compares the two on varied projects)."""
    d = to_dict(dataclasses.replace(project, scores=()))
    keys = list(d)
    at = keys.index("scores")
    head = _pretty({k: d[k] for k in keys[:at]})  # never empty: "format" comes first
    tail = _pretty({k: d[k] for k in keys[at + 1:]})  # never empty: "aggregation" and "milestones"
    records = _score_records(canonical_scores(project.scores, project.objects, project.criteria, project.participants))
    return f'{head[:-2]},\n  "scores": {records},\n{tail[2:]}\n'


def dump(project: Project, path: str | Path) -> None:
    """Write atomically: a half-written file never replaces a good one."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(dumps(project), encoding="utf-8")
    tmp.replace(p)


def sha256(project: Project) -> str:
    """SHA-256 of the canonical file text: identifies a frozen version."""
    return hashlib.sha256(dumps(project).encode("utf-8")).hexdigest()
