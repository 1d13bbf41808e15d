"""Export milestones to iCalendar (RFC 5545, ``.ics``) so the dates go into Outlook.

Every milestone becomes an all-day event from its start to its end: a day, a month, a season band
or a range. As RFC 5545 requires for all-day events, DTEND is the day *after* the last day
(exclusive). Events are marked free time (TRANSP: TRANSPARENT) so a season-long band does not
block anyone's calendar. UIDs are derived from a scope (e.g. the round) and the milestone id, so
importing an updated file updates the events instead of duplicating them. Titles are Swedish by
default. Serialisation (escaping, line folding) is done by the ``icalendar`` package.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import icalendar

from prioritization import i18n
from prioritization.timeline.labels import kind_label, status_label, when_text
from prioritization.timeline.milestones import Milestone

PRODID = "-//Sodertornskommunerna//Prioritering av transportinfrastruktur//SV"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:prioritization:timeline")


def event_uid(milestone_id: str, scope: str = "") -> str:
    """A stable UID: the same scope and milestone id always give the same UID."""
    return f"{uuid.uuid5(_NAMESPACE, f'{scope}/{milestone_id}')}@prioritization"


def _description(m: Milestone, milestones: Sequence[Milestone], lang: str) -> str:
    titles = {x.id: x.title(lang) for x in milestones}
    lines = [i18n.t("timeline.ics.when", lang, when=when_text(m, lang)),
             i18n.t("timeline.ics.kind", lang, kind=kind_label(m.kind, lang)),
             i18n.t("timeline.ics.status", lang, status=status_label(m.status, lang))]
    if m.decision:
        lines.append(i18n.t("timeline.ics.decision", lang))
    if m.owner:
        lines.append(i18n.t("timeline.ics.owner", lang, owner=m.owner))
    if m.depends_on:
        lines.append(i18n.t("timeline.ics.depends", lang, items="; ".join(titles.get(d, d) for d in m.depends_on)))
    if m.note:
        lines.append(i18n.t("timeline.ics.note", lang, note=m.note))
    if m.source:
        lines.append(i18n.t("timeline.ics.source", lang, source=m.source))
    return "\n".join(lines)


def to_ics(milestones: Sequence[Milestone], *, lang: str = "sv", calendar_name: str | None = None,
           scope: str = "", stamp: datetime | None = None) -> bytes:
    """The milestones as an iCalendar file (UTF-8 bytes, CRLF line ends).

    ``scope`` makes the UIDs unique per round or project (e.g. the round id or the project name);
    ``calendar_name`` is shown by Outlook and other clients (X-WR-CALNAME); ``stamp`` is DTSTAMP
    (default: now, UTC; pass a fixed time for reproducible files).
    """
    if lang not in i18n.LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} ({', '.join(i18n.LANGUAGES)})")
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if calendar_name:
        cal.add("x-wr-calname", calendar_name)
    for m in milestones:
        ev = icalendar.Event()
        ev.add("uid", event_uid(m.id, scope))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m.start)  # a date: VALUE=DATE, an all-day event
        ev.add("dtend", m.end + timedelta(days=1))  # exclusive
        ev.add("summary", m.title(lang))
        ev.add("description", _description(m, milestones, lang))
        ev.add("categories", [kind_label(m.kind, lang)])
        ev.add("transp", "TRANSPARENT")
        ev.add("x-microsoft-cdo-alldayevent", "TRUE")
        cal.add_component(ev)
    return cal.to_ical()
