"""Sensitivity: how sure the ranking is, in plain words first and charts second.

Top to bottom, all visible (a projector, and print, show no hidden tabs): which version is shown,
the weights in use or a profile, how the scenarios draw weights (the order of those weights, or
all possible weights), a short summary (the smallest weight changes that change who is first and
the tiers or the top 3, objects sharing a rank apart), then per object (SMAA-2 rank acceptability),
per criterion (stability intervals, the critical criterion, one-at-a-time weight curves), weight
profiles and the participants' own weights (rank comparison, agreement), and the method
cross-check. Every chart has its sentence and a table in an expander.

Heavy work runs once per source and weights: the analyses through :mod:`prioritization.ui.results.results`
and the frames and sentences built from them through the ``st.cache_resource`` functions below
(keyed by the source key, the weights and the language). A rerun only looks them up and draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from prioritization import i18n
from prioritization.errors import InputError
from prioritization.report import rank_agreement as ra
from prioritization.report import ranking as rl
from prioritization.report import result_text as rt
from prioritization.report import sensitivity as sl
from prioritization.report import weight_change as wc
from prioritization.ui.results import charts_dashboard as charts
from prioritization.ui.results import results
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets import cached_chart

CHART_ROWS = 20  # the acceptability chart shows this many objects unless asked for all
SENTENCE_ROWS = 10  # objects with their acceptability sentence written out
OAT_TOP = 5  # objects drawn in the one-at-a-time chart
MEASURES = ("kendall", "spearman")
WEIGHT_MODELS = results.WEIGHT_MODELS
K_MODEL = "sensitivity_weight_model"
K_KEEP_MODEL = results.WEIGHT_MODEL_KEEP  # survives switching pages (widget state does not)


# ------------------------------------------------------------------------------------ cached views


@dataclass(frozen=True)
class ObjectView:
    """Per-object figures at one source, weights and language."""

    ident: tuple  # (source key, weights, weight model, language): identifies the charts drawn from it
    frame: pd.DataFrame  # sl.acceptability_frame (chart)
    table: pd.DataFrame  # sl.acceptability_table
    summary: tuple[str, ...]  # robust top, smallest changes (first; tiers or top k), ties, fragile position
    varied: str
    confidence: str | None
    critical: int | None  # the criterion preselected for the curves
    focus: tuple[int, ...]  # the objects of the preselected criterion's change (drawn in its curves)
    critical_any: str  # wc.change_sentence "any": the smallest change that swaps any two objects
    stability: pd.DataFrame  # sl.stability_frame
    critical_what: str = ""  # what the preselected criterion's change changes ("vem som är etta", ...)
    critical_any_criterion: int | None = None  # the criterion the any-pair sentence names


@dataclass(frozen=True)
class RankSet:
    """Several rankings of the same objects side by side (profiles, participants or methods)."""

    ident: tuple  # (what, source key, [weights,] language)
    ranks: pd.DataFrame  # long: key, key_index, object_id, object, rank, ...
    key: str
    sentence: str | None
    agreement: dict  # measure -> ra.agreement_frame
    correlations: pd.DataFrame  # ra.correlation_table
    wide: pd.DataFrame  # object x ranking, for the table


@st.cache_resource(max_entries=16, show_spinner=False)
def _objects(key: str, profile: str | None, weight_model: str, lang: str, _shown: results.Shown) -> ObjectView:
    report = results.sensitivity(_shown, profile, weight_model=weight_model)
    ranking = results.ranking(_shown, profile)
    tiers = _shown.project.tiers or None
    changes, focus, what = sl.headline(report, ranking, tiers, results.tiers_of(_shown, ranking), lang)
    any_pair = wc.weight_change(report, "any")
    summary = [sl.robust_top_sentence(report, ranking, lang=lang), *changes, sl.ties_sentence(report, lang),
               sl.fragile_sentence(report, ranking, lang=lang)]
    return ObjectView((key, profile, weight_model, lang), sl.acceptability_frame(report, ranking, lang),
                      sl.acceptability_table(report, ranking, lang=lang), tuple(s for s in summary if s),
                      sl.varied_sentence(report, lang), sl.confidence_sentence(report, lang),
                      None if focus is None else focus.criterion,
                      () if focus is None else (focus.above, focus.below),
                      wc.change_sentence(report, "any", lang), sl.stability_frame(report, lang), what,
                      None if any_pair is None else any_pair.criterion)


@st.cache_resource(max_entries=64, show_spinner=False)
def _curves(key: str, profile: str | None, weight_model: str, j: int, include: tuple, lang: str,
            _shown: results.Shown) -> sl.OatCurves:
    report = results.sensitivity(_shown, profile, weight_model=weight_model)  # cached: the same report
    return sl.oat_curves(report, j, top_n=OAT_TOP, include=include, lang=lang)


def _rank_set(ident: tuple, ranks: pd.DataFrame, key: str, subject: str, lang: str) -> RankSet:
    agreement = {m: ra.agreement_frame(ranks, key, measure=m, lang=lang) for m in MEASURES}
    names = list(dict.fromkeys(ranks[key]))
    first = ranks[ranks[f"{key}_index"] == 0].sort_values("rank", kind="stable")
    wide = ranks.pivot(index="object_id", columns=key, values="rank").loc[list(first["object_id"]), names]
    wide.index = list(first["object"])
    wide.columns.name = None
    return RankSet(ident, ranks, key, ra.agreement_sentence(ranks, key, subject, lang=lang), agreement,
                   ra.correlation_table(ranks, key, lang), wide)


@st.cache_resource(max_entries=16, show_spinner=False)
def _profiles(key: str, lang: str, _shown: results.Shown) -> RankSet | None:
    project = _shown.project
    if not project.weight_profiles:
        return None
    ranks = ra.profile_rank_frame(project, ra.profile_weights(project, lang), data=results.data(_shown), lang=lang)
    return _rank_set(("profiles", key, lang), ranks, "profile", i18n.t("sensitivity.subject_profiles", lang), lang)


@st.cache_resource(max_entries=16, show_spinner=False)
def _participants(key: str, lang: str, _shown: results.Shown) -> RankSet | None:
    project = _shown.project
    own = ra.participant_weights(project)
    if not own:
        return None
    weights = {i18n.t("charts.weights_in_use", lang): results.weights(_shown), **own}
    ranks = ra.profile_rank_frame(project, weights, data=results.data(_shown), lang=lang).rename(
        columns={"profile": "participant", "profile_index": "participant_index"})
    return _rank_set(("participants", key, lang), ranks, "participant",
                     i18n.t("sensitivity.subject_participants", lang), lang)


@st.cache_resource(max_entries=16, show_spinner=False)
def _methods(key: str, profile: str | None, lang: str, _shown: results.Shown) -> RankSet:
    ranks = ra.method_rank_frame(_shown.project, weights=results.weights(_shown, profile), data=results.data(_shown),
                                 lang=lang)
    ranks["method_index"] = ranks["method_id"].map({m: k for k, m in enumerate(dict.fromkeys(ranks["method_id"]))})
    return _rank_set(("methods", key, profile, lang), ranks, "method", i18n.t("sensitivity.subject_methods", lang),
                     lang)


_chart = cached_chart.draw


# ------------------------------------------------------------------------------------ the page


def render() -> None:
    st.title(tr("nav.sensitivity"), anchor=False)
    shown = results.choose(state.db(), state.actor())
    if shown is None:
        return
    project, lang = shown.project, state.lang()
    profile = results.profile_choice(project)
    weight_model = _weight_model_choice()
    try:
        data = results.data(shown)
        if len(data.objects) == 1:
            st.info(results.say(tr("sensitivity.single", name=rt.object_name(data.objects[0], lang))))
            return
        view = _objects(shown.key, profile, weight_model, lang, shown)
        methods = _methods(shown.key, profile, lang, shown)
    except InputError as e:
        st.info(tr("sensitivity.incomplete", reason=rl.incomplete_reason(project, e, lang)))
        return
    weights_name = results.profile_name(project, profile)
    _summary(view, methods, weights_name)
    _per_object(view, len(data.objects), weight_model)
    _per_criterion(shown, profile, weight_model, view)
    _comparisons(shown)
    _method_check(methods, weights_name)


def _criterion_option(k: int, names: list[str], view: ObjectView) -> str:
    """A criterion in the chooser, saying which change it is the smallest for: the one the curves
    start with (the summary's), and the one the sentence above names (any two objects)."""
    if k == view.critical:
        return tr("sensitivity.most_sensitive", name=names[k], what=view.critical_what)
    if k == view.critical_any_criterion:
        return tr("sensitivity.most_sensitive", name=names[k], what=sl.focus_what("any", 0, state.lang()))
    return names[k]


def _weight_model_choice() -> str:
    """How the SMAA scenarios draw weights: in the order of the weights in view, or all possible
    weights. Remembered across pages."""
    ss = st.session_state
    if K_MODEL not in ss and ss.get(K_KEEP_MODEL) in WEIGHT_MODELS:
        ss[K_MODEL] = ss[K_KEEP_MODEL]
    model = st.radio(tr("sensitivity.weight_model"), WEIGHT_MODELS, key=K_MODEL, horizontal=True,
                     format_func=lambda m: tr(f"sensitivity.weight_model.{m}"), help=tr("sensitivity.weight_model_help"))
    ss[K_KEEP_MODEL] = model
    return model


def _bullets(lines) -> None:
    st.markdown("\n".join(f"- {results.say(line)}" for line in lines if line))


def _summary(view: ObjectView, methods: RankSet, weights_name: str) -> None:
    st.header(tr("sensitivity.summary"), anchor=False)
    _bullets([*view.summary, methods.sentence])
    st.caption(tr("sensitivity.weights_caption", weights=weights_name) + " " + tr("sensitivity.change_note"))


def _table(frame: pd.DataFrame, **kw) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", **kw)


# --- per object ------------------------------------------------------------------------------------


def _per_object(view: ObjectView, n: int, weight_model: str) -> None:
    lang = state.lang()
    st.header(tr("sensitivity.per_object"), anchor=False)
    st.markdown(results.say(view.varied))
    table = view.table
    _bullets(tr("sensitivity.object_line", rank=row.rank, name=row.object, sentence=row.sentence)
             for row in table.head(SENTENCE_ROWS).itertuples())
    frame = view.frame
    if n > CHART_ROWS and not st.checkbox(tr("sensitivity.show_all", n=n), key="sensitivity_all_objects"):
        frame = frame[frame["position"] < CHART_ROWS]
        st.caption(tr("sensitivity.first_objects", shown=CHART_ROWS, n=n))
    _chart(("acceptability", *view.ident, len(frame)), lambda: charts.acceptability_chart(frame, lang),
           view.summary[0] if view.summary else tr("sensitivity.objects_table"))
    st.caption(tr("sensitivity.shares_note" if weight_model == "uniform" else "sensitivity.shares_note_order"))
    if view.confidence:
        st.markdown(results.say(view.confidence))
    with st.expander(tr("sensitivity.objects_table")):
        columns = {"rank": tr("sensitivity.col_rank"), "object": tr("sensitivity.col_object"),
                   "at_rank_label": tr("sensitivity.col_at_rank"), "first_label": tr("sensitivity.col_first")}
        columns.update({f"top_{k}_label": tr("sensitivity.col_top", k=k) for k in sl.TOP_CUTOFFS
                        if f"top_{k}" in table})
        columns["range_label"] = tr("sensitivity.col_range", coverage=i18n.percent(sl.RANGE_COVERAGE, lang))
        if view.confidence:
            columns["confidence_label"] = tr("sensitivity.col_confidence")
        _table(table[list(columns)].rename(columns=columns))


# --- per criterion -----------------------------------------------------------------------------------


def _per_criterion(shown: results.Shown, profile: str | None, weight_model: str, view: ObjectView) -> None:
    lang = state.lang()
    criteria = shown.project.criteria
    st.header(tr("sensitivity.per_criterion"), anchor=False)
    stab = view.stability
    if len(criteria) == 1:
        st.markdown(results.say(stab["sentence"].iloc[0]))
        return
    st.markdown(results.say(view.critical_any))
    names = list(stab["criterion"])
    critical = view.critical
    j = st.selectbox(tr("sensitivity.criterion"), range(len(criteria)), index=critical or 0,
                     key="sensitivity_criterion", help=tr("sensitivity.criterion_help"),
                     format_func=lambda k: _criterion_option(k, names, view))
    st.markdown(results.say(stab["sentence"].iloc[j]))
    include = view.focus if j == critical else ()
    curves = _curves(shown.key, profile, weight_model, j, include, lang, shown)
    _chart(("oat", *view.ident, j, include), lambda: charts.oat_chart(curves, lang), stab["sentence"].iloc[j])
    caption = tr("sensitivity.oat_caption", n=min(OAT_TOP, len(view.table)), criterion=names[j])
    if curves.extra:
        caption += tr("sensitivity.oat_caption_extra", names=rt.join_names(list(curves.extra), lang))
    st.caption(results.say(caption))
    with st.expander(tr("sensitivity.breakpoints_table")):
        if curves.breakpoints.empty:
            st.markdown(results.say(tr("sensitivity.no_breakpoints", criterion=names[j])))
        else:
            _table(pd.DataFrame({tr("sensitivity.col_weight_of", criterion=names[j]):
                                 [i18n.percent(x, lang, 1) for x in curves.breakpoints["t"]],
                                 tr("sensitivity.col_swap"): curves.breakpoints["label"]}))
    with st.expander(tr("sensitivity.stability_table")):
        _table(stab[["criterion", "weight_label", "interval_label", "top_label"]].rename(columns={
            "criterion": tr("sensitivity.col_criterion"), "weight_label": tr("sensitivity.col_weight_now"),
            "interval_label": tr("sensitivity.col_interval"), "top_label": tr("sensitivity.col_top_interval")}))


# --- weight profiles and participants' own weights ------------------------------------------------------


def _comparisons(shown: results.Shown) -> None:
    lang = state.lang()
    st.header(tr("sensitivity.profiles"), anchor=False)
    try:
        profiles = _profiles(shown.key, lang, shown)
        own = _participants(shown.key, lang, shown)
    except InputError as e:
        st.info(tr("sensitivity.comparison_failed", reason=rl.incomplete_reason(shown.project, e, lang)))
        return
    if profiles is None and own is None:
        st.info(tr("sensitivity.no_profiles"))
        st.caption(tr("sensitivity.no_participants"))
        return
    measure = st.radio(tr("sensitivity.measure"), MEASURES, horizontal=True, key="sensitivity_measure",
                       format_func=lambda m: tr(f"sensitivity.measure.{m}"), help=tr("sensitivity.measure_help"))
    if profiles is None:
        st.info(tr("sensitivity.no_profiles"))
    else:
        st.caption(tr("sensitivity.profiles_caption"))
        _rank_set_view(profiles, measure, None, tr("sensitivity.profiles_table"))
    st.subheader(tr("sensitivity.participants_heading"), anchor=False)
    if own is None:
        st.caption(tr("sensitivity.no_participants"))
    else:
        st.caption(tr("sensitivity.participants_caption"))
        _rank_set_view(own, measure, tr("charts.participants_title"), tr("sensitivity.participants_table"))


def _rank_set_view(rs: RankSet, measure: str, title: str | None, table_label: str) -> None:
    lang = state.lang()
    if rs.sentence:
        st.markdown(results.say(rs.sentence))
    _chart(("bump", *rs.ident), lambda: charts.bump_chart(rs.ranks, key=rs.key, title=title, lang=lang),
           rs.sentence or table_label, width="content")
    _chart(("agreement", *rs.ident, measure),
           lambda: charts.agreement_chart(rs.agreement[measure], measure=measure, lang=lang),
           rs.sentence or table_label, width="content")
    _rank_tables(rs, table_label)


def _rank_tables(rs: RankSet, label: str) -> None:
    with st.expander(label):
        wide = rs.wide.reset_index(names=tr("sensitivity.col_object"))
        _table(wide)
        corr = rs.correlations[["a", "b", "kendall_label", "spearman_label"]].rename(columns={
            "a": tr("sensitivity.col_a"), "b": tr("sensitivity.col_b"),
            "kendall_label": tr("sensitivity.measure.kendall"), "spearman_label": tr("sensitivity.measure.spearman")})
        _table(corr)


# --- method cross-check -----------------------------------------------------------------------------------


def _method_check(methods: RankSet, weights_name: str) -> None:
    lang = state.lang()
    st.header(tr("sensitivity.methods"), anchor=False)
    st.caption(tr("sensitivity.methods_caption", weights=weights_name))
    if methods.sentence:
        st.markdown(results.say(methods.sentence))
    _chart(("methods", *methods.ident), lambda: charts.method_dot_chart(methods.ranks, lang),
           methods.sentence or tr("sensitivity.methods_table"))
    _rank_tables(methods, tr("sensitivity.methods_table"))
