"""Exports of a project's results (Excel, CSV, ...): pure functions, data in, bytes out.

Every export is stamped with the version it was made from (:class:`VersionStamp`): the name of a
frozen version (or "Live (ej fryst)") and the SHA-256 of the canonical project file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prioritization import projectfile
from prioritization.model import Project

LIVE_NAME = "Live (ej fryst)"


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


__all__ = ["LIVE_NAME", "VersionStamp"]
