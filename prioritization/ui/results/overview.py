"""The ranking dashboard (read-only for viewers; works on a projector and in print).

Top to bottom: which version is shown (always), the committee's decided list once it exists (the
reference), the ranked list with each criterion's contribution and the tiers, the priority list
with the municipalities' local input points and where each municipality's points went, the
anchoring matrix of the draft list, the objects already prioritised and those parked in the
screening (listed apart), the map, one object in detail (why it ranks where it does, the spread
between the municipalities, comments), and the downloads. The facilitator sets the tiers here too
(on the live round). The committee's sections (:mod:`.committee_sections`) are drawn only when the
round has their data.

Page work is cached per content (:func:`_made`): the frames and sentences made from the version
shown (its ``shown.key``, which :func:`results.choose` gives only after checking access), the
weights (``profile``), the language and the object chosen, and each chart's Vega-Lite spec
(:mod:`prioritization.ui.widgets.cached_chart`) under the same names; a warm rerun only draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.planning.comparability import COST, NNK
from prioritization.report import committee as view
from prioritization.report import plan_facts
from prioritization.report import ranking as rl
from prioritization.report import result_text as rt
from prioritization.report import sensitivity as sl
from prioritization.ui.results import charts_dashboard as charts
from prioritization.ui.results import committee_sections, comparability_note, object_detail, results, tier_editor
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets import cached_chart, downloads


def render() -> None:
    st.title(tr("dashboard.heading"), anchor=False)
    db, actor = state.db(), state.actor()
    shown = results.choose(db, actor)
    if shown is None:
        return
    project, lang = shown.project, state.lang()
    st.header(safe_text.md(project.name), anchor=False)
    now = committee_sections.record(shown, db, actor)  # the replies and the decision: the round's, now
    committee_sections.decided(now)  # once decided, the decided list is the reference: first
    from prioritization.ui.widgets import reevaluation_section  # objects flagged "Omprövas" (issue 14)
    reevaluation_section.render(db, actor, shown.round_id)
    profile = results.profile_choice(project)
    try:
        ranking = results.ranking(shown, profile)
        data = results.data(shown)
    except InputError as e:
        st.info(tr("overview.incomplete", reason=rl.incomplete_reason(project, e, lang)))
        committee_sections.anchoring(now)
        _committed(shown, profile, None)
        committee_sections.screened(shown)
        return
    tiers = results.tiers_of(shown, ranking)
    summary = _summary(shown, ranking, tiers, profile)
    _weights(shown, ranking, profile)
    _ranked_list(shown, profile, ranking, data, tiers, summary)
    points_state = committee_sections.input_state(shown, now, actor)
    if project.committee:
        committee_sections.priority(shown, ranking, _weights_text(shown, profile), points_state, profile)
        committee_sections.points(shown, points_state)
    committee_sections.anchoring(now)
    _committed(shown, profile, ranking)
    committee_sections.screened(shown)
    _map(shown, profile, ranking, tiers)
    _detail(shown, profile, ranking, data)
    if tier_editor.may_edit(actor, shown):
        if profile is None:
            tier_editor.render(db, actor, shown, ranking)
        else:
            st.caption(tr("tiers.only_in_use"))
    # a frozen version's files carry what was recorded about it since (its draft, the replies, the decision)
    recorded = project if shown.live else view.with_record(project, shown.stamp.sha256, now.committee)
    _downloads(shown, ranking, profile, tiers, committee_sections.for_downloads(recorded, points_state))


# ------------------------------------------------------------------------------------ cached page work


@st.cache_resource(max_entries=64, show_spinner=False)
def _made(ident: tuple, _make: Callable[[], Any]) -> Any:
    """What ``_make`` returns, made once per ``ident``. The results are shared between sessions and
    never changed after: ``ident`` names everything they depend on (:func:`_ident`)."""
    return _make()


def _ident(what: str, shown: results.Shown, profile: str | None, lang: str, *more) -> tuple:
    """A cache identity on this page: what is made, the content shown (``shown.key``, given by
    :func:`results.choose` only after it checked access, so never by anything another role could
    collide with), the weights, the language and whatever else it depends on (``more``)."""
    return ("overview", what, shown.key, profile, lang, *more)


def _weights(shown: results.Shown, ranking, profile: str | None) -> None:
    """The weights behind the list, near the top: the committee should see what the ranking rests on."""
    lang = state.lang()

    def make() -> pd.DataFrame:
        return pd.DataFrame([{i18n.t("overview.col_criterion", lang): rt.criterion_name(c, lang),
                              i18n.t("overview.col_weight", lang): i18n.number(100 * w, lang, 1)}
                             for c, w in zip(shown.project.criteria, ranking.weights, strict=True)])

    with st.expander(tr("dashboard.weights_expander", weights=results.profile_name(shown.project, profile))):
        st.dataframe(_made(_ident("weights", shown, profile, lang), make),
                     hide_index=True, width="stretch", height="content")


def _weights_text(shown: results.Shown, profile: str | None) -> str:
    if profile is None:
        return tr("dashboard.by_weights_in_use")
    return tr("dashboard.by_profile", name=shown.project.profile(profile).name)


def _summary(shown: results.Shown, ranking, tiers: dict[str, str] | None, profile: str | None) -> str:
    """Three plain sentences above the list; returns the first (the ranked chart's text alternative)."""
    lang = state.lang()
    n = len(ranking.ranked)
    top_objects = [ro for ro in ranking.ranked if ro.rank <= 3]  # ties at rank 3 are all named
    top = ", ".join(f"{ro.rank}. {rt.object_name(ro.object, lang)}" for ro in top_objects)
    lines = [tr("dashboard.summary_ranked", n=n, weights=_weights_text(shown, profile), top=top)]
    if tiers:
        counts = [(label, sum(1 for v in tiers.values() if v == label)) for label in shown.project.tiers.labels]
        lines.append(tr("dashboard.summary_tiers", items=", ".join(
            tr("dashboard.tier_count", tier=label, n=k) for label, k in counts)))
    if ranking.committed:
        lines.append(tr("dashboard.summary_committed", n=len(ranking.committed)))
    st.markdown("\n".join(f"- {results.say(line)}" for line in lines))
    return lines[0]


@dataclass(frozen=True)
class _List:
    """The ranked list as shown (made once per version, weights and language)."""

    frame: pd.DataFrame  # report.ranking.contribution_frame: the chart's data
    table: pd.DataFrame  # the list with costs, tiers and plan data
    contributions: pd.DataFrame  # each criterion's points, one row per object
    objects: tuple  # the ranked objects (for the comparability warning)


def _list_view(ranking, data, tiers, lang: str) -> _List:
    def tr_(key: str) -> str:
        return i18n.t(key, lang)

    frame = rl.contribution_frame(ranking, data, tiers=tiers, lang=lang)
    objects = {ro.object.id: ro.object for ro in ranking.ranked}
    # the plan data next to the figures (issue 14): evidence level and NNK when any object has them,
    # and "†" on the figures that cannot be compared directly (the warning under the table says why)
    marks = comparability_note.flagged(list(objects.values()))
    with_evidence = any(o.plan.evidence for o in objects.values())
    with_nnk = any(o.plan.seb is not None and o.plan.seb.nnk is not None for o in objects.values())
    rows = []
    first = frame[frame["criterion_index"] == 0].sort_values("position")
    for r in first.itertuples():
        o = objects[r.object_id]
        row = {tr_("overview.col_rank"): r.rank}
        if tiers is not None:
            row[tr_("charts.tier")] = r.tier or "–"
            row[tr_("dashboard.col_tier_rank")] = "–" if pd.isna(r.tier_rank) else int(r.tier_rank)
        row[tr_("overview.col_object")] = r.object
        row[tr_("overview.col_score")] = r.score_label
        row[tr_("dashboard.col_cost")] = "–" if o.cost is None else comparability_note.mark(i18n.made_up(
            i18n.number(o.cost, lang, 0), lang, o.cost_is_illustrative), o.id, COST, marks)
        if with_evidence:
            row[tr_("dashboard.col_evidence")] = plan_facts.evidence_text(o.plan, lang) or "–"
        if with_nnk:
            nnk = plan_facts.nnk_text(o.plan, lang)
            row[tr_("dashboard.col_nnk")] = "–" if nnk is None else comparability_note.mark(nnk, o.id, NNK, marks)
        row[tr_("dashboard.col_municipalities")] = ", ".join(o.attributes.get("municipalities") or [])
        rows.append(row)
    table = frame.pivot_table(index=["position", "row_label"], columns="criterion_index", values="points",
                              aggfunc="first").sort_index()
    names = dict(zip(frame["criterion_index"], frame["criterion"], strict=True))
    table.columns = [names[j] for j in table.columns]
    table = table.reset_index(level="position", drop=True).round(1)
    table.index.name = tr_("overview.col_object")
    return _List(frame, pd.DataFrame(rows), table, tuple(objects.values()))


def _ranked_list(shown: results.Shown, profile: str | None, ranking, data, tiers, summary: str) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.list_heading"), anchor=False)
    view: _List = _made(_ident("list", shown, profile, lang), lambda: _list_view(ranking, data, tiers, lang))
    cached_chart.draw(_ident("ranked_chart", shown, profile, lang),
                      lambda: charts.ranked_contributions_chart(view.frame, lang),
                      summary + " " + tr("dashboard.list_alt"))
    st.caption(tr("dashboard.list_caption"))
    st.dataframe(view.table, hide_index=True, width="stretch", height="content")  # all rows, also in print
    comparability_note.show(list(view.objects), lang)
    with st.expander(tr("dashboard.contributions_table")):
        st.dataframe(view.contributions, width="stretch", height="content")


def _committed(shown: results.Shown, profile: str | None, ranking) -> None:
    """"Redan prioriterade – bevakas": never ranked, listed apart, each with its latest follow-up
    step and who follows it up (from the version shown; "–" without a follow-up track)."""
    from streamlit.errors import StreamlitAPIException

    from prioritization.report import follow_up as follow_up_view

    objs = ranking.committed if ranking is not None else shown.project.committed
    if not objs:
        return
    lang = state.lang()
    today = follow_up_view.today_from(st.session_state)
    st.subheader(tr("overview.committed"), anchor=False)
    st.caption(tr("dashboard.committed_caption"))

    def table() -> pd.DataFrame:
        latest = follow_up_view.latest_step_rows(shown.project, lang, today).set_index("object_id")

        def step_text(oid: str) -> str:
            if oid not in latest.index or pd.isna(latest.loc[oid, "step_id"]):
                return "–"
            return f"{latest.loc[oid, 'step']} ({latest.loc[oid, 'when']})"

        marks = comparability_note.flagged(objs, (COST,))

        def planning(o) -> str:  # the planning stage and its note (issue 14), else the free-text funding status
            funding = o.attributes.get("funding_status")
            return plan_facts.stage_text(o.plan, lang) or (funding if isinstance(funding, str) and funding else "–")

        return pd.DataFrame([{
            i18n.t("overview.col_object", lang): rt.object_name(o, lang),
            # before the long planning text, so it stays in view
            i18n.t("followup.col_latest", lang): step_text(o.id),
            i18n.t("followup.col_responsible", lang): latest.loc[o.id, "responsible"] if o.id in latest.index else "–",
            i18n.t("dashboard.col_municipalities", lang): ", ".join(o.attributes.get("municipalities") or []),
            i18n.t("dashboard.col_cost", lang): "–" if o.cost is None else comparability_note.mark(
                i18n.made_up(i18n.number(o.cost, lang, 0), lang, o.cost_is_illustrative), o.id, COST, marks),
            i18n.t("dashboard.col_planning", lang): planning(o),
        } for o in objs])

    st.dataframe(_made(_ident("committed", shown, profile, lang, today.isoformat(), ranking is None), table),
                 hide_index=True, width="stretch")
    comparability_note.show(objs, lang, (COST,))
    try:  # the follow-up page, if this role has it registered in the navigation
        st.page_link("prioritization/ui/pages/follow_up.py", label=tr("followup.dashboard_link"), icon=":material/flag:")
    except StreamlitAPIException:
        st.caption(tr("followup.dashboard_caption"))


def _map(shown: results.Shown, profile: str | None, ranking, tiers) -> None:
    lang = state.lang()
    frame = _made(_ident("map", shown, profile, lang), lambda: rl.map_frame(ranking, tiers=tiers, lang=lang))
    if frame.empty:
        return
    st.subheader(tr("dashboard.map_heading"), anchor=False)
    options = ["rank", "tier"] if tiers else ["rank"]
    colour_by = st.radio(tr("dashboard.map_colour"), options, horizontal=True, key="overview_map_colour",
                         format_func=lambda o: tr(f"dashboard.map_by_{o}"))
    cached_chart.draw(_ident("map_chart", shown, profile, lang, colour_by),
                      lambda: charts.map_chart(frame, colour_by=colour_by, lang=lang),
                      tr("dashboard.map_alt", n=len(frame)))
    if frame.attrs.get("note"):
        st.caption(frame.attrs["note"])
    with st.expander(tr("dashboard.map_table")):
        st.dataframe(_made(_ident("map_table", shown, profile, lang), lambda: frame[
            ["label", "object", "category", "lat", "lon"]].rename(columns={
                "label": i18n.t("overview.col_rank", lang), "object": i18n.t("overview.col_object", lang),
                "category": i18n.t("charts.tier", lang), "lat": i18n.t("dashboard.lat", lang),
                "lon": i18n.t("dashboard.lon", lang)})), hide_index=True, width="stretch")


@dataclass(frozen=True)
class _Detail:
    """One object in detail as shown (made once per version, weights, language and object)."""

    why: tuple[str, ...]  # why it ranks where it does
    plan: str  # its place in the plan process (Markdown), "" when nothing is known
    spread: str  # the spread sentence
    ratings: pd.DataFrame  # the individual ratings (the spread chart's data)
    on_scales: bool  # some of them on a criterion with a scale: the spread chart is drawn
    table: pd.DataFrame  # one row per criterion
    comments: pd.DataFrame  # the comments, empty when there are none


def _detail_view(shown: results.Shown, ranking, data, oid: str, lang: str) -> _Detail:
    def tr_(key: str) -> str:
        return i18n.t(key, lang)

    named = plan_facts.names_of(shown.project.objects, lang)
    plan = plan_facts.facts(shown.project.object(oid).plan, lang, name=named)
    detail = object_detail.detail_frame(shown.project, data, ranking, oid, lang)
    table = detail.drop(columns=["criterion_id", "spread"]).rename(columns={
        "criterion": tr_("overview.col_criterion"), "direction": tr_("detail.direction"),
        "weight": tr_("overview.col_weight"),
        "value": tr_("detail.value"), "scale": tr_("detail.scale"), "basis": tr_("detail.basis"),
        "lowest": tr_("detail.lowest"), "highest": tr_("detail.highest"),
        "contribution": tr_("charts.contribution")})
    notes = object_detail.comments(shown.project, oid, lang)
    ratings = object_detail.rating_rows(shown.project, data, oid, lang)
    return _Detail(
        why=tuple(rl.why_sentences(ranking, data, oid, lang=lang)),
        plan="\n".join(f"- **{plan_facts.fact_label(k, lang)}:** {safe_text.md(text)}" for k, text in plan)
        if plan else "",
        spread=object_detail.spread_sentence(detail, lang),
        ratings=ratings,
        on_scales=not ratings.dropna(subset=["position"]).empty,
        table=table,
        comments=notes.rename(columns={"criterion": tr_("overview.col_criterion"), "who": tr_("detail.who"),
                                       "comment": tr_("detail.comment")}))


def _detail(shown: results.Shown, profile: str | None, ranking, data) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.detail_heading"), anchor=False)
    names = _made(_ident("detail_names", shown, profile, lang),
                  lambda: {ro.object.id: f"{ro.rank}. {rt.object_name(ro.object, lang)}" for ro in ranking.ranked})
    oid = results.remembered_select(tr("dashboard.detail_pick"), list(names), "overview_detail",
                                    format_func=names.get)
    view: _Detail = _made(_ident("detail", shown, profile, lang, oid),
                          lambda: _detail_view(shown, ranking, data, oid, lang))
    for sentence in view.why:
        st.markdown(f"- {results.say(sentence)}")
    if view.plan:  # its place in the plan process
        st.markdown(view.plan)
    st.markdown(results.say(view.spread))
    if view.on_scales:
        cached_chart.draw(_ident("spread_chart", shown, profile, lang, oid),
                          lambda: object_detail.spread_chart(view.ratings, lang),
                          view.spread + " " + tr("dashboard.detail_alt"))
    st.dataframe(view.table, hide_index=True, width="stretch", height="content")
    if view.comments.empty:
        st.caption(tr("detail.no_comments"))
    else:
        st.markdown(f"**{tr('detail.comments')}**")
        st.dataframe(view.comments, hide_index=True, width="stretch")


def _downloads(shown: results.Shown, ranking, profile: str | None, tiers, tabular: Project) -> None:
    """Excel, CSV, the PDF decision document and the project file of the version shown; built on click.
    ``tabular``: the project the Excel, CSV and PDF are made from (``committee_sections.for_downloads``)."""
    st.subheader(tr("overview.downloads"), anchor=False)
    st.caption(tr("dashboard.downloads_caption", version=shown.stamp.name, sha=shown.stamp.sha256[:12],
                  weights=_weights_text(shown, profile)))
    weights_label = None if profile is None else shown.project.profile(profile).name
    items = downloads.downloads(tabular, ranking, shown.stamp, state.lang(), tiers=tiers,
                                weights_label=weights_label,
                                key_findings=lambda report: sl.key_findings(
                                    report, ranking, shown.project.tiers or None, tiers, state.lang()),
                                sensitivity=lambda: results.sensitivity(shown, profile),
                                project_file=lambda: downloads.project_file_bytes(shown.project))
    for col, item in zip(st.columns(len(items)), items, strict=True):
        col.download_button(tr(f"overview.download_{item.kind}"), data=item.build, file_name=item.file_name,
                            mime=item.mime, key=f"overview_download_{item.kind}", on_click="ignore")
