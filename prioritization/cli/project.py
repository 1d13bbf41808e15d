"""The ``validate``, ``weights`` and ``rank`` commands: a project file checked, its weights and its ranking."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from typing import TYPE_CHECKING, Any

from prioritization import analysis, projectfile
from prioritization.cli.common import EXIT_OK, add_format, add_profile, num, print_json, table, weights_json
from prioritization.planning import fileformat as plan_format
from prioritization.safe_text import neutralise

if TYPE_CHECKING:
    from prioritization.committee.priority import ShareChange


def cmd_validate(args: argparse.Namespace) -> int:
    p = projectfile.load(args.project)
    analysis.decision_data(p)  # every candidate cell resolvable
    analysis.project_weights(p)
    for prof in p.weight_profiles:
        analysis.project_weights(p, prof.id)
    n_scores = sum(1 for s in p.scores if s.value is not None)
    print(f"OK: {p.name}")
    print(f"  {len(p.criteria)} criteria, {len(p.objects)} objects ({len(p.candidates)} candidates, "
          f"{len(p.committed)} committed), {len(p.participants)} participants, {n_scores} scores, "
          f"{len(p.weight_profiles)} weight profiles, {len(p.milestones)} milestones")
    if p.data_label:
        print(f"  label: {p.data_label}")
    return EXIT_OK


def cmd_weights(args: argparse.Namespace) -> int:
    p = projectfile.load(args.project, require_complete=False)
    res = analysis.project_weights(p, args.profile)
    cons = res.consistency
    if args.format == "json":
        print_json({
            "method": res.method,
            "weights": weights_json(p, res.weights),
            "consistency": None if cons is None else {
                "lambda_max": cons.lambda_max, "ci": cons.ci, "cr": num(cons.cr), "ri_table": cons.ri_table},
        })
        return EXIT_OK
    rows = [[c.id, c.name, f"{res.weights[j]:.4f}", f"{100 * res.weights[j]:.1f} %"] for j, c in enumerate(p.criteria)]
    print(f"Weights ({res.method})")
    print(table(["id", "criterion", "weight", "percent"], rows, "llrr"))
    if cons is not None:
        cr = "not available (n > table)" if cons.cr is None else f"{cons.cr:.4f} " + (
            "(acceptable, <= 0.10)" if cons.acceptable else "(NOT acceptable, > 0.10)")
        print(f"\nlambda_max = {cons.lambda_max:.4f}, CI = {cons.ci:.5f}, CR = {cr} [RI table: {cons.ri_table}]")
    return EXIT_OK


def cmd_rank(args: argparse.Namespace) -> int:
    # imported here: the other commands (sensitivity among them) start without them (issue 15)
    from prioritization.committee.priority import priority_list
    from prioritization.planning.comparability import mismatches
    from prioritization.report.plan_facts import mismatch_data
    from prioritization.report.planning import mismatch_text

    p = projectfile.load(args.project)
    w = analysis.project_weights(p, args.profile).weights
    r = analysis.rank(p, args.method, w)
    # with local input points (issue 13) the rank follows the priority score (1 - s)·T + s·L
    pl = priority_list(p, r) if r.method == "wsm" else None
    if args.format == "json":
        out: dict[str, Any] = {"method": r.method, "weights": weights_json(p, r.weights)}
        if pl is None:
            out["ranking"] = [{"id": x.object.id, "name": x.object.name, "rank": x.rank, "score": x.score}
                              for x in r.ranked]
        else:
            out["local_points"] = {"budget": pl.budget, "cap": pl.cap, "share": pl.share,
                                   "municipalities": pl.municipalities}
            out["ranking"] = [{"id": x.object.id, "name": x.object.name, "rank": x.rank, "score": x.priority,
                               "technical_rank": x.technical_rank, "technical_score": x.technical,
                               "local_score": x.local, "priority_score": x.priority, "points": x.points}
                              for x in pl.rows]
            out["share_changes"] = [None if b is None else breakpoint_json(b) for b in (pl.below, pl.above)]
        for entry in out["ranking"]:  # the object's plan data (issue 14), when it has any
            if not (plan := p.object(entry["id"]).plan).is_empty:
                entry["plan"] = plan_format.to_data(plan)
        out["committed"] = [{"id": o.id, "name": o.name} for o in r.committed]
        if p.parked:
            out["parked"] = [{"id": o.id, "name": o.name} for o in p.parked]
        if found := mismatches(o.object for o in r.ranked):  # figures that cannot be compared directly
            out["comparability"] = mismatch_data(found)
        print_json(out)
    elif args.format == "csv":
        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\n")
        if pl is None:
            wr.writerow(["rank", "id", "name", "score"])
            for x in r.ranked:
                wr.writerow([x.rank, _csv_safe(x.object.id), _csv_safe(x.object.name), repr(x.score)])
        else:
            wr.writerow(["rank", "id", "name", "priority_score", "technical_rank", "technical_score", "local_score",
                         "points"])
            for y in pl.rows:
                wr.writerow([y.rank, _csv_safe(y.object.id), _csv_safe(y.object.name), repr(y.priority),
                             y.technical_rank, repr(y.technical), repr(y.local), y.points])
        sys.stdout.write(buf.getvalue())
    else:
        label = {"wsm": "weighted sum", "topsis": "TOPSIS closeness", "promethee2": "PROMETHEE II net flow"}[r.method]
        if p.data_label:
            print(f"[{p.data_label}]")
        if pl is None:
            print(f"Ranking by {label}")
            print(table(["rank", "id", "name", "score"],
                        [[x.rank, x.object.id, x.object.name, f"{x.score:.4f}"] for x in r.ranked], "rllr"))
        else:
            print(f"Ranking by priority score (1 - s)·T + s·L, s = {pl.share:g}: T = {label}, L = local input "
                  f"points / ({pl.municipalities} municipalities × cap {pl.cap})")
            print(table(["rank", "id", "name", "priority", "T rank", "T", "L", "points"],
                        [[y.rank, y.object.id, y.object.name, f"{y.priority:.4f}", y.technical_rank,
                          f"{y.technical:.4f}", f"{y.local:.4f}", y.points] for y in pl.rows], "rllrrrrr"))
        for m in mismatches(o.object for o in r.ranked):  # issue 14: said in words, by object id
            print(f"\nWarning: {mismatch_text(m, 'en')}")
        for title, objects in (("Already prioritised (not ranked):", r.committed),
                               ("Parked by the screening (not ranked):", p.parked)):
            if objects:
                print(f"\n{title}")
                for o in objects:
                    print(f"  {o.id}  {o.name}")
    return EXIT_OK


def breakpoint_json(b: ShareChange) -> dict:
    """A share at which the priority list changes, for JSON."""
    return {"share": b.share, "kind": b.kind, "through_rank": b.through_rank, "direction": b.direction,
            "enters": list(b.enters), "leaves": list(b.leaves)}


def _csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas (OWASP CSV injection), by the exports' rule."""
    return neutralise(text)


def add_commands(sub) -> None:
    s = sub.add_parser("validate", help="check a project file and report every problem")
    s.add_argument("project")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("weights", help="show the criterion weights (and AHP consistency)")
    s.add_argument("project")
    add_profile(s)
    add_format(s, "json")
    s.set_defaults(func=cmd_weights)

    s = sub.add_parser("rank", help="rank the candidate objects")
    s.add_argument("project")
    s.add_argument("--method", choices=list(analysis.METHODS), default="wsm")
    add_profile(s)
    add_format(s, "json", "csv")
    s.set_defaults(func=cmd_rank)
