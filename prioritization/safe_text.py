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
from collections.abc import Iterable
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


# GitHub-flavoured Markdown (Streamlit's) turns bare addresses into live links: "http://…",
# "www.…" and "name@host.se". It does so on the rendered text, after backslash escapes and
# character references are resolved (the browser test found live links either way), so an
# invisible WORD JOINER (U+2060) goes into the address: it looks the same and is not read out.
WORD_JOINER = "\u2060"
_AUTOLINK = r"(?P<url>:(?=//))|(?P<www>(?<=[Ww]{3})\.)|(?P<at>@)"
_ENTITY = {"url": ":" + WORD_JOINER, "www": WORD_JOINER + ".", "at": WORD_JOINER + "@"}
_MD_SPECIAL = re.compile(_AUTOLINK + r"|(?P<esc>[\\`*_{}\[\]()<>#+\-.!|$~:=&])")


def _escape(m: re.Match) -> str:
    kind = m.lastgroup
    return _ENTITY[kind] if kind in _ENTITY else "\\" + m.group(0)


def md(text: str) -> str:
    """``text`` shown literally in Markdown: every character Markdown, Streamlit (``$math$``,
    ``:material/icon:``, ``:red[...]``) or HTML would act on is backslash-escaped, bare web and
    mail addresses are kept from becoming links, and line breaks stay line breaks (no list or
    heading can start on the next line: its marker is escaped too)."""
    return _MD_SPECIAL.sub(_escape, str(text))


# Widget labels are inline Markdown, and Streamlit also uses the raw label as the accessible name:
# every backslash would be read out by a screen reader. Only what inline Markdown acts on is escaped
# (links and images need "[" and "]", directives ":", math "$", emphasis "*" "_" "~", code "`",
# HTML "<"), so ordinary names such as "Klimat (omställning)" or "E4.1-2" keep a clean name.
_INLINE_SPECIAL = re.compile(_AUTOLINK + r"|(?P<esc>[\\`*_\[\]<$~:|!])")


def md_label(text: str) -> str:
    """``text`` shown literally in a widget or button label (inline Markdown, also the accessible
    name): the fewest escapes that keep links, images, directives and HTML inert, and bare
    addresses unlinked as in :func:`md`."""
    return _INLINE_SPECIAL.sub(_escape, str(text))


# A name inside a sentence: what inline Markdown and Streamlit act on anywhere (emphasis, code,
# links and images need "[", HTML "<", math "$", a directive or emoji ":red[", ":smile:" a colon
# before a letter), and what starts a block at the beginning of a line ("#", ">", "-", "+", "=",
# "1."). Ordinary names such as "Spårväg syd (Flemingsberg–Älvsjö)" or "Nynäsbanan: dubbelspår"
# stay as they are, so the sentence reads the same in the page source, the PDF and the tests.
_NAME_INLINE = re.compile(_AUTOLINK + r"|(?P<esc>[\\`*_\[\]<$~|&]|:(?=[A-Za-z]))")
_NAME_BLOCK = re.compile(r"(^|\n)([ \t]*)(?:([#>+=-])|(\d+)([.)]))")


def md_name(text: str) -> str:
    """``text`` (a name) shown literally inside a Markdown sentence, with the fewest escapes; bare
    web and mail addresses are kept from becoming links, as in :func:`md`."""
    inline = _NAME_INLINE.sub(_escape, str(text))
    return _NAME_BLOCK.sub(lambda m: m.group(1) + m.group(2) + (
        "\\" + m.group(3) if m.group(3) else m.group(4) + "\\" + m.group(5)), inline)


def md_names(text: str, names: Iterable[str]) -> str:
    """A sentence built from a template with people's names in it (objects, criteria, profiles …),
    ready for Markdown: every occurrence of one of ``names`` is escaped with :func:`md_name`, the
    template's own Markdown (``**bold**``, list dashes) is kept. One pass, longest name first, so a
    name inside a longer one is not escaped twice. Names that need no escape are skipped."""
    risky = sorted({n for n in names if n and md_name(n) != n}, key=len, reverse=True)
    if not risky:
        return text
    pattern = re.compile("|".join(map(re.escape, risky)))
    return pattern.sub(lambda m: md_name(m.group(0)), text)


__all__ = ["PREFIX", "TRIGGERS", "is_dangerous", "md", "md_label", "md_name", "md_names", "neutralise"]
