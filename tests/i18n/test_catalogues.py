"""The Swedish and English catalogues have the same keys and the same placeholders; storage error
codes all have a translation."""

import datetime
import re
import string
from pathlib import Path

import pytest

from prioritization import i18n

ROOT = Path(__file__).resolve().parents[2]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_same_keys():
    sv, en = i18n.catalogue("sv"), i18n.catalogue("en")
    assert set(sv) == set(en), {"only sv": set(sv) - set(en), "only en": set(en) - set(sv)}


def test_same_placeholders():
    sv, en = i18n.catalogue("sv"), i18n.catalogue("en")
    diff = {k: (placeholders(sv[k]), placeholders(en[k])) for k in sv if placeholders(sv[k]) != placeholders(en.get(k, ""))}
    assert diff == {}


def test_no_empty_texts():
    for lang in i18n.LANGUAGES:
        assert all(v.strip() for v in i18n.catalogue(lang).values())


def test_every_storage_error_code_is_translated():
    codes = set()
    for path in (ROOT / "prioritization" / "storage").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'StorageInputError\(\s*"([a-z_]+)"', text))
        codes |= set(re.findall(r'AccessDenied\(\s*"([a-z_]+)"', text))
    codes.add("stale_write")
    assert codes, "found no error codes: the scan is broken"
    missing = sorted(c for c in codes if f"error.{c}" not in i18n.catalogue("sv"))
    assert missing == []


def test_every_key_used_in_code_exists():
    used = set()
    for path in (ROOT / "prioritization").rglob("*.py"):
        used |= set(re.findall(r'\btr\(\s*"([a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in i18n.catalogue("sv"))
    assert missing == []


def test_t_formats_and_falls_back():
    assert i18n.t("error.out_of_scale", "sv", value="7", lo="1", hi="5", criterion="C3") == \
        "7 ligger utanför skalan 1–5 för kriteriet C3."
    assert i18n.t("no.such.key", "en") == "no.such.key"
    with pytest.raises(ValueError):
        i18n.catalogue("de")


def test_swedish_formats():
    assert i18n.number(1234.5) == "1\xa0234,5"
    assert i18n.number(15800, decimals=0) == "15\xa0800"
    assert i18n.percent(0.123) == "12\xa0%"
    assert i18n.msek(15800) == "15\xa0800 MSEK"
    assert i18n.day(datetime.date(2024, 1, 15)) == "15 januari 2024"
    assert i18n.day(datetime.date(2024, 1, 15), "en") == "15 January 2024"
    assert i18n.number(1234.5, "en") == "1,234.5"


def test_one_takes_the_singular_where_the_catalogue_has_it():
    """Issue 11 #11: "1 objekt är redan prioriterade … de rangordnas inte"."""
    t, sv, en = i18n.t, i18n.catalogue("sv"), i18n.catalogue("en")
    assert t("dashboard.summary_committed", "sv", n=1) == ("1 objekt är redan prioriterat och bevakas; det "
                                                           "rangordnas inte (se nedan).")
    assert t("dashboard.summary_committed", "sv", n=2).startswith("2 objekt är redan prioriterade")
    assert t("export.pdf.summary_committed", "en", n=1).startswith("1 object is already prioritised")
    for cat in (sv, en):  # every singular has its plural
        assert all(k[: -len("_singular")] in cat for k in cat if k.endswith("_singular"))
