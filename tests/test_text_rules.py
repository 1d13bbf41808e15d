"""Issue 10 #10, #12, #13: text coming into a round (project file, set-up editors, comments,
version names) is refused when a spreadsheet would run a name as a formula or when it is longer
than the limits; malformed project files get a clear problem, never a crash."""

import copy
import json

import pytest

from prioritization import projectfile, text_rules
from prioritization.errors import ProjectFileError
from tests.conftest import EXAMPLE


@pytest.fixture
def doc() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def problems_of(doc: dict) -> list[str]:
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(doc, require_complete=False)
    return [str(p) for p in e.value.problems]


@pytest.mark.parametrize("where", ["objects.0.name", "criteria.0.name", "participants.0.name", "name",
                                   "objects.0.municipalities.0", "participants.0.organisation",
                                   "weight_profiles.0.name", "milestones.0.name"])
@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.org","klick")', "+1", " @SUM(A1)", "\u00a0-2+3"])
def test_formula_like_names_are_refused_wherever_names_are(doc, where, name):
    target, *path = where.split(".")
    node = doc
    parts = [target, *path]
    for p in parts[:-1]:
        node = node[int(p)] if p.isdigit() else node[p]
    last = parts[-1]
    node[int(last) if last.isdigit() else last] = name
    found = problems_of(doc)
    assert any("could be run as a formula" in p for p in found), found


def test_a_description_may_start_with_a_dash(doc):
    doc["objects"][0]["description"] = "- en punkt\n- en till"
    projectfile.parse(doc, require_complete=False)


def test_an_objects_own_attribute_named_like_a_formula_is_refused(doc):
    doc["objects"][0]["=cmd"] = "x"
    assert any("formula" in p for p in problems_of(doc))


@pytest.mark.parametrize("field,limit", [("name", text_rules.MAX_NAME), ("id", text_rules.MAX_ID),
                                         ("description", text_rules.MAX_TEXT)])
def test_texts_longer_than_the_limit_are_refused_and_the_limit_itself_is_accepted(doc, field, limit):
    ok = copy.deepcopy(doc)
    ok["criteria"][0][field] = "K" * limit
    if field == "id":  # the id is referred to elsewhere: rename it everywhere
        ok = json.loads(json.dumps(ok).replace(f'"{doc["criteria"][0]["id"]}"', f'"{"K" * limit}"'))
    projectfile.parse(ok, require_complete=False)
    doc["criteria"][0][field] = "K" * (limit + 1)
    found = problems_of(doc)
    assert any(f"the limit is {limit}" in p and "criteria[0]" in p or f"criteria.0.{field}" in p for p in found), found


def test_a_megabyte_name_is_refused_quickly(doc):
    doc["objects"][0]["name"] = "x" * 1_000_000
    assert any("1000000 characters long" in p for p in problems_of(doc))


def test_stored_rounds_are_read_as_they_are(doc):
    """Rounds stored by an earlier version may hold such names: reading them must still work."""
    doc["objects"][0]["name"] = "=gammalt namn"
    project = projectfile.parse(doc, require_complete=False, check_text=False)
    assert project.objects[0].name == "=gammalt namn"


@pytest.mark.parametrize("text,expected", [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"format": "prioritization-project", "version": 1, "name": "x", "weights": ' + "1" * 5000 + "}",
     "digits"),
    ('{"format": "prioritization-project", "format": "prioritization-project"}', 'the key "format" appears twice'),
])
def test_malformed_files_get_a_problem_not_a_crash(text, expected):
    with pytest.raises(ProjectFileError) as e:
        projectfile.loads(text)
    assert any(expected in str(p) for p in e.value.problems), e.value.problems


def test_nesting_deeper_than_any_valid_document_is_refused(doc):
    deep: dict = {}
    node = deep
    for _ in range(50):
        node["x"] = {}
        node = node["x"]
    doc["objects"][0]["extra"] = deep
    assert any("nested more than" in p for p in problems_of(doc))


@pytest.mark.parametrize("argv_text,expected_code", [("[" * 100_000, 2), ('{"a": 1, "a": 2}', 2)])
def test_validate_exits_2_for_malformed_files(tmp_path, capsys, argv_text, expected_code):
    from prioritization.cli import main as cli

    f = tmp_path / "p.json"
    f.write_text(argv_text)
    assert cli.main(["validate", str(f)]) == expected_code
    assert "error:" in capsys.readouterr().err
