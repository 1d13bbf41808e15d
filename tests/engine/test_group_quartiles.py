"""The disagreement's quartiles are computed per group of cells with the same number of ratings
(issue 15): the very numbers, bit for bit, of ``np.nanquantile`` cell by cell."""

import warnings

import numpy as np
import pytest

from prioritization.engine.group import disagreement


@pytest.mark.parametrize("seed", range(40))
def test_iqr_is_bit_identical_to_nanquantile(seed):
    rng = np.random.default_rng(seed)
    raters, n, m = int(rng.integers(1, 30)), int(rng.integers(1, 25)), int(rng.integers(1, 9))
    if seed % 3 == 0:  # a 1-5 scale, as in a workshop
        r = rng.integers(1, 6, size=(raters, n, m)).astype(float)
    else:  # any real numbers, small and large
        r = rng.normal(size=(raters, n, m)) * 10.0 ** int(rng.integers(-3, 5))
    r[rng.random(r.shape) < rng.random()] = np.nan  # a share of the ratings missing
    r[0][np.all(np.isnan(r), axis=0)] = 2.5  # every cell keeps at least one rating
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q1, q3 = np.nanquantile(r, [0.25, 0.75], axis=0, method="linear")
    assert disagreement(r).iqr.tobytes() == (q3 - q1).tobytes()
