"""RNNParams: names, shapes, dtypes and checks; init_params: shapes, scale.

Seeding, size checks and the helpers, shared with LSTMParams: test_params.py.
"""

import numpy as np
import pytest

from rnn_book.rnn import RNNParams, init_params


def test_lecture_shapes_and_sizes():
    p = init_params(k=4, d=3, rng=0)
    assert [name for name, _ in p.items()] == ["W_X", "W_H", "b_h", "W_Y", "b_y"]
    assert (p.W_X.shape, p.W_H.shape, p.b_h.shape, p.W_Y.shape, p.b_y.shape) == (
        (3, 4), (3, 3), (3, 1), (4, 3), (4, 1))
    assert (p.k, p.d, p.k_out, p.dtype) == (4, 3, 4, np.float64)
    q = init_params(k=4, d=3, k_out=2, rng=0, dtype=np.float32)
    assert (q.W_Y.shape, q.b_y.shape, q.k_out, q.dtype) == ((2, 3), (2, 1), 2, np.float32)


def test_variance_is_one_over_fan_in_and_biases_start_at_zero():
    p = init_params(k=400, d=300, k_out=200, rng=1)
    assert p.W_X.var() == pytest.approx(1 / 400, rel=0.05)
    assert p.W_H.var() == pytest.approx(1 / 300, rel=0.05)
    assert p.W_Y.var() == pytest.approx(1 / 300, rel=0.05)
    assert not p.b_h.any() and not p.b_y.any()
    assert np.abs(np.linalg.eigvals(p.W_H)).max() == pytest.approx(1.0, abs=0.15)


def fields(d=3, k=4, k_out=4, dtype=float):
    return dict(W_X=np.zeros((d, k), dtype), W_H=np.zeros((d, d), dtype), b_h=np.zeros((d, 1), dtype),
                W_Y=np.zeros((k_out, d), dtype), b_y=np.zeros((k_out, 1), dtype))


@pytest.mark.parametrize("name, value, error, message", [
    ("W_H", np.zeros((3, 4)), ValueError, r"W_H must have shape \(d, d\) = \(3, 3\); got \(3, 4\)"),
    ("b_h", np.zeros(3), ValueError, r"b_h must have shape \(d, 1\) = \(3, 1\); got \(3,\)"),
    ("b_h", np.zeros((1, 3)), ValueError, r"b_h must have shape \(d, 1\) = \(3, 1\); got \(1, 3\)"),
    ("W_Y", np.zeros((4, 2)), ValueError, r"W_Y must have shape \(k_out, d\) = \(k_out, 3\); got \(4, 2\)"),
    ("b_y", np.zeros((5, 1)), ValueError, r"b_y must have shape \(k_out, 1\) = \(4, 1\); got \(5, 1\)"),
    ("W_X", np.zeros(4), ValueError, r"W_X must have shape \(d, k\); got \(4,\)"),
    ("W_X", np.zeros((3, 4), int), TypeError, "W_X must have a floating dtype"),
    ("W_H", np.zeros((3, 3), np.float32), TypeError, "must share one dtype"),
    ("W_Y", np.full((4, 3), np.nan), ValueError, "W_Y must be finite"),
    ("b_y", np.full((4, 1), "x"), TypeError, "b_y must hold real numbers"),
])
def test_bad_params_name_the_field(name, value, error, message):
    with pytest.raises(error, match=message):
        RNNParams(**dict(fields(), **{name: value}))
