"""mypy over the package against a baseline that only shrinks (issue 12).

``python -m tools.mypy_baseline`` runs mypy with the settings in pyproject.toml ([tool.mypy]) and
compares its errors with ``tools/mypy-baseline.txt``: an error that is not in the baseline is new and
fails; a baseline entry that no longer occurs fails too, so the baseline is rewritten
(``--write``) when errors are fixed and can only shrink. Entries are "path: message [code]" without
line numbers (code moves; the error is the same), counted per file.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ON_LINE = re.compile(r"\bon line \d+")
LINE = re.compile(r"^(?P<path>[^:\n]+\.py):\d+(?::\d+)?: error: (?P<message>.*?)\s+\[(?P<code>[a-z0-9-]+)\]$")


def current() -> Counter[str]:
    """The errors mypy reports now, as baseline entries with their counts."""
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--no-pretty",
                                "--no-error-summary", "--hide-error-context"])
    if status not in (0, 1) or err.strip():
        raise RuntimeError(f"mypy did not run (exit {status}): {err.strip() or out[-2000:]}")
    found: Counter[str] = Counter()
    for line in out.splitlines():
        if m := LINE.match(line.strip()):
            message = ON_LINE.sub("on line N", m["message"])  # so moving code does not change the entry
            found[f"{m['path']}: {message} [{m['code']}]"] += 1
    return found


def baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    return Counter(line for line in BASELINE.read_text(encoding="utf-8").splitlines() if line.strip())


def compare(now: Counter[str], base: Counter[str]) -> tuple[list[str], list[str]]:
    """(new errors, baseline entries that no longer occur), each entry repeated by its count."""
    return sorted((now - base).elements()), sorted((base - now).elements())


def write(now: Counter[str]) -> None:
    BASELINE.write_text("".join(f"{entry}\n" for entry in sorted(now.elements())), encoding="utf-8")


def main(argv: list[str]) -> int:
    now = current()
    if "--write" in argv:
        write(now)
        print(f"wrote {BASELINE.relative_to(ROOT)}: {sum(now.values())} errors")
        return 0
    new, gone = compare(now, baseline())
    for entry in new:
        print(f"new: {entry}")
    for entry in gone:
        print(f"fixed (remove from the baseline with --write): {entry}")
    return 1 if new or gone else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
