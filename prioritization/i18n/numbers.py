"""Number formatting with Babel's patterns and symbols, compiled once per (locale, decimals).

``babel.numbers.format_decimal``/``format_percent`` parse the pattern, look the locale and its
symbols up and run a generic renderer on every call (about 10 µs a number). A results page formats
thousands of numbers, so this module asks Babel once per (locale, decimals) for the parsed pattern
(:func:`babel.numbers.parse_pattern`: sign prefixes, suffix, grouping, precision) and the locale's
group and decimal symbols, and then renders each number with the same steps as
:meth:`babel.numbers.NumberPattern.apply`: ``Decimal(str(x))`` (so a float is rounded as the text
Python prints for it, 2.675 -> "2,68"), scaled by 100 for a percent, the sign taken before rounding
(-0.001 -> "-0,00", as Babel prints it), rounded half to even with the current decimal context, and
grouped in threes. The output is identical to Babel's (``tests/i18n/test_number_format.py`` compares
the two on a large random sample and the edge cases); NaN and infinities, and any pattern this
renderer does not cover, go to Babel itself.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from babel import numbers as babel_numbers
from babel.core import Locale


def decimal_pattern(decimals: int) -> str:
    """The Babel pattern for a number with ``decimals`` decimals and grouped thousands."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def percent_pattern(decimals: int) -> str:
    """The Babel pattern for a percent with ``decimals`` decimals: '12,5 %' (no-break space)."""
    return decimal_pattern(decimals) + "\xa0%"


class CompiledPattern:
    """One Babel number pattern for one locale, with everything a call needs looked up once."""

    __slots__ = ("_apply", "_fast", "_group", "_locale", "_pattern", "_point", "_prefix", "_quantum", "_replace",
                 "_scale", "_suffix", "_table")

    def __init__(self, pattern: str, locale: str) -> None:
        self._locale = Locale.parse(locale)
        self._pattern = babel_numbers.parse_pattern(pattern)
        p = self._pattern
        group = babel_numbers.get_group_symbol(self._locale, numbering_system="latn")
        point = babel_numbers.get_decimal_symbol(self._locale, numbering_system="latn")
        self._prefix, self._suffix, self._scale = p.prefix, p.suffix, p.scale
        self._quantum = babel_numbers.get_decimal_quantum(p.frac_prec[1])
        # Python's "," format groups in threes with at least one integer digit and prints exactly the
        # quantised decimals: the same text as Babel for a plain pattern with a fixed number of
        # decimals. Anything else (scientific, significant digits, quoted text, other grouping) is
        # left to Babel.
        literal = "".join(p.prefix + p.suffix)
        self._fast = (
            p.grouping == (3, 3) and p.int_prec[0] <= 1 and p.frac_prec[0] == p.frac_prec[1]
            and p.exp_prec is None and "@" not in p.pattern and not any(c in literal for c in "'¤")
        )  # fmt: skip
        # Python's separators -> the locale's: none to change, two replacements (cheaper than
        # str.translate; safe when the group symbol has no "."), or a translation table.
        self._group, self._point = group, point
        self._replace = (group, point) != (",", ".") and "." not in group
        self._table = str.maketrans({",": group, ".": point}) if "." in group else None
        self._apply = p.apply

    def __call__(self, x) -> str:
        d = x if isinstance(x, Decimal) else Decimal(str(x))
        if self._scale:
            d = d.scaleb(self._scale)
        negative = d.is_signed()  # before rounding, as Babel: -0.0 and -0.001 keep their sign
        d = abs(d).normalize()
        if not self._fast or not d.is_finite():
            return self._apply(x, self._locale, numbering_system="latn")
        text = format(d.quantize(self._quantum), ",f")
        if self._replace:
            text = text.replace(",", self._group).replace(".", self._point)
        elif self._table is not None:
            text = text.translate(self._table)
        return self._prefix[negative] + text + self._suffix[negative]


@cache
def decimal_format(locale: str, decimals: int) -> CompiledPattern:
    """The compiled :func:`decimal_pattern` for ``locale`` (a Babel locale id, e.g. 'sv_SE')."""
    return CompiledPattern(decimal_pattern(decimals), locale)


@cache
def percent_format(locale: str, decimals: int) -> CompiledPattern:
    """The compiled :func:`percent_pattern` for ``locale``."""
    return CompiledPattern(percent_pattern(decimals), locale)
