"""One object in detail, for the dashboard (pure: no Streamlit): its score per criterion, the spread
of the municipalities' ratings behind each score, and the comments.

Ratings are shown per rater, labelled by organisation (the municipality) when it is given. A cell
with an agreed (consensus) score is shown as agreed: the ratings behind it were set aside by the
workshop, so no spread is reported for it.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.i18n import number, percent, t
from prioritization.model import Project
from prioritization.report.result_text import criterion_name, points_label
from prioritization.report.theme import OKABE_ITO, row_label_limit
from prioritization.ui.results.charts_dashboard import _axis, _localised


def rater_label(p) -> str:
    return p.organisation or p.name


def rating_rows(project: Project, data: analysis.DecisionData, object_id: str, lang: str = "sv") -> pd.DataFrame:
    """Individual ratings of one candidate: criterion_id, criterion, criterion_index, rater, value,
    lo, hi (the criterion's scale), position (0–1 within the scale, NaN without a scale). Agreed
    cells are left out."""
    i = [o.id for o in data.objects].index(object_id)
    rows = []
    raters = project.participants
    for j, c in enumerate(data.criteria):
        if data.agreed[i, j] or not raters:
            continue
        lo, hi = c.scale if c.scale else (np.nan, np.nan)
        for k, p in enumerate(raters):
            v = data.ratings[k, i, j]
            if np.isnan(v):
                continue
            rows.append({"criterion_id": c.id, "criterion": criterion_name(c, lang), "criterion_index": j,
                         "rater": rater_label(p), "value": float(v),
                         "value_label": number(float(v), lang, 0 if float(v).is_integer() else 1),
                         "lo": lo, "hi": hi, "position": (v - lo) / (hi - lo) if c.scale else np.nan})
    return pd.DataFrame(rows, columns=["criterion_id", "criterion", "criterion_index", "rater", "value",
                                       "value_label", "lo", "hi", "position"])


def detail_frame(project: Project, data: analysis.DecisionData, ranking: analysis.Ranking, object_id: str,
                 lang: str = "sv") -> pd.DataFrame:
    """One row per criterion: criterion, direction ("higher is better" / "lower is better"), weight
    (label), value (the aggregate or agreed score), scale, basis ("agreed" or "n raters"), lowest,
    highest, spread (highest − lowest as a share of the scale, or of the raw range without a scale)
    and the contribution to the score in points of 100."""
    i = [o.id for o in data.objects].index(object_id)
    ratings = rating_rows(project, data, object_id, lang)
    out = []
    for j, c in enumerate(data.criteria):
        mine = ratings[ratings["criterion_index"] == j]["value"]
        width = (c.scale[1] - c.scale[0]) if c.scale else 1.0
        agreed = bool(data.agreed[i, j])
        scale = "" if not c.scale else f"{number(c.scale[0], lang, 0)}\u2013{number(c.scale[1], lang, 0)}"
        x = float(data.x[i, j])
        lo, hi = (float(mine.min()), float(mine.max())) if len(mine) else (np.nan, np.nan)
        out.append({
            "criterion_id": c.id, "criterion": criterion_name(c, lang),
            "direction": t(f"detail.direction_{c.direction}", lang),
            "weight": percent(float(ranking.weights[j]), lang, 1),
            "value": number(x, lang, 0 if x.is_integer() else 1), "scale": scale,
            "basis": t("detail.agreed", lang) if agreed else t("detail.raters", lang, n=len(mine)),
            "lowest": "" if agreed or not len(mine) else number(lo, lang, 0 if lo.is_integer() else 1),
            "highest": "" if agreed or not len(mine) else number(hi, lang, 0 if hi.is_integer() else 1),
            "spread": np.nan if agreed or not len(mine) else (hi - lo) / width,
            "contribution": points_label(float(ranking.contributions[i, j]), lang)
            if ranking.contributions is not None else "",
        })
    return pd.DataFrame(out)


def spread_sentence(detail: pd.DataFrame, lang: str = "sv") -> str:
    worst = detail.dropna(subset=["spread"]).sort_values("spread", ascending=False, kind="stable")
    worst = worst[worst["spread"] > 0]
    if worst.empty:
        return t("detail.no_spread", lang)
    parts = [t("detail.spread_item", lang, criterion=r.criterion, lowest=r.lowest, highest=r.highest)
             for r in worst.head(2).itertuples()]
    return t("detail.spread", lang, items="; ".join(parts))


def comments(project: Project, object_id: str, lang: str = "sv") -> pd.DataFrame:
    """The comments on an object's scores: criterion, who (rater or "agreed"), comment."""
    names = {p.id: rater_label(p) for p in project.participants}
    crit = {c.id: criterion_name(c, lang) for c in project.criteria}
    order = {c.id: j for j, c in enumerate(project.criteria)}
    rows = [{"criterion": crit[s.criterion], "who": t("detail.agreed", lang) if s.participant is None
             else names.get(s.participant, s.participant), "comment": s.comment, "_j": order[s.criterion]}
            for s in project.scores if s.object == object_id and s.comment]
    frame = pd.DataFrame(rows, columns=["criterion", "who", "comment", "_j"])
    return frame.sort_values("_j", kind="stable").drop(columns="_j").reset_index(drop=True)


def spread_chart(ratings: pd.DataFrame, lang: str = "sv") -> alt.LayerChart:
    """Each rater's rating per criterion as a dot, the range between the lowest and highest as a
    line: wide lines = disagreement. When every criterion has the same scale (e.g. 1–5) the axis is
    that scale; otherwise each rating is placed on its own criterion's scale (lowest to highest)."""
    data = ratings.dropna(subset=["position"]).copy()
    same_scale = data[["lo", "hi"]].drop_duplicates().shape[0] == 1
    if same_scale:
        lo, hi = float(data["lo"].iloc[0]), float(data["hi"].iloc[0])
        field, domain = "value", [lo, hi]
        axis = _axis(values=list(range(int(lo), int(hi) + 1))) if lo.is_integer() and hi - lo <= 10 else _axis()
        title = t("detail.scale_axis", lang, lo=number(lo, lang, 0), hi=number(hi, lang, 0))
    else:
        field, domain, axis, title = "position", [0, 1], _axis(format="%"), t("detail.position_axis", lang)
    order = list(dict.fromkeys(data.sort_values("criterion_index")["criterion"]))
    y = alt.Y("criterion:N", sort=order, title=None, axis=_axis(labelLimit=row_label_limit(260)))
    # the data given once, to the layer chart: the spec Altair makes when both layers name the same
    # frame, without the hash of each layer's data it would compute (the frame printed as text)
    rng = alt.Chart().mark_rule(color=OKABE_ITO[0], strokeWidth=3, opacity=0.5).encode(
        y=y, x=alt.X(f"min({field}):Q", title=title), x2=alt.X2(f"max({field}):Q"))
    dots = alt.Chart().mark_point(filled=True, size=90, color=OKABE_ITO[0], opacity=0.8).encode(
        y=y, x=alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=domain), axis=axis),
        tooltip=[alt.Tooltip("criterion:N", title=t("charts.criterion", lang)),
                 alt.Tooltip("rater:N", title=t("detail.rater", lang)),
                 alt.Tooltip("value_label:N", title=t("detail.value", lang))])
    chart = alt.layer(rng, dots, data=data).properties(height=alt.Step(26), title=t("detail.spread_title", lang))
    return _localised(chart, lang)
