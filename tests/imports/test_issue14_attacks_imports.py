"""Hostile files and documents for issue 14's readers: a plan list with the same column twice,
hostile cells refused by row and column, and the JSON Schema's ``plan`` against the reader."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from prioritization import projectfile
from prioritization.imports.plan_list import parse_plan_list
from tests.conftest import EXAMPLE, ROOT

HEADER = "Fasindelning;Trafikslag;Län;Objekt ID;Objekt;Total objektkostnad\n"


def test_a_plan_list_with_a_column_twice_is_refused_not_read_from_the_first():
    data = "Fasindelning;Objekt ID;Objekt;Total objektkostnad;Total objektkostnad (mnkr)\nPågående;V1;Väg 1;100;999\n"
    result = parse_plan_list(data.encode("utf-8"), "lista.csv")
    assert not result.ok and not result.rows
    assert [(i.code, i.row, i.column) for i in result.errors] == [("duplicate_column", 1, "Total objektkostnad (mnkr)")]
    assert "D (Total objektkostnad)" in result.errors[0].message("sv")


@pytest.mark.parametrize(("cells", "code", "column"), [
    ("Pågående;Väg;AB;V1;Väg 1;1e309", "not_a_number", "Total objektkostnad"),
    ("Pågående;Väg;AB;V1;Väg 1;NaN", "not_a_number", "Total objektkostnad"),
    ("Pågående;Väg;AB;V1;Väg 1;-5", "negative_cost", "Total objektkostnad"),
    ('Pågående;Väg;AB;V1;=HYPERLINK("http://x","y");100', "formula_like", "Objekt"),
    ("Pågående;Väg;AB;@SUM(1);Väg 1;100", "formula_like", "Objekt ID"),
    ("Snart kanske;Väg;AB;V1;Väg 1;100", "unknown_phase", "Fasindelning"),
])
def test_hostile_cells_are_errors_of_their_row_and_column(cells, code, column):
    result = parse_plan_list(("\ufeff\n;;;;;\n" + HEADER + cells + "\n").encode("utf-8"), "lista.csv")
    assert [(i.code, i.row, i.column) for i in result.errors] == [(code, 4, column)]


SCHEMA = json.loads((ROOT / "prioritization" / "schema" / "project-v1.schema.json").read_text(encoding="utf-8"))


def test_the_schema_accepts_the_nulls_the_reader_accepts():
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    refused = []
    for plan in ({"stage": None}, {"evidence": None}, {"package": None},
                 {"refs": [{"plan": "NP", "period": "2026–2037", "phase": None}]}):
        doc = copy.deepcopy(base)
        doc["objects"][0]["plan"] = plan
        projectfile.parse(doc, require_complete=False)  # the reader accepts it
        if not Draft202012Validator(SCHEMA).is_valid(doc):
            refused.append(plan)
    assert refused == []
