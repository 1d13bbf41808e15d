"""The ranking dashboard (read-only for viewers; works on a projector and in print).

Top to bottom: which version is shown (always), the committee's decided list once it exists (the
reference), the ranked list with each criterion's contribution and the tiers, the priority list
with the municipalities' local input points and where each municipality's points went, the
anchoring matrix of the draft list, the objects already prioritised and those parked in the
screening (listed apart), the map, one object in detail (why it ranks where it does, the spread
between the municipalities, comments), and the downloads. The facilitator sets the tiers here too
(on the live round). The committee's sections (:mod:`.committee_sections`) are drawn only when the
round has their data.
"""

from __future__ import annotations

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
from prioritization.ui.widgets import downloads


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
        _committed(shown, None)
        committee_sections.screened(shown)
        return
    tiers = results.tiers_of(shown, ranking)
    summary = _summary(shown, ranking, tiers, profile)
    _weights(shown, ranking, profile)
    _ranked_list(ranking, data, tiers, summary)
    points_state = committee_sections.input_state(shown, now, actor)
    if project.committee:
        committee_sections.priority(shown, ranking, _weights_text(shown, profile), points_state)
        committee_sections.points(shown, points_state)
    committee_sections.anchoring(now)
    _committed(shown, ranking)
    committee_sections.screened(shown)
    _map(ranking, tiers)
    _detail(shown, ranking, data)
    if tier_editor.may_edit(actor, shown):
        if profile is None:
            tier_editor.render(db, actor, shown, ranking)
        else:
            st.caption(tr("tiers.only_in_use"))
    # a frozen version's files carry what was recorded about it since (its draft, the replies, the decision)
    recorded = project if shown.live else view.with_record(project, shown.stamp.sha256, now.committee)
    _downloads(shown, ranking, profile, tiers, committee_sections.for_downloads(recorded, points_state))


def _weights(shown: results.Shown, ranking, profile: str | None) -> None:
    """The weights behind the list, near the top: the committee should see what the ranking rests on."""
    lang = state.lang()
    with st.expander(tr("dashboard.weights_expander", weights=results.profile_name(shown.project, profile))):
        st.dataframe(pd.DataFrame([{tr("overview.col_criterion"): rt.criterion_name(c, lang),
                                    tr("overview.col_weight"): i18n.number(100 * w, lang, 1)}
                                   for c, w in zip(shown.project.criteria, ranking.weights, strict=True)]),
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


def _ranked_list(ranking, data, tiers, summary: str) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.list_heading"), anchor=False)
    frame = rl.contribution_frame(ranking, data, tiers=tiers, lang=lang)
    st.altair_chart(charts.ranked_contributions_chart(frame, lang), width="stretch",
                    alt=summary + " " + tr("dashboard.list_alt"))
    st.caption(tr("dashboard.list_caption"))
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
        row = {tr("overview.col_rank"): r.rank}
        if tiers is not None:
            row[tr("charts.tier")] = r.tier or "–"
            row[tr("dashboard.col_tier_rank")] = "–" if pd.isna(r.tier_rank) else int(r.tier_rank)
        row[tr("overview.col_object")] = r.object
        row[tr("overview.col_score")] = r.score_label
        row[tr("dashboard.col_cost")] = "–" if o.cost is None else comparability_note.mark(i18n.made_up(
            i18n.number(o.cost, lang, 0), lang, o.cost_is_illustrative), o.id, COST, marks)
        if with_evidence:
            row[tr("dashboard.col_evidence")] = plan_facts.evidence_text(o.plan, lang) or "–"
        if with_nnk:
            nnk = plan_facts.nnk_text(o.plan, lang)
            row[tr("dashboard.col_nnk")] = "–" if nnk is None else comparability_note.mark(nnk, o.id, NNK, marks)
        row[tr("dashboard.col_municipalities")] = ", ".join(o.attributes.get("municipalities") or [])
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height="content")  # all rows, also in print
    comparability_note.show(list(objects.values()), lang)
    with st.expander(tr("dashboard.contributions_table")):
        table = frame.pivot_table(index=["position", "row_label"], columns="criterion_index", values="points",
                                  aggfunc="first").sort_index()
        names = dict(zip(frame["criterion_index"], frame["criterion"], strict=True))
        table.columns = [names[j] for j in table.columns]
        table = table.reset_index(level="position", drop=True).round(1)
        table.index.name = tr("overview.col_object")
        st.dataframe(table, width="stretch", height="content")


def _committed(shown: results.Shown, ranking) -> None:
    """"Redan prioriterade – bevakas": never ranked, listed apart, each with its latest follow-up
    step and who follows it up (from the version shown; "–" without a follow-up track)."""
    from streamlit.errors import StreamlitAPIException

    from prioritization.report import follow_up as follow_up_view

    objs = ranking.committed if ranking is not None else shown.project.committed
    if not objs:
        return
    lang = state.lang()
    latest = follow_up_view.latest_step_rows(shown.project, lang, follow_up_view.today_from(st.session_state))
    latest = latest.set_index("object_id")

    def step_text(oid: str) -> str:
        if oid not in latest.index or pd.isna(latest.loc[oid, "step_id"]):
            return "–"
        return f"{latest.loc[oid, 'step']} ({latest.loc[oid, 'when']})"

    st.subheader(tr("overview.committed"), anchor=False)
    st.caption(tr("dashboard.committed_caption"))
    marks = comparability_note.flagged(objs, (COST,))

    def planning(o) -> str:  # the planning stage and its note (issue 14), else the free-text funding status
        funding = o.attributes.get("funding_status")
        return plan_facts.stage_text(o.plan, lang) or (funding if isinstance(funding, str) and funding else "–")

    st.dataframe(pd.DataFrame([{
        tr("overview.col_object"): rt.object_name(o, lang),
        tr("followup.col_latest"): step_text(o.id),  # before the long planning text, so it stays in view
        tr("followup.col_responsible"): latest.loc[o.id, "responsible"] if o.id in latest.index else "–",
        tr("dashboard.col_municipalities"): ", ".join(o.attributes.get("municipalities") or []),
        tr("dashboard.col_cost"): "–" if o.cost is None else comparability_note.mark(
            i18n.made_up(i18n.number(o.cost, lang, 0), lang, o.cost_is_illustrative), o.id, COST, marks),
        tr("dashboard.col_planning"): planning(o),
    } for o in objs]), hide_index=True, width="stretch")
    comparability_note.show(objs, lang, (COST,))
    try:  # the follow-up page, if this role has it registered in the navigation
        st.page_link("prioritization/ui/pages/follow_up.py", label=tr("followup.dashboard_link"), icon=":material/flag:")
    except StreamlitAPIException:
        st.caption(tr("followup.dashboard_caption"))


def _map(ranking, tiers) -> None:
    lang = state.lang()
    frame = rl.map_frame(ranking, tiers=tiers, lang=lang)
    if frame.empty:
        return
    st.subheader(tr("dashboard.map_heading"), anchor=False)
    options = ["rank", "tier"] if tiers else ["rank"]
    colour_by = st.radio(tr("dashboard.map_colour"), options, horizontal=True, key="overview_map_colour",
                         format_func=lambda o: tr(f"dashboard.map_by_{o}"))
    st.altair_chart(charts.map_chart(frame, colour_by=colour_by, lang=lang), width="stretch",
                    alt=tr("dashboard.map_alt", n=len(frame)))
    if frame.attrs.get("note"):
        st.caption(frame.attrs["note"])
    with st.expander(tr("dashboard.map_table")):
        st.dataframe(frame[["label", "object", "category", "lat", "lon"]].rename(columns={
            "label": tr("overview.col_rank"), "object": tr("overview.col_object"), "category": tr("charts.tier"),
            "lat": tr("dashboard.lat"), "lon": tr("dashboard.lon")}), hide_index=True, width="stretch")


def _detail(shown: results.Shown, ranking, data) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.detail_heading"), anchor=False)
    ids = [ro.object.id for ro in ranking.ranked]
    names = {ro.object.id: f"{ro.rank}. {rt.object_name(ro.object, lang)}" for ro in ranking.ranked}
    oid = results.remembered_select(tr("dashboard.detail_pick"), ids, "overview_detail", format_func=names.get)
    for sentence in rl.why_sentences(ranking, data, oid, lang=lang):
        st.markdown(f"- {results.say(sentence)}")
    named = plan_facts.names_of(shown.project.objects, lang)
    if plan := plan_facts.facts(shown.project.object(oid).plan, lang, name=named):  # its place in the plan process
        st.markdown("\n".join(f"- **{plan_facts.fact_label(k, lang)}:** {safe_text.md(text)}" for k, text in plan))
    detail = object_detail.detail_frame(shown.project, data, ranking, oid, lang)
    spread = object_detail.spread_sentence(detail, lang)
    st.markdown(results.say(spread))
    ratings = object_detail.rating_rows(shown.project, data, oid, lang)
    if not ratings.dropna(subset=["position"]).empty:
        st.altair_chart(object_detail.spread_chart(ratings, lang), width="stretch",
                        alt=spread + " " + tr("dashboard.detail_alt"))
    st.dataframe(detail.drop(columns=["criterion_id", "spread"]).rename(columns={
        "criterion": tr("overview.col_criterion"), "direction": tr("detail.direction"),
        "weight": tr("overview.col_weight"),
        "value": tr("detail.value"), "scale": tr("detail.scale"), "basis": tr("detail.basis"),
        "lowest": tr("detail.lowest"), "highest": tr("detail.highest"),
        "contribution": tr("charts.contribution")}), hide_index=True, width="stretch", height="content")
    notes = object_detail.comments(shown.project, oid, lang)
    if notes.empty:
        st.caption(tr("detail.no_comments"))
    else:
        st.markdown(f"**{tr('detail.comments')}**")
        st.dataframe(notes.rename(columns={"criterion": tr("overview.col_criterion"), "who": tr("detail.who"),
                                           "comment": tr("detail.comment")}), hide_index=True, width="stretch")


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
