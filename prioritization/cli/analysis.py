"""The ``sensitivity`` and ``portfolio`` commands: how stable the ranking is, and the best set within a budget."""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

from prioritization import analysis, projectfile
from prioritization.cli.common import (
    EXIT_OK,
    add_format,
    add_profile,
    num,
    print_json,
    table,
    weights_json,
)
from prioritization.engine.ranking import display_order


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def sensitivity_json(p, rep: analysis.SensitivityReport) -> dict:
    crit_ids = [c.id for c in rep.data.criteria]
    obj_ids = [o.id for o in rep.data.objects]
    cr = rep.critical
    sm = rep.smaa

    def cid(j):
        return None if j is None else crit_ids[j]

    assert sm.pairwise_winning is not None, "the JSON output needs sensitivity(..., pairwise=True)"
    central = {}
    for oid, row in zip(obj_ids, sm.central_weights.tolist(), strict=True):  # tolist: Python floats, fast
        central[oid] = None if any(math.isnan(x) for x in row) else dict(zip(crit_ids, row, strict=True))
    return {
        "weights": weights_json(p, rep.weights),
        "stability": {crit_ids[s.criterion]: {"weight": s.weight, "top": list(s.top), "ranking": list(s.ranking)}
                      for s in rep.stability},
        "breakpoints": {crit_ids[o.criterion]: o.breakpoint_ts.tolist() for o in rep.oat},
        "critical": {crit_ids[c.criterion]: {"top_delta": None if c.top is None else c.top.delta,
                                             "any_delta": None if c.any is None else c.any.delta}
                     for c in cr.criteria},
        "absolute_top_critical": cid(cr.absolute_top),
        "percent_top_critical": cid(cr.percent_top),
        "absolute_any_critical": cid(cr.absolute_any),
        "percent_any_critical": cid(cr.percent_any),
        "smaa": {
            "samples": sm.samples,
            "seed": sm.seed,
            "rank_acceptability": dict(zip(obj_ids, sm.rank_acceptability.tolist(), strict=True)),
            "central_weights": central,
            "confidence": dict(zip(obj_ids, sm.confidence.tolist(), strict=True)),
            "pairwise_winning": {a: dict(zip(obj_ids, row, strict=True))
                                 for a, row in zip(obj_ids, sm.pairwise_winning.tolist(), strict=True)},
        },
    }


def cmd_sensitivity(args: argparse.Namespace) -> int:
    p = projectfile.load(args.project)
    w = analysis.project_weights(p, args.profile).weights
    rep = analysis.sensitivity(p, weights=w, samples=args.samples, seed=args.seed, weight_model=args.weight_model,
                               score_model=args.score_model, delta=args.delta, pairwise=args.format == "json")
    if args.format == "json":
        print_json(sensitivity_json(p, rep))
        return EXIT_OK
    crits = rep.data.criteria
    if p.data_label:
        print(f"[{p.data_label}]")
    print("Weight stability (weighted sum; other weights keep their proportions)")
    rows = []
    for s, c in zip(rep.stability, rep.critical.criteria, strict=True):
        top_d = None if c.top is None else c.top.delta
        rows.append([crits[s.criterion].id, _pct(s.weight), f"{_pct(s.ranking[0])} – {_pct(s.ranking[1])}",
                     f"{_pct(s.top[0])} – {_pct(s.top[1])}", "–" if top_d is None else f"{top_d:+.4f}"])
    print(table(["criterion", "weight", "ranking unchanged", "top unchanged", "top-changing delta"], rows, "lrrrr"))
    cr = rep.critical

    def name(j):
        return "none" if j is None else crits[j].id

    print(f"\nCritical criterion (Triantaphyllou–Sánchez): absolute-top {name(cr.absolute_top)}, "
          f"percent-top {name(cr.percent_top)}, absolute-any {name(cr.absolute_any)}, "
          f"percent-any {name(cr.percent_any)}")
    sm = rep.smaa
    print(f"\nSMAA-2: {sm.samples} samples, seed {sm.seed}, weights {rep.weight_model}, scores {rep.score_model}")
    base = analysis.agg.wsm_values(rep.data.values, rep.weights)
    b = sm.rank_acceptability
    rows = []
    top3 = min(3, b.shape[1])
    for i in display_order(base):
        likely = int(np.argmax(b[i]))
        rows.append([rep.data.objects[i].id, rep.data.objects[i].name, _pct(b[i, 0]), _pct(b[i, :top3].sum()),
                     f"{likely + 1} ({_pct(b[i, likely])})", _pct(sm.confidence[i])])
    print(table(["id", "name", "rank 1", f"top {top3}", "most likely rank", "confidence"], rows, "llrrrr"))
    return EXIT_OK


def cmd_portfolio(args: argparse.Namespace) -> int:
    p = projectfile.load(args.project)
    w = analysis.project_weights(p, args.profile).weights
    rep = analysis.portfolio(p, args.budget, weights=w)
    ids = [o.id for o in rep.objects]
    opt, gr = rep.optimal, rep.greedy
    assert opt is not None  # analysis.portfolio always searches exactly (it raises when the search is too large)
    if rep.without_cost:  # not part of the JSON contract: say it on stderr so it is never silent
        print("note: candidates without a cost are not considered: " + ", ".join(o.id for o in rep.without_cost),
              file=sys.stderr)
    made_up = [o.id for o in rep.objects if o.cost_is_illustrative]
    if made_up:  # never silent either: these costs are made-up examples, not from a source
        print("note: made-up example costs (cost_illustrative, not from a source): " + ", ".join(made_up),
              file=sys.stderr)
    if args.format == "json":
        print_json({
            "budget": rep.budget,
            "selected": [ids[i] for i in opt.selected],
            "value": num(opt.value),
            "cost": num(opt.cost),
            "unique": bool(opt.unique),
            "greedy": {"selected": [ids[i] for i in gr.selected], "value": num(gr.value), "cost": num(gr.cost)},
            "illustrative_costs": made_up,
        })
        return EXIT_OK
    if p.data_label:
        print(f"[{p.data_label}]")
    print(f"Best set of objects within the budget {rep.budget:g} MSEK (exact; value = sum of weighted-sum scores)")
    rows = [[ids[i], rep.objects[i].name,
             f"{rep.objects[i].cost:g}" + (" (made up)" if rep.objects[i].cost_is_illustrative else ""),
             f"{rep.values[i]:.4f}"] for i in opt.selected]
    print(table(["id", "name", "cost", "score"], rows, "llrr"))
    print(f"total: value {opt.value:.4f}, cost {opt.cost:g}" + ("" if opt.unique else " (another set is equally good)"))
    print(f"\nGreedy by score per cost, for comparison: {', '.join(ids[i] for i in gr.selected) or 'nothing'}; "
          f"value {gr.value:.4f}, cost {gr.cost:g}")
    return EXIT_OK


def add_commands(sub) -> None:
    s = sub.add_parser("sensitivity", help="weight stability, critical criterion and SMAA-2 (weighted sum)")
    s.add_argument("project")
    s.add_argument("--samples", type=int, default=10_000, help="SMAA samples (default 10000)")
    s.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one, reported)")
    s.add_argument("--weight-model", choices=list(analysis.WEIGHT_MODELS), default="uniform")
    s.add_argument("--score-model", choices=list(analysis.SCORE_MODELS), default=None,
                   help="default: raters when individual scores exist, else none")
    s.add_argument("--delta", type=float, default=None,
                   help="uniform score model: ± this many raw units on every criterion")
    add_profile(s)
    add_format(s, "json")
    s.set_defaults(func=cmd_sensitivity)

    s = sub.add_parser("portfolio", help="best set of candidate objects within a budget (MSEK)")
    s.add_argument("project")
    s.add_argument("--budget", type=float, required=True)
    add_profile(s)
    add_format(s, "json")
    s.set_defaults(func=cmd_portfolio)
