"""Frozen versions: immutable, named snapshots of a round, identified by the SHA-256 of their
canonical project file, and the comparison of two versions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from prioritization import projectfile
from prioritization.model import Project
from prioritization.storage import audit
from prioritization.storage.access import PARTICIPANT, VIEWER, AccessDenied, Actor, require_facilitator, require_round
from prioritization.storage.errors import StorageInputError
from prioritization.storage.rounds import _document, get_round
from prioritization.storage.schema import Version


@dataclass(frozen=True)
class VersionInfo:
    id: int
    round_id: int
    name: str
    created_at: datetime
    created_by: str
    sha256: str


def _info(v: Version) -> VersionInfo:
    return VersionInfo(v.id, v.round_id, v.name, v.created_at, v.created_by, v.sha256)


def freeze(db, actor: Actor, round_id: int, name: str) -> VersionInfo:
    """Freeze the round as it is now under ``name`` (e.g. "Underlag till Samarbetskommittén")."""
    require_facilitator(actor)
    name = (name or "").strip()
    if not name:
        raise StorageInputError("version_needs_name", "a version needs a name")
    with db.session() as s:
        r = get_round(s, round_id, for_update=True)
        project = projectfile.parse(_document(s, r), require_complete=False)
        text = projectfile.dumps(project)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        v = Version(round_id=round_id, name=name, created_by=actor.name, sha256=digest, project_json=text)
        s.add(v)
        s.flush()
        audit.record(s, actor, round_id, "version.freeze", name, None, digest)
        return _info(v)


def list_versions(db, actor: Actor, round_id: int) -> list[VersionInfo]:
    require_round(actor, round_id)
    with db.reader() as s:
        return [_info(v) for v in s.scalars(select(Version).where(Version.round_id == round_id).order_by(Version.id))]


def may_read(actor: Actor, status: str) -> bool:
    """Whether ``actor`` may read the frozen versions of a round in ``status`` (see stored_text)."""
    if actor.role == VIEWER:
        return status != "setup"
    if actor.role == PARTICIPANT:
        return status == "locked"
    return True


def stored_text(db, actor: Actor, version_id: int) -> str:
    """The exact canonical project file of a frozen version, after checking its SHA-256.

    A version carries named individual scores: the facilitator may always read it, a viewer once
    the round is past set-up (the committee's material), a participant once the round is locked.
    """
    with db.reader() as s:
        v = s.get(Version, version_id)
        if v is None:
            raise StorageInputError("no_such_version", f"there is no version {version_id}", version=version_id)
        require_round(actor, v.round_id)
        status = get_round(s, v.round_id).status
        if not may_read(actor, status):
            raise AccessDenied("not_released", "the round's results are not released yet")
        text, digest = v.project_json, v.sha256
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
        raise StorageInputError("version_corrupt", f"version {version_id} does not match its SHA-256", version=version_id)
    return text


def load(db, actor: Actor, version_id: int) -> Project:
    """The frozen project; its hash is checked on every load (tampering shows)."""
    return projectfile.loads(stored_text(db, actor, version_id), require_complete=False)


@dataclass(frozen=True)
class Change:
    what: str  # "score", "agreed", "weights", "object", "criterion", ...
    key: str
    old: object
    new: object


def compare(a: Project, b: Project) -> list[Change]:
    """What changed from ``a`` to ``b``: scores (per cell and participant), weights, objects, criteria."""
    changes: list[Change] = []

    def scores(p: Project):
        return {(sc.object, sc.criterion, sc.participant): sc.value for sc in p.scores}

    sa, sb = scores(a), scores(b)
    for key in list(sa) + [k for k in sb if k not in sa]:
        old, new = sa.get(key, "—"), sb.get(key, "—")
        if old != new:
            o, c, p = key
            changes.append(Change("agreed" if p is None else "score", f"{o}/{c}" + ("" if p is None else f"/{p}"),
                                  old, new))
    if projectfile.to_dict(a)["weights"] != projectfile.to_dict(b)["weights"]:
        changes.append(Change("weights", "weights", projectfile.to_dict(a)["weights"], projectfile.to_dict(b)["weights"]))
    for what, xs, ys in (("object", a.objects, b.objects), ("criterion", a.criteria, b.criteria)):
        da, db_ = {x.id: x for x in xs}, {y.id: y for y in ys}
        for k in list(da) + [k for k in db_ if k not in da]:
            if da.get(k) != db_.get(k):
                changes.append(Change(what, k, None if k not in da else da[k].name, None if k not in db_ else db_[k].name))
    return changes
