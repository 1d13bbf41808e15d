"""Benchmark of number formatting (issue 15): Babel per call versus the compiled pattern.

Case: 10 000 numbers as a results page formats them: points, weights and costs (magnitudes
1e-3 .. 1e5, some negative), each in Swedish and English, as a number with 0-3 decimals and as a
percent with 0-1 decimals, i.e. 10 000 calls per way. "babel" is the code before issue 15
(``format_decimal``/``format_percent`` with the pattern text on every call); "compiled" is
``i18n.number``/``i18n.percent``. Both must give the same texts (checked before timing).

Run: ``.venv/bin/python -m bench formatting`` (or ``.venv/bin/python -m bench.bench_formatting``).
"""

from __future__ import annotations

import numpy as np
from babel import numbers as babel_numbers

from bench.timing import best_seconds, peak_mib
from prioritization import i18n

COUNT = 10_000
LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def make_calls(seed: int = 15) -> list[tuple[str, float, str, int]]:
    """(kind, value, lang, decimals) for COUNT calls: 3 numbers to 1 percent."""
    rng = np.random.default_rng(seed)
    values = rng.choice([-1.0, 1.0], COUNT, p=[0.1, 0.9]) * 10.0 ** rng.uniform(-3, 5, COUNT)
    calls = []
    for i, x in enumerate(values):
        lang = "sv" if i % 2 else "en"
        if i % 4 == 3:
            calls.append(("percent", float(x) / 1e5, lang, i % 2))
        else:
            calls.append(("number", float(x), lang, i % 4))
    return calls


def babel_way(calls) -> list[str]:
    out = []
    for kind, x, lang, decimals in calls:
        fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        if kind == "number":
            out.append(babel_numbers.format_decimal(x, format=fmt, locale=LOCALES[lang]))
        else:
            out.append(babel_numbers.format_percent(x, format=fmt + "\xa0%", locale=LOCALES[lang]))
    return out


def compiled_way(calls) -> list[str]:
    number, percent = i18n.number, i18n.percent
    return [number(x, lang, d) if kind == "number" else percent(x, lang, d) for kind, x, lang, d in calls]




def run() -> list[dict]:
    calls = make_calls()
    if babel_way(calls) != compiled_way(calls):
        raise AssertionError("the compiled pattern and Babel gave different texts")
    base = {"numbers": COUNT}
    old = best_seconds(lambda: babel_way(calls), repeat=5)
    new = best_seconds(lambda: compiled_way(calls), repeat=5)
    return [
        {"name": "formatting_babel_per_call", "seconds": old, "peak_mib": peak_mib(lambda: babel_way(calls)),
         **base, "us_per_number": round(old / COUNT * 1e6, 2)},
        {"name": "formatting_compiled_pattern", "seconds": new, "peak_mib": peak_mib(lambda: compiled_way(calls)),
         **base, "us_per_number": round(new / COUNT * 1e6, 2), "speedup": round(old / new, 1)},
    ]


if __name__ == "__main__":
    for row in run():
        print(", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
