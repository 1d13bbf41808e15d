"""What text the tool accepts into a round: one home for length limits and for names that a
spreadsheet would run as formulas.

Every text that enters a round (a project file, the set-up editors, the object import, a score's
comment, a version's name) is checked here before it is stored:

* **Length.** Ids up to ``MAX_ID`` characters, names up to ``MAX_NAME``, comments up to
  ``MAX_COMMENT``, any other text up to ``MAX_TEXT``. Long enough for any real object, criterion,
  municipality or plan reference (the longest names in the Swedish national plan are about 120
  characters); short enough that a page, a PDF line and a database column hold them.
* **Formula-like names.** An id or name that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return (also after spaces; ``safe_text.is_dangerous``) is refused. Names reach places the tool
  does not control, such as the data grid's own "Download as CSV", and a name like
  ``=HYPERLINK("http://…")`` would be a live formula there. Descriptions and comments are not
  refused (a description may well start with "- "): every export neutralises them.

The rules apply to text coming in. Rounds stored by earlier versions are still read as they are
(their names can be corrected in the set-up editors, which then apply these rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from prioritization.safe_text import is_dangerous

MAX_ID = 64
MAX_NAME = 200
MAX_COMMENT = 2000
MAX_TEXT = 5000
MAX_DEPTH = 12  # a format-v1 document is at most about 6 levels deep

# keys whose string values (or lists of strings) are ids or names
ID_KEYS = frozenset({"id", "object", "criterion", "participant", "depends_on", "municipality", "objekt_id",
                     "requires", "excludes"})
NAME_KEYS = frozenset({"name", "name_en", "organisation", "group", "group_en", "municipalities", "label",
                       "title", "tier", "package"})


def limit_for(key: str) -> int:
    if key in ID_KEYS:
        return MAX_ID
    if key in NAME_KEYS:
        return MAX_NAME
    if key == "comment":
        return MAX_COMMENT
    return MAX_TEXT


def check(key: str, text: str) -> tuple[str, dict[str, Any]] | None:
    """("too_long", {length, limit}) or ("formula_like", {char}) when ``text`` under ``key`` is not
    accepted, else None. Pages turn the code into their language; :func:`problem` into English."""
    limit = limit_for(key)
    if len(text) > limit:
        return "too_long", {"length": len(text), "limit": limit}
    if (key in ID_KEYS or key in NAME_KEYS) and is_dangerous(text):
        return "formula_like", {"char": text.lstrip(" \u00a0")[:1] or text[:1]}
    return None


def problem(key: str, text: str) -> str | None:
    """Why ``text`` under ``key`` is not accepted (English, for the project file's problem list),
    or None."""
    found = check(key, text)
    if found is None:
        return None
    code, params = found
    if code == "too_long":
        return f"is {params['length']} characters long; the limit is {params['limit']}"
    return (f"starts with {params['char']!r} and could be run as a formula when the list is opened in a "
            "spreadsheet; remove the leading character")


def problems(data: Any, path: str = "", key: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    """(place, problem) for every text in a decoded document that these rules refuse, and for
    nesting deeper than any valid document."""
    if depth > MAX_DEPTH:
        yield path or "(top)", f"is nested more than {MAX_DEPTH} levels deep"
        return
    if isinstance(data, str):
        if (why := problem(key, data)) is not None:
            yield path, why
    elif isinstance(data, dict):
        for k, v in data.items():
            place = f"{path}.{k}" if path else str(k)
            # a key is a name too (an object's own attribute becomes a column heading in exports)
            if len(str(k)) > MAX_NAME:
                yield place[:80] + "…", f"has a key {len(str(k))} characters long; the limit is {MAX_NAME}"
            elif is_dangerous(str(k)):
                yield place, "is a key that could be run as a formula in a spreadsheet; remove the leading character"
            yield from problems(v, place, str(k), depth + 1)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from problems(v, f"{path}[{i}]", key, depth + 1)


def accepted(data: Any) -> bool:
    """True when :func:`problems` finds nothing in ``data``, decided faster: each distinct text is
    checked once per key, and a list of JSON objects (such as a round's 30 000 score records) is
    checked column by column. Types other than those JSON decodes to are left to :func:`problems`
    (False)."""
    ok: dict[str, set[str]] = {}  # key -> texts already accepted under it
    keys_ok: set[str] = set()

    def text_ok(key: str, texts: set[str]) -> bool:
        seen = ok.setdefault(key, set())
        for t in texts - seen:
            if check(key, t) is not None:
                return False
            seen.add(t)
        return True

    def keys_fine(keys: Any) -> bool:
        for k in keys:
            if k not in keys_ok:
                if type(k) is not str or len(k) > MAX_NAME or is_dangerous(k):
                    return False
                keys_ok.add(k)
        return True

    def walk(node: Any, key: str, depth: int) -> bool:
        if depth > MAX_DEPTH:
            return False
        t = type(node)
        if t is str:
            return text_ok(key, {node})
        if t is dict:
            return keys_fine(node) and all(walk(v, k, depth + 1) for k, v in node.items())
        if t is list:
            if node and all(type(v) is dict for v in node):
                return rows(node, depth + 1)
            return all(walk(v, key, depth + 1) for v in node)
        return not isinstance(node, (str, dict, list))  # numbers, None, markers; subclasses: problems()

    def rows(items: list[dict], depth: int) -> bool:  # JSON objects at ``depth``, one column per key
        if depth > MAX_DEPTH:
            return False
        columns = set().union(*items)
        if not keys_fine(columns):
            return False
        for k in columns:
            try:
                column = list(map(itemgetter(k), items))
            except KeyError:  # not in every row
                column = [d[k] for d in items if k in d]
            kinds = set(map(type, column))
            if kinds <= _SCALARS:
                if depth + 1 > MAX_DEPTH:
                    return False
                if str in kinds:
                    distinct = set(column)
                    if not text_ok(k, distinct if kinds == {str} else {v for v in distinct if type(v) is str}):
                        return False
            elif not all(walk(v, k, depth + 1) for v in column):
                return False
        return True

    return walk(data, "", 0)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def names_in(data: Any) -> set[str]:
    """Every id and name in a decoded document (the texts people typed that sentences quote)."""
    found: set[str] = set()

    def walk(node: Any, key: str) -> None:
        if isinstance(node, str):
            if key in ID_KEYS or key in NAME_KEYS:
                found.add(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(data, "")
    return found
