"""The ``prioritization`` command's entry point: the parser and the dispatch to the command groups
(:mod:`~prioritization.cli.project`, :mod:`~prioritization.cli.analysis`,
:mod:`~prioritization.cli.export`, :mod:`~prioritization.cli.admin`). The exit codes and the output
helpers live in :mod:`prioritization.cli.common`; see the package's docstring for the contract.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from prioritization import __version__
from prioritization.cli import admin, analysis, export, project
from prioritization.cli.common import EXIT_ERROR, EXIT_INVALID, EXIT_OK, Parser, print_error
from prioritization.errors import InputError, ProjectFileError

COMMAND_GROUPS = (project, analysis, export, admin)  # in this order on --help


def build_parser() -> Parser:
    ap = Parser(prog="prioritization", description="Prioritise transport infrastructure objects "
                "on weighted criteria (project file format v1).")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=Parser)
    for group in COMMAND_GROUPS:
        group.add_commands(sub)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # the modules and the parser live as long as the process: kept out of the garbage collector's
    # scans while the command runs (issue 15: they are most of the objects it would scan)
    gc.freeze()
    try:
        return args.func(args)
    except ProjectFileError as e:
        print_error(f"{args.project} is not a valid project file:")
        for problem in e.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_INVALID
    except InputError as e:
        print_error(str(e))
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - last line of defence: no traceback for users
        if os.environ.get("PRIORITIZATION_DEBUG"):
            raise
        print(f"unexpected error: {type(e).__name__}: {e} (set PRIORITIZATION_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR
    finally:
        gc.unfreeze()


if __name__ == "__main__":
    sys.exit(main())
