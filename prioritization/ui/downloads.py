"""The priority-list downloads offered on the dashboard: file name, MIME type and a builder that
makes the bytes only when the user clicks (``st.download_button`` accepts a callable).

Every file is made from the version shown (live or frozen) and carries its name and SHA-256.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from prioritization import analysis, projectfile
from prioritization.exports import VersionStamp
from prioritization.exports.csv_export import priority_list_csv
from prioritization.exports.excel import priority_list_xlsx
from prioritization.exports.pdf import decision_document_pdf
from prioritization.model import Project

SENSITIVITY_SAMPLES = 2_000
SENSITIVITY_SEED = 1  # fixed: the same version always gives the same document


@dataclass(frozen=True)
class Download:
    kind: str  # "xlsx" | "csv" | "pdf" | "json"
    file_name: str
    mime: str
    build: Callable[[], bytes]


def downloads(project: Project, ranking: analysis.Ranking, version: VersionStamp, lang: str, *,
              tiers: Mapping[str, str] | None = None,
              sensitivity: Callable[[], analysis.SensitivityReport] | None = None,
              project_file: Callable[[], bytes] | None = None) -> list[Download]:
    """The downloads of ``project`` ranked as ``ranking``. ``sensitivity`` gives the (cached)
    analysis for the Excel sheet and the PDF; by default a 2 000-sample run with a fixed seed.
    ``project_file`` adds the project file (the exact canonical text of the version)."""

    def robustness():
        if sensitivity is not None:
            return sensitivity()
        return analysis.sensitivity(project, weights=ranking.weights, samples=SENSITIVITY_SAMPLES,
                                    seed=SENSITIVITY_SEED)

    t = dict(tiers) if tiers else None
    stem = "prioriteringslista" if lang == "sv" else "priority-list"
    items = [
        Download("xlsx", f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 lambda: priority_list_xlsx(project, ranking, version=version, sensitivity=robustness(), tiers=t,
                                            lang=lang)),
        Download("csv", f"{stem}.csv", "text/csv",
                 lambda: priority_list_csv(project, ranking, version=version, tiers=t, lang=lang)),
        Download("pdf", "beslutsunderlag.pdf" if lang == "sv" else "decision-document.pdf", "application/pdf",
                 lambda: decision_document_pdf(project, ranking, version=version, sensitivity=robustness(), tiers=t,
                                               timeline=list(project.milestones) or None, lang=lang)),
    ]
    if project_file is not None:
        items.append(Download("json", f"{'projekt' if lang == 'sv' else 'project'}-{version.sha256[:12]}.json",
                              "application/json", project_file))
    return items


def project_file_bytes(project: Project) -> bytes:
    """The canonical project file: for a frozen version exactly the stored text (same SHA-256)."""
    return projectfile.dumps(project).encode("utf-8")
