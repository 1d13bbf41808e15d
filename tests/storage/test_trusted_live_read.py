"""Issue 15: the live round is read from the rows without running every score through the
project-file reader again, and what is derived from a frozen version is made once per process. Both
must give exactly what the validating reading gives (the same project, the same SHA-256), refuse what
it refuses, and never hand one reader's view to another. On SQLite and PostgreSQL."""

import hashlib
import json

import pytest
from sqlalchemy import update

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.storage import rounds, scores, versions
from prioritization.storage.access import MUNICIPALITY, Actor
from prioritization.storage.schema import AgreedScore, Score, Version
from tests.conftest import EXAMPLE
from tests.storage.conftest import participant, viewer


def validated(db, actor, rid):
    """The round read the validating way: the whole document through the project-file reader."""
    with db.reader() as s:
        doc = rounds.visible_document(rounds._document(s, rounds.get_round(s, rid)), actor)
    return projectfile.parse(doc, require_complete=False, check_text=False)


def reference_sha(project) -> str:
    text = json.dumps(projectfile.to_dict(project), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def example(db, fac):
    return rounds.import_project(db, fac, projectfile.load(EXAMPLE, require_complete=False))


def test_the_rows_give_the_project_and_hash_the_validating_reader_gives(db, fac, example):
    rid = example
    rounds.set_status(db, fac, rid, "scoring")
    p1 = participant(rid, "p-botkyrka")
    scores.save_score(db, p1, rid, "SOD-02", "C1", None, "Vet ej: \"utredning\" pågår\\n<b>")
    scores.save_score(db, participant(rid, "p-haninge"), rid, "SOD-03", "C2", 4.9999999999, "nära 5")
    rounds.set_status(db, fac, rid, "revealed")
    rounds.set_status(db, fac, rid, "second_round")
    scores.save_score(db, p1, rid, "SOD-04", "C1", 2, "ändrad i andra rundan")  # the latest phase counts
    scores.set_agreed_score(db, fac, rid, "SOD-05", "C2", 3, "enighet")
    trusted = rounds.export_project(db, fac, rid)
    slow = validated(db, fac, rid)
    assert trusted == slow
    assert [s for s in trusted.scores if (s.object, s.criterion, s.participant) == ("SOD-04", "C1", "p-botkyrka")
            ][0].value == 2.0
    assert any(s.participant is None and s.object == "SOD-05" for s in trusted.scores)
    assert projectfile.sha256(trusted) == reference_sha(slow)
    assert projectfile.dumps(trusted) == projectfile.dumps(slow)


def test_a_municipal_representative_reads_the_same_as_the_validating_reader(db, fac, example):
    rounds.set_status(db, fac, example, "scoring")
    rounds.set_status(db, fac, example, "revealed")
    rounds.set_status(db, fac, example, "locked")  # a representative may read the round's file once locked
    rep = Actor(MUNICIPALITY, "Representant Huddinge", round_id=example, municipality="huddinge")
    assert rounds.export_project(db, rep, example) == validated(db, rep, example)


@pytest.mark.parametrize("table", [Score, AgreedScore])
def test_a_row_the_reader_would_refuse_is_refused_as_before(db, fac, example, table):
    """Rows written around the app (by hand in the database) are not trusted blindly: the round is
    then read the validating way and refused with the reader's own message."""
    rounds.set_status(db, fac, example, "scoring")
    scores.set_agreed_score(db, fac, example, "SOD-02", "C1", 3)
    with db.session() as s:
        s.execute(update(table).where(table.round_id == example).values(value=9))  # scale 1-5
    with pytest.raises(ProjectFileError) as got:
        rounds.export_project(db, fac, example)
    with pytest.raises(ProjectFileError) as expected:
        validated(db, fac, example)
    assert str(got.value) == str(expected.value) and "outside the scale" in str(got.value)


def test_each_reader_gets_its_own_view_of_a_version_from_the_memo(db, fac, example):
    rid = example
    rounds.set_status(db, fac, rid, "scoring")
    scores.save_score(db, participant(rid, "p-huddinge"), rid, "SOD-02", "C1", 1, "Huddinges egen kommentar")
    v = versions.freeze(db, fac, rid, "Under bedömningen")
    readers = [viewer(), fac, Actor(MUNICIPALITY, "Huddinge", round_id=rid, municipality="huddinge"),
               Actor(MUNICIPALITY, "Tyresö", round_id=rid, municipality="tyreso"), viewer(rid)]

    def texts():
        return [versions.stored_text(db, a, v.id) for a in readers]

    first = texts()  # the memo is filled in this order
    again = texts()
    versions._SEEN.clear()
    versions._LOADED.clear()
    fresh = list(reversed([versions.stored_text(db, a, v.id) for a in reversed(readers)]))
    assert first == again == fresh
    for reader, text in zip(readers, first, strict=True):  # the digest handed out with a view is its own
        assert versions.view(db, reader, v.id) == (text, hashlib.sha256(text.encode()).hexdigest())
    assert hashlib.sha256(first[1].encode()).hexdigest() == v.sha256  # the facilitator: the text as frozen
    assert '"p-huddinge"' in first[1] and '"p-huddinge"' not in first[0]  # the viewer: no names
    assert first[0] == first[4]
    # the project read from a view is that view's
    assert versions.load(db, viewer(), v.id).participants[0].id == "anonym-1"
    assert versions.load(db, fac, v.id).participants[0].id == "p-botkyrka"
    # once locked, the viewer sees names: another key, not the anonymous text from before
    rounds.set_status(db, fac, rid, "revealed")
    rounds.set_status(db, fac, rid, "locked")
    assert versions.stored_text(db, viewer(), v.id) == first[1]


def test_a_version_changed_after_it_was_read_is_refused_despite_the_memo(db, fac, example):
    rounds.set_status(db, fac, example, "scoring")  # a viewer may read versions once the round is past set-up
    v = versions.freeze(db, fac, example, "Underlag")
    assert versions.load(db, viewer(), v.id).name
    with db.session() as s:
        row = s.get(Version, v.id)
        forged = row.project_json.replace('"name": "', '"name": "X', 1)
        s.execute(update(Version).where(Version.id == v.id).values(
            project_json=forged, sha256=hashlib.sha256(forged.encode()).hexdigest()))
    for reader in (viewer(), fac):
        with pytest.raises(Exception, match="is not what was frozen"):
            versions.load(db, reader, v.id)


def test_progress_counted_in_the_database_is_the_cube_of_answered_cells(db, fac, example):
    """The projector's progress is a count in SQL (issue 15); it must count what the ratings cube
    shows as answered: per phase, "vet ej" included, committed objects left out, every participant
    listed (0 for one who has not started)."""
    rid = example
    rounds.set_status(db, fac, rid, "scoring")
    p1, p2 = participant(rid, "p-botkyrka"), participant(rid, "p-haninge")
    scores.save_score(db, p1, rid, "SOD-02", "C1", None)
    scores.save_score(db, p1, rid, "SOD-03", "C1", 3)
    rounds.set_status(db, fac, rid, "revealed")
    rounds.set_status(db, fac, rid, "second_round")
    scores.save_score(db, p2, rid, "SOD-02", "C2", 4)

    def from_cube(phase):
        cube = scores.ratings(db, fac, rid, phase)
        return {p: int(cube.answered[k].sum()) for k, p in enumerate(cube.participants)}

    for phase in (1, 2, 3, None):  # nobody has a phase 3: every participant at 0
        counted = scores.progress(db, fac, rid, phase)
        if phase is not None:
            assert counted == from_cube(phase)
        assert list(counted) == [p.id for p in projectfile.load(EXAMPLE, require_complete=False).participants]
    assert scores.progress(db, fac, rid)["p-haninge"] == from_cube(2)["p-haninge"]  # the open phase: 2
    assert set(scores.progress(db, fac, rid, 3).values()) == {0}
