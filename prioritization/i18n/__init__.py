"""Translations (Swedish default, English) and Swedish number/date formatting (Babel).

Strings live in one catalogue per language (``sv.json``, ``en.json``) with the same keys and the
same ``{placeholders}``; a test checks this.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_HERE = Path(__file__).resolve().parent
# The one time zone for people, in the app and every export: times are stored in UTC
TIME_ZONE = ZoneInfo("Europe/Stockholm")


@cache
def _numbers():
    """Babel is imported on the first number or date formatted, not with the package: the file
    format needs only :data:`TIME_ZONE`, and every CLI command would pay about 10 ms for it."""
    from prioritization.i18n import numbers

    return numbers


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return json.loads((_HERE / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled in.

    A missing key falls back to Swedish, then to the key itself (visible, never a crash). With
    ``n=1`` a text ``<key>_singular`` is used where the catalogue has one (Swedish and English
    singular: "1 objekt är redan prioriterat", not "prioriterade").
    """
    if params.get("n") == 1 and (one := catalogue(lang).get(key + "_singular")):
        return one.format(**params)
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text


def number(x: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """1234.5 -> '1 234,5' in Swedish (no-break space as thousands separator). Babel's pattern and
    symbols, compiled once per (language, decimals): :mod:`prioritization.i18n.numbers`."""
    return _numbers().decimal_format(LOCALES[lang], decimals)(x)


def percent(x: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """0.123 -> '12 %' in Swedish (no-break space before the sign)."""
    return _numbers().percent_format(LOCALES[lang], decimals)(x)


def made_up(text: str, lang: str = DEFAULT_LANGUAGE, illustrative: bool = False) -> str:
    """``text`` (a cost) followed by "(exempeldata)" when the cost is a made-up example: the one rule
    for marking made-up costs wherever a cost is shown (:attr:`InfraObject.cost_is_illustrative`)."""
    return f"{text} {t('cost.illustrative', lang)}" if illustrative else text


def msek(x: float, lang: str = DEFAULT_LANGUAGE, decimals: int = 0, *, illustrative: bool = False) -> str:
    """An amount in MSEK: "4 200 MSEK" / "SEK 4,200 m"; a made-up example cost says so:
    "2 600 MSEK (exempeldata)"."""
    text = number(x, lang, decimals)
    return made_up(f"{text} MSEK" if lang == "sv" else f"SEK {text} m", lang, illustrative)


def day(d: date | datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """2024-01-15 -> '15 januari 2024' (sv) / '15 January 2024' (en). A stored time is the day in
    Stockholm (00:55 on 6 December there is 23:55 on 5 December in UTC)."""
    from babel import dates as babel_dates

    return babel_dates.format_date(local(d) if isinstance(d, datetime) else d, format="long", locale=LOCALES[lang])


def month(d: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """2024-01-15 -> 'januari 2024' (sv) / 'January 2024' (en)."""
    from babel import dates as babel_dates

    return babel_dates.format_date(d, format="LLLL y", locale=LOCALES[lang])


def timestamp(d: datetime, lang: str = DEFAULT_LANGUAGE, *, zone: bool = True) -> str:
    """A stored time as Stockholm wall-clock time, labelled: '2024-03-05 14:07 (svensk tid)'.
    ``zone=False`` leaves the label to a column heading (``time.zone``)."""
    text = local(d).strftime("%Y-%m-%d %H:%M")
    return f"{text} ({t('time.zone', lang)})" if zone else text


def local(d: datetime) -> datetime:
    """A stored time (UTC; SQLite gives it without a zone) in Europe/Stockholm."""
    return (d if d.tzinfo is not None else d.replace(tzinfo=UTC)).astimezone(TIME_ZONE)


def clock(d: datetime, lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored time as Stockholm wall-clock time of day, e.g. '14:03:12'."""
    from babel import dates as babel_dates

    return babel_dates.format_time(local(d), format="HH:mm:ss", locale=LOCALES[lang])
