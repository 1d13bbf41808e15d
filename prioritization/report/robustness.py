"""How robustness (SMAA) figures are put into words: shared by the dashboard and the exports.

Pure (no Streamlit, no UI import): :mod:`prioritization.report.sensitivity` and
:mod:`prioritization.exports.pdf` both use these helpers, so the screen and the printed decision
document give the same "topp k" and the same rounded shares for the same object.
"""

from __future__ import annotations

from prioritization.i18n import percent

SHARE_TOL = 1e-9  # SMAA shares are multiples of 1/K (K <= 10^6) and tie fractions: far coarser
TOP_CUTOFFS = (3, 5, 10)  # "topp k" in the acceptability sentence: the smallest cutoff above the rank


def share_label(x: float, lang: str = "sv") -> str:
    """A share as a whole percentage that never claims 0 % or 100 % it does not have.

    Within SHARE_TOL of 0 or 1 is 0 or 1: a sum of shares (e.g. "topp 3") that is all of the
    scenarios can come out as 0.9999999999999999 in floating point.
    """
    if x <= SHARE_TOL:
        return percent(0.0, lang)
    if x >= 1.0 - SHARE_TOL:
        return percent(1.0, lang)
    if x < 0.005:
        return "< " + percent(0.01, lang)
    if x >= 0.995:
        return "> " + percent(0.99, lang)
    return percent(x, lang)


def top_cutoff(rank: int, n: int) -> int | None:
    """The k of "topp k" for an object at ``rank`` among ``n`` ranks: the smallest of TOP_CUTOFFS
    above the rank and below n (a top n is every scenario); None when there is none."""
    return next((c for c in TOP_CUTOFFS if rank < c < n), None)


def table_cutoffs(n: int) -> list[int]:
    """The columns of a robustness table: rank 1, then every cutoff below ``n``."""
    return [1, *(c for c in TOP_CUTOFFS if c < n)] if n > 0 else []


__all__ = ["SHARE_TOL", "TOP_CUTOFFS", "share_label", "table_cutoffs", "top_cutoff"]
