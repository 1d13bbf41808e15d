"""The ranking dashboard: the version shown, the ranked list with tiers, committed objects apart,
the map, one object in detail, downloads from the version shown, the tier editor, roles."""

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from prioritization import analysis, projectfile, tiers
from prioritization.i18n import t
from prioritization.storage import rounds, scores, versions
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.results import object_detail
from prioritization.ui.results.tier_editor import form_to_tiers
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")


def page(actor, lang="sv", **state):
    return app(actor, lang, script=RESULTS, page="overview", **state)


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning] + [s.value for s in at.success]
                     + [c.value for c in at.caption] + [i.value for i in at.info])


def ranked_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Rang" in d.value.columns and "Poäng (0–100)" in d.value.columns)


def lock(db, fac, rid):
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, fac, rid, status)


def test_live_dashboard_shows_the_ranking_with_its_hash(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    ranking = analysis.rank(project)
    at = page(fac).run()
    assert not at.exception
    banner = at.warning[0].value
    assert "ej fryst" in banner and projectfile.sha256(project)[:12] in banner
    table = ranked_table(at)
    assert list(table["Objekt"]) == [ro.object.name for ro in ranking.ranked]
    assert list(table["Rang"]) == [ro.rank for ro in ranking.ranked]
    assert "," in table["Poäng (0–100)"].iloc[0]  # Swedish decimal comma
    top3 = ", ".join(f"{ro.rank}. {ro.object.name}" for ro in ranking.ranked[:3])
    assert top3 in texts(at)
    assert "Exempeldata" in texts(at)
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(charts) >= 3  # ranked contributions, map, spread of the object in detail


def test_committed_objects_are_listed_apart_and_never_ranked(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    at = page(fac).run()
    committed = {o.name for o in project.committed}
    assert committed and not committed & set(ranked_table(at)["Objekt"])
    apart = next(d.value for d in at.dataframe if "Planeringsläge" in d.value.columns)
    assert set(apart["Objekt"]) == committed
    assert "Redan prioriterade – bevakas" in texts(at) or any(
        "Redan prioriterade" in h.value for h in at.subheader)


def test_weight_profile_switch_reranks(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    prof = project.weight_profiles[1]
    expected = analysis.rank(project, weights=analysis.project_weights(project, prof.id).weights)
    at = page(fac).run()
    at.selectbox(key="results_profile").select(prof.id).run()
    assert not at.exception
    assert list(ranked_table(at)["Objekt"]) == [ro.object.name for ro in expected.ranked]
    assert f"viktprofilen ”{prof.name}” (jämförelse" in texts(at)


def test_frozen_version_is_shown_with_its_hash_and_does_not_move(app_db, fac, example):
    v = versions.freeze(app_db, fac, example, "Underlag till Samarbetskommittén")
    before = analysis.rank(rounds.export_project(app_db, fac, example))
    # the live round changes after freezing: raise every rating of the last object on one criterion
    last = before.ranked[-1].object.id
    crit = rounds.export_project(app_db, fac, example).criteria[0].id
    scores.set_agreed_score(app_db, fac, example, last, crit, 5, "efter frysning")
    at = page(fac).run()
    at.selectbox(key="results_source").select(v.id).run()
    assert not at.exception
    banner = at.success[0].value
    assert "Underlag till Samarbetskommittén" in banner and v.sha256[:12] in banner
    assert list(ranked_table(at)["Objekt"]) == [ro.object.name for ro in before.ranked]
    assert not [b for b in at.button if b.key == "tiers_save"]  # tiers are edited on the live round only
    at.selectbox(key="results_source").select("live").run()
    live = analysis.rank(rounds.export_project(app_db, fac, example))
    assert list(ranked_table(at)["Objekt"]) == [ro.object.name for ro in live.ranked]


def test_downloads_come_from_the_version_shown(app_db, fac, example, click_download):
    v = versions.freeze(app_db, fac, example, "Kommittémöte")
    at = page(fac).run()
    at.selectbox(key="results_source").select(v.id).run()
    text = click_download(at, "overview_download_json")
    assert text.decode("utf-8") == versions.stored_text(app_db, fac, v.id)  # the exact frozen bytes
    wb = openpyxl.load_workbook(io.BytesIO(click_download(at, "overview_download_xlsx")))
    cells = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    assert v.sha256 in cells and "Kommittémöte" in cells


def test_tiers_show_in_the_list_with_rank_within_tier(app_db, fac, example):
    t = {"levels": [{"label": "A", "through_rank": 3}, {"label": "B", "through_rank": 8}, {"label": "C"}]}
    project = rounds.export_project(app_db, fac, example)
    last = analysis.rank(project).ranked[-1].object.id
    t["assigned"] = {last: "A"}
    rounds.replace_setup(app_db, fac, example, {"tiers": t}, rounds.round_info(app_db, fac, example)["row_version"])
    at = page(fac).run()
    assert not at.exception
    table = ranked_table(at)
    by_name = table.set_index("Objekt")
    ranking = analysis.rank(project)
    assert by_name.loc[ranking.ranked[0].object.name, "Nivå"] == "A"
    assert by_name.loc[ranking.ranked[4].object.name, "Nivå"] == "B"
    assert by_name.loc[ranking.ranked[-1].object.name, "Nivå"] == "A"  # placed by hand
    assert by_name.loc[ranking.ranked[-1].object.name, "Plats inom nivån"] == 4  # after the three by rank
    assert "A: 4 objekt" in texts(at)
    at.radio(key="overview_map_colour").set_value("tier").run()
    assert not at.exception
    spec = json.loads(list(at.get("vega_lite_chart"))[1].proto.spec)
    assert "A" in json.dumps(spec)


def test_facilitator_saves_the_default_tiers_from_the_editor(app_db, fac, example):
    rounds.replace_setup(app_db, fac, example, {"tiers": None}, rounds.round_info(app_db, fac, example)["row_version"])
    at = page(fac).run()
    assert "Nivå" not in ranked_table(at).columns
    at.button(key="tiers_save").click().run()
    assert not at.exception
    saved = rounds.export_project(app_db, fac, example).tiers
    assert saved.labels == ("A", "B", "C") and [lv.through_rank for lv in saved.levels] == [5, 10, None]
    assert "Nivå" in ranked_table(at).columns
    at.button(key="tiers_remove").click().run()
    assert rounds.export_project(app_db, fac, example).tiers is None


def test_invalid_tiers_give_swedish_messages_and_store_nothing():
    levels = pd.DataFrame([{"label": "A", "through_rank": 5}, {"label": "A", "through_rank": 3},
                           {"label": None, "through_rank": None}])
    value = form_to_tiers(levels, {})
    assert value == {"levels": [{"label": "A", "through_rank": 5}, {"label": "A", "through_rank": 3}]}  # empty row dropped
    with_text = [t(f"tiers.error.{p.code}", "sv", **p.params) for p in tiers.problems(value, ["X"])]
    assert "Rad 2: nivån A finns redan på en tidigare rad." in with_text
    assert "Rad 2: gränsen 3 måste vara större än föregående gräns 5." in with_text


def test_object_detail_explains_rank_and_spread(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    ranking = analysis.rank(project)
    data = analysis.decision_data(project)
    third = ranking.ranked[2]
    at = page(fac).run()
    at.selectbox(key="overview_detail").select(third.object.id).run()
    assert not at.exception
    body = texts(at)
    assert f"{third.object.name} har rang 3 av {len(ranking.ranked)}" in body
    assert ranking.ranked[1].object.name in body and ranking.ranked[3].object.name in body  # both neighbours
    # the spread sentence names the criterion where the municipalities' ratings differ most
    i = [o.id for o in data.objects].index(third.object.id)
    r = data.ratings[:, i, :]
    spread = np.where(data.agreed[i], -1, np.nanmax(r, axis=0) - np.nanmin(r, axis=0))
    widest = project.criteria[int(np.argmax(spread))].name
    assert f"Störst spridning mellan kommunerna: {widest}" in body
    detail = next(d.value for d in at.dataframe if "Lägst" in d.value.columns)
    assert len(detail) == len(project.criteria)


def test_comments_are_shown_with_who_wrote_them(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    with_comment = next(s for s in project.scores if s.comment and s.object in {o.id for o in project.candidates})
    frame = object_detail.comments(project, with_comment.object)
    assert with_comment.comment in set(frame["comment"])
    at = page(fac).run()
    at.selectbox(key="overview_detail").select(with_comment.object).run()
    notes = next(d.value for d in at.dataframe if "Kommentar" in d.value.columns)
    assert with_comment.comment in set(notes["Kommentar"])


def test_viewer_sees_nothing_before_release_then_a_frozen_version(app_db, fac, example):
    viewer = Actor(VIEWER, "Kommittén", round_id=example)
    at = page(viewer).run()
    assert not at.exception and "låst omgången" in texts(at)
    rounds.set_status(app_db, fac, example, "scoring")
    versions.freeze(app_db, fac, example, "Till kommittén")
    at = page(viewer).run()
    assert not at.exception
    assert "Till kommittén" in at.success[0].value and len(ranked_table(at)) == 13
    assert not [b for b in at.button if b.key == "tiers_save"]  # read-only
    options = at.selectbox(key="results_source").options
    assert len(options) == 1 and "Till kommittén" in options[0]  # no live option before the round is locked


def test_viewer_in_setup_does_not_see_versions_they_may_not_open(app_db, fac, example):
    versions.freeze(app_db, fac, example, "Utkast")  # frozen while the round is still in set-up
    at = page(Actor(VIEWER, "Kommittén", round_id=example)).run()
    assert not at.exception and not at.error
    assert "låst omgången" in texts(at) and "Utkast" not in texts(at)


def test_committee_default_is_the_newest_frozen_version(app_db, fac, example):
    lock(app_db, fac, example)
    versions.freeze(app_db, fac, example, "Första")
    newest = versions.freeze(app_db, fac, example, "Till beslut")
    at = page(Actor(VIEWER, "Kommittén", round_id=example)).run()
    assert "Till beslut" in at.success[0].value and newest.sha256[:12] in at.success[0].value
    options = at.selectbox(key="results_source").options
    assert "Till beslut" in options[0] and "Första" in options[1] and "ej fryst" in options[2]
    # issue 11 #13 (found in the browser): the committee is not told to freeze versions; only the
    # facilitator, who can, is
    assert "Frys" not in at.selectbox(key="results_source").help
    assert "Frys versioner" in page(fac).run().selectbox(key="results_source").help


def test_live_and_frozen_views_of_two_databases_never_share_a_cache(app_db, fac, example, tmp_path, monkeypatch):
    """Caches are keyed by content: the same round id and revision in another database shows its own data."""
    from prioritization.storage.database import Database

    first = ranked_table(page(fac).run())
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    other = Database.open(other_url)
    doc = projectfile.to_dict(rounds.export_project(app_db, fac, example))
    doc["objects"] = [o for o in doc["objects"] if o["id"] in {"SOD-01", "SOD-02", "SOD-03"}]
    doc.pop("tiers", None)
    doc.pop("committee", None)  # its points and screening name the objects cut above
    doc["scores"] = [x for x in doc["scores"] if x["object"] in {"SOD-01", "SOD-02", "SOD-03"}]
    rounds.import_project(other, fac, projectfile.parse(doc, require_complete=False))
    monkeypatch.setenv("PRIORITIZATION_DB_URL", other_url)
    from prioritization.ui.shell import state
    state._open.clear()  # only the connection; the analysis caches are deliberately kept
    second = ranked_table(page(fac).run())
    assert len(first) == 13 and len(second) == 2
    other.dispose()


def test_viewer_sees_the_live_round_once_locked(app_db, fac, example):
    lock(app_db, fac, example)
    at = page(Actor(VIEWER, "Kommittén", round_id=example)).run()
    assert not at.exception and "ej fryst" in at.warning[0].value
    assert not [b for b in at.button if b.key == "tiers_save"]


def test_participant_sees_results_only_once_locked(app_db, fac, example):
    p = Actor(PARTICIPANT, "Huddinge", round_id=example, participant_key="p-huddinge")
    assert "låst omgången" in texts(page(p).run())
    lock(app_db, fac, example)
    assert len(ranked_table(page(p).run())) == 13


def test_english(app_db, fac, example):
    at = page(fac, "en").run()
    assert not at.exception
    assert "not frozen" in at.warning[0].value
    assert any("candidate objects ranked by the weights in use" in m.value for m in at.markdown)


def test_incomplete_round_says_why_and_still_lists_committed(empty_app_db, fac, small_round):
    doc = dict(small_round)
    doc["scores"] = [s for s in doc["scores"] if not (s["object"] == "O1" and s["criterion"] == "K1")]
    rid = rounds.import_project(empty_app_db, fac, projectfile.parse(doc, require_complete=False))
    at = page(fac, round_id=rid).run()
    assert not at.exception
    assert any("poäng saknas för 1 av 9" in i.value for i in at.info), [i.value for i in at.info]


def test_committed_table_shows_the_latest_follow_up_step_of_the_version_shown(app_db, fac, example):
    from datetime import date

    from prioritization.storage import timeline
    from prioritization.timeline.follow_up import latest_step
    from prioritization.timeline.labels import step_label, step_when

    project = rounds.export_project(app_db, fac, example)
    sod01 = project.follow_up_of("SOD-01")
    last = latest_step(sod01)
    at = page(fac).run()
    assert not at.exception
    apart = next(d.value for d in at.dataframe if "Planeringsläge" in d.value.columns).set_index("Objekt")
    assert list(apart.columns) == [t(k) for k in ("followup.col_latest", "followup.col_responsible",
                                                  "dashboard.col_municipalities", "dashboard.col_cost",
                                                  "dashboard.col_planning")]  # existing columns kept
    name = project.object("SOD-01").name
    assert apart.loc[name, "Senaste steg"] == f"{step_label(last.step)} ({step_when(last)})"
    assert apart.loc[name, "Bevakas av"] == sod01.responsible
    untracked = next(o.name for o in project.committed if project.follow_up_of(o.id) is None)
    assert (apart.loc[untracked, "Senaste steg"], apart.loc[untracked, "Bevakas av"]) == ("–", "–")
    assert "sidan Bevakning" in texts(at)  # this harness has no navigation: the pointer is a caption
    # a frozen version keeps the step it was frozen with; the live round shows the newer one
    v = versions.freeze(app_db, fac, example, "Före byggstart")
    timeline.record_step(app_db, fac, example, "SOD-01", "construction_started", date(2024, 9, 2))
    newest = latest_step(rounds.export_project(app_db, fac, example).follow_up_of("SOD-01"))
    assert newest.step == "construction_started"
    at = page(fac).run()
    apart = next(d.value for d in at.dataframe if "Planeringsläge" in d.value.columns).set_index("Objekt")
    assert apart.loc[name, "Senaste steg"] == f"{step_label(newest.step)} ({step_when(newest)})"
    at.selectbox(key="results_source").select(v.id).run()
    apart = next(d.value for d in at.dataframe if "Planeringsläge" in d.value.columns).set_index("Objekt")
    assert apart.loc[name, "Senaste steg"] == f"{step_label(last.step)} ({step_when(last)})"


def test_exports_under_a_comparison_profile_say_so(app_db, fac, example, click_download):
    project = rounds.export_project(app_db, fac, example)
    prof = project.weight_profiles[2]
    at = page(fac).run()
    at.selectbox(key="results_profile").select(prof.id).run()
    assert f"viktprofilen ”{prof.name}”" in texts(at)
    rows = click_download(at, "overview_download_csv").decode("utf-8-sig")
    assert prof.name in rows  # the CSV's weights column names the profile


def test_decision_document_says_what_the_sensitivity_page_says(app_db, fac, example, click_download):
    """The PDF's robustness summary is the sensitivity page's headline, for the weight model chosen there."""
    import io

    import pypdf

    from prioritization.report import sensitivity as sensitivity_logic

    project = rounds.export_project(app_db, fac, example)
    ranking = analysis.rank(project)
    report = analysis.sensitivity(project, weights=ranking.weights, samples=10_000, seed=20231201, weight_model="order")
    tier_of = project.tiers.assign((ro.object.id, ro.rank) for ro in ranking.ranked)
    expected = sensitivity_logic.key_findings(report, ranking, project.tiers, tier_of, "sv")
    at = page(fac).run()
    pdf = pypdf.PdfReader(io.BytesIO(click_download(at, "overview_download_pdf")))
    text = " ".join("".join(p.extract_text() for p in pdf.pages).split())
    assert "i samma ordning som de valda vikterna" in text
    for sentence in expected[:2]:
        assert " ".join(sentence.replace("*", "").split())[:60] in text
