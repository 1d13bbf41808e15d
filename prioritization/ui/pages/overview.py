"""The ranking dashboard (read-only for viewers; works on a projector and in print).

Top to bottom: which version is shown (always), the ranked list with each criterion's
contribution and the tiers, the objects already prioritised (listed apart), the map, one object in
detail (why it ranks where it does, the spread between the municipalities, comments), and the
downloads. The facilitator sets the tiers here too (on the live round).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritization import i18n
from prioritization.errors import InputError
from prioritization.ui import charts_dashboard as charts
from prioritization.ui import dashboard_logic as logic
from prioritization.ui import downloads, object_detail, results, state, tier_editor
from prioritization.ui.state import tr


def render() -> None:
    st.title(tr("dashboard.heading"))
    db, actor = state.db(), state.actor()
    shown = results.choose(db, actor)
    if shown is None:
        return
    project, lang = shown.project, state.lang()
    st.subheader(project.name)
    profile = results.profile_choice(project)
    try:
        ranking = results.ranking(shown, profile)
        data = results.data(shown)
    except InputError as e:
        st.info(tr("overview.incomplete", reason=str(e)))
        _committed(shown, None)
        return
    tiers = results.tiers_of(shown, ranking)
    _summary(shown, ranking, tiers, profile)
    _ranked_list(ranking, data, tiers)
    _committed(shown, ranking)
    _map(ranking, tiers)
    _detail(shown, ranking, data)
    if tier_editor.may_edit(actor, shown):
        tier_editor.render(db, actor, shown, ranking)
    _downloads(shown, ranking, profile, tiers)
    with st.expander(tr("overview.weights")):
        st.dataframe(pd.DataFrame([{tr("overview.col_criterion"): logic.criterion_name(c, lang),
                                    tr("overview.col_weight"): i18n.number(100 * w, lang, 1)}
                                   for c, w in zip(project.criteria, ranking.weights)]),
                     hide_index=True, width="stretch")


def _summary(shown: results.Shown, ranking, tiers: dict[str, str] | None, profile: str | None) -> None:
    lang = state.lang()
    n = len(ranking.ranked)
    top = ", ".join(f"{ro.rank}. {logic.object_name(ro.object, lang)}" for ro in ranking.ranked[:3])
    lines = [tr("dashboard.summary_ranked", n=n, weights=results.profile_name(shown.project, profile).lower(),
                top=top)]
    if tiers:
        counts = [(label, sum(1 for v in tiers.values() if v == label)) for label in shown.project.tiers.labels]
        lines.append(tr("dashboard.summary_tiers", items=", ".join(
            tr("dashboard.tier_count", tier=label, n=k) for label, k in counts)))
    if ranking.committed:
        lines.append(tr("dashboard.summary_committed", n=len(ranking.committed)))
    st.markdown("\n".join(f"- {line}" for line in lines))


def _ranked_list(ranking, data, tiers) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.list_heading"))
    frame = logic.contribution_frame(ranking, data, tiers=tiers, lang=lang)
    st.altair_chart(charts.ranked_contributions_chart(frame, lang), width="stretch")
    st.caption(tr("dashboard.list_caption"))
    rows = []
    first = frame[frame["criterion_index"] == 0].sort_values("position")
    for r in first.itertuples():
        o = next(ro.object for ro in ranking.ranked if ro.object.id == r.object_id)
        row = {tr("overview.col_rank"): r.rank}
        if tiers is not None:
            row[tr("charts.tier")] = r.tier or "–"
            row[tr("dashboard.col_tier_rank")] = "–" if pd.isna(r.tier_rank) else int(r.tier_rank)
        row[tr("overview.col_object")] = r.object
        row[tr("dashboard.col_municipalities")] = ", ".join(o.attributes.get("municipalities") or [])
        row[tr("overview.col_score")] = r.score_label
        row[tr("dashboard.col_cost")] = "–" if o.cost is None else i18n.number(o.cost, lang, 0)
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _committed(shown: results.Shown, ranking) -> None:
    """"Redan prioriterade – bevakas": never ranked, listed apart."""
    objs = ranking.committed if ranking is not None else shown.project.committed
    if not objs:
        return
    lang = state.lang()
    st.subheader(tr("overview.committed"))
    st.caption(tr("dashboard.committed_caption"))
    st.dataframe(pd.DataFrame([{
        tr("overview.col_object"): logic.object_name(o, lang),
        tr("dashboard.col_municipalities"): ", ".join(o.attributes.get("municipalities") or []),
        tr("dashboard.col_cost"): "–" if o.cost is None else i18n.number(o.cost, lang, 0),
        tr("dashboard.col_planning"): o.attributes.get("planning_status") or o.attributes.get("funding_status") or "–",
    } for o in objs]), hide_index=True, width="stretch")


def _map(ranking, tiers) -> None:
    lang = state.lang()
    frame = logic.map_frame(ranking, tiers=tiers, lang=lang)
    if frame.empty:
        return
    st.subheader(tr("dashboard.map_heading"))
    options = ["rank", "tier"] if tiers else ["rank"]
    colour_by = st.radio(tr("dashboard.map_colour"), options, horizontal=True, key="overview_map_colour",
                         format_func=lambda o: tr(f"dashboard.map_by_{o}"))
    st.altair_chart(charts.map_chart(frame, colour_by=colour_by, lang=lang), width="stretch")
    if frame.attrs.get("note"):
        st.caption(frame.attrs["note"])
    with st.expander(tr("dashboard.map_table")):
        st.dataframe(frame[["label", "object", "category", "lat", "lon"]].rename(columns={
            "label": tr("overview.col_rank"), "object": tr("overview.col_object"), "category": tr("charts.tier"),
            "lat": tr("dashboard.lat"), "lon": tr("dashboard.lon")}), hide_index=True, width="stretch")


def _detail(shown: results.Shown, ranking, data) -> None:
    lang = state.lang()
    st.subheader(tr("dashboard.detail_heading"))
    ids = [ro.object.id for ro in ranking.ranked]
    names = {ro.object.id: f"{ro.rank}. {logic.object_name(ro.object, lang)}" for ro in ranking.ranked}
    oid = results.remembered_select(tr("dashboard.detail_pick"), ids, "overview_detail", format_func=names.get)
    for sentence in logic.why_sentences(ranking, data, oid, lang=lang):
        st.markdown(f"- {sentence}")
    detail = object_detail.detail_frame(shown.project, data, ranking, oid, lang)
    st.markdown(object_detail.spread_sentence(detail, lang))
    ratings = object_detail.rating_rows(shown.project, data, oid, lang)
    if not ratings.dropna(subset=["position"]).empty:
        st.altair_chart(object_detail.spread_chart(ratings, lang), width="stretch")
    st.dataframe(detail.drop(columns=["criterion_id", "spread"]).rename(columns={
        "criterion": tr("overview.col_criterion"), "weight": tr("overview.col_weight"),
        "value": tr("detail.value"), "scale": tr("detail.scale"), "basis": tr("detail.basis"),
        "lowest": tr("detail.lowest"), "highest": tr("detail.highest"),
        "contribution": tr("charts.contribution")}), hide_index=True, width="stretch")
    notes = object_detail.comments(shown.project, oid, lang)
    if notes.empty:
        st.caption(tr("detail.no_comments"))
    else:
        st.markdown(f"**{tr('detail.comments')}**")
        st.dataframe(notes.rename(columns={"criterion": tr("overview.col_criterion"), "who": tr("detail.who"),
                                           "comment": tr("detail.comment")}), hide_index=True, width="stretch")


def _downloads(shown: results.Shown, ranking, profile: str | None, tiers) -> None:
    """Excel, CSV, the PDF decision document and the project file of the version shown; built on click."""
    st.subheader(tr("overview.downloads"))
    st.caption(tr("dashboard.downloads_caption", version=shown.stamp.name, sha=shown.stamp.sha256[:12]))
    items = downloads.downloads(shown.project, ranking, shown.stamp, state.lang(), tiers=tiers,
                                sensitivity=lambda: results.sensitivity(shown, profile),
                                project_file=lambda: downloads.project_file_bytes(shown.project))
    for col, item in zip(st.columns(len(items)), items):
        col.download_button(tr(f"overview.download_{item.kind}"), data=item.build, file_name=item.file_name,
                            mime=item.mime, key=f"overview_download_{item.kind}", on_click="ignore")
