"""Frozen versions: immutable, named snapshots of a round, identified by the SHA-256 of their
canonical project file, sealed with a key outside the database (``storage.seal``) and checked on
every read; and the comparison of two versions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from prioritization import projectfile, text_rules
from prioritization.anonymity import anonymised
from prioritization.model import Project
from prioritization.storage import audit, seal
from prioritization.storage.access import (
    FACILITATOR,
    MUNICIPALITY,
    PARTICIPANT,
    VIEWER,
    AccessDenied,
    Actor,
    may_see_named_ratings,
    require_facilitator,
    require_round,
)
from prioritization.storage.errors import StorageInputError
from prioritization.storage.memo import Memo
from prioritization.storage.rounds import _document, get_round, visible_document, window_closed
from prioritization.storage.schema import AuditEntry, Version, utcnow
from prioritization.storage.sessions import require_live

if TYPE_CHECKING:
    from prioritization.storage.database import Database


@dataclass(frozen=True)
class VersionInfo:
    id: int
    round_id: int
    name: str
    created_at: datetime
    created_by: str
    sha256: str
    # the result of checking the version (CHECKS): is it what was frozen?
    check: str = ""


# The result of checking a frozen version, from strongest to none:
SEALED = "sealed"  # the seal (keyed, key outside the database) and the audit log's digest hold
AUDIT_ONLY = "audit_only"  # frozen before seals: text, hash and the audit log's digest agree
NO_KEY = "no_key"  # sealed, but this installation has no key to check the seal with
BROKEN = "broken"  # text, hash, name, author, time or seal changed since freezing: never loaded
CHECKS = (SEALED, AUDIT_ONLY, NO_KEY, BROKEN)


def _seal_message(v: Version) -> bytes:
    return seal.message(v.id, v.round_id, v.name, v.created_by, v.created_at, v.sha256)


def _check(s, v: Version) -> str:
    """Is this stored version what was frozen? See CHECKS."""
    if hashlib.sha256(v.project_json.encode("utf-8")).hexdigest() != v.sha256:
        return BROKEN
    recorded = s.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "version.freeze", AuditEntry.round_id == v.round_id,
        AuditEntry.target == v.name, AuditEntry.new_value == v.sha256).limit(1))
    if recorded is None:
        return BROKEN
    if v.seal is None:
        return AUDIT_ONLY
    holds = seal.holds(_seal_message(v), v.seal)
    return NO_KEY if holds is None else SEALED if holds else BROKEN


def _info(v: Version, check: str = "") -> VersionInfo:
    return VersionInfo(v.id, v.round_id, v.name, v.created_at, v.created_by, v.sha256, check)


def freeze(db: Database, actor: Actor, round_id: int, name: str, *, now: datetime | None = None) -> VersionInfo:
    """Freeze the round as it is now under ``name`` (e.g. "Underlag till Samarbetskommittén"),
    sealed (storage.seal) and with its digest in the audit log. ``now``: when it was frozen, for a
    trusted caller entering past events (the example's seeding); default the current time."""
    require_facilitator(actor)
    name = (name or "").strip()
    if not name:
        raise StorageInputError("version_needs_name", "a version needs a name")
    if (why := text_rules.problem("name", name)) is not None:
        raise StorageInputError("bad_version_name", f"the version name {why}", limit=text_rules.MAX_NAME)
    with db.session() as s:
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
        r = get_round(s, round_id, for_update=True)
        project = projectfile.parse(_document(s, r), require_complete=False, check_text=False)
        text = projectfile.dumps(project)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        v = Version(round_id=round_id, name=name, created_by=actor.name, sha256=digest, project_json=text,
                    created_at=(now or utcnow()).replace(microsecond=0))
        s.add(v)
        s.flush()
        v.seal = seal.make(_seal_message(v))
        audit.record(s, actor, round_id, "version.freeze", name, None, digest)
        return _info(v, SEALED)


def list_versions(db: Database, actor: Actor, round_id: int, *, checked: bool = False) -> list[VersionInfo]:
    """The round's versions; with ``checked`` each carries the result of checking it (CHECKS),
    which hashes every stored text: the versions page asks for it, the result pages (every run)
    do not, since reading a version (stored_text) checks it anyway."""
    require_round(actor, round_id)
    with db.reader() as s:
        return [_info(v, _check(s, v) if checked else "")
                for v in s.scalars(select(Version).where(Version.round_id == round_id).order_by(Version.id))]


def may_read(actor: Actor, status: str) -> bool:
    """Whether ``actor`` may read the frozen versions of a round in ``status`` (see stored_text)."""
    if actor.role in (VIEWER, MUNICIPALITY):  # a municipal representative reads results like a viewer
        return status != "setup"
    if actor.role == PARTICIPANT:
        return status == "locked"
    return True


def named(actor: Actor, status: str) -> bool:
    """Whether what ``actor`` reads of a version carries names (else: anonymous ratings)."""
    return may_see_named_ratings(actor, status)


def stored_text(db: Database, actor: Actor, version_id: int) -> str:
    """The canonical project file of a frozen version as ``actor`` may see it (:func:`view`)."""
    return view(db, actor, version_id)[0]


def view(db: Database, actor: Actor, version_id: int) -> tuple[str, str]:
    """(The canonical project file of a frozen version, after checking it (never a broken one), as
    ``actor`` may see it; that text's SHA-256.)

    The facilitator may always read a version; a viewer once the round is past set-up (the
    committee's material), a participant once the round is locked. Who is not allowed named
    ratings yet (``access.may_see_named_ratings``) gets the version with anonymous ratings
    (``prioritization.anonymity``): a version frozen during scoring must not tell a viewer what
    each official scored. Nor one frozen during the committee's input window what the other
    municipalities submitted (``rounds.visible_document``), until the window has closed.
    """
    with db.reader() as s:
        v = s.get(Version, version_id)
        if v is None:
            raise StorageInputError("no_such_version", f"there is no version {version_id}", version=version_id)
        require_round(actor, v.round_id)
        status = get_round(s, v.round_id).status
        if not may_read(actor, status):
            raise AccessDenied("not_released", "the round's results are not released yet")
        if _check(s, v) == BROKEN:
            raise StorageInputError("version_corrupt", f"version {version_id} is not what was frozen "
                                    "(its text, hash, name, author, time or seal changed)", version=version_id)
        text = v.project_json
        closed = window_closed(get_round(s, v.round_id).committee)
    return _as_seen(text, v.sha256, actor, status, closed)


# What a kind of reader sees of a checked version, and the projects read from it: made once per
# process (storage.memo), since a frozen text never changes. Keyed by the checked digest and what
# the reader's view depends on: the role and municipality (rounds.visible_document), whether the
# input window has closed, whether names are shown (access.may_see_named_ratings).
# Sizes: one version read by every kind of reader during the input window (8 municipalities, a
# viewer, a participant) fits, twice over for the projects (with and without scores).
_SEEN: Memo[tuple[str, str]] = Memo(12)
_LOADED: Memo[Project] = Memo(24)


def _as_seen(text: str, digest: str, actor: Actor, status: str, closed: bool) -> tuple[str, str]:
    """(the text ``actor`` may see of a checked version whose SHA-256 is ``digest``, that text's SHA-256)."""
    if actor.role == FACILITATOR:
        return text, digest
    is_named = named(actor, status)
    key = (digest, actor.role, actor.municipality, closed, is_named)

    def make() -> tuple[str, str]:
        data = json.loads(text)
        shown = visible_document(data, actor, closed=closed)
        if is_named and shown is data:  # nothing left out: the text as frozen
            return text, digest
        if not is_named:
            shown = anonymised(shown)
        out = projectfile.dumps(projectfile.parse(shown, require_complete=False, check_text=False))
        return out, hashlib.sha256(out.encode("utf-8")).hexdigest()

    return _SEEN.get(key, make)


def load(db: Database, actor: Actor, version_id: int, *, with_scores: bool = True) -> Project:
    """The frozen project; it is checked on every load (tampering shows). ``with_scores=False``
    leaves the scores out (what is compared with the set-up, e.g. re-evaluation, needs the objects,
    not the tens of thousands of score records a large round holds). The project read from one text
    is read once per process (it never changes: the check runs on every load all the same)."""
    text, digest = view(db, actor, version_id)
    return _LOADED.get((digest, with_scores), lambda: _read(text, with_scores))


def _read(text: str, with_scores: bool) -> Project:
    if with_scores:
        return projectfile.loads(text, require_complete=False, check_text=False)
    data = projectfile.decode(text)
    data["scores"] = []
    return projectfile.parse(data, require_complete=False, check_text=False)


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
