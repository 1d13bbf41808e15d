"""Error types shared by the engine, the project file reader and the CLI."""

from __future__ import annotations

from typing import Any


class InputError(ValueError):
    """Invalid input that must be rejected, never silently repaired (spec S0.4).

    ``path`` optionally names the place in a project file (e.g. ``scores[17].value``).
    """

    def __init__(self, message: str, path: str | None = None):
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class ProjectFileError(InputError):
    """A project file with one or more problems; ``problems`` lists every ``InputError`` found."""

    def __init__(self, problems: list[InputError]):
        self.problems = list(problems)
        first = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"invalid project file: {first}{more}")


def describe(v: Any) -> str:
    """A JSON value as error messages name it: 'text "abc"', "null", "a list", "an object", 3.5."""
    if isinstance(v, str):
        return f'text "{v[:40]}"'
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return repr(v) if isinstance(v, (int, float)) else str(v)
