"""Issue 15 review (hostile): the dashboard's page work is cached per content key and shared by every
session of the process (``overview._made``, ``committee_sections._made``, ``cached_chart``). With the
caches filled by the facilitator first (both languages), a municipal representative must still see
only its own points while the input window is open, and no role may be served stale content after
a write (the window closed, the weights changed). Several AppTests in one process share the caches,
as two browser sessions of one server do."""

import json

from prioritization import analysis, i18n
from prioritization.storage import committee as committee_store
from prioritization.storage import rounds
from prioritization.storage.access import MUNICIPALITY, VIEWER, Actor
from tests.ui.results.test_committee_sections import (
    allocations,
    has_table,
    lock,
    open_window,
    page,
    points_committee,
    round_with,
    run,
    table,
    texts,
)
from tests.ui.results.test_committee_sections import base as base  # noqa: F401 - the fixture


def _everything(at) -> str:
    """Every text and table cell the page shows."""
    return texts(at) + "\n" + "\n".join(d.value.to_csv() for d in at.dataframe)


def test_a_municipality_never_gets_the_facilitators_cached_points_while_the_window_is_open(
        app_db, fac, base, click_download):  # noqa: F811
    rid, project = round_with(app_db, fac, base, points_committee(base, open_window(base)))
    lock(app_db, fac, rid)
    for lang in ("sv", "en"):  # the facilitator fills the shared caches first, in both languages
        at = run(page(fac, lang, round_id=rid))
        assert has_table(at, "priority" if lang == "sv" else "priority_en")
    # each municipality's rationales that no page shows otherwise (a viewer's shows none of them)
    nothing = _everything(run(page(Actor(VIEWER, "Kommittén", round_id=rid), round_id=rid)))
    others = {a.municipality: a.rationale for a in allocations(base) if a.rationale and a.rationale not in nothing}
    assert {"huddinge", "tyreso"} <= set(others)
    for town in ("huddinge", "haninge", "tyreso"):
        rep = Actor(MUNICIPALITY, town.title(), round_id=rid, municipality=town)
        at = run(page(rep, round_id=rid))
        assert not has_table(at, "priority") and not has_table(at, "given") and not has_table(at, "spent")
        seen = _everything(at)
        for other, rationale in others.items():
            if other != town:
                assert rationale not in seen, (town, other)
        doc = json.loads(click_download(at, "overview_download_json"))
        assert {a["municipality"] for a in doc["committee"].get("allocations", [])} <= {town}
    # the window closes: nobody is served the hidden page from before
    committee_store.close_window(app_db, fac, rid)
    for reader in (Actor(MUNICIPALITY, "Huddinge", round_id=rid, municipality="huddinge"),
                   Actor(VIEWER, "Kommittén", round_id=rid)):
        at = run(page(reader, round_id=rid))
        assert len(table(at, "given")) == len(allocations(base)) and has_table(at, "priority")


def test_the_weights_and_list_shown_follow_a_change_of_the_weights(app_db, fac, example):
    viewer = Actor(VIEWER, "Kommittén", round_id=example)
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, example, status)
    col_w, col_c = i18n.t("overview.col_weight", "sv"), i18n.t("overview.col_criterion", "sv")

    def weights_table(at):
        return next(d.value for d in at.dataframe if list(d.value.columns) == [col_c, col_w])

    before = weights_table(run(page(viewer, round_id=example, results_source="live")))
    setup = rounds.setup_document(app_db, fac, example)
    points = {c["id"]: (50 if k == 0 else 1) for k, c in enumerate(setup["criteria"])}
    rounds.replace_setup(app_db, fac, example, {"weights": {"method": "direct", "points": points}},
                         rounds.round_info(app_db, fac, example)["row_version"])
    expected = analysis.project_weights(rounds.export_project(app_db, fac, example)).weights
    for who in (fac, viewer):  # the facilitator's fresh session and the viewer's
        after = weights_table(run(page(who, round_id=example, results_source="live")))
        assert list(after[col_w]) == [i18n.number(100 * w, "sv", 1) for w in expected]
        assert not after.equals(before)
