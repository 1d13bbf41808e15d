"""The priority-list downloads offered on the dashboard: file name, MIME type and a builder that
makes the bytes only when the user clicks (``st.download_button`` accepts a callable).

Every file is made from the version shown (live or frozen) and carries its name and SHA-256
fingerprint; the file names carry the short fingerprint (first 12 hex digits), like the project
file's. A list ranked by a comparison weight profile says so inside every file and in its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from prioritization import analysis, projectfile
from prioritization.exports import VersionStamp, file_name
from prioritization.exports.csv_export import priority_list_csv
from prioritization.exports.excel import priority_list_xlsx
from prioritization.exports.pdf import decision_document_pdf
from prioritization.model import Project


@dataclass(frozen=True)
class Download:
    kind: str  # "xlsx" | "csv" | "pdf" | "json"
    file_name: str
    mime: str
    build: Callable[[], bytes]


def downloads(project: Project, ranking: analysis.Ranking, version: VersionStamp, lang: str, *,
              tiers: Mapping[str, str] | None = None,
              sensitivity: Callable[[], analysis.SensitivityReport] | None = None,
              project_file: Callable[[], bytes] | None = None,
              weights_label: str | None = None,
              key_findings: Callable[[analysis.SensitivityReport], list[str]] | None = None) -> list[Download]:
    """The downloads of ``project`` ranked as ``ranking``. ``sensitivity`` gives the (cached)
    analysis for the Excel sheet and the PDF; by default the committee's settings
    (:data:`analysis.DECISION_SENSITIVITY`, as on the sensitivity page and in ``prioritization export``).
    ``project_file`` adds the project file (the exact canonical text of the version).
    ``weights_label``: None when ``ranking`` uses the weights in use, else the weight profile's
    name; Excel, CSV, PDF and their file names then say the list is a comparison.
    ``key_findings`` turns the sensitivity analysis into the summary sentences the app shows, for the PDF."""

    def robustness():
        if sensitivity is not None:
            return sensitivity()
        d = analysis.DECISION_SENSITIVITY
        return analysis.sensitivity(project, weights=ranking.weights, samples=d.samples, seed=d.seed,
                                    weight_model=d.weight_model, score_model=d.score_model)

    t = dict(tiers) if tiers else None

    def _pdf(report: analysis.SensitivityReport) -> bytes:
        return decision_document_pdf(project, ranking, version=version, sensitivity=report, tiers=t,
                                     timeline=list(project.milestones) or None, lang=lang,
                                     weights_label=weights_label,
                                     key_findings=key_findings(report) if key_findings else None)
    stem = "prioriteringslista" if lang == "sv" else "priority-list"
    doc = "beslutsunderlag" if lang == "sv" else "decision-document"

    def name(base: str, ext: str) -> str:
        return file_name(base, version, ext, weights_label=weights_label, lang=lang)

    items = [
        Download("xlsx", name(stem, "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 lambda: priority_list_xlsx(project, ranking, version=version, sensitivity=robustness(), tiers=t,
                                            lang=lang, weights_label=weights_label)),
        Download("csv", name(stem, "csv"), "text/csv",
                 lambda: priority_list_csv(project, ranking, version=version, tiers=t, lang=lang,
                                           weights_label=weights_label)),
        Download("pdf", name(doc, "pdf"), "application/pdf", lambda: _pdf(robustness())),
    ]
    if project_file is not None:
        items.append(Download("json", f"{'projekt' if lang == 'sv' else 'project'}-{version.sha256[:12]}.json",
                              "application/json", project_file))
    return items


def project_file_bytes(project: Project) -> bytes:
    """The canonical project file: for a frozen version exactly the stored text (same SHA-256)."""
    return projectfile.dumps(project).encode("utf-8")
