"""What every command shares: exit codes, the parser class, JSON and table output, the shared
arguments and the error message form. Below the commands: imports no command module and not
:mod:`prioritization.cli.main`."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
from typing import Any, NoReturn

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

    One line is written by orjson when the data holds only what orjson writes as the standard
    library does (:func:`_plain`): the sensitivity output at 200 objects holds 125 000 numbers, which
    the standard library writes in 44 ms (most of it turning floats into their shortest text) and
    orjson in 3 ms, each number the same value (issue 15). Anything else (a number that is not
    finite, which orjson would write as null; a date, a NumPy number or a number key, which it
    would write where the standard library refuses or spells them otherwise; a whole number beyond
    64 bits) goes to the standard library, which writes or refuses it as before. Indented text
    always comes from the standard library."""
    text = None
    if _plain(data):
        import orjson  # here: commands without JSON output start without it

        with contextlib.suppress(TypeError):  # orjson.JSONEncodeError: a number beyond 64 bits, deep nesting
            text = orjson.dumps(data).decode()
    if text is None:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(text) < INDENT_BELOW:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return text


_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = (dict, list, tuple)


def _plain(node: Any) -> bool:
    """Whether ``node`` holds only dicts with text keys, lists, tuples, text, whole numbers, finite
    floats, booleans and None, each of exactly that type (no subclass): what orjson writes as
    ``json.dumps`` does. Checked column-wise (a list's types as a set, its floats by their sum)."""
    try:
        if type(node) is dict:
            return set(map(type, node)) <= {str} and _plain_items(list(node.values()))
        return _plain_items(node if type(node) in (list, tuple) else [node])
    except RecursionError:
        return False


def _plain_items(items: list | tuple) -> bool:
    kinds = set(map(type, items))
    if float in kinds:
        floats = items if kinds == {float} else [v for v in items if type(v) is float]
        if not math.isfinite(sum(floats)):  # NaN or infinity (or floats summing past the largest)
            return False
    if kinds <= _PLAIN_SCALARS:
        return True
    return kinds <= _PLAIN_SCALARS.union(_CONTAINERS) and all(_plain(v) for v in items if type(v) in _CONTAINERS)


def print_json(data: Any) -> None:
    sys.stdout.write(json_text(data) + "\n")


def print_error(message: str) -> None:
    """``error: <message>`` on stderr, the form of every error the commands report."""
    print(f"error: {message}", file=sys.stderr)
