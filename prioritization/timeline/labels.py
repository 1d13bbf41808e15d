"""Words for the timeline in Swedish or English: a milestone's time as precise as it is, statuses,
follow-up steps and warnings. Texts come from the i18n catalogue (keys ``timeline.*`` and
``followup.*``); month names from Babel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from prioritization import i18n
from prioritization.timeline.follow_up import FollowUpStep
from prioritization.timeline.milestones import DAY, DONE, MONTH, SEASON, Milestone
from prioritization.timeline.schedule import TimelineWarning, countdown
from prioritization.timeline.seasons import season_span_label


def month_label(d: date, lang: str = "sv") -> str:
    """"januari 2024" / "January 2024"."""
    return i18n.month(d, lang)


def when_text(m: Milestone, lang: str = "sv") -> str:
    """A milestone's time in words, as precise as it is: "16 mars 2023", "februari 2023",
    "mars – april 2023" (month span), "vinter 2023/24" (season), "17 mars 2023 – 27 april 2023"."""
    if m.precision == SEASON:
        return season_span_label(m.start, m.end, lang)
    if m.precision == MONTH:
        a, b = month_label(m.start, lang), month_label(m.end, lang)
    elif m.precision == DAY:
        a = b = i18n.day(m.start, lang)
    else:
        a, b = i18n.day(m.start, lang), i18n.day(m.end, lang)
    return a if a == b else f"{a} – {b}"


def status_label(status: str, lang: str = "sv") -> str:
    return i18n.t(f"timeline.status.{status}", lang)


def kind_label(kind: str, lang: str = "sv") -> str:
    return i18n.t(f"timeline.kind.{kind}", lang)


def precision_label(precision: str, lang: str = "sv") -> str:
    return i18n.t(f"timeline.precision.{precision}", lang)


def step_label(step: str, lang: str = "sv") -> str:
    return i18n.t(f"followup.step.{step}", lang)


def step_when(s: FollowUpStep, lang: str = "sv") -> str:
    """A follow-up step's date as precise as it is: "15 januari 2024", "januari 2024", "2024"."""
    if s.precision == "year":
        return str(s.date.year)
    if s.precision == "month":
        return month_label(s.date, lang)
    return i18n.day(s.date, lang)


def warning_text(w: TimelineWarning, milestones: Sequence[Milestone], lang: str = "sv") -> str:
    """The warning as a sentence, with milestone titles in place of ids."""
    titles = {m.id: m.title(lang) for m in milestones}
    params = dict(w.params)
    for key in ("milestone", "dependency"):
        if key in params:
            params[key] = titles.get(params[key], params[key])
    return i18n.t(f"timeline.warning.{w.code}", lang, **params)


def countdown_text(milestones: Sequence[Milestone], today: date, lang: str) -> str:
    """The countdown to the decision in one sentence."""
    cd = countdown(milestones, today)
    if cd is None:
        return i18n.t("timeline.page.no_decision", lang)
    when = when_text(cd.milestone, lang)
    if cd.status == DONE:
        return i18n.t("timeline.page.decision_done", lang, when=when)
    if cd.days_to_start > 0:
        key = "timeline.page.countdown_one" if cd.days_to_start == 1 else "timeline.page.countdown"
        return i18n.t(key, lang, days=cd.days_to_start, when=when)
    if cd.days_to_end >= 0:
        return i18n.t("timeline.page.decision_now", lang, when=when, days=cd.days_to_end)
    return i18n.t("timeline.page.decision_overdue", lang, when=when, days=-cd.days_to_end)
