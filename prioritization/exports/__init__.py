"""Exports of a project's results (Excel, CSV, PDF): pure functions, data in, bytes out.

Every export is stamped with the version it was made from (:class:`VersionStamp`): the name of a
frozen version (or "Live (ej fryst)") and the SHA-256 fingerprint of the canonical project file.
It also says which weights ranked the list (:func:`weights_text`): the weights in use, or a
weight profile shown for comparison, so a list ranked by a comparison profile never looks like
the real one. (The invitation sheet and e-mails, :mod:`prioritization.exports.invitations`, are
about people and links, not results, and carry no version.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from prioritization import i18n, projectfile
from prioritization.committee.model import Draft
from prioritization.model import Project, WeightProfile

LIVE_NAME = "Live (ej fryst)"  # the Swedish name of the live state; stored in stamps, shown by live_name()
LIVE_NAMES = {"sv": LIVE_NAME, "en": "Live (not frozen)"}
SHORT_SHA = 12  # hex digits of the fingerprint in file names and footers


def live_name(lang: str = "sv") -> str:
    """The name of the live (not frozen) state in ``lang``."""
    return LIVE_NAMES.get(lang, LIVE_NAME)


@dataclass(frozen=True)
class VersionStamp:
    """Which version of the project an export shows."""

    name: str
    sha256: str
    frozen_at: datetime | None = None

    @classmethod
    def live(cls, project: Project) -> VersionStamp:
        """The live (not frozen) state: identified by the hash of its canonical project file."""
        return cls(LIVE_NAME, projectfile.sha256(project))

    @property
    def frozen(self) -> bool:
        """A frozen version has a freeze time; anything else is a draft that may still change."""
        return self.frozen_at is not None

    def shown_name(self, lang: str = "sv") -> str:
        """The name to print: the live state's name in ``lang``, a frozen version's own name."""
        return live_name(lang) if self.name == LIVE_NAME and not self.frozen else self.name


def weights_text(weights_label: str | None, lang: str = "sv") -> str:
    """Which weights ranked the list: "vikterna i bruk", or for a comparison profile
    "viktprofil ”X” (jämförelse – inte vikterna i bruk)"."""
    if weights_label is None:
        return i18n.t("export.weights_in_use", lang)
    return i18n.t("export.weights_profile", lang, name=weights_label)


def find_profile(project: Project, weights_label: str | None) -> WeightProfile | None:
    """The weight profile named ``weights_label`` (by name, else by id); None for the weights in use
    or when no single profile matches."""
    if weights_label is None:
        return None
    for key in ("name", "id"):
        found = [p for p in project.weight_profiles if getattr(p, key) == weights_label]
        if len(found) == 1:
            return found[0]
    return None


def weighting_method(project: Project, weights_label: str | None) -> str | None:
    """How the weights shown were elicited (e.g. "direct"): the weights in use or the profile's own
    method; None when ``weights_label`` names no single profile of the project."""
    if weights_label is None:
        return project.weights.method
    profile = find_profile(project, weights_label)
    return None if profile is None else profile.weights.method


def shown_draft(project: Project) -> Draft | None:
    """The draft list whose anchoring the exports show (issue 13): the one out for reply, else the
    latest sent; None before any draft was sent."""
    c = project.committee
    return c.current_draft or (c.drafts[-1] if c.drafts else None)


def check_texts(project: Project, lang: str = "sv") -> dict[str, str]:
    """Screening check id -> its text in ``lang`` (the Swedish text when there is no English one)."""
    return {c.id: (c.text_en if lang == "en" and c.text_en else c.text) for c in project.committee.checklist}


def slug(text: str) -> str:
    """ASCII file-name part: "Omställning 2030" -> "omstallning-2030" ("" when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


def file_name(stem: str, version: VersionStamp, ext: str, *, weights_label: str | None = None,
              lang: str = "sv") -> str:
    """``<stem>-<sha12>[-viktprofil-<name>].<ext>``: the fingerprint tells versions apart, the
    profile part tells a comparison ranking from the real one."""
    parts = [stem, version.sha256[:SHORT_SHA]]
    if weights_label is not None:
        parts += ["viktprofil" if lang == "sv" else "profile", *filter(None, [slug(weights_label)])]
    return "-".join(parts) + "." + ext


__all__ = ["LIVE_NAME", "LIVE_NAMES", "VersionStamp", "check_texts", "file_name", "find_profile", "live_name", "shown_draft",
           "slug", "weighting_method", "weights_text"]
