"""Group aggregation and disagreement [S4]."""

import numpy as np
import pytest

from prioritization.engine.group import aggregate, disagreement
from prioritization.errors import InputError

nan = np.nan


def cell(values):
    """Ratings of several raters for a single 1x1 cell."""
    return np.array(values, float).reshape(-1, 1, 1)


def test_mean_median_geometric_ignore_missing():
    r = cell([1, 2, nan, 4, 5])
    assert aggregate(r, "mean")[0, 0] == 3.0
    assert aggregate(r, "median")[0, 0] == 3.0
    assert aggregate(cell([1, 4]), "geometric")[0, 0] == pytest.approx(2.0, abs=1e-12)
    assert aggregate(cell([1, 2, 4]), "median")[0, 0] == 2.0


def test_disagreement_spec_example():
    d = disagreement(cell([1, 2, 4, 5]))
    assert d.iqr[0, 0] == pytest.approx(2.5)  # 4.25 - 1.75, Excel QUARTILE.INC
    assert d.std[0, 0] == pytest.approx(np.sqrt(2.5))  # population sd (ddof = 0)
    assert d.range[0, 0] == 4.0
    assert d.n[0, 0] == 4


def test_single_rating_has_zero_spread():
    d = disagreement(cell([nan, 3, nan]))
    assert (d.std[0, 0], d.iqr[0, 0], d.range[0, 0], d.n[0, 0]) == (0.0, 0.0, 0.0, 1)


def test_empty_cell_is_an_error_naming_the_cell():
    r = np.full((2, 2, 3), 3.0)
    r[:, 1, 2] = nan
    with pytest.raises(InputError, match="alternative 1, criterion 2"):
        aggregate(r)
    with pytest.raises(InputError, match="alternative 1, criterion 2"):
        disagreement(r)


def test_geometric_needs_positive_ratings():
    with pytest.raises(InputError, match="greater than 0"):
        aggregate(cell([0, 2]), "geometric")


def test_unknown_method():
    with pytest.raises(InputError, match="unknown aggregation"):
        aggregate(cell([1]), "mode")


def test_shape_preserved():
    rng = np.random.default_rng(0)
    r = rng.integers(1, 6, (8, 15, 12)).astype(float)
    assert aggregate(r).shape == (15, 12)
    np.testing.assert_allclose(aggregate(r), r.mean(axis=0))
