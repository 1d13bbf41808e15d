"""The ``validate``, ``weights`` and ``rank`` commands: a project file checked, its weights and its ranking."""

from __future__ import annotations

import argparse
import csv
import io
import sys

from prioritization import analysis, projectfile
from prioritization.cli.common import EXIT_OK, add_format, add_profile, num, print_json, table, weights_json
from prioritization.safe_text import neutralise


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
    p = projectfile.load(args.project)
    w = analysis.project_weights(p, args.profile).weights
    r = analysis.rank(p, args.method, w)
    if args.format == "json":
        print_json({
            "method": r.method,
            "weights": weights_json(p, r.weights),
            "ranking": [{"id": x.object.id, "name": x.object.name, "rank": x.rank, "score": x.score} for x in r.ranked],
            "committed": [{"id": o.id, "name": o.name} for o in r.committed],
        })
    elif args.format == "csv":
        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\n")
        wr.writerow(["rank", "id", "name", "score"])
        for x in r.ranked:
            wr.writerow([x.rank, _csv_safe(x.object.id), _csv_safe(x.object.name), repr(x.score)])
        sys.stdout.write(buf.getvalue())
    else:
        label = {"wsm": "weighted sum", "topsis": "TOPSIS closeness", "promethee2": "PROMETHEE II net flow"}[r.method]
        if p.data_label:
            print(f"[{p.data_label}]")
        print(f"Ranking by {label}")
        print(table(["rank", "id", "name", "score"],
                    [[x.rank, x.object.id, x.object.name, f"{x.score:.4f}"] for x in r.ranked], "rllr"))
        if r.committed:
            print("\nAlready prioritised (not ranked):")
            for o in r.committed:
                print(f"  {o.id}  {o.name}")
    return EXIT_OK


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
