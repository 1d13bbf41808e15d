"""Re-evaluation ("omprövas", issue 14) of a stored round: which objects changed enough since the
baseline version to be re-evaluated, and the facilitator's decision that closes such a flag.

The *baseline* is the frozen version the committee's decision refers to (``committee.decision``,
:class:`prioritization.committee.model.Decision`) or, before a decision, the round's last frozen
version (:mod:`prioritization.storage.versions`). The triggers and the rule that a review closes a
flag are pure (:mod:`prioritization.planning.reevaluation`); this module reads the round's set-up as
it is now and the baseline, and writes a :class:`~prioritization.planning.model.Review` into the
object's ``plan.reviews``.

Reading: everyone who may see the round's results (:func:`prioritization.storage.versions.may_read`:
the facilitator always, viewers and municipal representatives once the round is past set-up,
participants once it is locked); the baseline is read through ``versions.stored_text``, checked
(never a broken version) and anonymised as that reader gets it.

Writing (:func:`close_flag`): the facilitator only, in one transaction that locks the round row,
checks the signed-in session (``sessions.require_live``) and the row version the page read
(:class:`StaleWrite`), recomputes the flag from the stored round and baseline (never from the
caller), validates the whole round with the project file reader and is audited
(``object.review``); on any refusal nothing stored changes. Refusals with their ``code``:

=====================  ===================================================================
code                   refused because
=====================  ===================================================================
no_such_object         no such object in the round
no_baseline            the round has no frozen version to compare with
no_open_flag           the object has no open re-evaluation flag
bad_decision           a decision other than keep, rescore, remove
reason_missing         no reason, or one of only white space and invisible characters
bad_text               the reason is too long (``prioritization.text_rules``)
bad_cost_share         the cost share is not a number above 0 and at most 10 (1000 %)
version_corrupt        the baseline version is not what was frozen
invalid_project        the round would not be a valid project afterwards
=====================  ===================================================================
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization import i18n, projectfile, text_rules
from prioritization.errors import ProjectFileError
from prioritization.model import WITHDRAWN, Project
from prioritization.planning import fileformat as plan_format
from prioritization.planning import reevaluation, vocab
from prioritization.planning.model import Review
from prioritization.planning.reevaluation import Flag
from prioritization.storage import audit, rounds, versions
from prioritization.storage.access import AccessDenied, Actor, require_facilitator, require_round
from prioritization.storage.committee import _says_nothing
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import Object as ObjectRow
from prioritization.storage.schema import Round, Version, utcnow
from prioritization.storage.sessions import require_live

if TYPE_CHECKING:
    from prioritization.storage.database import Database

DEFAULT_COST_SHARE = vocab.DEFAULT_COST_SHARE
MAX_COST_SHARE = 10.0  # 1000 %: anything above is a typing error, not a threshold


class Baseline(NamedTuple):
    """The version flags are computed against: its SHA-256, name and project."""

    sha256: str
    name: str
    project: Project


@dataclasses.dataclass(frozen=True)
class ReevaluationState:
    """What a page shows: the baseline version (None: nothing frozen yet), whether the committee
    decided on it, the flags (open and closed) of the set-up as it is now, that set-up (for names
    and statuses) and the round's row version read first (it guards :func:`close_flag`)."""

    version: versions.VersionInfo | None
    decided: bool
    flags: tuple[Flag, ...]
    project: Project
    row_version: int
    cost_share: float

    @property
    def open(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.is_open)

    @property
    def closed(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if not f.is_open)


# ------------------------------------------------------------------------------------ reading


def _decided_sha(r: Round) -> str | None:
    decision = (r.committee or {}).get("decision")
    sha = decision.get("version") if isinstance(decision, dict) else None
    return sha if isinstance(sha, str) else None


def _baseline_row(s: Session, r: Round) -> tuple[Version | None, bool]:
    """The baseline's row and whether it is the decided version: the version the committee's
    decision refers to (the newest frozen with that SHA-256), else the newest frozen version."""
    # ids and digests only: the frozen texts are loaded for the one version chosen
    rows = s.execute(select(Version.id, Version.sha256).where(Version.round_id == r.id).order_by(Version.id)).all()
    sha = _decided_sha(r)
    decided = [vid for vid, digest in rows if sha is not None and digest == sha]
    if decided:
        return s.get(Version, decided[-1]), True
    return (s.get(Version, rows[-1][0]) if rows else None), False


def _cost_share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not 0 < value <= MAX_COST_SHARE:
        raise StorageInputError("bad_cost_share", f"the cost share must be a number above 0 and at most "
                                f"{MAX_COST_SHARE:g}, got {value!r}", value=str(value))
    return float(value)


def _require_results(s: Session, actor: Actor, round_id: int) -> Round:
    require_round(actor, round_id)
    r = rounds.get_round(s, round_id)
    if not versions.may_read(actor, r.status):
        raise AccessDenied("not_released", "the round's results are not released yet")
    return r


def _read_baseline(db: Database, actor: Actor, round_id: int, *, with_scores: bool = True
                   ) -> tuple[versions.VersionInfo, bool, Project] | None:
    with db.reader() as s:
        r = _require_results(s, actor, round_id)
        v, decided = _baseline_row(s, r)
        info = None if v is None else versions._info(v)
    if info is None:
        return None
    return info, decided, versions.load(db, actor, info.id, with_scores=with_scores)  # checked again


def baseline(db: Database, actor: Actor, round_id: int) -> Baseline | None:
    """The last decided version (the frozen version the committee's decision refers to), else the
    last frozen version, as ``actor`` may read it; None when nothing has been frozen. Refused
    (``not_released``) for whoever may not see the round's results yet."""
    found = _read_baseline(db, actor, round_id)
    if found is None:
        return None
    info, _, project = found
    return Baseline(info.sha256, info.name, project)


def state(db: Database, actor: Actor, round_id: int, cost_share: float = DEFAULT_COST_SHARE) -> ReevaluationState:
    """The baseline, the flags of the round's set-up as it is now against it and the row version
    (read first) that :func:`close_flag` is given back."""
    share = _cost_share(cost_share)
    with db.reader() as s:
        r = _require_results(s, actor, round_id)
        row_version = r.row_version
    current = rounds.setup_project(db, actor, round_id)
    found = _read_baseline(db, actor, round_id, with_scores=False)  # flags compare objects, not scores
    if found is None:
        return ReevaluationState(None, False, (), current, row_version, share)
    info, decided, before = found
    return ReevaluationState(info, decided, tuple(reevaluation.flags(current, before, info.sha256, share)),
                             current, row_version, share)


def flags(db: Database, actor: Actor, round_id: int, cost_share: float = DEFAULT_COST_SHARE) -> list[Flag]:
    """Every object whose set-up now differs enough from the baseline to be re-evaluated (open and
    closed flags, in the round's object order); none when nothing has been frozen."""
    return list(state(db, actor, round_id, cost_share).flags)


# ------------------------------------------------------------------------------------ writing


def stockholm_day(now: datetime) -> date:
    """The calendar day in Sweden at ``now`` (a naive time is UTC)."""
    return i18n.local(now).date()


def _review_data(review: Review) -> dict[str, Any]:
    return {"baseline": review.baseline, "changes": list(review.changes), "decision": review.decision,
            "reason": review.reason, "date": review.date.isoformat(), "by": review.by}


def close_flag(db: Database, actor: Actor, round_id: int, object_id: str, decision: str, reason: str,
               expected_row_version: int, now: datetime | None = None, *,
               cost_share: float = DEFAULT_COST_SHARE) -> int:
    """Close the object's open re-evaluation flag with the facilitator's ``decision`` (keep,
    rescore, remove) and ``reason``: a review (baseline SHA-256, the flag's changes as recomputed
    here, decision, reason, today in Stockholm, by the facilitator's name) is added to the object's
    ``plan.reviews``. "remove" also withdraws the object (status ``withdrawn``; its data, review and
    stored scores stay); "rescore" leaves it a candidate (the facilitator reopens scoring).
    ``cost_share`` is the threshold the flag was shown with. Returns the new row version."""
    require_facilitator(actor)
    require_round(actor, round_id)
    share = _cost_share(cost_share)
    if decision not in vocab.REVIEW_DECISIONS:
        raise StorageInputError("bad_decision", f"a decision is one of {', '.join(vocab.REVIEW_DECISIONS)}, "
                                f"got {decision!r}", decision=str(decision))
    if not isinstance(reason, str) or _says_nothing(reason):
        raise StorageInputError("reason_missing", "closing a re-evaluation needs a reason")
    reason = reason.strip()
    if (why := text_rules.problem("reason", reason)) is not None:
        raise StorageInputError("bad_text", f"the reason {why}", place="reason", problem=why)
    with db.session() as s:
        r = rounds.get_round(s, round_id, for_update=True)  # writers of this round wait here
        require_live(s, actor)
        if r.row_version != expected_row_version:
            raise StaleWrite("the round set-up")
        doc = rounds._document(s, r)
        try:
            current = projectfile.parse(doc, require_complete=False)
        except ProjectFileError as e:
            raise StorageInputError("invalid_project", f"the round is not a valid project: {e}",
                                    problems="; ".join(str(p) for p in e.problems[:5])) from None
        index = next((i for i, o in enumerate(current.objects) if o.id == object_id), None)
        if index is None:
            raise StorageInputError("no_such_object", f"there is no object {object_id!r} in this round",
                                    object=str(object_id))
        v, _ = _baseline_row(s, r)
        if v is None:
            raise StorageInputError("no_baseline", "the round has no frozen version to compare with")
        if versions._check(s, v) == versions.BROKEN:
            raise StorageInputError("version_corrupt", f"version {v.id} is not what was frozen", version=v.id)
        before = projectfile.loads(v.project_json, require_complete=False, check_text=False)
        flag = next((f for f in reevaluation.flags(current, before, v.sha256, share) if f.object == object_id), None)
        if flag is None or not flag.is_open:
            raise StorageInputError("no_open_flag", f"{object_id!r} has no open re-evaluation flag",
                                    object=str(object_id))
        obj = current.objects[index]
        review = Review(v.sha256, flag.keys, decision, reason, stockholm_day(now or utcnow()),
                        actor.name)
        data = dict(plan_format.upgrade_object(doc["objects"][index]))
        data["plan"] = plan_format.to_data(dataclasses.replace(obj.plan, reviews=(*obj.plan.reviews, review)))
        if decision == "remove":
            data["status"] = WITHDRAWN
        doc["objects"] = [data if i == index else o for i, o in enumerate(doc["objects"])]
        try:
            projectfile.parse(doc, require_complete=False)  # the whole round, as it will be
        except ProjectFileError as e:
            raise StorageInputError("invalid_project", f"the review would leave an invalid round: {e}",
                                    problems="; ".join(str(p) for p in e.problems[:5])) from None
        row = s.scalar(select(ObjectRow).where(ObjectRow.round_id == r.id, ObjectRow.key == object_id))
        assert row is not None  # the document was read from these rows in this transaction
        row.data = data
        r.row_version += 1
        audit.record(s, actor, r.id, "object.review", object_id, {"status": obj.status},
                     {**_review_data(review), "status": data.get("status", obj.status)})
        return r.row_version
