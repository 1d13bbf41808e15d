"""Command line interface: ``prioritization validate|weights|rank|sensitivity|portfolio|export|timeline PROJECT``,
and ``prioritization reset-password`` for whoever runs the server.

Output is a readable table by default and a stable JSON contract with ``--format json`` (keys as
documented in ``docs/cli.md``). Exit codes: 0 success, 2 invalid input (message on stderr),
1 unexpected error.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from prioritization import __version__, analysis, projectfile
from prioritization.errors import InputError, ProjectFileError
from prioritization.safe_text import neutralise

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors are invalid input: exit 2 (argparse's default too)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def _num(x: float | None) -> float | None:
    return None if x is None else float(x)


def _weights_json(project, w) -> dict[str, float]:
    return {c.id: float(w[j]) for j, c in enumerate(project.criteria)}


def _table(headers: list[str], rows: list[list[Any]], align: str | None = None) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[k]) for r in cells]) for k, h in enumerate(headers)]
    align = align or "l" * len(headers)

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(widths[k]) if align[k] == "r" else v.ljust(widths[k])
                         for k, v in enumerate(values)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n")


# --- commands -------------------------------------------------------------------------------


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
        _print_json({
            "method": res.method,
            "weights": _weights_json(p, res.weights),
            "consistency": None if cons is None else {
                "lambda_max": cons.lambda_max, "ci": cons.ci, "cr": _num(cons.cr), "ri_table": cons.ri_table},
        })
        return EXIT_OK
    rows = [[c.id, c.name, f"{res.weights[j]:.4f}", f"{100 * res.weights[j]:.1f} %"] for j, c in enumerate(p.criteria)]
    print(f"Weights ({res.method})")
    print(_table(["id", "criterion", "weight", "percent"], rows, "llrr"))
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
        _print_json({
            "method": r.method,
            "weights": _weights_json(p, r.weights),
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
        print(_table(["rank", "id", "name", "score"],
                     [[x.rank, x.object.id, x.object.name, f"{x.score:.4f}"] for x in r.ranked], "rllr"))
        if r.committed:
            print("\nAlready prioritised (not ranked):")
            for o in r.committed:
                print(f"  {o.id}  {o.name}")
    return EXIT_OK


def _csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas (OWASP CSV injection), by the exports' rule."""
    return neutralise(text)


# --- entry point ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="prioritization", description="Prioritise transport infrastructure objects "
                 "on weighted criteria (project file format v1).")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("validate", help="check a project file and report every problem")
    s.add_argument("project")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("weights", help="show the criterion weights (and AHP consistency)")
    s.add_argument("project")
    s.add_argument("--profile", help="use this weight profile instead of the weights in use")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(func=cmd_weights)

    s = sub.add_parser("rank", help="rank the candidate objects")
    s.add_argument("project")
    s.add_argument("--method", choices=list(analysis.METHODS), default="wsm")
    s.add_argument("--profile", help="use this weight profile instead of the weights in use")
    s.add_argument("--format", choices=["table", "json", "csv"], default="table")
    s.set_defaults(func=cmd_rank)

    _add_analysis_commands(sub)
    return ap


def _add_analysis_commands(sub) -> None:
    from prioritization import cli_admin, cli_analysis, cli_export

    cli_analysis.add_commands(sub)
    cli_export.add_commands(sub)
    cli_admin.add_commands(sub)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ProjectFileError as e:
        print(f"error: {args.project} is not a valid project file:", file=sys.stderr)
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - last line of defence: no traceback for users
        if os.environ.get("PRIORITIZATION_DEBUG"):
            raise
        print(f"unexpected error: {type(e).__name__}: {e} (set PRIORITIZATION_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
