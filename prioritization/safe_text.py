"""The one home of the escaping rules for text that people typed (names, comments, notes):

* :func:`md` before it reaches Markdown (every Streamlit label, caption, toast and markdown call):
  no live link, remote image, heading, emphasis, HTML, ``$math$`` or ``:directive[...]``;
* :func:`neutralise` before it reaches a spreadsheet cell (Excel, CSV, the audit log CSV, the CLI's
  CSV): no formula.

Formula-injection guard (OWASP "CSV injection"):

Spreadsheet programs run a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@``
(and some also after a leading tab or carriage return), e.g. ``=HYPERLINK("http://evil", "x")``.
Object names, tiers and comments are typed by people, so every *text* value goes through
:func:`neutralise` before it is written: dangerous text gets a leading apostrophe, which makes it
inert plain text in Excel and LibreOffice and stays readable. Numbers, dates and None are returned
unchanged, so numeric cells stay numeric (a negative number written by us is not text).
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def is_dangerous(text: str) -> bool:
    """True when ``text`` would be read as a formula. Leading spaces are looked through, because
    some programs strip them before deciding (" =1+1")."""
    stripped = text.lstrip(" \u00a0")
    return text.startswith(TRIGGERS) or stripped.startswith(TRIGGERS)


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text that looks like a formula gets a leading
    apostrophe; every other value (numbers, booleans, dates, None, safe text) is returned as is."""
    if isinstance(value, str) and is_dangerous(value):
        return PREFIX + value
    return value


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$~:=])")


def md(text: str) -> str:
    """``text`` shown literally in Markdown: every character Markdown, Streamlit (``$math$``,
    ``:material/icon:``, ``:red[...]``) or HTML would act on is backslash-escaped, and line breaks
    stay line breaks (no list or heading can start on the next line: its marker is escaped too)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# Widget labels are inline Markdown, and Streamlit also uses the raw label as the accessible name:
# every backslash would be read out by a screen reader. Only what inline Markdown acts on is escaped
# (links and images need "[" and "]", directives ":", math "$", emphasis "*" "_" "~", code "`",
# HTML "<"), so ordinary names such as "Klimat (omställning)" or "E4.1-2" keep a clean name.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<$~:|!])")


def md_label(text: str) -> str:
    """``text`` shown literally in a widget or button label (inline Markdown, also the accessible
    name): the fewest escapes that keep links, images, directives and HTML inert."""
    return _INLINE_SPECIAL.sub(r"\\\1", str(text))


__all__ = ["PREFIX", "TRIGGERS", "is_dangerous", "md", "md_label", "neutralise"]
