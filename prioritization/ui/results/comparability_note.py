"""The comparability warning next to a table of costs or NNK values (issue 14): which figures come
from different evidence levels, ASEK versions or price levels and so cannot be compared directly
(:mod:`prioritization.planning.comparability`, words from :mod:`prioritization.report.plan_facts`).

The table marks the cells of the objects involved with "†" (:func:`mark`); the warning names them
in full sentences and a legend says what the mark means, so the mark is never the only carrier of
the message (a screen reader reads the sentences).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from prioritization import safe_text
from prioritization.model import InfraObject
from prioritization.planning.comparability import COST, NNK
from prioritization.report import plan_facts
from prioritization.ui.shell.state import tr

BOTH = (COST, NNK)


def flagged(objects: Sequence[InfraObject], figures: tuple[str, ...] = BOTH) -> dict[str, set[str]]:
    """``{object id: {figure, …}}`` of the cells to mark."""
    return plan_facts.flagged(objects, figures)


def mark(text: str, oid: str, figure: str, marks: dict[str, set[str]]) -> str:
    """``text`` with "†" when the object's ``figure`` is part of a warning."""
    return plan_facts.marked(text, figure in marks.get(oid, ()))


def show(objects: Sequence[InfraObject], lang: str, figures: tuple[str, ...] = BOTH) -> bool:
    """The warnings of ``objects`` shown together (nothing when their figures are comparable) and the
    legend of the mark; True when something was shown."""
    found = plan_facts.warnings(objects, lang, figures)
    if not found:
        return False
    # the sentences hold names, levels and ASEK versions people typed: escaped as a whole (the
    # template itself has no Markdown)
    st.warning("\n".join(f"- {safe_text.md(w)}" for w in found), icon=":material/compare_arrows:")
    st.caption(safe_text.md(tr("plan_facts.legend", mark=plan_facts.MARK)))
    return True
