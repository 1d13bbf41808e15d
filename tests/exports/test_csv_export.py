"""The CSV priority list read back with the csv module (and pandas), and the shared injection guard."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization import analysis, projectfile
from prioritization.exports import VersionStamp
from prioritization.exports.csv_export import priority_list_csv
from prioritization.safe_text import TRIGGERS, neutralise
from tests.conftest import plain_example_bytes


@pytest.fixture(scope="module")
def version(project):
    return VersionStamp("Inför beslut 2024-05", projectfile.sha256(project))


def read(data: bytes, delimiter: str = ";") -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def sv_float(text: str) -> float:
    assert "." not in text  # decimal comma in Swedish
    return float(text.replace(",", "."))


def test_swedish_csv_round_trips_the_ranking(project, ranking, version):
    data = priority_list_csv(project, ranking, version=version)
    first_line = data.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("Rang;")  # the header is the first row, no comment or sep= line
    rows = read(data)
    assert [r["Objekt-id"] for r in rows] == [x.object.id for x in ranking.ranked]
    assert [int(r["Rang"]) for r in rows] == [x.rank for x in ranking.ranked]
    for r, x in zip(rows, ranking.ranked, strict=True):
        assert sv_float(r["Poäng (0–100)"]) / 100 == pytest.approx(x.score, abs=1e-9)
        assert r["Objekt"] == x.object.name
        assert r["Kostnad (MSEK)"] == ("" if x.object.cost is None else str(int(x.object.cost)))
        assert r["Version"] == version.name
        assert r["Fingeravtryck (SHA-256)"] == version.sha256
        assert r["Märkning"] == "Exempeldata"
        assert r["Vikter"] == "vikterna i bruk"
    assert "Nivå" not in rows[0]
    # committed objects are not part of the list
    assert not {o.id for o in project.committed} & {r["Objekt-id"] for r in rows}


def test_swedish_characters_survive(project, ranking, version):
    rows = read(priority_list_csv(project, ranking, version=version))
    assert any("å" in r["Objekt"] or "ä" in r["Objekt"] or "ö" in r["Objekt"] for r in rows)
    assert any("–" in r["Objekt"] for r in rows)


def test_pandas_reads_numbers_as_numbers(project, ranking, version):
    data = priority_list_csv(project, ranking, version=version)
    df = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert df["Poäng (0–100)"].dtype.kind == "f" and df["Rang"].dtype.kind == "i"
    assert list(df["Poäng (0–100)"] / 100) == pytest.approx([x.score for x in ranking.ranked], abs=1e-9)


def test_tiers_column_only_with_tiers(project, ranking, version):
    ids = [x.object.id for x in ranking.ranked]
    tiers = {oid: ("A" if k < 2 else "B") for k, oid in enumerate(ids)}
    rows = read(priority_list_csv(project, ranking, version=version, tiers=tiers))
    assert [r["Nivå"] for r in rows] == ["A", "A"] + ["B"] * (len(ids) - 2)
    assert [int(r["Plats inom nivån"]) for r in rows] == [1, 2] + list(range(1, len(ids) - 1))


def test_tied_objects_share_their_place_within_the_tier(tied_project, tied_ranking, tied_tiers, version):
    rows = read(priority_list_csv(tied_project, tied_ranking, version=version, tiers=tied_tiers))
    score = {r["Objekt-id"]: sv_float(r["Poäng (0–100)"]) for r in rows}
    for r in rows:  # 1 + the number of same-tier objects with a strictly higher score
        better = sum(1 for q in rows if q["Nivå"] == r["Nivå"] and score[q["Objekt-id"]] > score[r["Objekt-id"]] + 1e-9)
        assert int(r["Plats inom nivån"]) == 1 + better
    assert [int(r["Plats inom nivån"]) for r in rows[:5]] == [1, 1, 1, 1, 5]  # four tied at the top


def test_weights_column_names_a_comparison_profile(project, version):
    profile = project.profile("P2")
    ranking = analysis.rank(project, weights=analysis.project_weights(project, profile.id).weights)
    rows = read(priority_list_csv(project, ranking, version=version, weights_label=profile.name))
    assert {r["Vikter"] for r in rows} == {"viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)"}
    en = read(priority_list_csv(project, ranking, version=version, weights_label=profile.name, lang="en"), ",")
    assert {r["Weights"] for r in en} == {"weight profile “Omställning” (comparison – not the weights in use)"}


def test_live_version_is_named_in_the_language_of_the_file(project, ranking):
    live = VersionStamp.live(project)
    assert {r["Version"] for r in read(priority_list_csv(project, ranking, version=live))} == {"Live (ej fryst)"}
    en = read(priority_list_csv(project, ranking, version=live, lang="en"), ",")
    assert {r["Version"] for r in en} == {"Live (not frozen)"}


def test_english_csv_uses_comma_and_decimal_point(project, ranking, version):
    data = priority_list_csv(project, ranking, version=version, lang="en")
    assert data.decode("utf-8-sig").startswith("Rank,")
    rows = read(data, ",")
    assert {"Rank", "Object ID", "Object", "Score (0–100)", "Version", "Fingerprint (SHA-256)", "Label",
            "Weights"} <= set(rows[0])
    for r, x in zip(rows, ranking.ranked, strict=True):
        assert float(r["Score (0–100)"]) / 100 == pytest.approx(x.score, abs=1e-9)
    assert rows[0]["Object"] == ranking.ranked[0].object.attributes["name_en"]
    # an explicit delimiter wins
    assert read(priority_list_csv(project, ranking, version=version, lang="en", delimiter=";"), ";")[0]["Rank"] == "1"


def test_formula_like_names_are_neutralised(version):
    raw = json.loads(plain_example_bytes())
    hostile = {"SOD-02": '=HYPERLINK("http://example.invalid","Klicka")', "SOD-03": "+46 8 123 45 67",
               "SOD-04": "@SUM(1)", "SOD-05": "-1"}
    for o in raw["objects"]:
        if o["id"] in hostile:
            o["name"] = hostile[o["id"]]
    project = projectfile.parse(raw, check_text=False)  # as stored before names were refused at entry
    ranking = analysis.rank(project)
    rows = read(priority_list_csv(project, ranking, version=VersionStamp("=v", "0" * 64), tiers={"SOD-02": "=A"}))
    for r in rows:
        for key, value in r.items():
            if key in ("Poäng (0–100)", "Rang", "Plats inom nivån", "Kostnad (MSEK)"):
                continue
            assert not value.startswith(TRIGGERS), (key, value)
        sv_float(r["Poäng (0–100)"])  # numbers stay plain numbers
        int(r["Rang"])
        if r["Objekt-id"] in hostile:
            assert r["Objekt"] == "'" + hostile[r["Objekt-id"]]
    assert {r["Version"] for r in rows} == {"'=v"}
    assert rows[[r["Objekt-id"] for r in rows].index("SOD-02")]["Nivå"] == "'=A"


# --- the shared guard ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+46 8 123", "-2", "@SUM(A1)", "\t=1", "\r=1", "  =1+1", "\u00a0@x"])
def test_dangerous_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Spårväg syd", "E4/E20", "Väg 73 – infart", "", "'quoted", 3, -2.5, 0.0, None,
                                   True])
def test_safe_values_and_numbers_are_unchanged(value):
    assert neutralise(value) is value


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_the_text(text):
    out = neutralise(text)
    assert not out.lstrip(" \u00a0").startswith(TRIGGERS)
    assert out in (text, "'" + text)


def test_every_tabular_export_key_exists_in_both_languages():
    """Literal keys in the code and the dynamic ones (status, direction, methods, models)."""
    import re
    from pathlib import Path

    from prioritization import i18n
    from prioritization.analysis import METHODS, SCORE_MODELS, WEIGHT_MODELS
    from prioritization.model import AGGREGATIONS, OBJECT_STATUSES, WEIGHT_METHODS

    root = Path(__file__).resolve().parents[2] / "prioritization" / "exports"
    used = set()
    for name in ("excel.py", "csv_export.py"):
        used |= set(re.findall(r'tab_text\(\s*"([a-z0-9_]+)"', (root / name).read_text(encoding="utf-8")))
        used |= set(re.findall(r'"(col_[a-z0-9_]+|sheet_[a-z0-9_]+)"', (root / name).read_text(encoding="utf-8")))
        used |= {f"col_{c}" for c in re.findall(r'"([a-z0-9_]+)"', (root / name).read_text(encoding="utf-8"))
                 if f"export.tab.col_{c}" in i18n.catalogue("sv")}
    used |= {f"status_{s}" for s in OBJECT_STATUSES} | {"direction_benefit", "direction_cost"}
    used |= {f"method_{m}" for m in METHODS} | {f"weighting_{m}" for m in WEIGHT_METHODS}
    used |= {f"aggregation_{a}" for a in AGGREGATIONS} | {f"weight_model_{m}" for m in WEIGHT_MODELS}
    used |= {f"score_model_{m}" for m in SCORE_MODELS}
    assert len(used) > 60
    for lang in ("sv", "en"):
        missing = sorted(k for k in used if f"export.tab.{k}" not in i18n.catalogue(lang))
        assert missing == [], lang


def test_made_up_costs_are_marked_in_their_own_column(project, ranking, version):
    """Issue 11 #15 (review): the CSV carried the example's made-up costs as bare numbers beside the
    sourced ones; a column now says which is which, for exactly the flagged objects."""
    rows = read(priority_list_csv(project, ranking, version=version))
    column = "Påhittad kostnad (exempeldata)"
    flagged = {o.id for o in project.candidates if o.cost_is_illustrative}
    assert flagged and {r["Objekt-id"] for r in rows if r[column] == "ja"} == flagged
    assert {r["Objekt-id"] for r in rows if r[column] == "nej"} == {
        o.id for o in project.candidates if o.cost is not None and not o.cost_is_illustrative}
    assert all(r[column] == "" for r in rows if r["Kostnad (MSEK)"] == "")
    english = read(priority_list_csv(project, ranking, version=version, lang="en"), ",")
    assert {r["Object ID"] for r in english if r["Made-up cost (example data)"] == "yes"} == flagged
