"""What the results pages (dashboard, sensitivity, portfolio) show, and the cached analyses of it.

Every results page starts with :func:`choose`: it picks the *source* (the round as it is now, or a
frozen version), shows which one with its SHA-256 and returns a :class:`Shown`. Analyses are cached
per source and weights (:func:`ranking`, :func:`sensitivity`, :func:`portfolio`, ...): a frozen
version never changes, and the live round is keyed by :func:`storage.rounds.revision`, which changes
with every write. Access is checked with the real actor *before* a cache is consulted, so a cache
shared between sessions never hands out what the actor may not see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import streamlit as st

from prioritization import analysis, i18n, projectfile, safe_text
from prioritization.errors import InputError
from prioritization.exports import LIVE_NAME, VersionStamp
from prioritization.model import Project
from prioritization.storage import rounds, versions
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, VIEWER, AccessDenied, Actor
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

LIVE = "live"
IN_USE = "__in_use__"  # the weight-profile choice "the weights in use"
# fixed seed: the same version and weights always give the same figures (analysis.DECISION_SENSITIVITY)
SENSITIVITY_SAMPLES = analysis.DECISION_SENSITIVITY.samples
SENSITIVITY_SEED = analysis.DECISION_SENSITIVITY.seed
_SYSTEM = Actor(FACILITATOR, "system")


@dataclass(frozen=True)
class Shown:
    """The project a results page shows and where it comes from."""

    project: Project
    stamp: VersionStamp
    key: str  # cache key: changes whenever the content may have changed
    round_id: int
    status: str
    version_id: int | None = None  # None = live
    anonymous: bool = False  # individual ratings without names (access.may_see_named_ratings)

    @property
    def live(self) -> bool:
        return self.version_id is None


# ------------------------------------------------------------------------------------ the source


@st.cache_resource(max_entries=6, show_spinner=False)
def _live(url: str, round_id: int, revision: str, _db) -> tuple[Project, str]:
    project = rounds.export_project(_db, _SYSTEM, round_id)
    return project, projectfile.sha256(project)


@st.cache_resource(max_entries=12, show_spinner=False)
def _live_as_seen(sha256: str, role: str, municipality: str | None, _project: Project,
                  _actor: Actor) -> tuple[Project, str]:
    """The live round (read as the system, :func:`_live`) as ``_actor`` may see its committee
    section (``rounds.visible_document``: before the input window closes, a municipality sees its
    own points, proposals and wishes only, a viewer or participant none). The visibility depends on
    the role and the municipality only, which key the cache with the content."""
    doc = projectfile.to_dict(replace(_project, scores=()))  # the scores are the same for every role
    seen = rounds.visible_document(doc, _actor)
    if seen is doc:
        return _project, sha256
    project = replace(projectfile.parse(seen, require_complete=False, check_text=False), scores=_project.scores)
    return project, projectfile.sha256(project)


@st.cache_resource(max_entries=12, show_spinner=False)
def _frozen(sha256: str, _text: str) -> Project:
    return projectfile.loads(_text, require_complete=False, check_text=False)  # a stored version


def remembered_select(label: str, options: Sequence, key: str, *, format_func: Callable = str,
                      container=None, **kw):
    """A selectbox whose choice survives switching pages (widget state does not)."""
    keep = f"_keep_{key}"
    if st.session_state.get(keep) not in options:
        st.session_state.pop(keep, None)
    if key not in st.session_state and keep in st.session_state:
        st.session_state[key] = st.session_state[keep]

    def remember():
        st.session_state[keep] = st.session_state[key]

    target = container or st
    value = target.selectbox(label, options, key=key, format_func=format_func, on_change=remember, **kw)
    st.session_state[keep] = value
    return value


def _version_label(v, lang: str) -> str:
    return tr("results.version_option", name=v.name, when=i18n.day(v.created_at, lang), sha=v.sha256[:12])


def choose(db, actor: Actor | None, *, key: str = "results_source") -> Shown | None:
    """The source picker and the banner saying what is shown. None (with a message) if nothing can be."""
    rid = state.round_id_or_first(db, actor)
    if rid is None:
        st.info(tr("overview.no_round"))
        return None
    try:
        info = rounds.round_info(db, actor, rid)
        listed = list(reversed(versions.list_versions(db, actor, rid)))  # newest first
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return None
    live_ok = rounds.can_export(actor, info["status"])
    if not versions.may_read(actor, info["status"]):
        listed = []
    frozen = [v.id for v in listed]
    assert actor is not None  # results pages are shown to someone signed in (the role decides the options)
    # the committee's default is the newest frozen version (what the decision is about)
    options: list = frozen + [LIVE] if actor.role in (VIEWER, MUNICIPALITY) else [LIVE] + frozen
    if not live_ok:
        options = [o for o in options if o != LIVE]
    if not options:
        st.info(tr("overview.not_released"))
        return None
    by_id = {v.id: v for v in listed}
    lang = state.lang()
    choice = remembered_select(
        tr("results.source"), options, key,
        format_func=lambda o: tr("results.live_option") if o == LIVE else _version_label(by_id[o], lang),
        help=tr("results.source_help" if actor.role == FACILITATOR else "results.source_help_viewer"))
    try:
        if choice == LIVE:
            revision = rounds.revision(db, actor, rid)
            project, sha = _live(str(db.engine.url), rid, revision, db)
            content = sha
            if actor.role != FACILITATOR and project.committee:  # what this role may see of it
                project, content = _live_as_seen(sha, actor.role, actor.municipality, project, actor)
            # caches are keyed by content (the SHA-256), never by database-local counters; the
            # fingerprint shown and put in the files is that of what this actor is shown: the whole
            # round's would change whenever a municipality saves points this actor may not see yet
            shown = Shown(project, VersionStamp(LIVE_NAME, content), f"sha:{content}", rid, info["status"])
        else:
            # checks access, hash and seal; anonymous if due. Caches are keyed by the text actually
            # read (its SHA-256): the anonymous copy a viewer gets before the round is locked must
            # never be served from (or into) the cache of the named one
            text, content = versions.view(db, actor, choice)
            v = by_id[choice]
            shown = Shown(_frozen(content, text), VersionStamp(v.name, v.sha256, v.created_at), f"sha:{content}",
                          rid, info["status"], v.id, anonymous=not versions.named(actor, info["status"]))
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return None
    st.session_state[_NAMES_KEY] = _names(shown.key, shown.project)
    banner(shown)
    return shown


_NAMES_KEY = "_results_names"


@st.cache_resource(max_entries=32, show_spinner=False)
def _names(key: str, _project: Project) -> frozenset[str]:
    return projectfile.names(_project)


def say(text: str, *extra: str) -> str:
    """A result sentence (built from a template with names in it, shared with the PDF, which wants
    it plain) ready for Markdown: every id and name of the project shown on this page escaped
    (``safe_text.md_names``), the template's own emphasis kept. :func:`choose` records the names;
    ``extra`` are more people's texts in the sentence (e.g. a decision's body and reference)."""
    return safe_text.md_names(text, [*st.session_state.get(_NAMES_KEY, ()), *extra])


def banner(shown: Shown) -> None:
    """Always visible: which version is shown, and its hash (also in print)."""
    lang = state.lang()
    if shown.live:
        st.warning(tr("results.banner_live", sha=shown.stamp.sha256[:12], status=tr(f"status.{shown.status}")),
                   icon=":material/sync:")
    else:
        when = _when(shown.stamp.frozen_at, lang)
        st.success(tr("results.banner_frozen", name=shown.stamp.name, when=when, sha=shown.stamp.sha256[:12]),
                   icon=":material/lock:")
        if shown.anonymous:
            st.caption(tr("results.anonymous_ratings"))
    if shown.project.data_label:
        st.caption(tr("overview.example_label", label=shown.project.data_label))


def _when(d: datetime | None, lang: str) -> str:
    return "–" if d is None else i18n.day(d, lang)


# ------------------------------------------------------------------------------------ weights


def profile_choice(project: Project, *, key: str = "results_profile", container=None) -> str | None:
    """Which weights to rank by: those in use or a weight profile. Returns None for the weights in use."""
    options = [IN_USE] + [p.id for p in project.weight_profiles]
    names = {p.id: p.name for p in project.weight_profiles}
    choice = remembered_select(tr("results.profile"), options, key, container=container,
                               format_func=lambda o: tr("results.in_use") if o == IN_USE else names[o],
                               help=tr("results.profile_help"))
    return None if choice == IN_USE else choice


def profile_name(project: Project, profile: str | None) -> str:
    return tr("results.in_use") if profile is None else project.profile(profile).name


# ------------------------------------------------------------------------------------ cached analyses


@st.cache_resource(max_entries=32, show_spinner=False)
def _data(key: str, _project: Project) -> analysis.DecisionData:
    return analysis.decision_data(_project)


def data(shown: Shown) -> analysis.DecisionData:
    return _data(shown.key, shown.project)


@st.cache_resource(max_entries=32, show_spinner=False)
def _weights(key: str, profile: str | None, _project: Project) -> np.ndarray:
    return analysis.project_weights(_project, profile).weights


def weights(shown: Shown, profile: str | None = None) -> np.ndarray:
    """The weights in use or a profile's; raises InputError if they cannot be computed."""
    return _weights(shown.key, profile, shown.project)


@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking(key: str, profile: str | None, method: str, _shown: Shown) -> analysis.Ranking:
    return analysis.rank(_shown.project, method, weights(_shown, profile), data(_shown))


def ranking(shown: Shown, profile: str | None = None, method: str = "wsm") -> analysis.Ranking:
    return _ranking(shown.key, profile, method, shown)


@st.cache_resource(max_entries=16, show_spinner=False)
def _sensitivity(key: str, profile: str | None, samples: int, seed: int, _shown: Shown,
                 weight_model: str = "uniform") -> analysis.SensitivityReport:
    # SMAA-2 with uniform weights does not depend on the weights in view: run it once per source
    # ("order" keeps the order of the weights in view, so it is run per profile)
    base = None
    if profile is not None and weight_model == "uniform":
        base = _sensitivity(key, None, samples, seed, _shown, weight_model).smaa
    return analysis.sensitivity(_shown.project, weights=weights(_shown, profile), samples=samples, seed=seed,
                                weight_model=weight_model, smaa_result=base)


WEIGHT_MODELS = analysis.DECISION_WEIGHT_MODELS  # the first is the default: the committee holds agreed weights
WEIGHT_MODEL_KEEP = "_keep_sensitivity_weight_model"  # the sensitivity page's choice, kept across pages


def weight_model_in_use() -> str:
    """The SMAA weight model chosen on the sensitivity page (default: keep the order of the weights),
    so that the downloads show the same figures as the page."""
    chosen = st.session_state.get(WEIGHT_MODEL_KEEP)
    return chosen if chosen in WEIGHT_MODELS else WEIGHT_MODELS[0]


def sensitivity(shown: Shown, profile: str | None = None, *, samples: int = SENSITIVITY_SAMPLES,
                seed: int = SENSITIVITY_SEED, weight_model: str | None = None) -> analysis.SensitivityReport:
    """Stability, one-at-a-time curves, the critical criterion and SMAA-2 (fixed seed: repeatable).
    ``weight_model``: how the SMAA scenarios draw weights ("uniform" or "order" of the weights in
    view; None = :func:`weight_model_in_use`); part of the cache key."""
    return _sensitivity(shown.key, profile, samples, seed, shown, weight_model or weight_model_in_use())


@st.cache_resource(max_entries=64, show_spinner=False)
def _portfolio(key: str, profile: str | None, budget: float, force_in: tuple, force_out: tuple,
               _shown: Shown) -> analysis.PortfolioReport:
    return analysis.portfolio(_shown.project, budget, weights=weights(_shown, profile), force_in=force_in,
                              force_out=force_out)


def portfolio(shown: Shown, budget: float, profile: str | None = None, *, force_in: Sequence[str] = (),
              force_out: Sequence[str] = ()) -> analysis.PortfolioReport:
    return _portfolio(shown.key, profile, float(budget), tuple(sorted(force_in)), tuple(sorted(force_out)), shown)


def tiers_of(shown: Shown, ranking_: analysis.Ranking) -> dict[str, str] | None:
    """``{object id: tier label}`` for the ranking in view, or None when the round has no tiers."""
    t = shown.project.tiers
    if not t:
        return None
    return t.assign((ro.object.id, ro.rank) for ro in ranking_.ranked)
