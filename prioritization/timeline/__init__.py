"""The political calendar toward the decision, and the follow-up of prioritised objects.

Pure domain code (no Streamlit):

* :mod:`.seasons`: month and season bands (vår Mar–May, sommar Jun–Aug, höst Sep–Nov, vinter
  Dec–Feb across the year end) and their labels;
* :mod:`.milestones`: the :class:`Milestone` value object, validation of the ``milestones`` part
  of the project file with exact error paths, and its canonical serialisation;
* :mod:`.schedule`: effective status and lateness on a given day, warnings, the countdown to the
  decision, "next up", topological order and the critical chain;
* :mod:`.template`: the milestones of a new round for the plan round starting in year N;
* :mod:`.follow_up`: follow-up tracks (bevakning) of objects after the decision;
* :mod:`.labels`: the words for all of this in Swedish and English;
* :mod:`.ical`: export to iCalendar (.ics) for Outlook.

Storage (database) functions are in :mod:`prioritization.storage.timeline`.
"""

from prioritization.timeline.follow_up import STEPS, FollowUp, FollowUpStep, latest_step
from prioritization.timeline.milestones import (
    DONE,
    EXTERNAL,
    IN_PROGRESS,
    INTERNAL,
    KINDS,
    LATE,
    PLANNED,
    PRECISIONS,
    STATUSES,
    Milestone,
    MilestoneLinks,
)

__all__ = ["DONE", "EXTERNAL", "IN_PROGRESS", "INTERNAL", "KINDS", "LATE", "PLANNED", "PRECISIONS", "STATUSES",
           "STEPS", "FollowUp", "FollowUpStep", "Milestone", "MilestoneLinks", "latest_step"]
