"""The sensitivity analysis samples SMAA-2 in a thread while the exact analyses run (issue 15): the
report is the one a serial run gives, an error from either side reaches the caller, no thread
outlives the call, and analyses running at once (two Streamlit sessions) do not disturb each other.
Also: the decision matrix built column by column equals one built record by record."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.engine import critical as crit
from prioritization.engine import sensitivity as sens
from prioritization.engine import smaa as sm
from prioritization.errors import InputError
from prioritization.model import CANDIDATE
from tests.conftest import EXAMPLE

THREADS = ("analysis-background", "smaa-pairwise")


_BEFORE: set[threading.Thread] = set()


@pytest.fixture(autouse=True)
def _threads_before():
    """The threads alive before the test (another test in this process may have left one)."""
    global _BEFORE
    _BEFORE = set(threading.enumerate())


def _ours() -> list[str]:
    """Threads of the analysis started by this test and still alive."""
    return [t.name for t in threading.enumerate() if t.name in THREADS and t not in _BEFORE]


@pytest.fixture(scope="module")
def example():
    return projectfile.load(EXAMPLE)


def _same(a: analysis.SensitivityReport, b: analysis.SensitivityReport) -> None:
    assert a.stability == b.stability
    for x, y in zip(a.oat, b.oat, strict=True):
        np.testing.assert_array_equal(x.breakpoint_ts, y.breakpoint_ts)
    assert a.critical == b.critical
    for name in ("rank_acceptability", "central_weights", "confidence", "pairwise_winning"):
        np.testing.assert_array_equal(getattr(a.smaa, name), getattr(b.smaa, name))


def test_the_report_is_the_serial_one(example):
    rep = analysis.sensitivity(example, samples=2000, seed=4, pairwise=True)
    assert not _ours()
    v, w = rep.data.values, rep.weights
    assert rep.stability == sens.all_stability(v, w)
    assert rep.critical == crit.critical(v, w)
    for got, want in zip(rep.oat, sens.all_breakpoints(v, w), strict=True):
        np.testing.assert_array_equal(got.breakpoint_ts, want.breakpoint_ts)
    direct = sm.smaa(rep.data.x, rep.data.specs, sm.WeightModel("uniform"),
                     sm.ScoreModel("raters", ratings=rep.data.ratings), samples=2000, seed=4)
    np.testing.assert_array_equal(rep.smaa.rank_acceptability, direct.rank_acceptability)
    np.testing.assert_array_equal(rep.smaa.pairwise_winning, direct.pairwise_winning)
    np.testing.assert_array_equal(rep.smaa.confidence, direct.confidence)


def test_an_error_in_the_sampling_reaches_the_caller(example, monkeypatch):
    def refuse(*args, **kwargs):
        raise InputError("the sampling refused")

    monkeypatch.setattr(sm, "smaa", refuse)
    with pytest.raises(InputError, match="sampling refused"):
        analysis.sensitivity(example, samples=500, seed=1)
    assert not _ours()


def test_an_error_in_the_exact_analyses_reaches_the_caller_after_the_sampling_ends(example, monkeypatch):
    def broken(v, w):
        raise FloatingPointError("breakpoints failed")

    monkeypatch.setattr(sens, "all_breakpoints", broken)
    with pytest.raises(FloatingPointError, match="breakpoints failed"):
        analysis.sensitivity(example, samples=500, seed=1, pairwise=True)
    assert not _ours()  # the sampling thread was waited for, not left running


def test_an_error_on_both_sides_reports_the_sampling_first_as_before(example, monkeypatch):
    def refuse(*args, **kwargs):
        raise InputError("the sampling refused")

    def broken(v, w):
        raise FloatingPointError("breakpoints failed")

    monkeypatch.setattr(sm, "smaa", refuse)
    monkeypatch.setattr(sens, "all_breakpoints", broken)
    with pytest.raises(InputError, match="sampling refused"):
        analysis.sensitivity(example, samples=500, seed=1)


def test_analyses_at_once_give_what_each_gives_alone(example):
    alone = {seed: analysis.sensitivity(example, samples=1500, seed=seed, pairwise=True) for seed in (1, 2, 3)}
    got: dict[int, analysis.SensitivityReport] = {}
    errors: list[BaseException] = []
    gate = threading.Barrier(3)

    def run(seed: int) -> None:
        try:
            gate.wait()
            got[seed] = analysis.sensitivity(example, samples=1500, seed=seed, pairwise=True)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in alone]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for seed, rep in alone.items():
        _same(got[seed], rep)
    assert not _ours()


def _matrix_by_records(project):
    """The decision matrix built record by record (the reference for the column-wise build)."""
    objects = project.candidates
    o_index = {o.id: i for i, o in enumerate(objects)}
    c_index = {c.id: j for j, c in enumerate(project.criteria)}
    p_index = {p.id: k for k, p in enumerate(project.participants)}
    ratings = np.full((max(1, len(p_index)), len(objects), len(project.criteria)), np.nan)
    agreed = np.full((len(objects), len(project.criteria)), np.nan)
    for s in project.scores:
        i = o_index.get(s.object)
        if i is None or s.value is None:
            continue
        if s.participant is None:
            agreed[i, c_index[s.criterion]] = s.value
        else:
            ratings[p_index[s.participant], i, c_index[s.criterion]] = s.value
    return ratings, agreed


def test_the_decision_matrix_equals_one_built_record_by_record(example, small_round):
    small = projectfile.parse(small_round)
    for project in (example, small):
        data = analysis.decision_data(project)
        ratings, agreed = _matrix_by_records(project)
        has = ~np.isnan(agreed)
        np.testing.assert_array_equal(data.agreed, has)
        np.testing.assert_array_equal(data.x[has], agreed[has])
        # raters' cells: their own ratings where nothing is agreed
        np.testing.assert_array_equal(data.ratings[:, ~has], ratings[:, ~has])
    assert any(o.status != CANDIDATE for o in example.objects)  # scores of other objects are left out


def test_a_score_by_someone_not_in_the_round_is_not_taken_for_an_agreed_one(small_round):
    project = projectfile.parse(small_round)
    stray = project.scores[0]._replace(participant="nobody")
    with pytest.raises(KeyError):
        analysis.decision_data(dataclasses.replace(project, scores=(*project.scores, stray)))


def test_ctrl_c_is_not_held_up_by_the_sampling(example, monkeypatch):
    release, finished = threading.Event(), threading.Event()

    def slow(*args, **kwargs):
        release.wait(30)  # a long sampling run
        finished.set()

    def interrupted(v, w):
        raise KeyboardInterrupt

    monkeypatch.setattr(sm, "smaa", slow)
    monkeypatch.setattr(sens, "all_breakpoints", interrupted)
    with pytest.raises(KeyboardInterrupt):
        analysis.sensitivity(example, samples=500, seed=1)
    assert not finished.is_set()  # raised at once, not after the sampling
    release.set()


@pytest.mark.parametrize("what", ["vet ej by someone not in the round", "vet ej on a criterion not in the round",
                                  "a non-candidate's score on a criterion not in the round"])
def test_records_a_record_loop_would_skip_are_not_read(small_round, what):
    # unknown ids only matter for the records that go into the matrix (as in a record-by-record loop)
    project = projectfile.parse(small_round)
    first = project.scores[0]
    other = next(o.id for o in project.objects if o.status != CANDIDATE)
    extra = {"vet ej by someone not in the round": first._replace(participant="ghost", value=None),
             "vet ej on a criterion not in the round": first._replace(criterion="K-removed", value=None),
             "a non-candidate's score on a criterion not in the round": first._replace(object=other,
                                                                                      criterion="K-removed")}[what]
    data = analysis.decision_data(dataclasses.replace(project, scores=(*project.scores, extra)))
    np.testing.assert_array_equal(data.x, analysis.decision_data(project).x)
