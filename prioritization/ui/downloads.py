"""The priority-list downloads offered on the ranking page: file name, MIME type and a builder
that makes the bytes only when the user clicks (``st.download_button`` accepts a callable)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from prioritization import analysis
from prioritization.exports import VersionStamp
from prioritization.exports.csv_export import priority_list_csv
from prioritization.exports.excel import priority_list_xlsx
from prioritization.exports.pdf import decision_document_pdf
from prioritization.model import Project

SENSITIVITY_SAMPLES = 2_000
SENSITIVITY_SEED = 1  # fixed: the same version always gives the same document


@dataclass(frozen=True)
class Download:
    kind: str  # "xlsx" | "csv" | "pdf"
    file_name: str
    mime: str
    build: Callable[[], bytes]


def downloads(project: Project, ranking: analysis.Ranking, version: VersionStamp, lang: str) -> list[Download]:
    def sensitivity():
        return analysis.sensitivity(project, weights=ranking.weights, samples=SENSITIVITY_SAMPLES,
                                    seed=SENSITIVITY_SEED)

    stem = "prioriteringslista" if lang == "sv" else "priority-list"
    return [
        Download("xlsx", f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 lambda: priority_list_xlsx(project, ranking, version=version, sensitivity=sensitivity(), lang=lang)),
        Download("csv", f"{stem}.csv", "text/csv",
                 lambda: priority_list_csv(project, ranking, version=version, lang=lang)),
        Download("pdf", "beslutsunderlag.pdf" if lang == "sv" else "decision-document.pdf", "application/pdf",
                 lambda: decision_document_pdf(project, ranking, version=version, sensitivity=sensitivity(),
                                               timeline=list(project.milestones) or None, lang=lang)),
    ]
