"""The project-file reader's fast paths (issue 15) read exactly what the record-by-record checks
read: the score records checked column by column (``_Reader.valid_scores``), the text rules decided
by ``text_rules.accepted``, and the duplicate-key hook. Every case is read twice, once with the fast
path and once with it switched off, and the two outcomes (the project, or the problems in their
order) must be the same."""

from __future__ import annotations

import copy
import json
import random

import pytest

from prioritization import projectfile, text_rules
from prioritization.errors import ProjectFileError


def outcome(data, **kw):
    try:
        return "ok", projectfile.parse(copy.deepcopy(data), **kw)
    except ProjectFileError as e:
        return "problems", [str(p) for p in e.problems]


def both(data, monkeypatch, **kw):
    fast = outcome(data, **kw)
    with monkeypatch.context() as m:
        m.setattr(projectfile._Reader, "valid_scores", lambda self, *a: None)
        m.setattr(text_rules, "accepted", lambda data: False)
        slow = outcome(data, **kw)
    return fast, slow


def _set(i, **kw):
    return lambda d: d["scores"][i].update(kw)


def _drop(i, key):
    return lambda d: d["scores"][i].pop(key)


SCORE_CASES = {
    "valid": lambda d: None,
    "no scores key": lambda d: d.pop("scores"),
    "scores empty": lambda d: d.update(scores=[]),
    "scores null": lambda d: d.update(scores=None),
    "scores an object": lambda d: d.update(scores={"a": 1}),
    "a record not an object": lambda d: d["scores"].insert(3, [1, 2]),
    "value missing": _drop(4, "value"),
    "value null (vet ej)": _set(4, value=None),
    "agreed value null": _set(-1, value=None),
    "value text": _set(2, value="fem"),
    "value true": _set(2, value=True),
    "value a list": _set(2, value=[3]),
    "value float": _set(2, value=3.5),
    "value within the band above": _set(0, value=5 + 1e-12),
    "value within the band below": _set(1, value=1 - 1e-12),
    "value outside the scale": _set(5, value=7),
    "two values outside the scale": lambda d: (d["scores"][5].update(value=7), d["scores"][9].update(value=0)),
    "unknown object": _set(0, object="NOPE"),
    "object a number": _set(0, object=3),
    "unknown criterion": _set(1, criterion="K9"),
    "criterion null": _set(1, criterion=None),
    "unknown participant": _set(2, participant="p9"),
    "participant a number": _set(2, participant=1),
    "participant missing (agreed)": _drop(2, "participant"),
    "extra key": _set(3, weight=1),
    "comment": _set(3, comment="Enades"),
    "empty comment": _set(3, comment=""),
    "comment a number": _set(3, comment=5),
    "comment too long": _set(3, comment="x" * 2001),
    "duplicate record": lambda d: d["scores"].append(dict(d["scores"][0])),
    "duplicate agreed record": lambda d: d["scores"].append(dict(d["scores"][-1])),
    "geometric, a zero": lambda d: (d.update(aggregation="geometric"), d["criteria"][0].update(scale=[0, 5]),
                                    d["scores"][0].update(value=0)),
    "geometric, within the band below zero": lambda d: (d.update(aggregation="geometric"),
                                                        d["criteria"][0].update(scale=[0, 5]),
                                                        d["scores"][0].update(value=-1e-12)),
    "geometric, all positive": lambda d: d.update(aggregation="geometric"),
    "criterion without a scale": lambda d: (d["criteria"][1].update(scale=None, normalization="minmax"),
                                            d["scores"][1].update(value=1234.5)),
    "negative zero on a scale from zero": lambda d: (d["criteria"][0].update(scale=[0, 5]),
                                                     d["scores"][0].update(value=-0.0)),
    "duplicate criterion ids": lambda d: d["criteria"][1].update(id="K1"),
    "an object id formula-like": lambda d: (d["objects"][0].update(id="=O1"),
                                            [s.update(object="=O1") for s in d["scores"] if s["object"] == "O1"]),
    "a cell left unscored": lambda d: d.update(scores=[s for s in d["scores"] if s["object"] != "O2"]),
    # not in canonical order: read into it (the fast path sorts only then)
    "records reversed": lambda d: d["scores"].reverse(),
    "records shuffled": lambda d: random.Random(7).shuffle(d["scores"]),
    "objects listed in another order": lambda d: d["objects"].reverse(),
    "participants listed in another order": lambda d: d["participants"].reverse(),
    "records shuffled, one twice": lambda d: (d["scores"].append(dict(d["scores"][3])),
                                              random.Random(3).shuffle(d["scores"])),
}


@pytest.mark.parametrize("case", list(SCORE_CASES))
@pytest.mark.parametrize("complete", [True, False])
def test_score_records_read_the_same_with_and_without_the_fast_path(small_round, monkeypatch, case, complete):
    SCORE_CASES[case](small_round)
    fast, slow = both(small_round, monkeypatch, require_complete=complete)
    assert fast == slow


def test_the_fast_path_is_taken_for_a_valid_round(small_round):
    reader = projectfile._Reader(small_round, True)
    criteria, objects = reader.criteria(), reader.objects()
    found = reader.valid_scores(criteria, objects, reader.participants(criteria), "mean")
    assert found is not None and len(found) == len(small_round["scores"])
    assert found == reader.scores(criteria, objects, reader.participants(criteria), "mean")


def test_the_fast_path_puts_shuffled_records_in_canonical_order(small_round):
    canonical = projectfile.parse(copy.deepcopy(small_round)).scores
    random.Random(11).shuffle(small_round["scores"])
    reader = projectfile._Reader(small_round, True)
    criteria, objects = reader.criteria(), reader.objects()
    participants = reader.participants(criteria)
    found = reader.valid_scores(criteria, objects, participants, "mean")
    assert found is not None and tuple(found) == canonical != tuple(reversed(canonical))
    assert tuple(found) == projectfile.canonical_scores(found[::-1], objects, criteria, participants)


def test_records_share_one_string_per_id(small_round):
    # the decoder makes a string per record; a round kept in memory (the pages' cache) holds one per id
    project = projectfile.loads(json.dumps(small_round))
    objects = {o.id: o.id for o in project.objects}
    criteria = {c.id: c.id for c in project.criteria}
    people = {p.id: p.id for p in project.participants}
    assert all(s.object is objects[s.object] and s.criterion is criteria[s.criterion]
               and (s.participant is None or s.participant is people[s.participant]) for s in project.scores)
    assert any(s.participant is None for s in project.scores)


def test_a_value_within_the_band_is_clipped_as_before(small_round, monkeypatch):
    small_round["scores"][0]["value"] = 5 + 1e-12
    (kind, project), _ = both(small_round, monkeypatch)
    assert kind == "ok" and project.scores[0].value == 5.0


def _deep(levels: int, node: object = "x"):
    for _ in range(levels):
        node = [node]
    return node


TEXT_CASES = {
    "a small round": lambda d: None,
    "a record's id too long": lambda d: d["scores"][0].update(object="O" * 65),
    "a record's id at the limit": lambda d: d["scores"][0].update(object="O" * 64),
    "a record's id formula-like": lambda d: d["scores"][1].update(participant=" @p1"),
    "a record's comment formula-like (allowed)": lambda d: d["scores"][1].update(comment="-1 enligt p2"),
    "a record's comment too long": lambda d: d["scores"][1].update(comment="x" * 2001),
    "a record's key formula-like": lambda d: d["scores"][2].update({"=key": 1}),
    "a record's key too long": lambda d: d["scores"][2].update({"k" * 201: 1}),
    "a record with a nested value": lambda d: d["scores"][2].update(value={"name": "=x"}),
    "a record with a nested list": lambda d: d["scores"][2].update(value=["+x", 1]),
    "nesting at the limit in a record": lambda d: d["scores"][2].update(value=_deep(9)),
    "nesting beyond the limit in a record": lambda d: d["scores"][2].update(value=_deep(10)),
    "an object's name formula-like": lambda d: d["objects"][1].update(name="=SUM(A1)"),
    "an object's name too long": lambda d: d["objects"][1].update(name="n" * 201),
    "a list of names": lambda d: d["objects"][1].update(municipalities=["Haninge", "+Nacka"]),
    "a list of mixed rows": lambda d: d["objects"][1].update(extra=[{"name": "a"}, "b", {"label": "-c"}]),
    "rows where a key is in some only": lambda d: d.update(rows=[{"name": "a"}, {"title": "@b"}]),
    "a top-level text": lambda d: d.update(description="=beskrivning"),
    "a number as the whole file": lambda d: None,
}


@pytest.mark.parametrize("case", list(TEXT_CASES))
def test_text_rules_accepted_agrees_with_problems(small_round, case):
    TEXT_CASES[case](small_round)
    data = 5 if case == "a number as the whole file" else small_round
    assert text_rules.accepted(data) == (not list(text_rules.problems(data)))


@pytest.mark.parametrize("depth", range(9, 14))
def test_text_rules_accepted_agrees_on_depth_in_lists_of_objects(depth):
    doc = {"a": _deep(depth - 3)}
    rows = {"rows": [{"k": _deep(depth - 3)}, {"k": "v"}]}
    scalar_rows = _deep(depth - 2, [{"k": "v", "n": 1}, {"k": "w"}])  # the texts at depth + 1
    empty_rows = _deep(depth - 2, [{}, {}])
    for data in (doc, rows, [rows], [[{"name": "x"}]], scalar_rows, empty_rows):
        assert text_rules.accepted(data) == (not list(text_rules.problems(data)))


def test_text_subclasses_are_left_to_the_full_check():
    class Name(str):
        pass

    assert text_rules.accepted({"name": Name("ok")}) is False
    assert list(text_rules.problems({"name": Name("ok")})) == []


def test_a_key_twice_is_still_named_once_per_repeat():
    text = json.dumps({"format": "prioritization-project"})[:-1] + ', "name": "a", "name": "b", "name": "c"}'
    with pytest.raises(ProjectFileError) as e:
        projectfile.decode(text)
    assert [str(p) for p in e.value.problems] == ['the key "name" appears twice in one object; keep one'] * 2
