"""Facilitator: an object's place in the plan process ("Planuppgifter", issue 14), one object at a
time, on the objects set-up page.

Choose an object and edit its planning stage (the controlled list; an older free-text planning
status is shown as the stage note, so nothing is lost), evidence level, plan references, ÅVS, SEB,
cost range, financing by party, dependencies, package, links and when the facts were last checked.
Saving is one call, :func:`prioritization.storage.planning.set_object_plan`, which checks the whole
round: every refusal is listed in words (:func:`~prioritization.ui.setup.object_plan_logic.
problem_text`) and nothing is stored. The form works on a snapshot read at the round's
``row_version``: a change by someone else is a warning with a reload, never a silent overwrite.

The values live in session state under ``object_plan_<generation>_<field>``; a new generation (a
reload, another object, a save) starts the form again from what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, projectfile
from prioritization.errors import InputError, ProjectFileError
from prioritization.i18n import TIME_ZONE
from prioritization.planning import vocab
from prioritization.planning.model import PlanData
from prioritization.report import planning as words
from prioritization.storage import planning as plan_store
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui.setup import object_plan_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.table_editing import escape_md, flash

PREFIX = "object_plan"
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)  # the date fields' range; the store refuses the future


def _words(table: dict[str, str]) -> Callable[[Any], str]:
    """A format function: the word for an id of a controlled list (the id itself if unknown)."""
    return lambda v: str(table.get(v, v))


def _key(field: str) -> str:
    return f"{PREFIX}_{st.session_state.get(f'{PREFIX}_gen', 0)}_{field}"


def reset() -> None:
    """Drop the snapshot and start the form again from what is stored (unsaved edits discarded)."""
    st.session_state.pop(f"{PREFIX}_base", None)
    st.session_state[f"{PREFIX}_gen"] = st.session_state.get(f"{PREFIX}_gen", 0) + 1


def _values(base: dict[str, Any]) -> dict[str, Any]:
    """The form's current values (the stored ones where a field has not been shown yet)."""
    start = base["form"]
    out = {f: st.session_state.get(_key(f), start[f]) for f in logic.FIELDS}
    for table, columns in logic.TABLES.items():
        out[table] = logic.table_rows(start[table], st.session_state.get(_key(table)), columns)
    return out


def _load(doc: dict[str, Any], round_id: int, object_id: str, version: int) -> dict[str, Any]:
    base: dict[str, Any] | None = st.session_state.get(f"{PREFIX}_base")
    same = base is not None and base["round"] == round_id and base["object"] == object_id
    if base is not None and same and (base["version"] == version or logic.changed(_values(base), base["plan"])):
        return base  # current, or unsaved edits to be saved against the version they were read at
    if base is not None:
        reset()
    project = projectfile.parse({**doc, "scores": []}, require_complete=False, check_text=False)
    plan = next(o.plan for o in project.objects if o.id == object_id)
    base = {"round": round_id, "object": object_id, "version": version, "plan": plan,
            "form": logic.plan_to_form(plan)}
    st.session_state[f"{PREFIX}_base"] = base
    for field in logic.FIELDS:  # the widgets take their values from here (no default value besides)
        value = base["form"][field]
        st.session_state[_key(field)] = float(value) if isinstance(value, int) and field in _FLOATS else value
    return base


_FLOATS = frozenset({"seb_nnk", "seb_nnv", "cost_low", "cost_high"})


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=list(columns))
    for c in columns:
        df[c] = df[c].astype("float64") if c in logic.NUMBER_COLUMNS else df[c].astype("object")
    return df


def _today() -> date:
    return datetime.now(TIME_ZONE).date()


def _checked_now(name: str) -> None:
    st.session_state[_key("verified_date")] = _today()
    st.session_state[_key("verified_by")] = name


# --- the section ---------------------------------------------------------------------------------


def render(db, actor, summary) -> None:
    """The "Planuppgifter" section of the round ``summary`` (a ``rounds.RoundSummary``)."""
    st.markdown(tr("object_plan.intro"))
    flash(PREFIX)
    try:
        doc = rounds.setup_document(db, actor, summary.id)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    objects = doc["objects"]
    names = {o["id"]: o.get("name") or "" for o in objects}
    ids = list(names)
    chosen = st.selectbox(tr("object_plan.choose"), ids, key=f"{PREFIX}_object",
                          format_func=lambda i: f"{i} – {names.get(i, '')}", help=tr("object_plan.choose_help"))
    if chosen is None:
        return
    base = _load(doc, summary.id, chosen, summary.row_version)
    plan: PlanData = base["plan"]
    if base["version"] != summary.row_version:
        st.warning(tr("object_plan.changed_elsewhere"))
        st.button(tr("object_plan.reload"), key=f"{PREFIX}_reload", on_click=reset)
    raw = next(o for o in objects if o["id"] == chosen)
    _legacy_note(raw, plan)
    _stage(plan)
    _refs()
    _avs()
    _seb()
    _cost(raw)
    _financing(doc, base)
    _dependencies(chosen, names, base)
    _links()
    _verified(actor)
    values = _values(base)
    dirty = logic.changed(values, plan)
    left, right = st.columns(2)
    save = left.button(tr("object_plan.save", id=chosen), key=f"{PREFIX}_save", type="primary", disabled=not dirty)
    right.button(tr("object_plan.discard"), key=f"{PREFIX}_discard", on_click=reset, disabled=not dirty)
    if not dirty:
        st.caption(tr("object_plan.no_changes"))
    if save:
        _save(db, actor, summary.id, chosen, values, base, ids)


def _legacy_note(raw: dict[str, Any], plan: PlanData) -> None:
    """An older free-text planning status is never lost: say where it is."""
    legacy = raw.get("planning_status")
    if isinstance(legacy, str) and legacy.strip():
        st.info(tr("object_plan.legacy_moved", text=escape_md(legacy.strip())))
    elif plan.stage is None and plan.stage_note:
        st.info(tr("object_plan.legacy_note", text=escape_md(plan.stage_note)))


def _stage(plan: PlanData) -> None:
    lang = state.lang()
    st.markdown(f"#### {tr('object_plan.part.stage')}")
    left, right = st.columns(2)
    stages = words.options("stage", lang)
    left.selectbox(tr("object_plan.part.stage"), list(stages), index=None, key=_key("stage"),
                   format_func=_words(stages), placeholder=tr("object_plan.not_stated"),
                   help=tr("object_plan.help.stage"))
    evidence = words.options("evidence", lang)
    right.selectbox(tr("object_plan.part.evidence"), list(evidence), index=None, key=_key("evidence"),
                    format_func=_words(evidence), placeholder=tr("object_plan.not_stated"),
                    help=tr("object_plan.help.evidence"))
    st.text_area(tr("object_plan.part.stage_note"), key=_key("stage_note"), height=80,
                 help=tr("object_plan.help.stage_note"))


def _table(name: str, columns: tuple[str, ...], config: dict[str, Any]) -> None:
    base = st.session_state[f"{PREFIX}_base"]["form"][name]
    st.data_editor(_frame(base, columns), key=_key(name), num_rows="dynamic", hide_index=True, width="stretch",
                   column_config=config, column_order=list(columns), placeholder="–",
                   alt=tr(f"object_plan.alt.{name}", n=len(base)))


def _col(name: str) -> str:
    return tr(f"object_plan.col.{name}")


def _refs() -> None:
    lang = state.lang()
    cc = st.column_config
    plans, phases = words.options("plan", lang), words.options("phase", lang)
    with st.expander(tr("object_plan.part.refs"), expanded=bool(st.session_state[f"{PREFIX}_base"]["form"]["refs"])):
        st.caption(tr("object_plan.help.refs"))
        _table("refs", logic.REF_COLUMNS, {
            "plan": cc.SelectboxColumn(_col("plan"), options=list(plans), required=True,
                                       format_func=_words({p: f"{p} – {w}" for p, w in plans.items()})),
            "period": cc.TextColumn(_col("period"), help=tr("object_plan.help.period"), required=True),
            "objekt_id": cc.TextColumn(_col("objekt_id"), help=tr("object_plan.help.objekt_id")),
            "phase": cc.SelectboxColumn(_col("phase"), options=list(phases), format_func=_words(phases),
                                        width="medium"),
            "cost_msek": cc.NumberColumn(_col("cost_msek"), min_value=0.0, format="%g"),
            "cost_incl_external": cc.CheckboxColumn(_col("cost_incl_external"),
                                                    help=tr("object_plan.help.cost_incl_external")),
            "source": cc.TextColumn(_col("source"), help=tr("object_plan.help.url")),
        })


def _avs() -> None:
    lang = state.lang()
    statuses = words.options("avs", lang)
    with st.expander(tr("object_plan.part.avs")):
        a, b, c = st.columns(3)
        a.selectbox(tr("object_plan.avs.status"), list(statuses), index=None, key=_key("avs_status"),
                    format_func=_words(statuses), placeholder=tr("object_plan.not_stated"))
        b.text_input(tr("object_plan.avs.report_no"), key=_key("avs_report_no"), placeholder="TRV 2020:115")
        c.number_input(tr("object_plan.avs.year"), min_value=1950, max_value=2100, step=1, value=None,
                       key=_key("avs_year"))
        st.multiselect(tr("object_plan.avs.steps"), list(vocab.FYRSTEG_STEPS), key=_key("avs_steps"),
                       format_func=lambda s: tr(f"object_plan.step.{s}"), help=tr("object_plan.help.steps"))
        st.text_area(tr("object_plan.avs.recommendation"), key=_key("avs_recommendation"), height=68)
        st.text_input(tr("object_plan.avs.url"), key=_key("avs_url"), help=tr("object_plan.help.url"))


def _seb() -> None:
    with st.expander(tr("object_plan.part.seb")):
        a, b, c = st.columns(3)
        a.number_input(tr("object_plan.seb.nnk"), value=None, step=0.1, format="%.2f", key=_key("seb_nnk"),
                       help=tr("object_plan.help.nnk"))
        b.number_input(tr("object_plan.seb.nnv"), value=None, step=1.0, key=_key("seb_nnv"))
        c.text_input(tr("object_plan.seb.asek_version"), key=_key("seb_asek_version"), placeholder="ASEK 7.0")
        d, e = st.columns(2)
        d.text_input(tr("object_plan.seb.price_level"), key=_key("seb_price_level"), placeholder="2017",
                     help=tr("object_plan.help.price_level"))
        e.date_input(tr("object_plan.seb.date"), value=None, min_value=EARLIEST, max_value=LATEST,
                     key=_key("seb_date"), format="YYYY-MM-DD")
        st.text_area(tr("object_plan.seb.summary"), key=_key("seb_summary"), height=68)
        st.text_input(tr("object_plan.seb.url"), key=_key("seb_url"), help=tr("object_plan.help.url"))


def _cost(raw: dict[str, Any]) -> None:
    lang = state.lang()
    methods = words.options("method", lang)
    with st.expander(tr("object_plan.part.cost")):
        cost = raw.get("cost")
        st.caption(tr("object_plan.cost_point", cost="–" if not isinstance(cost, (int, float))
                      else i18n.msek(float(cost), lang)))
        a, b, c = st.columns(3)
        a.number_input(tr("object_plan.cost.low"), min_value=0.0, value=None, step=10.0, key=_key("cost_low"))
        b.number_input(tr("object_plan.cost.high"), min_value=0.0, value=None, step=10.0, key=_key("cost_high"))
        c.text_input(tr("object_plan.cost.price_level"), key=_key("cost_price_level"), placeholder="2023-06",
                     help=tr("object_plan.help.price_level"))
        d, e = st.columns(2)
        d.selectbox(tr("object_plan.cost.method"), list(methods), index=None, key=_key("cost_method"),
                    format_func=_words(methods), placeholder=tr("object_plan.not_stated"))
        e.text_input(tr("object_plan.cost.source"), key=_key("cost_source"))


def _financing(doc: dict[str, Any], base: dict[str, Any]) -> None:
    lang = state.lang()
    cc = st.column_config
    members = [str(m.get("name") or m.get("id") or "") for m in (doc.get("committee") or {}).get("municipalities") or []
               if isinstance(m, dict)]
    parties = logic.party_options(members, [f["party"] for f in base["form"]["financing"]])
    statuses = words.options("financing", lang)
    with st.expander(tr("object_plan.part.financing")):
        _table("financing", logic.FINANCING_COLUMNS, {
            "party": cc.SelectboxColumn(_col("party"), options=parties, required=True, width="medium",
                                        format_func=lambda p: words.party_label(str(p), lang)),
            "amount_msek": cc.NumberColumn(_col("amount_msek"), min_value=0.0, format="%g"),
            "status": cc.SelectboxColumn(_col("financing_status"), options=list(statuses), required=True,
                                         format_func=_words(statuses)),
            "reference": cc.TextColumn(_col("reference"), width="medium"),
        })


def _dependencies(chosen: str, names: dict[str, str], base: dict[str, Any]) -> None:
    form = base["form"]
    others = [i for i in names if i != chosen]
    options = others + [i for i in (*form["requires"], *form["excludes"]) if i not in others]

    def shown(i: str) -> str:
        return f"{i} – {names[i]}" if i in names else tr("object_plan.unknown_object", id=i)

    with st.expander(tr("object_plan.part.dependencies"), expanded=bool(form["requires"] or form["excludes"])):
        st.multiselect(tr("object_plan.part.requires"), options, key=_key("requires"), format_func=shown,
                       help=tr("object_plan.help.requires"))
        st.multiselect(tr("object_plan.part.excludes"), options, key=_key("excludes"), format_func=shown,
                       help=tr("object_plan.help.excludes"))
        st.text_input(tr("object_plan.part.package"), key=_key("package"), help=tr("object_plan.help.package"))


def _links() -> None:
    lang = state.lang()
    cc = st.column_config
    kinds = words.options("link", lang)
    with st.expander(tr("object_plan.part.links")):
        _table("links", logic.LINK_COLUMNS, {
            "kind": cc.SelectboxColumn(_col("kind"), options=list(kinds), required=True,
                                       format_func=_words(kinds)),
            "url": cc.TextColumn(_col("url"), required=True, width="large", help=tr("object_plan.help.url")),
            "title": cc.TextColumn(_col("title"), width="medium"),
        })


def _verified(actor) -> None:
    st.markdown(f"#### {tr('object_plan.part.verified')}")
    a, b, c = st.columns([2, 2, 2], vertical_alignment="bottom")
    a.date_input(tr("object_plan.verified.date"), value=None, min_value=EARLIEST, max_value=LATEST,
                 key=_key("verified_date"), format="YYYY-MM-DD")
    b.text_input(tr("object_plan.verified.by"), key=_key("verified_by"))
    c.button(tr("object_plan.checked_now"), key=f"{PREFIX}_checked_now", on_click=_checked_now, args=(actor.name,),
             help=tr("object_plan.help.checked_now"))


def _save(db, actor, round_id: int, object_id: str, values: dict[str, Any], base: dict[str, Any],
          ids: list[str]) -> None:
    data = logic.form_to_plan(values, base["plan"])
    try:
        plan_store.set_object_plan(db, actor, round_id, object_id, data, base["version"])
    except ProjectFileError as e:
        lang = state.lang()
        lines = [f"- {escape_md(logic.problem_text(p.path, p.message, lang, ids, object_id))}" for p in e.problems]
        st.error(tr("object_plan.refused", n=len(e.problems), id=escape_md(object_id)) + "\n\n" + "\n".join(lines))
        return
    except (InputError, AccessDenied) as e:  # a stale write keeps the edits; the page offers to reload
        st.error(state.error_text(e))
        return
    flash(PREFIX, tr("object_plan.saved", id=escape_md(object_id)))
    reset()
    st.rerun()
