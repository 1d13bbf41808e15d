"""Issue 10 #10 and #13 through storage (SQLite and PostgreSQL): the set-up editors, the project
import, comments and version names refuse formula-like names and over-long text with a clear
message, and nothing half-written is left (on PostgreSQL a 300+ character name used to raise a raw
DataError, and such a round could not be deleted)."""

import pytest

from prioritization import projectfile, text_rules
from prioritization.errors import ProjectFileError
from prioritization.storage import rounds, scores, versions
from prioritization.storage.errors import StorageInputError
from tests.storage.conftest import participant


def row_version(db, fac, rid) -> int:
    return rounds.round_info(db, fac, rid)["row_version"]


@pytest.mark.parametrize("field,value,expected", [
    ("name", '=HYPERLINK("http://example.org","klick")', "could be run as a formula"),
    ("name", "O" * (text_rules.MAX_NAME + 1), f"the limit is {text_rules.MAX_NAME}"),
    ("name", "O" * 3000, "3000 characters long"),
])
def test_the_objects_editor_refuses_and_nothing_changes(db, fac, round_id, field, value, expected):
    doc = rounds.setup_document(db, fac, round_id)
    before = (row_version(db, fac, round_id), doc["objects"])
    objects = [dict(o) for o in doc["objects"]]
    objects[0][field] = value
    with pytest.raises(ProjectFileError) as e:
        rounds.replace_setup(db, fac, round_id, {"objects": objects}, row_version(db, fac, round_id))
    assert any(expected in str(p) for p in e.value.problems)
    assert (row_version(db, fac, round_id), rounds.setup_document(db, fac, round_id)["objects"]) == before


def test_the_round_name_and_a_participant_name_are_checked_too(db, fac, round_id):
    doc = rounds.setup_document(db, fac, round_id)
    with pytest.raises(ProjectFileError):
        rounds.replace_setup(db, fac, round_id, {"name": "R" * 301}, row_version(db, fac, round_id))
    people = [dict(p) for p in doc["participants"]]
    people[0]["name"] = "@Botkyrka"
    with pytest.raises(ProjectFileError):
        rounds.replace_setup(db, fac, round_id, {"participants": people}, row_version(db, fac, round_id))
    rounds.delete_round(db, fac, round_id)  # a round whose edits were refused deletes as any other


def test_importing_a_project_with_a_formula_name_is_refused(db, fac, small_round):
    small_round["objects"][0]["name"] = "=1+1"
    project = projectfile.parse(small_round, require_complete=False, check_text=False)  # built elsewhere
    with pytest.raises(ProjectFileError):
        rounds.import_project(db, fac, project)
    assert not rounds.list_rounds(db, fac)


def test_the_longest_allowed_names_store_and_delete_on_every_backend(db, fac, small_round):
    small_round["name"] = "R" * text_rules.MAX_NAME
    small_round["objects"][0]["name"] = "O" * text_rules.MAX_NAME
    rid = rounds.import_project(db, fac, projectfile.parse(small_round, require_complete=False))
    v = versions.freeze(db, fac, rid, "V" * text_rules.MAX_NAME)
    assert versions.load(db, fac, v.id).name == "R" * text_rules.MAX_NAME
    rounds.delete_round(db, fac, rid)
    assert not rounds.list_rounds(db, fac)


def test_version_names_and_comments_have_limits(db, fac, round_id):
    for bad in ("V" * (text_rules.MAX_NAME + 1), "-versionen"):
        with pytest.raises(StorageInputError) as e:
            versions.freeze(db, fac, round_id, bad)
        assert e.value.code == "bad_version_name"
    assert not versions.list_versions(db, fac, round_id)
    rounds.set_status(db, fac, round_id, "scoring")
    with pytest.raises(StorageInputError) as e:
        scores.save_score(db, participant(round_id), round_id, "O1", "K1", 3, "x" * (text_rules.MAX_COMMENT + 1))
    assert e.value.code == "comment_too_long"
