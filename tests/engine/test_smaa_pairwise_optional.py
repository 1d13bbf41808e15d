"""The pairwise winning index is counted only where it is shown or exported (issue 15): leaving it
out changes no other output and no random number."""

from __future__ import annotations

import numpy as np

from prioritization import analysis, projectfile
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.smaa import ScoreModel, smaa
from prioritization.engine.weight_sampling import WeightModel
from tests.conftest import FIXTURES

FIELDS = ("rank_acceptability", "central_weights", "central_weight_se", "confidence")


def test_leaving_out_the_pairwise_index_changes_nothing_else():
    rng = np.random.default_rng(4)
    ratings = rng.integers(1, 6, size=(4, 12, 3)).astype(float)
    ratings[0, 0, 0] = np.nan  # unequal rating counts: the general draws
    x = np.nanmean(ratings, axis=0)
    crits = [CriterionSpec("benefit", "scale", (1.0, 5.0))] * 3
    for model in (ScoreModel("raters", ratings=ratings), ScoreModel("none")):
        args = (x, crits, WeightModel("uniform"), model)
        full = smaa(*args, samples=700, seed=9, chunk=100)
        lean = smaa(*args, samples=700, seed=9, chunk=100, pairwise=False)
        assert lean.pairwise_winning is None and full.pairwise_winning is not None
        for name in FIELDS:
            assert np.array_equal(getattr(lean, name), getattr(full, name), equal_nan=True), name


def test_the_analysis_counts_it_only_when_asked():
    project = projectfile.load(FIXTURES / "small-round.json")
    plain = analysis.sensitivity(project, samples=300, seed=2)
    asked = analysis.sensitivity(project, samples=300, seed=2, pairwise=True)
    assert plain.smaa.pairwise_winning is None
    assert asked.smaa.pairwise_winning.shape == (3, 3)
    assert np.array_equal(plain.smaa.rank_acceptability, asked.smaa.rank_acceptability)
    # a cached result without it is not reused when it is asked for
    again = analysis.sensitivity(project, samples=300, seed=2, pairwise=True, smaa_result=plain.smaa)
    assert np.array_equal(again.smaa.pairwise_winning, asked.smaa.pairwise_winning)
