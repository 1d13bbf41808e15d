"""Pure helpers for the versions and audit-log pages (no Streamlit).

* :func:`change_rows` and :func:`summary` turn :func:`prioritization.storage.versions.compare`
  changes into a readable, translated table: object, criterion and participant *names* instead of
  ids, numbers in Swedish (or English) format.
* :func:`audit_rows`, :func:`filter_rows` and :func:`page_of` do the same for audit-log entries.
* :func:`local_time` shows stored (UTC) times in Swedish local time.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from prioritization import i18n
from prioritization.model import Project, localized

MISSING = "—"  # what versions.compare() uses for "no such score in this version"
SEP = " · "
MAX_TEXT = 160


def _t(key: str, lang: str, **params) -> str:
    return i18n.t(key, lang, **params)


def _known(key: str, lang: str) -> bool:
    return key in i18n.catalogue(lang)


# ---------------------------------------------------------------------------------------- values


def local_time(dt: datetime, lang: str) -> str:
    """A stored time (UTC; SQLite returns it without a zone) as Stockholm local time, e.g.
    '2024-03-05 14:07'."""
    return i18n.timestamp(dt, lang, zone=False)  # the column heading names the zone


def short_hash(sha: str, n: int = 12) -> str:
    return sha[:n] + "…" if len(sha) > n else sha


def format_number(x: float, lang: str) -> str:
    """3 -> '3', 3.5 -> '3,5', 0.125 -> '0,125' (Swedish); at most three decimals."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    decimals = next((d for d in range(4) if round(x, d) == x), 3)
    return i18n.number(x, lang, decimals)


def _truncate(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_value(v: Any, lang: str) -> str:
    """A score, cost, name, range or anything else from a project, as short readable text."""
    if v is None:
        return _t("versions.value_unknown", lang)
    if isinstance(v, str):
        return _t("versions.value_missing", lang) if v == MISSING else v
    if isinstance(v, bool):
        return _t("versions.yes" if v else "versions.no", lang)
    if isinstance(v, (int, float)):
        return format_number(v, lang)
    if isinstance(v, (tuple, list)) and len(v) == 2 and all(isinstance(x, (int, float)) for x in v):
        return f"{format_number(v[0], lang)}–{format_number(v[1], lang)}"
    if isinstance(v, dict):
        return _truncate(", ".join(f"{k}: {format_value(x, lang)}" for k, x in v.items()))
    return _truncate(json.dumps(v, ensure_ascii=False, default=str))


# ----------------------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Names:
    """Display names by id; unknown ids are shown as themselves."""

    objects: dict[str, str]
    criteria: dict[str, str]
    participants: dict[str, str]

    def object(self, key: str) -> str:
        return self.objects.get(key, key)

    def criterion(self, key: str) -> str:
        return self.criteria.get(key, key)

    def participant(self, key: str) -> str:
        return self.participants.get(key, key)


def names_of(projects: Iterable[Project], lang: str) -> Names:
    """Names from one or more projects; later projects win (so the newer name is shown)."""
    objects: dict[str, str] = {}
    criteria: dict[str, str] = {}
    participants: dict[str, str] = {}
    for p in projects:
        objects.update({o.id: o.name for o in p.objects})
        criteria.update({c.id: c.label(lang) for c in p.criteria})
        participants.update({x.id: x.name for x in p.participants})
    return Names(objects, criteria, participants)


def names_from_document(doc: dict[str, Any], lang: str) -> Names:
    """Names from a format-v1 document (e.g. ``rounds.setup_document``)."""
    return Names({o["id"]: o.get("name", o["id"]) for o in doc.get("objects", [])},
                 {c["id"]: localized(c.get("name", c["id"]), c.get("name_en"), lang)
                  for c in doc.get("criteria", [])},
                 {p["id"]: p.get("name", p["id"]) for p in doc.get("participants", [])})


EMPTY_NAMES = Names({}, {}, {})


# ------------------------------------------------------------------------------ version changes


@dataclass(frozen=True)
class ChangeRow:
    what: str  # translated category, e.g. "Poäng"
    where: str  # names, e.g. "Spårväg syd · Regional tillgänglighet · Haninge"
    old: str
    new: str


def _score_keys(projects: Sequence[Project]) -> dict[str, tuple[str, str, str | None]]:
    """The key strings versions.compare() builds, mapped back to (object, criterion, participant).

    Rebuilt from the projects themselves, so ids containing "/" are still read correctly.
    """
    out: dict[str, tuple[str, str, str | None]] = {}
    for p in projects:
        for sc in p.scores:
            key = f"{sc.object}/{sc.criterion}" + ("" if sc.participant is None else f"/{sc.participant}")
            out[key] = (sc.object, sc.criterion, sc.participant)
    return out


def _split_key(key: str, known: dict[str, tuple[str, str, str | None]], agreed: bool) -> tuple[str, str, str | None]:
    if key in known:
        return known[key]
    parts = key.split("/")
    if agreed or len(parts) < 3:
        return parts[0], "/".join(parts[1:]), None
    return parts[0], parts[1], "/".join(parts[2:])


def _method_label(method: Any, lang: str) -> str:
    key = f"versions.method.{method}"
    return _t(key, lang) if _known(key, lang) else str(method)


def _weight_rows(old: dict[str, Any], new: dict[str, Any], a: Project, b: Project, names: Names,
                 lang: str) -> list[ChangeRow]:
    what = _t("versions.kind_weights", lang)
    rows: list[ChangeRow] = []
    if old.get("method") != new.get("method"):
        return [ChangeRow(what, _t("versions.weight_method", lang), _method_label(old.get("method"), lang),
                          _method_label(new.get("method"), lang))]
    for part, label in (("points", "versions.weight_points"), ("ranks", "versions.weight_rank")):
        if part in old or part in new:
            po, pn = old.get(part) or {}, new.get(part) or {}
            for c in list(po) + [c for c in pn if c not in po]:
                if po.get(c) != pn.get(c):
                    rows.append(ChangeRow(what, f"{names.criterion(c)}{SEP}{_t(label, lang)}",
                                          format_value(po.get(c, MISSING), lang),
                                          format_value(pn.get(c, MISSING), lang)))
    if "matrix" in old or "matrix" in new:
        def pairs(matrix, project: Project) -> dict[tuple[str, str], float]:
            ids = [c.id for c in project.criteria]
            return {(ids[i], ids[j]): matrix[i][j] for i in range(len(matrix)) for j in range(i + 1, len(matrix))
                    if i < len(ids) and j < len(ids)}

        mo, mn = pairs(old.get("matrix") or [], a), pairs(new.get("matrix") or [], b)
        for ij in list(mo) + [k for k in mn if k not in mo]:
            if mo.get(ij) != mn.get(ij):
                ci, cj = ij
                rows.append(ChangeRow(what, _t("versions.ahp_pair", lang, a=names.criterion(ci), b=names.criterion(cj)),
                                      format_value(mo.get(ij, MISSING), lang), format_value(mn.get(ij, MISSING), lang)))
    for key in ("variant", "ri_table"):
        if old.get(key) != new.get(key):
            rows.append(ChangeRow(what, _field_label(key, lang), format_value(old.get(key, MISSING), lang),
                                  format_value(new.get(key, MISSING), lang)))
    return rows or [ChangeRow(what, "", _t("versions.changed", lang), _t("versions.changed", lang))]


def _field_label(name: str, lang: str) -> str:
    key = f"versions.field.{name}"
    return _t(key, lang) if _known(key, lang) else name


def _field_value(name: str, value: Any, lang: str) -> str:
    if name == "status" and isinstance(value, str) and _known(f"versions.object_status.{value}", lang):
        return _t(f"versions.object_status.{value}", lang)
    if name == "direction" and isinstance(value, str) and _known(f"versions.direction.{value}", lang):
        return _t(f"versions.direction.{value}", lang)
    if value is None:
        return "–"
    return format_value(value, lang)


def _item_rows(what_key: str, key: str, old_name: Any, new_name: Any, items_a: dict, items_b: dict,
               lang: str) -> list[ChangeRow]:
    what = _t(what_key, lang)
    if old_name is None or new_name is None:
        name = str(new_name if old_name is None else old_name)
        present, absent = _t("versions.present", lang), _t("versions.absent", lang)
        return [ChangeRow(what, name, absent, present) if old_name is None else ChangeRow(what, name, present, absent)]
    xa, xb = items_a.get(key), items_b.get(key)
    name = str(new_name)
    if xa is None or xb is None:  # not found in the projects: show the names only
        return [ChangeRow(what, name, str(old_name), str(new_name))]
    rows = []
    for f in fields(xa):
        va, vb = getattr(xa, f.name), getattr(xb, f.name)
        if f.name == "attributes":
            for k in list(va) + [k for k in vb if k not in va]:
                if va.get(k) != vb.get(k):
                    rows.append(ChangeRow(what, f"{name}{SEP}{k}", _field_value(k, va.get(k), lang),
                                          _field_value(k, vb.get(k), lang)))
        elif va != vb:
            rows.append(ChangeRow(what, f"{name}{SEP}{_field_label(f.name, lang)}", _field_value(f.name, va, lang),
                                  _field_value(f.name, vb, lang)))
    return rows or [ChangeRow(what, name, str(old_name), str(new_name))]


def change_rows(changes: Sequence[Any], a: Project, b: Project, lang: str) -> list[ChangeRow]:
    """Readable rows for ``versions.compare(a, b)``: what, where (names), old and new value."""
    names = names_of((a, b), lang)
    known = _score_keys((a, b))
    objects_a, objects_b = {o.id: o for o in a.objects}, {o.id: o for o in b.objects}
    criteria_a, criteria_b = {c.id: c for c in a.criteria}, {c.id: c for c in b.criteria}
    rows: list[ChangeRow] = []
    for ch in changes:
        if ch.what in ("score", "agreed"):
            o, c, p = _split_key(ch.key, known, ch.what == "agreed")
            where = [names.object(o), names.criterion(c)] + ([] if p is None else [names.participant(p)])
            rows.append(ChangeRow(_t(f"versions.kind_{ch.what}", lang), SEP.join(where),
                                  format_value(ch.old, lang), format_value(ch.new, lang)))
        elif ch.what == "weights":
            rows += _weight_rows(ch.old, ch.new, a, b, names, lang)
        elif ch.what == "object":
            rows += _item_rows("versions.kind_object", ch.key, ch.old, ch.new, objects_a, objects_b, lang)
        elif ch.what == "criterion":
            rows += _item_rows("versions.kind_criterion", ch.key, ch.old, ch.new, criteria_a, criteria_b, lang)
        else:
            rows.append(ChangeRow(str(ch.what), str(ch.key), format_value(ch.old, lang), format_value(ch.new, lang)))
    return rows


def _join(items: list[str], lang: str) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {_t('versions.and', lang)} {items[-1]}"


def summary(changes: Sequence[Any], lang: str) -> str:
    """One line, e.g. '12 poäng och vikterna har ändrats.'"""
    counts = {what: len({ch.key for ch in changes if ch.what == what})
              for what in ("score", "agreed", "object", "criterion")}
    items = []
    for what in ("score", "agreed"):
        if counts[what]:
            items.append(_t(f"versions.sum_{what}_{'one' if counts[what] == 1 else 'many'}", lang, n=counts[what]))
    if any(ch.what == "weights" for ch in changes):
        items.append(_t("versions.sum_weights", lang))
    for what in ("object", "criterion"):
        if counts[what]:
            items.append(_t(f"versions.sum_{what}_{'one' if counts[what] == 1 else 'many'}", lang, n=counts[what]))
    if not items:
        return _t("versions.sum_none", lang)
    text = _t("versions.summary", lang, items=_join(items, lang))
    return text[0].upper() + text[1:]


def file_name(version_name: str, version_id: int) -> str:
    """A safe download file name, e.g. 'version-3-Underlag-till-Samarbetskommitten.json'."""
    slug = re.sub(r"[^\w\-]+", "-", version_name, flags=re.UNICODE).strip("-")[:60]
    return f"version-{version_id}" + (f"-{slug}" if slug else "") + ".json"


# ------------------------------------------------------------------------------------- audit log


@dataclass(frozen=True)
class AuditRow:
    id: int
    round_id: int | None
    time: str
    who: str
    action: str  # the code, e.g. "score.set"
    action_label: str  # e.g. "Poäng satt"
    what: str
    old: str
    new: str

    def text(self) -> str:
        """Everything shown, for the text search."""
        return " ".join((self.time, self.who, self.action, self.action_label, self.what, self.old, self.new))


def action_label(action: str, lang: str) -> str:
    key = f"audit.action.{action}"
    return _t(key, lang) if _known(key, lang) else action


def who_label(actor: str, lang: str) -> str:
    """'facilitator:Anna' -> 'Anna (facilitator)'."""
    role, sep, name = actor.partition(":")
    if not sep:
        return actor
    key = f"role.{role}"
    return f"{name} ({_t(key, lang) if _known(key, lang) else role})"


_PHASE = re.compile(r"^(.*)/phase (\d+)$")


def _cell(text: str, names: Names) -> str:
    """'SOD-02/C1' -> 'Spårväg syd · Regional tillgänglighet' (ids may contain '/')."""
    for o in names.objects:
        if text.startswith(o + "/") and text[len(o) + 1:] in names.criteria:
            return f"{names.object(o)}{SEP}{names.criterion(text[len(o) + 1:])}"
    o, _, c = text.partition("/")
    return f"{names.object(o)}{SEP}{names.criterion(c)}" if c else text


def audit_target(action: str, target: str | None, names: Names, lang: str) -> str:
    if not target:
        return ""
    if action == "score.set":
        m = _PHASE.match(target)
        if m:
            return _t("audit.cell_phase", lang, cell=_cell(m.group(1), names), phase=m.group(2))
        return _cell(target, names)
    if action in ("agreed.set", "agreed.clear"):
        return _cell(target, names)
    if action in ("weights.own", "invitation.create"):
        return names.participant(target)
    return target


def _weights_text(w: dict[str, Any], names: Names, lang: str) -> str:
    parts = w.get("points") or w.get("ranks")
    label = _method_label(w.get("method"), lang)
    if isinstance(parts, dict):
        return _truncate(f"{label}: " + ", ".join(f"{names.criterion(k)} {format_value(v, lang)}"
                                                  for k, v in parts.items()))
    return label


def audit_value(text: str | None, action: str, names: Names, lang: str) -> str:
    """A stored old/new value (JSON text or plain text) as short readable text."""
    if text is None:
        return ""
    try:
        v = json.loads(text)
    except ValueError:
        v = text
    if action == "round.status" and isinstance(v, str) and _known(f"status.{v}", lang):
        return _t(f"status.{v}", lang)
    if action == "version.freeze" and isinstance(v, str):
        return f"SHA-256 {short_hash(v)}"
    if isinstance(v, dict) and "value" in v:
        note = v.get("comment") or v.get("note")
        return format_value(v["value"], lang) + (f" ({_truncate(str(note), 80)})" if note else "")
    if isinstance(v, dict) and "method" in v:
        return _weights_text(v, names, lang)
    if isinstance(v, list):
        return _t("audit.n_items", lang, n=len(v))
    if isinstance(v, dict):
        return _truncate(", ".join(f"{_t(f'audit.key.{k}', lang) if _known(f'audit.key.{k}', lang) else k}: "
                                   f"{format_value(x, lang)}" for k, x in v.items()))
    return format_value(v, lang)


def audit_rows(entries: Iterable[Any], lang: str, names_by_round: dict[int | None, Names] | None = None
               ) -> list[AuditRow]:
    """Rows for the audit table, in the order given (storage gives newest first)."""
    names_by_round = names_by_round or {}
    out = []
    for e in entries:
        names = names_by_round.get(e.round_id, EMPTY_NAMES)
        out.append(AuditRow(e.id, e.round_id, local_time(e.at, lang), who_label(e.actor, lang), e.action,
                            action_label(e.action, lang), audit_target(e.action, e.target, names, lang),
                            audit_value(e.old_value, e.action, names, lang),
                            audit_value(e.new_value, e.action, names, lang)))
    return out


def filter_rows(rows: Iterable[AuditRow], actions: Iterable[str] = (), who: Iterable[str] = (),
                text: str = "") -> list[AuditRow]:
    """Keep rows whose action is in ``actions`` and whose who is in ``who`` (empty = all) and that
    contain every word of ``text`` (case-insensitive)."""
    actions, who = set(actions), set(who)
    words = text.casefold().split()
    return [r for r in rows
            if (not actions or r.action in actions) and (not who or r.who in who)
            and all(w in r.text().casefold() for w in words)]


def page_of(rows: Sequence[AuditRow], page: int, size: int) -> tuple[list[AuditRow], int]:
    """Rows of 1-based ``page`` (clamped) and the number of pages (at least 1)."""
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(1, page), pages)
    return list(rows[(page - 1) * size: page * size]), pages
