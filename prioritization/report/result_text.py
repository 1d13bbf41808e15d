"""How results are written for people (pure: no Streamlit): the bottom of the dashboard modules.

Names (an object or criterion in the reader's language, labels made unique with the object id,
lists joined with "och"/"and"), points out of 100 and signed differences with a real minus sign,
weights in percent (one format for every weight on the sensitivity page), and the colour-blind-safe
criterion colours (Okabe-Ito, :mod:`prioritization.report.theme`).

Scores are kept as fractions of 1 (``score``, ``contribution``) and shown to people as points
out of 100 (``points``, ``*_label``): "68,5 poäng av 100" reads better than "0,685".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from prioritization.i18n import number, t
from prioritization.model import Criterion, InfraObject
from prioritization.report.theme import OKABE_ITO  # the criterion colours on screen

POINTS = 100.0  # a score of 1 is shown as 100 points
MINUS = "\u2212"  # a real minus sign in printed differences
SUMMARY_TOP = 3  # "topp 3" in the summary and the agreement sentences

MAX_TINT = 0.6  # the lightest criterion of a group mixes its group colour with 60 % white


# --- names --------------------------------------------------------------------------------------


def object_name(o: InfraObject, lang: str = "sv") -> str:
    return o.label(lang)  # the one rule: prioritization.model.localized


def criterion_name(c: Criterion, lang: str = "sv") -> str:
    return c.label(lang)


def criterion_group(c: Criterion, lang: str = "sv") -> str | None:
    return c.group_label(lang)


def unique_labels(labels: list[str], ids: list[str]) -> list[str]:
    """Axis labels must be unique: a repeated label gets its object id appended."""
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return [f"{lab} ({oid})" if seen[lab] > 1 else lab for lab, oid in zip(labels, ids, strict=True)]


def points_label(score: float, lang: str = "sv") -> str:
    return number(score * POINTS, lang, 1)


def signed_number(x: float, lang: str = "sv", decimals: int = 2) -> str:
    """A number with a real minus sign ("−0,60", not "-0,60")."""
    return number(x, lang, decimals).replace("-", MINUS)


def signed_points(diff: float, lang: str = "sv") -> str:
    """+1,2 / −0,4 (a real minus sign) for a score difference given as a fraction of 1."""
    text = number(abs(diff) * POINTS, lang, 1)
    return ("+" if diff >= 0 else MINUS) + text


def object_labels(objects: Sequence[InfraObject], lang: str = "sv") -> list[str]:
    """Names for sentences: a name that repeats among ``objects`` gets the object id appended."""
    return unique_labels([object_name(o, lang) for o in objects], [o.id for o in objects])


def join_names(items: Sequence[str], lang: str = "sv") -> str:
    """"A", "A och B", "A, B och C" (English: "and")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("charts.text.and", lang) + items[-1]


# --- colours ------------------------------------------------------------------------------------


def _tint(hex_colour: str, f: float) -> str:
    """Mix a colour with white: f = 0 keeps it, f = 1 gives white."""
    rgb = [int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * f):02X}" for c in rgb)


def criterion_colours(criteria: Sequence[Criterion]) -> list[str]:
    """One colour per criterion, criteria order.

    Up to 8 criteria: one Okabe-Ito colour each. More than 8 criteria: Vega-Lite has no pattern
    fills, so when every criterion has a group and there are at most 8 groups, the hue is the
    criterion *group* and the criteria of a group are tints of it (from full colour to 60 % white;
    the chart separates segments with a white outline). Otherwise the 8 hues repeat, each round
    lighter. The exact criterion is always in the tooltip, the legend order and the table.
    """
    m = len(criteria)
    if m <= len(OKABE_ITO):
        return list(OKABE_ITO[:m])
    groups = [c.group for c in criteria]
    order = list(dict.fromkeys(groups))
    if None not in order and len(order) <= len(OKABE_ITO):
        size = {g: groups.count(g) for g in order}
        seen: dict[str, int] = {}
        out = []
        for g in groups:
            k = seen.get(g, 0)
            seen[g] = k + 1
            f = 0.0 if size[g] == 1 else MAX_TINT * k / (size[g] - 1)
            out.append(_tint(OKABE_ITO[order.index(g)], f))
        return out
    rounds = (m - 1) // len(OKABE_ITO)
    return [_tint(OKABE_ITO[k % 8], 0.0 if rounds == 0 else MAX_TINT * (k // 8) / rounds) for k in range(m)]


# --- weights in words: one format for every weight on the sensitivity page -----------------------

WEIGHT_DECIMALS = 1  # weights are printed with one decimal ("12,0 %") unless two are needed


def _pct_units(x: float, d: int) -> Decimal:
    """x (a fraction) in percent rounded half up to d decimals, exactly (no float ties)."""
    return (Decimal(repr(float(x))) * 100).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


def weight_decimals(values: Iterable[float]) -> int:
    """Decimals (1 or 2) of a weight in percent at which values that differ still look different."""
    values = [float(v) for v in values]
    truly = len({round(v, 12) for v in values})
    if len({_pct_units(v, WEIGHT_DECIMALS) for v in values}) == truly:
        return WEIGHT_DECIMALS
    return WEIGHT_DECIMALS + 1


def weight_percent(x: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """A weight in percent, rounded to the nearest ``decimals`` (half up): "12,0 %", never "−0,0 %"."""
    units = _pct_units(max(float(x), 0.0), decimals)
    return f"{number(float(units), lang, decimals)}\u00a0%"


def weight_points_change(now: float, new: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """"+11,0 procentenheter": the difference of the two weights *as printed* (each rounded to
    ``decimals``), so a reader subtracting the printed numbers gets exactly this."""
    diff = _pct_units(new, decimals) - _pct_units(now, decimals)
    sign = "+" if diff >= 0 else MINUS
    return t("charts.text.points_change", lang, change=sign + number(float(abs(diff)), lang, decimals))


def weight_interval_label(lo: float, hi: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """"10,3 %–15,3 %": a weight interval with both ends rounded to the nearest ``decimals``."""
    return f"{weight_percent(lo, lang, decimals)}\u2013{weight_percent(hi, lang, decimals)}"
