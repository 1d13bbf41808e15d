"""Pure helpers for the participant's scoring page (no Streamlit, no storage).

The page reads the round's set-up document (format-v1 values, see ``docs/project-file.md``) and
the participant's own scores ``{(object, criterion): (value, comment)}``; these functions turn them
into what the page shows (criteria with guidance, candidate objects with facts, progress, widget
options, grid rows) and turn the grid editor's positional delta back into cell edits.

"Vet ej" (unknown) is stored as ``None``; it counts as an answer for progress.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from prioritization import i18n, model, safe_text
from prioritization.model import illustrative_cost
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import PlanData
from prioritization.report import plan_facts

UNKNOWN = "vet_ej"  # option value for "vet ej" in the single-object widgets
MAX_LEVELS = 11  # a scale with integer bounds and at most this many steps is offered as buttons
OPEN_STATUSES = ("scoring", "second_round")
OBJECT_COLUMN = "objekt"
DONE_COLUMN = "klart"

Answer = tuple[float | None, str | None]  # (value, comment) as storage.scores.my_scores returns them
Answers = Mapping[tuple[str, str], Answer]

# object attributes shown as facts, in display order (docs/project-file.md, "Objects"); the plan
# facts (PLAN_FACT_KEYS, from the object's "plan", issue 14) follow the cost basis. The free-text
# planning status of older files is the plan's stage note (planning.fileformat.upgrade_object).
FACT_KEYS = ("municipalities", "mode", "cost", "cost_class", "cost_basis", "funding_status", "plan_channel",
             "fyrsteg_step", "data_quality")
PLAN_FACTS = ("stage", "evidence", "refs", "avs", "nnk", "cost_range", "financing")
PLAN_FACT_KEYS = tuple(f"plan_{k}" for k in PLAN_FACTS)  # fact keys: score.fact_plan_stage, ...
_PLAN_AFTER = "cost_basis"  # the plan facts are shown after this attribute


@dataclass(frozen=True)
class CriterionItem:
    key: str
    name: str
    group: str | None
    description: str | None
    scale: tuple[float, float] | None
    guidance: tuple[tuple[str, str], ...]  # (level, text), ordered by level
    levels: tuple[int, ...] | None  # the discrete scale values, or None for a free number

    @property
    def options(self) -> list[int | str]:
        """Options of the single-object widget: the scale values plus "vet ej"."""
        return [*(self.levels or ()), UNKNOWN]


@dataclass(frozen=True)
class ObjectItem:
    key: str
    name: str
    description: str | None
    facts: tuple[tuple[str, Any], ...]  # (fact key, raw value), only the facts the object has
    cost_illustrative: bool = False  # the cost is a made-up example (InfraObject.cost_is_illustrative)
    new: bool = False  # proposed by a municipality and accepted into the round (is_new_in_round)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    per_object: dict[str, tuple[int, int]]  # object key -> (done, total)

    def object_done(self, key: str) -> bool:
        done, total = self.per_object.get(key, (0, 0))
        return total > 0 and done == total


@dataclass(frozen=True)
class CellEdit:
    object_key: str
    criterion_key: str
    value: float | None  # None = "vet ej"


@dataclass(frozen=True)
class GridProblem:
    """A grid entry that is not a score at all (e.g. text in a number cell)."""

    object_key: str
    criterion_key: str
    raw: Any


@dataclass(frozen=True)
class Distribution:
    """The anonymous distribution of one cell in a phase (for the Delphi second round)."""

    counts: tuple[tuple[int, int], ...]  # (level, number of ratings) for discrete scales
    unknown: int  # number of "vet ej"
    n: int  # numeric ratings
    median: float | None
    low: float | None
    high: float | None


# --- reading the set-up -------------------------------------------------------------------------

def discrete_levels(scale: Iterable[float] | None) -> tuple[int, ...] | None:
    """The integer steps of a scale such as [1, 5] -> (1, 2, 3, 4, 5); None if the scale is free
    (no scale, non-integer bounds or more than MAX_LEVELS steps)."""
    if scale is None:
        return None
    lo, hi = (float(x) for x in scale)
    if not (lo.is_integer() and hi.is_integer()) or hi - lo + 1 > MAX_LEVELS:
        return None
    return tuple(range(int(lo), int(hi) + 1))


def _localized(d: Mapping[str, Any], field: str, lang: str) -> Any:
    """A document's ``field`` in ``lang`` (``name``/``name_en``, ...): the one rule, model.localized."""
    return model.localized(d.get(field), d.get(f"{field}_en"), lang)


def level_order(level: str) -> float:
    """Sort key of a guidance level ("1", "3", "5"): numeric, anything else last."""
    try:
        return float(level)
    except ValueError:
        return math.inf


def criteria_items(doc: Mapping[str, Any], lang: str) -> list[CriterionItem]:
    out = []
    for c in doc["criteria"]:
        scale = tuple(float(x) for x in c["scale"]) if c.get("scale") else None
        guidance = tuple(sorted(((str(k), str(v)) for k, v in (c.get("guidance") or {}).items()),
                                key=lambda kv: level_order(kv[0])))
        out.append(CriterionItem(c["id"], _localized(c, "name", lang), _localized(c, "group", lang),
                                 _localized(c, "description", lang), scale, guidance, discrete_levels(scale)))
    return out


is_candidate = model.scored  # the one rule (prioritization.model), named as the pages use it


def is_new_in_round(data: Mapping[str, Any] | None) -> bool:
    """An object a municipality proposed and the facilitator accepted into the round (issue 13):
    the attribute ``new_in_round: true``. The scoring and projector pages mark it "Nytt" in words."""
    return (data or {}).get("new_in_round") is True


def plan_of(o: Mapping[str, Any]) -> PlanData:
    """The object's plan data (issue 14) from its format-v1 value, a legacy ``planning_status``
    upgraded into the stage note. The document was checked when it was stored: a plan that does
    not read (it cannot be, short of a hand-edited database) shows no plan facts."""
    raw = plan_format.upgrade_object(o).get("plan")
    if raw is None:
        return PlanData()
    # no "future" check here: a price level stored as valid stays a fact to show
    found, _ = plan_format.parse(raw, "plan", today=date.max)
    return found or PlanData()


def plan_fact_items(plan: PlanData, lang: str) -> tuple[tuple[str, str], ...]:
    """``(score.fact_<key> suffix, text)`` of the plan facts the object has, in PLAN_FACTS order."""
    return tuple((f"plan_{k}", text) for k, text in plan_facts.facts(plan, lang, PLAN_FACTS))


def candidate_objects(doc: Mapping[str, Any], lang: str) -> list[ObjectItem]:
    """Only candidate objects are scored; committed/completed/withdrawn ones are not."""
    out = []
    for o in doc["objects"]:
        if not is_candidate(o):
            continue
        # an unknown cost (null) is worth saying; other empty attributes are left out
        facts: list[tuple[str, Any]] = []
        for k in FACT_KEYS:
            if k in o and (k == "cost" or o[k] not in (None, "", [])):
                facts.append((k, o[k]))
            if k == _PLAN_AFTER:
                facts += plan_fact_items(plan_of(o), lang)
        out.append(ObjectItem(o["id"], _localized(o, "name", lang), _localized(o, "description", lang),
                              tuple(facts), illustrative_cost(o.get("cost"), o), is_new_in_round(o)))
    return out


CODED_FACTS = ("mode", "data_quality")  # values that are codes in the project file, shown in words


def _coded(key: str, value: str, lang: str) -> str:
    """"road+cycle" -> "väg + cykel"; "S" -> "S – nyckeluppgifter källbelagda". A code without a
    label is shown as it is."""
    def label(code: str) -> str:
        text = i18n.t(f"fact.{key}.{code}", lang)
        return code if text == f"fact.{key}.{code}" else text

    if key == "mode":
        return " + ".join(label(part) for part in value.split("+"))
    return label(value)


def fact_text(key: str, value: Any, lang: str, unknown: str, *, illustrative: bool = False) -> str:
    """A fact value as display text (Swedish number formats by default; codes in words); a made-up
    example cost (``illustrative``) says so."""
    if key == "cost":
        return unknown if value is None else i18n.msek(float(value), lang, illustrative=illustrative)
    if key in CODED_FACTS and isinstance(value, str):
        return _coded(key, value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format_value(float(value), lang)
    return str(value)


md_escape = safe_text.md  # user text into Markdown: the one rule, in prioritization.safe_text


# --- values and options --------------------------------------------------------------------------

def format_value(value: float, lang: str) -> str:
    """3.0 -> '3', 3.25 -> '3,25' (sv)."""
    if float(value).is_integer():
        return str(int(value))
    return i18n.number(float(value), lang, 2).rstrip("0").rstrip(",.")


def option_for(answer: Answer | None, levels: tuple[int, ...] | None) -> int | str | None:
    """The selected option of the single-object widget for a stored answer (None = not answered
    yet, or a stored value that is not one of the scale's steps)."""
    if answer is None:
        return None
    value = answer[0]
    if value is None:
        return UNKNOWN
    if levels is not None and float(value).is_integer() and int(value) in levels:
        return int(value)
    return None


def value_for(option: int | float | str) -> float | None:
    """Option -> the value to store (None = "vet ej")."""
    return None if option == UNKNOWN else float(option)


# --- progress ---------------------------------------------------------------------------------------

def progress(answers: Answers, object_keys: Iterable[str], criterion_keys: Iterable[str]) -> Progress:
    """Answered cells (a number or "vet ej") over the candidate objects × criteria."""
    crits = list(criterion_keys)
    per = {}
    for o in object_keys:
        per[o] = (sum((o, c) in answers for c in crits), len(crits))
    return Progress(sum(d for d, _ in per.values()), sum(t for _, t in per.values()), per)


# --- the grid ----------------------------------------------------------------------------------------

def grid_columns(criteria: list[CriterionItem]) -> dict[str, CriterionItem]:
    """Column id -> criterion. Column ids are positional ("k0", "k1", ...), so any criterion id is
    safe as data and never collides with the object/progress columns."""
    return {f"k{i}": c for i, c in enumerate(criteria)}


def cell_text(answer: Answer | None, criterion: CriterionItem, unknown_label: str, lang: str) -> Any:
    """What a grid cell shows: the level as text ("3") or "Vet ej" for discrete scales (a select
    box column), the number or None for free scales (a number column; "vet ej" shows empty)."""
    if answer is None:
        return None
    value = answer[0]
    if criterion.levels is None:
        return value
    if value is None:
        return unknown_label
    return format_value(value, lang)


def object_title(o: ObjectItem, new_mark: str) -> str:
    """The object's name, followed by ``new_mark`` (" (nytt)") when it is new in the round."""
    return o.name + new_mark if o.new else o.name


def grid_rows(objects: list[ObjectItem], criteria: list[CriterionItem], answers: Answers,
              unknown_label: str, lang: str, prog: Progress, new_mark: str = "") -> list[dict[str, Any]]:
    columns = grid_columns(criteria)
    rows = []
    for o in objects:
        done, total = prog.per_object[o.key]
        row: dict[str, Any] = {OBJECT_COLUMN: object_title(o, new_mark), DONE_COLUMN: f"{done}/{total}"}
        for col, c in columns.items():
            row[col] = cell_text(answers.get((o.key, c.key)), c, unknown_label, lang)
        rows.append(row)
    return rows


def parse_cell(raw: Any, unknown_labels: Iterable[str]) -> float | None:
    """A grid entry -> a value to store (None = "vet ej"). Raises ValueError if it is no number.

    Accepts numbers, numeric text ("3", "3,5") and any language's "vet ej" label. The range is
    checked by storage (server side), not here.
    """
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, (int, float, np.integer, np.floating)):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text.casefold() in {u.casefold() for u in unknown_labels}:
            return None
        value = float(text.replace(",", ".").replace("\u2212", "-"))
    else:
        raise ValueError(raw)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def delta_to_edits(delta: Mapping[str, Any] | None, object_keys: list[str], columns: Mapping[str, str],
                   unknown_labels: Iterable[str]) -> tuple[list[CellEdit], list[GridProblem]]:
    """Translate ``st.data_editor`` state into cell edits.

    ``edited_rows`` is keyed by the *position* of the row as rendered (streamlit#9917), so
    ``object_keys`` must be the rendered row order; ``columns`` maps column ids to criterion keys.
    Edits of other columns, rows outside the grid and cleared cells (None: there is nothing to go
    back to, a score is never deleted) are ignored.
    """
    edits: list[CellEdit] = []
    problems: list[GridProblem] = []
    labels = list(unknown_labels)
    for pos, changes in sorted(((delta or {}).get("edited_rows") or {}).items(), key=lambda kv: int(kv[0])):
        try:
            row = int(pos)
        except (TypeError, ValueError):
            continue
        if not 0 <= row < len(object_keys):
            continue
        for col, raw in (changes or {}).items():
            if col not in columns or raw is None or (isinstance(raw, float) and math.isnan(raw)):
                continue
            try:
                value = parse_cell(raw, labels)
            except ValueError:
                problems.append(GridProblem(object_keys[row], columns[col], raw))
                continue
            edits.append(CellEdit(object_keys[row], columns[col], value))
    return edits, problems


def changed_edits(edits: Iterable[CellEdit], answers: Answers) -> list[CellEdit]:
    """The edits that differ from what is stored. The editor's delta holds every edit since the
    grid was shown and is sent again on reruns: only real changes are saved."""
    out = []
    for e in edits:
        stored = answers.get((e.object_key, e.criterion_key))
        if stored is None or stored[0] != e.value:
            out.append(e)
    return out


def apply_edits(edits: Iterable[CellEdit], answers: Answers, save: Callable[[CellEdit, str | None], None]
                ) -> tuple[list[CellEdit], list[tuple[CellEdit, Exception]]]:
    """Save each changed edit with its stored comment kept; one cell failing does not stop the
    others (each save is its own transaction). Returns (saved, failed with the error)."""
    saved, failed = [], []
    for e in changed_edits(edits, answers):
        stored = answers.get((e.object_key, e.criterion_key))
        try:
            save(e, None if stored is None else stored[1])
        except Exception as err:  # noqa: BLE001 - reported to the user by the page
            failed.append((e, err))
        else:
            saved.append(e)
    return saved, failed


# --- the first round's distribution (Delphi) --------------------------------------------------------

def distribution(values: np.ndarray, answered: np.ndarray, levels: tuple[int, ...] | None) -> Distribution:
    """One cell's ratings across participants: ``values`` NaN for "vet ej"/no answer, ``answered``
    True where the participant answered (a number or "vet ej")."""
    values = np.asarray(values, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    numeric = values[np.isfinite(values)]
    unknown = int(answered.sum()) - int(numeric.size)
    counts = ()
    if levels is not None:
        counts = tuple((lv, int(np.isclose(numeric, lv).sum())) for lv in levels)
    if numeric.size == 0:
        return Distribution(counts, unknown, 0, None, None, None)
    return Distribution(counts, unknown, int(numeric.size), float(np.median(numeric)),
                        float(numeric.min()), float(numeric.max()))
