import numpy as np
import pytest

from prioritization.engine.normalize import CriterionSpec, normalize, vector_normalize
from prioritization.errors import InputError

B = CriterionSpec("benefit", "minmax")
C = CriterionSpec("cost", "minmax")
S15 = CriterionSpec("benefit", None, (1, 5))
S15C = CriterionSpec("cost", None, (1, 5))


def test_minmax_benefit_and_cost():
    x = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0]])
    v = normalize(x, [B, C])
    np.testing.assert_allclose(v, [[0, 1], [0.5, 0.5], [1, 0]])


def test_constant_column_gives_zero_including_n1():
    v = normalize(np.array([[2.0, 1.0], [2.0, 3.0]]), [B, C])
    assert v[:, 0].tolist() == [0.0, 0.0]
    assert normalize(np.array([[7.0]]), [B]).tolist() == [[0.0]]


def test_constant_within_float_noise():
    # values one ulp apart (e.g. geometric means of (1, 4) and (2, 2)) are a constant column [S1.1]
    a, b = 2.0, np.nextafter(2.0, 3.0)
    assert a != b
    v = normalize(np.array([[a], [b]]), [B])
    assert v.tolist() == [[0.0], [0.0]]
    # but a real difference above the tolerance is not
    v = normalize(np.array([[2.0], [2.0 + 1e-6]]), [B])
    assert v.tolist() == [[0.0], [1.0]]


def test_scale_default_when_scale_given():
    assert S15.method == "scale"
    assert CriterionSpec("benefit").method == "minmax"
    v = normalize(np.array([[3.0, 3.0], [5.0, 1.0]]), [S15, S15C])
    np.testing.assert_allclose(v, [[0.5, 0.5], [1.0, 1.0]])


def test_scale_band_clips_and_rejects():
    v = normalize(np.array([[5.0 + 1e-10]]), [S15])
    assert v[0, 0] == 1.0
    with pytest.raises(InputError, match="outside the scale 1–5"):
        normalize(np.array([[5.1]]), [S15])


def test_none_normalization():
    c = CriterionSpec("benefit", "none")
    assert normalize(np.array([[0.3], [0.7]]), [c]).tolist() == [[0.3], [0.7]]
    with pytest.raises(InputError, match="only allowed for benefit"):
        normalize(np.array([[0.3]]), [CriterionSpec("cost", "none")])


@pytest.mark.parametrize(
    "x, crit, msg",
    [
        (np.array([[np.nan]]), B, "finite"),
        (np.array([[np.inf]]), B, "finite"),
        (np.zeros((0, 1)), B, "at least one"),
        (np.array([[1.0]]), CriterionSpec("up", "minmax"), "unknown direction"),
        (np.array([[1.0]]), CriterionSpec("benefit", "zscore"), "unknown normalization"),
        (np.array([[1.0]]), CriterionSpec("benefit", "scale", (5, 1)), "less than"),
        (np.array([[1.0]]), CriterionSpec("benefit", "scale", None), "needs a scale"),
    ],
)
def test_invalid_inputs_rejected(x, crit, msg):
    with pytest.raises(InputError, match=msg):
        normalize(x, [crit])


def test_batched_minmax_per_sample():
    x = np.array([[[1.0], [3.0]], [[10.0], [0.0]]])  # K=2, N=2, M=1
    v = normalize(x, [B])
    assert v[..., 0].tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_vector_normalize_zero_column():
    r = vector_normalize(np.array([[3.0, 0.0], [4.0, 0.0]]))
    np.testing.assert_allclose(r, [[0.6, 0.0], [0.8, 0.0]])
