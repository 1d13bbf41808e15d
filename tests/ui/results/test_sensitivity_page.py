"""The sensitivity page (AppTest): the summary and the sentences carry the figures the engine
computes for the same source, weights, samples and seed; the criterion and weight choices;
comparisons of profiles, participants' own weights and methods; roles, English, incomplete and
small rounds; and a warm rerun that does no analysis and builds no chart."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from prioritization import analysis, i18n, projectfile
from prioritization.engine import sensitivity as engine_sensitivity
from prioritization.i18n import percent
from prioritization.report import rank_agreement as ra
from prioritization.report import sensitivity as sl
from prioritization.report import weight_change as wc
from prioritization.storage import rounds, versions
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.results import charts_dashboard, results
from prioritization.ui.results import sensitivity as page_module
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
NB = "\u00a0"


def page(actor, lang: str = "sv", **state) -> AppTest:
    at = app(actor, lang, script=RESULTS, page="sensitivity", **state).run()
    assert not at.exception
    return at


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("- Av topp", "- Of the top", "- Etta med")))


def stability_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("Rangordningen håller", "The ranking holds")))


def charts(at: AppTest) -> list[dict]:
    """Every chart's Vega-Lite spec, its data sets back under "datasets" (Streamlit sends them
    apart, as Arrow)."""
    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        spec["datasets"] = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in c.proto.datasets}
        out.append(spec)
    return out


def chart_titles(at: AppTest) -> list[str]:
    out = []
    for spec in charts(at):
        title = spec.get("title")
        out.append(title.get("text") if isinstance(title, dict) else title)
    return out


def expected_report(db, actor, rid, profile=None, weight_model="order"):
    """What the page must show: the engine on the same project, weights, samples, seed and weight
    model ("order", the page's default: the order of the chosen weights)."""
    project = rounds.export_project(db, actor, rid)
    w = analysis.project_weights(project, profile).weights
    report = analysis.sensitivity(project, weights=w, samples=results.SENSITIVITY_SAMPLES,
                                  seed=results.SENSITIVITY_SEED, weight_model=weight_model)
    return project, report, analysis.rank(project, weights=w)


def central_ranks(row: np.ndarray) -> tuple[int, int]:
    """Ranks holding the central 80 % of the scenarios, computed here from the shares."""
    cum = np.cumsum(row)
    return int(np.sum(cum <= 0.1 + 1e-9)) + 1, int(np.sum(cum < 0.9 - 1e-9)) + 1


# --- the summary and the per-object figures ------------------------------------------------------------


def test_summary_and_object_sentences_carry_the_engine_figures(app_db, fac, example):
    at = page(fac)
    project, report, ranking = expected_report(app_db, fac, example)
    b = report.smaa.rank_acceptability
    index = {o.id: i for i, o in enumerate(report.data.objects)}
    assert at.header[0].value == "Sammanfattning"
    lines = summary(at).split("\n")
    assert 4 <= len(lines) <= 6
    top = summary(at)
    # robust top: the three first of the ranking with their share of scenarios in the top 3
    first, second, third = ranking.ranked[:3]
    assert f"är {first.object.name} i topp 3 i {sl.share_label(b[index[first.object.id], :3].sum())} av scenarierna" \
        in top
    for ro in (second, third):
        assert f"{ro.object.name} i {sl.share_label(b[index[ro.object.id], :3].sum())}" in top
    # the headline: the smallest weight changes that change who is first and the tiers (the example
    # has tiers A/B/C); the any-pair change is a detail further down, not in the summary
    tier_of = project.tiers.assign((ro.object.id, ro.rank) for ro in ranking.ranked)
    for which in ("first", "tier"):
        change = wc.weight_change(report, which, tiers=project.tiers)
        name = project.criteria[change.criterion].name
        assert f"- {wc.change_sentence(report, which, tiers=project.tiers, tier_of=tier_of)}" in lines
        assert f"om vikten för {name} " in top and report.data.objects[change.below].name in top
    assert wc.change_sentence(report, "any") not in top
    assert "Den minsta viktändring som byter etta" in top and "Den minsta viktändring som flyttar ett objekt till en annan nivå" in top
    assert "procentenheter" in top and "relativ ändring" not in top
    # the least certain position: the widest central rank range, the better rank on ties
    widths = [(central_ranks(b[index[ro.object.id]]), ro) for ro in ranking.ranked]
    (lo, hi), ro = max(widths, key=lambda p: p[0][1] - p[0][0])
    assert f"Osäkrast placering: {ro.object.name} (rang {ro.rank} med de valda vikterna) hamnar mellan rang {lo} " \
           f"och {hi} i 80{NB}% av scenarierna." in top
    # what was varied, and the fixed seed
    body = text(at)
    assert f"{results.SENSITIVITY_SAMPLES:,}".replace(",", NB) + " scenarier" in body
    assert f"({results.SENSITIVITY_SEED})" in body and "slumpvis vald bedömare" in body
    assert "i samma ordning som de valda vikterna" in body  # the default weight model
    # one sentence per object: its rank and the share of scenarios at that rank
    for ro in ranking.ranked[:3]:
        share = sl.share_label(b[index[ro.object.id], ro.rank - 1])
        assert f"**{ro.rank}. {ro.object.name}**: Rang {ro.rank} i {share} av scenarierna" in body
    # the table: every candidate, with the confidence factor (the example has individual scores)
    table = next(d.value for d in at.dataframe if "Säkerhetsfaktor" in d.value.columns)
    assert list(table["Objekt"]) == [ro.object.name for ro in ranking.ranked]
    i = index[first.object.id]
    assert table["Rang 1"].iloc[0] == sl.share_label(b[i, 0])
    assert table["Säkerhetsfaktor"].iloc[0] == sl.share_label(report.smaa.confidence[i])
    assert "Säkerhetsfaktor för de objekt som oftast blir etta" in body
    assert "Hur säker är rangen? Andel scenarier per rang" in chart_titles(at)


def test_the_methods_agree_sentence_and_the_method_table(app_db, fac, example):
    at = page(fac)
    project = rounds.export_project(app_db, fac, example)
    ranks = {m: analysis.rank(project, m) for m in analysis.METHODS}
    tops = {m: [ro.object.name for ro in r.ranked if ro.rank <= 3] for m, r in ranks.items()}
    line = next(m.value for m in at.markdown if m.value.startswith("De tre metoderna"))
    if tops["wsm"] == tops["topsis"] == tops["promethee2"]:
        assert line.startswith("De tre metoderna är överens om topp 3 i samma ordning: " + tops["wsm"][0])
    assert line in summary(at)  # also in the summary
    table = next(d.value for d in at.dataframe if "PROMETHEE II" in d.value.columns)
    for m, label in (("wsm", "Viktad summa"), ("topsis", "TOPSIS"), ("promethee2", "PROMETHEE II")):
        got = dict(zip(table["Objekt"], table[label], strict=True))
        assert got == {ro.object.name: ro.rank for ro in ranks[m].ranked}


# --- per criterion ------------------------------------------------------------------------------------


def test_criterion_choice_changes_the_sentence_and_the_curves(app_db, fac, example):
    at = page(fac)
    project, report, _ = expected_report(app_db, fac, example)
    box = at.selectbox(key="sensitivity_criterion")
    # preselected: the criterion of the smaller of the two headline changes (first; tiers)
    first, tier = (wc.weight_change(report, w, tiers=project.tiers) for w in ("first", "tier"))
    focus = tier if tier.size <= first.size else first
    k = focus.criterion
    assert box.value == k
    name = project.criteria[k].name
    assert stability_line(at) == sl.stability_sentence(report.stability[k], name)
    # the two objects of that change are drawn even when they are not among the five best
    oat = next(s for s in charts(at) if s.get("title") == f"Poäng när vikten för {name} ändras")
    drawn = {row["object_id"] for rows in oat["datasets"].values() for row in rows if "object_id" in row}
    assert {report.data.objects[focus.above].id, report.data.objects[focus.below].id} <= drawn
    # the any-pair change as a detail of this section
    assert wc.change_sentence(report, "any") in text(at)
    assert f"Poäng när vikten för {name} ändras" in chart_titles(at)
    other = 0 if k != 0 else 1
    box.select(other).run()
    assert not at.exception
    new = project.criteria[other].name
    assert stability_line(at) == sl.stability_sentence(report.stability[other], new)
    titles = chart_titles(at)
    assert f"Poäng när vikten för {new} ändras" in titles
    assert f"Poäng när vikten för {name} ändras" not in titles
    # the chart: the current weight and the stability band are the engine's
    oat = next(s for s in charts(at) if s.get("title") == f"Poäng när vikten för {new} ändras")
    rule = next(layer for layer in oat["layer"] if layer["mark"]["type"] == "rule")
    assert oat["datasets"][rule["data"]["name"]][0]["weight"] == pytest.approx(report.weights[other])
    band = next(layer for layer in oat["layer"] if layer["mark"]["type"] == "rect")
    lo, hi = report.stability[other].ranking
    assert oat["datasets"][band["data"]["name"]][0]["lo"] == pytest.approx(lo)
    assert oat["datasets"][band["data"]["name"]][0]["hi"] == pytest.approx(hi)
    # the breakpoints table: the engine's crossings between two of the five objects drawn
    scores = report.data.values @ report.weights
    drawn = set(np.argsort(-scores, kind="stable")[:5].tolist())
    crossings = {percent(bp.t, "sv", 1) for bp in report.oat[other].breakpoints
                 if any(a in drawn and c in drawn for a, c in bp.crossings)}
    table = next((d.value for d in at.dataframe if f"Vikt för {new}" in d.value.columns), None)
    if crossings:
        assert set(table[f"Vikt för {new}"]) == crossings
    else:
        assert table is None and f"hur vikten för {new} än ändras" in text(at)


def test_weight_profile_changes_the_weights_and_the_stability_sentence(app_db, fac, example):
    at = page(fac)
    project = rounds.export_project(app_db, fac, example)
    equal = next(p for p in project.weight_profiles if p.name == "Lika vikter")
    j = at.selectbox(key="sensitivity_criterion").value
    before = stability_line(at)
    at.selectbox(key="results_profile").select(equal.id).run()
    assert not at.exception
    _, report, ranking = expected_report(app_db, fac, example, equal.id)
    assert not np.allclose(report.weights, analysis.project_weights(project).weights)  # other weights
    after = stability_line(at)
    assert after != before
    assert after == sl.stability_sentence(report.stability[j], project.criteria[j].name)
    assert any("gäller vikterna: **Lika vikter**" in c.value for c in at.caption)
    assert f"**1. {ranking.ranked[0].object.name}**" in text(at)


# --- profiles, participants' own weights --------------------------------------------------------------------


def test_profiles_are_compared_with_a_sentence_a_chart_and_a_matrix(app_db, fac, example):
    at = page(fac)
    project = rounds.export_project(app_db, fac, example)
    line = next(m.value for m in at.markdown if m.value.startswith("Viktprofilerna"))
    ranks = ra.profile_rank_frame(project, ra.profile_weights(project))
    wide = ranks.pivot(index="object_id", columns="profile", values="rank")
    assert f"{int((wide.nunique(axis=1) == 1).sum())} av {len(wide)} objekt har samma rang överallt." in line
    bump = next(s for s in charts(at) if s.get("title") == "Rang per viktprofil")
    shown = {row["profile"] for rows in bump["datasets"].values() for row in rows}
    assert shown == {"Vikter i bruk", *(p.name for p in project.weight_profiles)}
    assert "Hur lika är rangordningarna?" in chart_titles(at)
    table = next(d.value for d in at.dataframe if "Lika vikter" in d.value.columns)
    for p in project.weight_profiles:
        r = analysis.rank(project, weights=analysis.project_weights(project, p.id).weights)
        assert dict(zip(table["Objekt"], table[p.name], strict=True)) == {ro.object.name: ro.rank for ro in r.ranked}
    assert any(c.value == "Ingen deltagare har angett egna vikter." for c in at.caption)
    # the agreement matrix follows the measure
    at.radio(key="sensitivity_measure").set_value("spearman").run()
    assert not at.exception
    matrix = next(s for s in charts(at) if s.get("title") == "Hur lika är rangordningarna?")
    assert "Spearmans rho" in json.dumps(matrix, ensure_ascii=False)


def test_round_without_profiles_with_participants_own_weights(app_db, fac, small_round):
    small_round["weight_profiles"] = []
    rid = rounds.import_project(app_db, fac, projectfile.parse(small_round))
    for key, points in (("p1", {"K1": 8, "K2": 1, "K3": 1}), ("p2", {"K1": 1, "K2": 1, "K3": 8})):
        rounds.set_own_weights(app_db, Actor(PARTICIPANT, key, round_id=rid, participant_key=key), rid,
                               {"method": "direct", "points": points})
    at = page(fac, round_id=rid)
    assert "Omgången har inga viktprofiler att jämföra." in [i.value for i in at.info]
    bump = next(s for s in charts(at) if s.get("title") == "Rang med deltagarnas egna vikter")
    assert {row["participant"] for rows in bump["datasets"].values() for row in rows} == {
        "Vikter i bruk", "Botkyrka kommun", "Haninge"}
    line = next(m.value for m in at.markdown if m.value.startswith("Deltagarnas egna vikter "))
    assert "objekt har samma rang överallt" in line
    project = rounds.export_project(app_db, fac, rid)
    own = ra.participant_weights(project)
    table = next(d.value for d in at.dataframe if "Botkyrka kommun" in d.value.columns)
    r = analysis.rank(project, weights=own["Botkyrka kommun"])
    assert dict(zip(table["Objekt"], table["Botkyrka kommun"], strict=True)) == {ro.object.name: ro.rank for ro in r.ranked}
    # three objects: "topp 3" cannot be said, "topp 2" can
    assert summary(at).startswith("- Av topp 2 med de valda vikterna är ")
    # the small round has weight bounds: the sentence says the weights were drawn within them
    assert "inom kriteriernas viktgränser" in text(at)


# --- roles, English, incomplete and small rounds ----------------------------------------------------------------


def test_viewer_sees_the_locked_round(app_db, fac, example):
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, example, status)
    at = page(Actor(VIEWER, "Kommittén", round_id=example))
    assert at.header[0].value == "Sammanfattning"
    assert summary(at).startswith("- Av topp 3")
    assert len(charts(at)) >= 5


def test_viewer_without_a_released_round_or_version_sees_the_message(app_db, fac, example):
    at = page(Actor(VIEWER, "Kommittén", round_id=example))
    assert [i.value for i in at.info] == ["Resultaten visas när facilitatorn har låst omgången."]
    assert not at.header and not charts(at)
    # a frozen version: not during set-up, but once scoring has opened (before the lock)
    versions.freeze(app_db, fac, example, "Underlag")
    at = page(Actor(VIEWER, "Kommittén", round_id=example))
    assert not at.header and not charts(at)
    # the version is not even offered (no name, no hash), just the same message
    assert [i.value for i in at.info] == ["Resultaten visas när facilitatorn har låst omgången."]
    assert not at.error and "Underlag" not in str([s.value for s in at.selectbox])
    rounds.set_status(app_db, fac, example, "scoring")
    at = page(Actor(VIEWER, "Kommittén", round_id=example))
    assert at.header[0].value == "Sammanfattning"
    assert any("Underlag" in s.value for s in at.success)


def test_english(app_db, fac, example):
    at = page(fac, "en")
    assert at.title[0].value == "Sensitivity analysis"
    assert [s.value for s in at.header][:2] == ["Summary", "How sure is each object's rank?"]
    assert summary(at).startswith("- Of the top 3 with the chosen weights, ")
    body = text(at)
    assert f"{results.SENSITIVITY_SAMPLES:,} scenarios" in body and "randomly chosen rater" in body
    assert "The three methods" in body
    assert "Kendall's tau" in body
    assert i18n.t("charts.acceptability_title", "en") in chart_titles(at)
    assert "Rangordningen" not in body and "scenarier" not in body


def test_incomplete_round_gives_the_reason_and_no_exception(app_db, fac, small_round):
    small_round["scores"] = [s for s in small_round["scores"] if not (s["object"] == "O2" and s["criterion"] == "K3")]
    rid = rounds.import_project(app_db, fac, projectfile.parse(small_round, require_complete=False))
    at = page(fac, round_id=rid)
    project = rounds.export_project(app_db, fac, rid)
    o, c = project.candidates[1], project.criteria[2]
    assert (o.id, c.id) == ("O2", "K3")
    [info] = [i.value for i in at.info]
    assert info.startswith("Känslighetsanalysen kan inte göras än: poäng saknas för 1 av 9 kombinationer")
    assert f"{o.name} \u2013 {c.name}" in info
    assert not at.header and not charts(at)
    en = page(fac, "en", round_id=rid)
    assert en.info[0].value.startswith("The sensitivity analysis cannot be made yet: scores are missing for 1 of 9")


def test_a_single_candidate_is_said_plainly(app_db, fac, small_round):
    for o in small_round["objects"]:
        if o["id"] in ("O2", "O3"):
            o["status"] = "committed"
    rid = rounds.import_project(app_db, fac, projectfile.parse(small_round))
    at = page(fac, round_id=rid)
    name = rounds.export_project(app_db, fac, rid).candidates[0].name
    assert [i.value for i in at.info] == [
        f"Bara ett objekt ({name}) är kandidat, så det finns ingen rangordning att pröva."]
    assert not charts(at)


# --- reruns -------------------------------------------------------------------------------------------------------


def test_a_warm_rerun_computes_nothing_again(app_db, fac, example, monkeypatch):
    """After the first run every analysis, frame, sentence and chart spec comes from a cache."""
    at = page(fac)
    first = text(at)

    def forbidden(*args, **kwargs):
        raise AssertionError("computed again on a warm rerun")

    for module, names in ((analysis, ("sensitivity", "rank", "decision_data")),
                          (engine_sensitivity, ("all_stability", "all_breakpoints")),
                          (sl, ("acceptability_frame", "acceptability_table", "oat_curves", "stability_frame")),
                          (ra, ("profile_rank_frame", "method_rank_frame", "agreement_frame", "agreement_sentence")),
                          (charts_dashboard, ("acceptability_chart", "oat_chart", "bump_chart", "agreement_chart",
                                              "method_dot_chart"))):
        for name in names:
            monkeypatch.setattr(module, name, forbidden)
    start = time.perf_counter()
    at.run()
    warm = time.perf_counter() - start
    assert not at.exception
    assert text(at) == first
    assert warm < 5.0  # generous: the point is that nothing above ran (about 0.05-0.15 s measured)


def test_long_lists_show_the_first_objects_in_the_chart_until_asked_for_all(app_db, fac, example, monkeypatch):
    monkeypatch.setattr(page_module, "CHART_ROWS", 5)
    at = page(fac)
    title = i18n.t("charts.acceptability_title", "sv")

    def objects_drawn() -> int:
        spec = next(s for s in charts(at) if s.get("title") == title)
        return len({row["object_id"] for rows in spec["datasets"].values() for row in rows if "object_id" in row})

    assert objects_drawn() == 5
    assert "De 5 första av 13 objekt; alla finns i tabellen nedan." in [c.value for c in at.caption]
    table = next(d.value for d in at.dataframe if "Säkerhetsfaktor" in d.value.columns)
    assert len(table) == 13
    at.checkbox(key="sensitivity_all_objects").check().run()
    assert not at.exception
    assert objects_drawn() == 13


# --- the weight model of the scenarios ---------------------------------------------------------------------


def test_the_weight_model_choice_changes_the_scenarios(app_db, fac, example):
    at = page(fac)
    radio = at.radio(key="sensitivity_weight_model")
    assert radio.value == "order"  # the default: the committee holds agreed weights
    assert len(radio.options) == 2
    project, order, ranking = expected_report(app_db, fac, example)
    _, uniform, _ = expected_report(app_db, fac, example, weight_model="uniform")
    index = {o.id: i for i, o in enumerate(order.data.objects)}
    first = ranking.ranked[0].object
    share_order = sl.share_label(order.smaa.rank_acceptability[index[first.id], :3].sum())
    share_uniform = sl.share_label(uniform.smaa.rank_acceptability[index[first.id], :3].sum())
    assert share_order != share_uniform  # the example's figures differ between the two models
    assert f"är {first.name} i topp 3 i {share_order} av scenarierna" in summary(at)
    assert i18n.t("sensitivity.shares_note_order", "sv") in [c.value for c in at.caption]
    radio.set_value("uniform").run()
    assert not at.exception
    assert f"är {first.name} i topp 3 i {share_uniform} av scenarierna" in summary(at)
    body = text(at)
    assert "jämnt över alla möjliga viktfördelningar" in body and "i samma ordning som de valda vikterna" not in body
    assert i18n.t("sensitivity.shares_note", "sv") in [c.value for c in at.caption]
    # the choice is remembered apart from the widget, so it survives a page switch
    assert at.session_state["_keep_sensitivity_weight_model"] == "uniform"
    again = page(fac, _keep_sensitivity_weight_model="uniform")
    assert again.radio(key="sensitivity_weight_model").value == "uniform"


def test_headings_do_not_skip_levels(app_db, fac, example):
    at = page(fac)
    assert [h.value for h in at.title] == ["Känslighetsanalys"]
    assert [h.value for h in at.header][:3] == ["Sammanfattning", "Hur säker är varje objekts rang?",
                                               "Vilka vikter avgör rangordningen?"]
    assert not at.subheader or all(h.value == "Deltagarnas egna vikter" for h in at.subheader)


def _agreed_round(rows: dict[str, list[float]], names: dict[str, str] | None = None) -> dict:
    """A project file with agreed scores only (1-5 scales, equal weights)."""
    m = len(next(iter(rows.values())))
    return {"format": "prioritization-project", "version": 1, "name": "Konstruerad omgång",
            "criteria": [{"id": f"K{j}", "name": f"Kriterium {j}", "direction": "benefit", "scale": [1, 5]}
                         for j in range(m)],
            "weights": {"method": "direct", "points": {f"K{j}": 1 for j in range(m)}},
            "objects": [{"id": oid, "name": (names or {}).get(oid, oid)} for oid in rows], "participants": [],
            "scores": [{"object": oid, "criterion": f"K{j}", "participant": None, "value": v}
                       for oid, vals in rows.items() for j, v in enumerate(vals)]}


def test_ties_and_repeated_names_are_said_apart_from_the_headline(app_db, fac):
    data = _agreed_round({"A": [5, 1, 3], "B": [1, 5, 3], "C": [4, 4, 2], "D": [2, 2, 1]},
                         names={"A": "Samma namn", "B": "Samma namn"})
    rid = rounds.import_project(app_db, fac, projectfile.parse(data))
    at = page(fac, round_id=rid)
    lines = summary(at).split("\n")
    ties = [line for line in lines if "delar rang" in line]
    assert ties == ["- Objekt som delar rang räknas inte i meningarna om viktändringar, eftersom minsta ändring kan "
                    "skilja dem åt: Samma namn (A) och Samma namn (B) (rang 2)."]
    headline = [line for line in lines if "Den minsta viktändring som" in line]
    assert len(headline) == 2 and all("Samma namn (A) ikapp Samma namn (B)" not in line for line in headline)
    assert "har i dag samma poäng" not in summary(at)
    # the tie sentence is said once, not per criterion
    assert text(at).count("Objekt som delar rang räknas inte") == 1


def test_two_candidates_say_first_not_top_one(app_db, fac):
    rid = rounds.import_project(app_db, fac, projectfile.parse(_agreed_round({"A": [5, 1], "B": [1, 4]})))
    at = page(fac, round_id=rid)
    assert summary(at).startswith("- Etta med de valda vikterna: A, som är etta i ")
    assert "topp 1" not in text(at)


def test_the_chooser_says_what_each_marked_criterion_is_the_smallest_change_for(app_db, fac, example):
    """Issue 11 #8: the preselected criterion and the one the sentence above names may differ;
    each is labelled with what its smallest change changes."""
    at = page(fac)
    project, report, _ = expected_report(app_db, fac, example)
    box = at.selectbox(key="sensitivity_criterion")
    first, tier = (wc.weight_change(report, w, tiers=project.tiers) for w in ("first", "tier"))
    focus, what = (tier, "vilken nivå ett objekt hamnar i") if tier.size <= first.size else (first, "vem som är etta")
    any_pair = wc.weight_change(report, "any")
    labels = box.options
    assert labels[focus.criterion] == f"{project.criteria[focus.criterion].name} – minsta viktändring som ändrar {what}"
    if any_pair.criterion != focus.criterion:
        assert labels[any_pair.criterion] == (f"{project.criteria[any_pair.criterion].name} – minsta viktändring "
                                              "som ändrar ordningen mellan två objekt")
    assert project.criteria[any_pair.criterion].name in wc.change_sentence(report, "any")
    plain = [k for k in range(len(labels)) if k not in (focus.criterion, any_pair.criterion)]
    assert all(labels[k] == project.criteria[k].name for k in plain)
