"""What every command shares: exit codes, the parser class, JSON and table output, the shared
arguments and the error message form. Below the commands: imports no command module and not
:mod:`prioritization.cli.main`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

import numpy as np

EXIT_OK, EXIT_ERROR, EXIT_INVALID = 0, 1, 2
INDENT_BELOW = 64 * 1024  # JSON output shorter than this (as one line) is indented for people to read


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors are invalid input: exit 2 (argparse's default too)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


# --- shared arguments -----------------------------------------------------------------------


def add_profile(s: argparse.ArgumentParser) -> None:
    s.add_argument("--profile", help="use this weight profile instead of the weights in use")


def add_format(s: argparse.ArgumentParser, *choices: str) -> None:
    """``--format``: ``table`` (the default) or one of ``choices`` (a stable contract, see docs/cli.md)."""
    s.add_argument("--format", choices=["table", *choices], default="table",
                   help="table (default)" + "".join(f", {c}" for c in choices)
                   + (f"; JSON is indented when short and on one line from {INDENT_BELOW // 1024} KiB"
                      if "json" in choices else ""))


# --- output ---------------------------------------------------------------------------------


def num(x: float | None) -> float | None:
    return None if x is None else float(x)


def finite_list(values: Any) -> list:
    """``values`` (a NumPy array) as Python numbers for the JSON output, refusing NaN and infinity
    as the standard library's writer does (orjson, which writes large outputs, would write null)."""
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all():
        raise ValueError("Out of range float values are not JSON compliant")
    return array.tolist()


def weights_json(project, w) -> dict[str, float]:
    return {c.id: float(w[j]) for j, c in enumerate(project.criteria)}


def table(headers: list[str], rows: list[list[Any]], align: str | None = None) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[k]) for r in cells]) for k, h in enumerate(headers)]
    align = align or "l" * len(headers)

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(widths[k]) if align[k] == "r" else v.ljust(widths[k])
                         for k, v in enumerate(values)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def json_text(data: Any) -> str:
    """The JSON text of a command's output: indented by 2 spaces when it is short (under
    ``INDENT_BELOW`` characters on one line), else on one line. Both are the same JSON.

    One line is written by orjson: the sensitivity output at 200 objects holds 125 000 numbers,
    which the standard library writes in 44 ms (most of it turning floats into their shortest
    text) and orjson in 3 ms, each number the same value (issue 15). Indented text comes from the
    standard library, which refuses a number that is not finite (orjson would write null): the
    large outputs hold none (a value that does not exist, such as the central weights of an object
    that is never first, is None in the data), and ``tests/cli/test_cli_json_layout.py`` checks
    that both writers give the same JSON."""
    import orjson  # here: commands without JSON output start without it

    try:
        text = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:  # what orjson cannot write (a whole number beyond 64 bits): the standard library can
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(text) < INDENT_BELOW:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return text


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def print_error(message: str) -> None:
    """``error: <message>`` on stderr, the form of every error the commands report."""
    print(f"error: {message}", file=sys.stderr)
