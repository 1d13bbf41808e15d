"""The pure helpers the exports share with the dashboard: place within tier, tier order, "topp k",
share wording, version and weights stamps, file names; and the exports' independence of the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from prioritization.exports import LIVE_NAME, VersionStamp, file_name, live_name, weighting_method, weights_text
from prioritization.report import ranking as rl
from prioritization.report import robustness
from prioritization.report import sensitivity as sl
from prioritization.tiers import TierLevel, Tiers, label_order, ranks_within

NB = "\xa0"
EXPORTS = Path(__file__).resolve().parents[2] / "prioritization" / "exports"


def test_tied_objects_share_their_place_within_the_tier():
    ranks = [1, 1, 1, 1, 5, 6, 7, 7, 9]
    labels = ["A", "A", "A", "A", "A", "B", "B", "B", None]
    assert ranks_within(ranks, labels) == [1, 1, 1, 1, 5, 1, 2, 2, None]
    # order of the input does not matter: a place depends only on the ranks of the same tier
    assert ranks_within(ranks[::-1], labels[::-1]) == ranks_within(ranks, labels)[::-1]


def test_the_dashboard_uses_the_same_helpers():
    ranks, labels = [1, 1, 3, 4, 4, 6], ["A", "A", "A", "B", "B", None]
    assert rl.tier_ranks(ranks, labels) == ranks_within(ranks, labels) == [1, 1, 3, 1, 1, None]
    assert sl.share_label is robustness.share_label
    assert sl.TOP_CUTOFFS == robustness.TOP_CUTOFFS == (3, 5, 10)


def test_tier_labels_follow_the_project_order_not_the_alphabet():
    tiers = Tiers((TierLevel("Hög", 4), TierLevel("Medel", 9), TierLevel("Låg")))
    assert label_order(tiers, ["Hög", "Låg", "Medel", "Hög", None]) == ["Hög", "Medel", "Låg"]
    # a level nobody is in is left out; a label the project does not know follows in order of appearance
    assert label_order(tiers, ["Låg", "Extra", "Hög"]) == ["Hög", "Låg", "Extra"]
    assert label_order(None, ["C", "A", "C", "B"]) == ["C", "A", "B"]


@pytest.mark.parametrize(("rank", "n", "k"), [(1, 13, 3), (2, 13, 3), (3, 13, 5), (5, 13, 10), (9, 13, 10),
                                              (10, 13, None), (12, 13, None), (1, 3, None), (1, 4, 3),
                                              (3, 5, None), (3, 6, 5)])
def test_top_cutoff_is_the_smallest_of_3_5_10_above_the_rank_and_below_n(rank, n, k):
    assert robustness.top_cutoff(rank, n) == k


def test_table_cutoffs():
    assert robustness.table_cutoffs(13) == [1, 3, 5, 10]
    assert robustness.table_cutoffs(5) == [1, 3]
    assert robustness.table_cutoffs(3) == [1]


def test_share_label_never_rounds_to_zero_or_all():
    assert robustness.share_label(0.001) == f"< 1{NB}%"
    assert robustness.share_label(0.996) == f"> 99{NB}%"
    assert robustness.share_label(0.0) == f"0{NB}%" and robustness.share_label(1 - 1e-12) == f"100{NB}%"
    assert robustness.share_label(0.5) == f"50{NB}%"


def test_live_name_in_english_and_shown_names():
    assert live_name("sv") == LIVE_NAME == "Live (ej fryst)"
    assert live_name("en") == "Live (not frozen)"
    live = VersionStamp(LIVE_NAME, "a" * 64)
    assert live.shown_name("en") == "Live (not frozen)" and not live.frozen
    from datetime import datetime

    frozen = VersionStamp("Beslut 1", "b" * 64, datetime(2024, 1, 1))
    assert frozen.shown_name("en") == "Beslut 1" and frozen.frozen


def test_weights_text_and_the_profile_method(project):
    assert weights_text(None) == "vikterna i bruk"
    assert weights_text("Omställning") == "viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)"
    assert weights_text("Omställning", "en") == "weight profile “Omställning” (comparison – not the weights in use)"
    assert weighting_method(project, None) == project.weights.method
    assert weighting_method(project, "Omställning") == project.profile("P2").weights.method
    assert weighting_method(project, "P2") == project.profile("P2").weights.method  # by id too
    assert weighting_method(project, "Ingen sådan profil") is None


def test_file_names_carry_the_short_fingerprint_and_the_profile():
    v = VersionStamp(LIVE_NAME, "0123456789abcdef" * 4)
    assert file_name("prioriteringslista", v, "xlsx") == "prioriteringslista-0123456789ab.xlsx"
    assert file_name("beslutsunderlag", v, "pdf", weights_label="Omställning 2030") == \
        "beslutsunderlag-0123456789ab-viktprofil-omstallning-2030.pdf"
    assert file_name("priority-list", v, "csv", weights_label="Tillväxt och gods", lang="en") == \
        "priority-list-0123456789ab-profile-tillvaxt-och-gods.csv"
    assert file_name("x", v, "csv", weights_label="/// ") == "x-0123456789ab-viktprofil.csv"


def test_exports_do_not_import_the_ui():
    """Exports are pure: no module under prioritization/exports imports prioritization.ui (or Streamlit)."""
    for path in EXPORTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith(("prioritization.ui", "streamlit")), (path.name, name)


def test_every_csv_uses_the_exports_formula_guard():
    """Issue 10 #15: the audit log CSV and `rank --format csv` guard formulas by the same rule as the
    exports: a leading space or no-break space does not get a formula through, nor does the id."""
    from prioritization.cli import project as cli
    from prioritization.safe_text import is_dangerous
    from prioritization.storage import audit

    for text in (" =1+1", "\u00a0=HYPERLINK(\"http://x\")", "@SUM(A1)", "-2+3", "\t=1"):
        assert is_dangerous(text)
        assert audit._safe(text).startswith("'") and cli._csv_safe(text).startswith("'")
    assert audit._safe("Bro över sundet") == "Bro över sundet" and audit._safe(None) == ""
