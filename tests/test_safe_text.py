"""safe_text.md_name / md_names: names inside result sentences are shown as text (issue 10 #9), with
the fewest escapes, and the sentence's own Markdown is kept."""

import re

import pytest

from prioritization.safe_text import WORD_JOINER, md_name, md_names

HOSTILE = ["![x](http://tracker.invalid/x.png) objekt", "[klicka](http://tracker.invalid)",
           "<img src=http://tracker.invalid/y.png>", ":red[röd] $x^2$", "**fet** # rubrik", "# rubrik",
           "1. Ett", "- lista", "> citat", "a\n# b", "`kod`", "_kursiv_", "~~bort~~", "se www.tracker.invalid",
           "http://tracker.invalid", ":material/home:", "x | y", "\\[redan\\]", "kontakt@botkyrka.se", "AT&amp;T"]
# what Markdown (CommonMark + GFM + Streamlit) acts on, when not preceded by a backslash
LIVE = re.compile(r"(?<!\\)(?:[\[\]<$`*_~|&]|:[A-Za-z])|://|(?<![\\\w])www\.|[\w.-]@|(?:^|\n)[ \t]*(?:[#>+=-]|\d+[.)])")


def unescape(text: str) -> str:
    """What a reader sees: backslash escapes and character references resolved, in one pass."""
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_is_inert_and_reads_the_same(name):
    out = md_name(name)
    assert not LIVE.search(out), out
    assert unescape(out) == name


@pytest.mark.parametrize("name", ["Spårväg syd (Flemingsberg–Älvsjö)", "Nynäsbanan: dubbelspår Hemfosa–Nynäshamn",
                                  "E4.1-2", "Väg 73 – infart Stockholm (stråkpaket enligt ÅVS)", "Bro + tunnel"])
def test_ordinary_names_are_left_alone(name):
    assert md_name(name) == name


def test_md_names_escapes_the_names_and_keeps_the_templates_markdown():
    names = ["[klicka](http://tracker.invalid)", "klicka", "Spårväg syd (Flemingsberg–Älvsjö)"]
    sentence = "- **1. [klicka](http://tracker.invalid)**: rang 1; **2. Spårväg syd (Flemingsberg–Älvsjö)**"
    out = md_names(sentence, names)
    assert out == ("- **1. \\[klicka\\](http:\u2060//tracker.invalid)**: rang 1; "
                   "**2. Spårväg syd (Flemingsberg–Älvsjö)**")
    assert md_names(out, names) == out  # escaped text is not escaped again: nothing matches any more
    assert md_names("inga namn här", []) == "inga namn här"
