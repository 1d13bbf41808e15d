"""The audit log: who changed what, when, old -> new value."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization.i18n import local
from prioritization.safe_text import neutralise
from prioritization.storage.access import Actor, require_facilitator
from prioritization.storage.schema import AuditEntry

if TYPE_CHECKING:
    from prioritization.storage.database import Database


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def record(s: Session, actor: Actor, round_id: int | None, action: str, target: str | None = None,
           old: Any = None, new: Any = None) -> None:
    """Add an entry inside the caller's transaction (so it commits or rolls back with the change)."""
    s.add(AuditEntry(round_id=round_id, actor=f"{actor.role}:{actor.name}", action=action, target=target,
                     old_value=_text(old), new_value=_text(new)))


def entries(db: Database, actor: Actor, round_id: int | None = None, limit: int | None = None) -> list[AuditEntry]:
    require_facilitator(actor)
    with db.reader() as s:
        q = select(AuditEntry).order_by(AuditEntry.id.desc())
        if round_id is not None:
            q = q.where(AuditEntry.round_id == round_id)
        if limit:
            q = q.limit(limit)
        return list(s.scalars(q))


def export_csv(db: Database, actor: Actor, round_id: int | None = None) -> bytes:
    """The audit log as CSV (UTF-8 with BOM, ``;`` separated, for Excel)."""
    rows = entries(db, actor, round_id)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["id", "tid (Europe/Stockholm)", "vem", "åtgärd", "vad", "gammalt värde", "nytt värde"])
    for e in reversed(rows):  # one time zone for people, labelled (stored in UTC)
        w.writerow([e.id, local(e.at).isoformat(timespec="seconds"), _safe(e.actor), e.action, _safe(e.target),
                    _safe(e.old_value), _safe(e.new_value)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _safe(text: str | None) -> str:
    """Neutralise spreadsheet formulas (OWASP CSV injection), by the exports' rule."""
    return neutralise(text) if text else ""
