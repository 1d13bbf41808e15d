"""The canonical project text (``projectfile.dumps``) is written partly by hand for speed (issue 15);
it must stay, character for character, what ``json.dumps(to_dict(p), ensure_ascii=False, indent=2,
allow_nan=False)`` writes, because its SHA-256 identifies a version in the app, the files and the
decision documents."""

import dataclasses
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization import projectfile
from prioritization.model import Score

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "sodertorn-exempel.json"


def reference(project) -> str:
    return json.dumps(projectfile.to_dict(project), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def example():
    return projectfile.load(EXAMPLE, require_complete=False)


def test_the_example_round_is_written_as_json_dumps_writes_it():
    p = example()
    assert p.scores and any(s.comment for s in p.scores) and any(s.participant is None for s in p.scores)
    assert projectfile.dumps(p) == reference(p)


def test_a_round_without_scores_and_one_with_only_unknowns():
    p = example()
    empty = dataclasses.replace(p, scores=())
    assert '"scores": []' in projectfile.dumps(empty)
    assert projectfile.dumps(empty) == reference(empty)
    unknown = dataclasses.replace(p, scores=tuple(s._replace(value=None, comment=None)
                                                  for s in p.scores if s.participant is not None))
    assert projectfile.dumps(unknown) == reference(unknown)


def test_scores_out_of_order_are_written_in_canonical_order():
    p = example()
    shuffled = dataclasses.replace(p, scores=tuple(reversed(p.scores)))
    assert projectfile.dumps(shuffled) == projectfile.dumps(p) == reference(shuffled)


def test_a_value_that_is_not_finite_is_refused_as_by_json():
    p = example()
    bad = dataclasses.replace(p, scores=(p.scores[0]._replace(value=math.nan), *p.scores[1:]))
    with pytest.raises(ValueError):
        reference(bad)
    with pytest.raises(ValueError):
        projectfile.dumps(bad)


# every kind of text a person can type, every kind of number a score can hold
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
VALUE = st.one_of(st.none(), st.integers(-10**6, 10**6), st.sampled_from([2**53 + 2, -(2**53) - 2, 2**60]),
                  st.floats(allow_nan=False, allow_infinity=False, width=64),
                  st.sampled_from([0.0, -0.0, 0.1 + 0.2, 1e-7, 2.0**53, 2.0**53 + 2, 1e16, 3.0, -2.5]))


@settings(max_examples=60, deadline=None)
@given(comments=st.lists(st.one_of(st.none(), TEXT), min_size=1, max_size=8),
       values=st.lists(VALUE, min_size=1, max_size=8), name=TEXT)
def test_any_comment_value_and_name_is_written_as_json_dumps_writes_it(comments, values, name):
    p = example()
    scores = []
    for i, s in enumerate(p.scores[:40]):
        scores.append(Score(s.object, s.criterion, s.participant, values[i % len(values)],
                            comments[i % len(comments)]))
    objects = (dataclasses.replace(p.objects[0], name=name), *p.objects[1:])
    q = dataclasses.replace(p, scores=tuple(scores), objects=objects)
    assert projectfile.dumps(q) == reference(q)


def test_the_names_of_a_project_are_those_of_its_whole_file():
    """projectfile.names leaves the score records out (issue 15): they repeat ids only."""
    from prioritization import text_rules

    p = example()
    assert projectfile.names(p) == frozenset(text_rules.names_in(projectfile.to_dict(p)))
    assert {"SOD-02", "p-botkyrka", "C1"} <= projectfile.names(p)


def _sorted_by_tuples(scores, p):
    """The canonical order as it was first written: a stable sort on (object, criterion,
    participant) positions, the agreed score last."""
    opos = {o.id: i for i, o in enumerate(p.objects)}
    cpos = {c.id: j for j, c in enumerate(p.criteria)}
    ppos = {q.id: k for k, q in enumerate(p.participants)}
    ppos[None] = len(p.participants)
    return tuple(sorted(scores, key=lambda s: (opos[s.object], cpos[s.criterion], ppos[s.participant])))


@settings(max_examples=40, deadline=None)
@given(order=st.randoms(use_true_random=False), repeats=st.integers(0, 3))
def test_canonical_order_is_the_stable_sort_on_positions(order, repeats):
    p = example()
    scores = list(p.scores)
    # records twice (never in a valid round, but the order must still be the stable sort's)
    scores += [s._replace(comment=f"kopia {i}") for i, s in enumerate(scores[:repeats])]
    order.shuffle(scores)
    got = projectfile.canonical_scores(scores, p.objects, p.criteria, p.participants)
    assert got == _sorted_by_tuples(scores, p)
    # in order already: kept as it is
    assert projectfile.canonical_scores(got, p.objects, p.criteria, p.participants) == got


def test_equal_numbers_of_other_types_keep_their_own_text():
    # 2**53 + 2 and 2.0**53 + 2 are equal (one dict key) but json.dumps writes them differently
    p = example()
    scores = list(p.scores[:6])
    scores[0] = scores[0]._replace(value=2**53 + 2)
    scores[1] = scores[1]._replace(value=2.0**53 + 2)
    scores[2] = scores[2]._replace(value=-0.0)
    scores[3] = scores[3]._replace(value=0.0)
    q = dataclasses.replace(p, scores=tuple(scores))
    assert projectfile.dumps(q) == reference(q)
    only_floats = dataclasses.replace(p, scores=tuple(scores[1:]))
    assert projectfile.dumps(only_floats) == reference(only_floats)


def test_the_lists_may_be_any_iterables():
    p = example()
    shuffled = tuple(reversed(p.scores))
    assert projectfile.canonical_scores(iter(shuffled), iter(p.objects), iter(p.criteria),
                                        iter(p.participants)) == _sorted_by_tuples(shuffled, p)
