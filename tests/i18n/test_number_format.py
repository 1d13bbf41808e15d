"""Issue 15: ``i18n.number``/``percent``/``msek`` render with a pattern compiled once per (locale,
decimals) and give exactly the text Babel's ``format_decimal``/``format_percent`` gave per call:
same symbols, same rounding (half to even on the number's printed text), same grouping, same sign
on values that round to zero, and the same NaN/infinity text or exception."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import numpy as np
import pytest
from babel import numbers as babel_numbers

from prioritization import i18n
from prioritization.i18n.numbers import CompiledPattern

BABEL_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


# The functions as they were before issue 15 (one Babel call per number): the oracle.
def babel_number(x, lang: str, decimals: int) -> str:
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return babel_numbers.format_decimal(x, format=fmt, locale=BABEL_LOCALES[lang])


def babel_percent(x, lang: str, decimals: int) -> str:
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "\xa0%"
    return babel_numbers.format_percent(x, format=fmt, locale=BABEL_LOCALES[lang])


def outcome(fn, *args):
    """The text, or the type of the exception raised."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - the same failure is part of the same behaviour
        return type(e)


def sample(rng: np.random.Generator, n: int, decimals: int) -> list:
    """Varied magnitudes (1e-7 .. 1e13) and signs, as float, int, NumPy float64/float32/int64, with
    exact ties at the last shown decimal (of a number and of a percent) and integers."""
    mag = 10.0 ** rng.uniform(-7, 13, n)
    sign = rng.choice([-1.0, 1.0], n)
    x = sign * mag * rng.random(n)
    out: list = []
    for i, v in enumerate(x):
        kind = i % 8
        if kind == 0:
            out.append(float(v))
        elif kind == 1:
            out.append(np.float64(v))
        elif kind == 2:
            out.append(int(v))
        elif kind == 3:
            out.append(np.int64(int(v)))
        elif kind == 4:  # a tie at the last decimal of a number: 12.345 at two decimals
            out.append((round(v * 10**decimals) + 0.5) / 10**decimals)
        elif kind == 5:  # a tie at the last decimal of a percent: 0.12345 at one decimal
            out.append((round(v * 10 ** (decimals + 2)) + 0.5) / 10 ** (decimals + 2))
        elif kind == 6:
            out.append(np.float32(v))
        else:  # few significant digits, near zero
            out.append(float(f"{v:.2g}") / 10**decimals)
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4])
def test_same_text_as_babel_on_a_random_sample(lang, decimals):
    rng = np.random.default_rng(1500 + decimals + 10 * (lang == "en"))
    values = sample(rng, 2500, decimals)
    bad = [(x, babel_number(x, lang, decimals), i18n.number(x, lang, decimals))
           for x in values if babel_number(x, lang, decimals) != i18n.number(x, lang, decimals)]
    assert bad == []
    bad = [(x, babel_percent(x, lang, decimals), i18n.percent(x, lang, decimals))
           for x in values if babel_percent(x, lang, decimals) != i18n.percent(x, lang, decimals)]
    assert bad == []


EDGES: list = [
    0, 0.0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, -0.125, 2.675, 1.005, 1.115, 0.285, 0.295, 0.005,
    0.015, -0.005, -0.001, -0.004, -0.0049, -0.00001, 1e-9, -1e-9, 1e-7, 999.5, 999.95, 9999.995, 999_999.5,
    -999_999.5, 1234567.891, -1234567.891, 1e15, 1e16, 2.0**53, 1e21, -1e21, 123456789012345678,
    10**27, 10**28, 1e30, -1e30, float("nan"), float("inf"), float("-inf"), np.float64(2.675),
    np.float64(-0.0), np.float64("nan"), np.float32(0.1), np.float32(2.675), np.float32(-1e9), np.int64(-1234567),
    np.int32(7), np.uint8(255), Decimal("2.675"), Decimal("-0"), Decimal("1E+3"), Decimal("0.0000"), "1234.5",
    True, None, "abc",
]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4])
def test_same_text_or_error_as_babel_on_edge_cases(lang, decimals):
    for x in EDGES:
        assert outcome(i18n.number, x, lang, decimals) == outcome(babel_number, x, lang, decimals), x
        assert outcome(i18n.percent, x, lang, decimals) == outcome(babel_percent, x, lang, decimals), x
        old_msek = outcome(babel_number, x, lang, decimals)
        if isinstance(old_msek, str):
            assert i18n.msek(x, lang, decimals) == (f"{old_msek} MSEK" if lang == "sv" else f"SEK {old_msek} m")


def test_what_babel_prints_spelled_out():
    """Today's texts, written out: ties to even on the printed number (2.675 -> 2,68 although the
    float is just below), a percent scaled exactly (0.285 -> 28,5 -> 28), ASCII hyphen-minus from
    the pattern (not the locale's U+2212), the sign kept when the value rounds to zero, no-break
    space between thousands in Swedish."""
    assert i18n.number(2.675, "sv", 2) == "2,68"
    assert i18n.number(0.125, "en", 2) == "0.12"
    assert i18n.number(1.005, "sv", 2) == "1,00"
    assert i18n.percent(0.285, "sv") == "28\xa0%"
    assert i18n.percent(0.295, "sv") == "30\xa0%"
    assert i18n.number(-1234567.5, "sv", 0) == "-1\xa0234\xa0568"
    assert i18n.number(-1234567.5, "en", 1) == "-1,234,567.5"
    assert i18n.number(-0.0, "sv", 1) == "-0,0"
    assert i18n.number(-0.001, "en", 2) == "-0.00"
    assert i18n.percent(-0.0001, "sv", 0) == "-0\xa0%"
    assert i18n.number(float("nan"), "sv", 1) == "NaN,0"
    assert i18n.number(float("-inf"), "sv", 1) == "-∞"
    assert i18n.msek(4200.4, "en") == "SEK 4,200 m"
    with pytest.raises(InvalidOperation):  # more digits than the decimal context holds, as Babel
        i18n.number(1e30, "sv", 0)


@pytest.mark.parametrize(("locale", "pattern"), [
    ("de_DE", "#,##0.00"),  # "." groups, "," is the decimal point
    ("fr_FR", "#,##0.0\xa0%"),  # narrow no-break space groups
    ("en_IN", "#,##,##0.00"),  # grouping 3, 2: left to Babel
    ("en_GB", "0.00E0"),  # scientific: left to Babel
    ("en_GB", "#,##0.##"),  # optional decimals: left to Babel
    ("sv_SE", "'SEK' #,##0;(#,##0)"),  # quoted text and a negative subpattern: left to Babel
])
def test_compiled_pattern_matches_babel_for_other_locales_and_patterns(locale, pattern):
    fmt = CompiledPattern(pattern, locale)
    fn = babel_numbers.format_percent if "%" in pattern else babel_numbers.format_decimal
    values = sample(np.random.default_rng(15), 400, 2) + EDGES[:-4]
    assert [outcome(fmt, x) for x in values] == [outcome(lambda v: fn(v, format=pattern, locale=locale), x) for x in values]
