"""Rankings compared with each other (pure: no Streamlit): weight profiles, participants' own
weights and methods (WSM, TOPSIS, PROMETHEE II).

Ranks under each weight vector or method, Spearman's rho and Kendall's tau-b (ties handled), the
pairwise agreement matrix and table, and the agreement in one plain-language sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.i18n import t
from prioritization.model import Project
from prioritization.report.result_text import SUMMARY_TOP, join_names, object_name, signed_number, unique_labels

# --- 5./6. rank comparisons: profiles and methods -------------------------------------------------


def average_ranks(values: Sequence[float]) -> np.ndarray:
    """Ascending ranks 1..n with tied values sharing the average of their positions."""
    x = np.asarray(values, dtype=float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # number of smaller values
    return (start + (counts + 1) / 2.0)[inverse]


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho: Pearson correlation of the average ranks (ties handled); NaN when a side is
    constant (undefined)."""
    ra, rb = average_ranks(a), average_ranks(b)
    da, db = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((da @ da) * (db @ db))
    return float(da @ db / denom) if denom > 0 else float("nan")


def kendall_tau_b(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b (ties in either ranking corrected); NaN when a side is constant."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    iu = np.triu_indices(x.shape[0], k=1)
    sx = np.sign(x[:, None] - x[None, :])[iu]
    sy = np.sign(y[:, None] - y[None, :])[iu]
    n_x, n_y = np.count_nonzero(sx), np.count_nonzero(sy)
    denom = np.sqrt(float(n_x) * float(n_y))
    return float((sx * sy).sum() / denom) if denom > 0 else float("nan")


CORRELATIONS = {"spearman": spearman, "kendall": kendall_tau_b}


def profile_weights(project: Project, lang: str = "sv") -> dict[str, np.ndarray]:
    """The weights in use and every weight profile of the project, by display name."""
    out = {t("charts.weights_in_use", lang): analysis.project_weights(project).weights}
    for p in project.weight_profiles:
        out[p.name] = analysis.project_weights(project, p.id).weights
    return out


def participant_weights(project: Project) -> dict[str, np.ndarray]:
    """Each participant's own weights where given (label: organisation, else name; a label that
    would repeat gets the participant's name, or id, appended so no one's weights are lost)."""
    given = [p for p in project.participants if getattr(p, "weights", None) is not None]
    labels = [p.organisation or p.name for p in given]
    out = {}
    for p, label in zip(given, labels, strict=True):
        if labels.count(label) > 1:
            label = f"{label} ({p.name})" if p.organisation and p.name != label else f"{label} ({p.id})"
        if label in out:
            label = f"{label} ({p.id})"
        out[label] = analysis.resolve_weights(p.weights, project.criteria).weights
    return out


def profile_rank_frame(project: Project, profiles: Mapping[str, np.ndarray], *,
                       data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """WSM ranks of the candidates under each weight vector: profile, profile_index, object_id,
    object, rank, score, first (True in the first profile), last (True in the last profile)."""
    data = data or analysis.decision_data(project)
    rows = []
    names = list(profiles)
    for p_idx, name in enumerate(names):
        r = analysis.rank(project, "wsm", weights=np.asarray(profiles[name], dtype=float), data=data)
        for ro in r.ranked:
            rows.append({"profile": name, "profile_index": p_idx, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank, "score": ro.score,
                         "first": p_idx == 0, "last": p_idx == len(names) - 1})
    return pd.DataFrame(rows)


def method_rank_frame(project: Project, *, weights: np.ndarray | None = None,
                      data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """Ranks of the candidates by WSM, TOPSIS and PROMETHEE II with the same weights: method
    (label), method_id, object_id, object, rank, wsm_rank, position (WSM display order), row_label
    ("3. Name" by the WSM rank)."""
    data = data or analysis.decision_data(project)
    results = {m: analysis.rank(project, m, weights=weights, data=data) for m in analysis.METHODS}
    wsm = results["wsm"].ranked
    wsm_rank = {ro.object.id: ro.rank for ro in wsm}
    position = {ro.object.id: k for k, ro in enumerate(wsm)}
    labels = dict(zip(position, unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in wsm],
                                               [ro.object.id for ro in wsm]), strict=True))
    rows = []
    for m, r in results.items():
        for ro in r.ranked:
            rows.append({"method": t(f"charts.method.{m}", lang), "method_id": m, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank,
                         "wsm_rank": wsm_rank[ro.object.id], "position": position[ro.object.id],
                         "row_label": labels[ro.object.id]})
    return pd.DataFrame(rows)


def agreement_frame(ranks: pd.DataFrame, key: str, *, measure: str = "kendall",
                    lang: str = "sv") -> pd.DataFrame:
    """Rank correlation between every pair of rankings in a long frame (``key``, object_id, rank).

    Columns: a, b, a_index, b_index, value, label (two decimals, "–" when undefined). The
    diagonal is included (1 unless a ranking is all tied).
    """
    fn = CORRELATIONS[measure]
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for ib, b in enumerate(names):
            value = fn(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "a_index": ia, "b_index": ib, "value": value,
                         "label": "\u2013" if np.isnan(value) else signed_number(value, lang, 2)})
    return pd.DataFrame(rows)


def correlation_table(ranks: pd.DataFrame, key: str, lang: str = "sv") -> pd.DataFrame:
    """Spearman's rho and Kendall's tau-b for every pair of different rankings (a before b in the
    frame's order): a, b, spearman, kendall, spearman_label, kendall_label."""
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            rho = spearman(wide[a].to_numpy(), wide[b].to_numpy())
            tau = kendall_tau_b(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "spearman": rho, "kendall": tau,
                         "spearman_label": "\u2013" if np.isnan(rho) else signed_number(rho, lang, 2),
                         "kendall_label": "\u2013" if np.isnan(tau) else signed_number(tau, lang, 2)})
    return pd.DataFrame(rows, columns=["a", "b", "spearman", "kendall", "spearman_label", "kendall_label"])


def agreement_sentence(ranks: pd.DataFrame, key: str, subject: str, *, k: int = SUMMARY_TOP,
                       lang: str = "sv") -> str | None:
    """Agreement of several rankings (a long frame: ``key``, object_id, object, rank) in plain words:
    whether they share the top k (and its order), how many objects have the same rank in all, and
    the least similar pair (Kendall's tau-b). ``subject`` starts the sentence ("Viktprofilerna").
    None with fewer than two rankings."""
    names = list(dict.fromkeys(ranks[key]))
    if len(names) < 2:
        return None
    wide = ranks.pivot(index="object_id", columns=key, values="rank")[names]
    first = ranks.drop_duplicates("object_id")
    label = dict(zip(first["object_id"], unique_labels(list(first["object"]), list(first["object_id"])), strict=True))
    n = len(wide)
    if all((wide[c] == wide[names[0]]).all() for c in names[1:]):
        return t("charts.text.agree_identical", lang, subject=subject)
    parts = []
    k = min(k, n - 1)
    if k >= 2:  # with two objects "topp 1" reads oddly; the same-place count says it
        tops = [set(wide.index[wide[c] <= k]) for c in names]
        by_first = wide[names[0]].sort_values(kind="stable")

        def listed(ids):
            return join_names([label[o] for o in by_first.index if o in ids], lang)

        if all(tp == tops[0] for tp in tops):
            rows = wide.loc[sorted(tops[0])]
            same_order = all((rows[c] == rows[names[0]]).all() for c in names[1:])
            key_ = "charts.text.agree_top_order" if same_order else "charts.text.agree_top_set"
            parts.append(t(key_, lang, subject=subject, k=k, items=listed(tops[0])))
        else:
            common = set.intersection(*tops)
            if common:
                parts.append(t("charts.text.agree_top_some", lang, subject=subject, k=k, items=listed(common)))
            else:
                parts.append(t("charts.text.agree_top_none", lang, subject=subject, k=k))
    same = int((wide.nunique(axis=1) == 1).sum())
    parts.append(t("charts.text.agree_same_place", lang, same=same, n=n))
    pairs = [(kendall_tau_b(wide[a].to_numpy(), wide[b].to_numpy()), a, b)
             for ia, a in enumerate(names) for b in names[ia + 1:]]
    pairs = [p for p in pairs if not np.isnan(p[0])]
    if pairs:
        tau, a, b = min(pairs, key=lambda p: p[0])
        key_ = "charts.text.agree_pair" if len(names) == 2 else "charts.text.agree_most_different"
        parts.append(t(key_, lang, a=a, b=b, tau=signed_number(tau, lang, 2)))
    return " ".join(parts)
