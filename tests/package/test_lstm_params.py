"""LSTMParams: per-gate names, shapes, dtypes and checks; init_params: scale, forget bias.

Seeding, size checks and the helpers, shared with RNNParams: test_params.py.
"""

import numpy as np
import pytest

from rnn_book.lstm import GATES, LSTMParams, init_params

FIELDS = ["W_xh_f", "W_hh_f", "b_h_f", "W_xh_i", "W_hh_i", "b_h_i", "W_xh_o", "W_hh_o", "b_h_o",
          "W_xh_g", "W_hh_g", "b_h_g", "W_Y", "b_y"]


def test_lecture_names_shapes_and_sizes():
    p = init_params(k=4, d=3, rng=0)
    assert [name for name, _ in p.items()] == FIELDS
    assert GATES == ("f", "i", "o", "g")
    for gate in GATES:
        assert getattr(p, f"W_xh_{gate}").shape == (3, 4)
        assert getattr(p, f"W_hh_{gate}").shape == (3, 3)
        assert getattr(p, f"b_h_{gate}").shape == (3, 1)
    assert (p.W_Y.shape, p.b_y.shape) == ((4, 3), (4, 1))
    assert (p.k, p.d, p.k_out, p.dtype) == (4, 3, 4, np.float64)
    q = init_params(k=4, d=3, k_out=2, rng=0, dtype=np.float32)
    assert (q.W_Y.shape, q.b_y.shape, q.k_out, q.dtype) == ((2, 3), (2, 1), 2, np.float32)
    assert all(value.dtype == np.float32 for _, value in q.items())


def test_variance_is_one_over_fan_in():
    p = init_params(k=400, d=300, k_out=200, rng=1)
    for gate in GATES:
        assert getattr(p, f"W_xh_{gate}").var() == pytest.approx(1 / 400, rel=0.05)
        assert getattr(p, f"W_hh_{gate}").var() == pytest.approx(1 / 300, rel=0.05)
    assert p.W_Y.var() == pytest.approx(1 / 300, rel=0.05)
    assert not np.array_equal(p.W_xh_f, p.W_xh_i)  # each gate draws its own weights


def test_the_forget_gate_starts_open_and_the_other_biases_at_zero():
    p = init_params(k=4, d=3, rng=0)
    assert np.all(p.b_h_f == 1.0)
    assert not p.b_h_i.any() and not p.b_h_o.any() and not p.b_h_g.any() and not p.b_y.any()
    q = init_params(k=4, d=3, rng=0, forget_bias=0.0)
    assert not q.b_h_f.any()
    np.testing.assert_array_equal(q.W_hh_f, p.W_hh_f)  # the bias changes nothing else


def fields(d=3, k=4, k_out=4, dtype=float):
    shapes = {"W_xh": (d, k), "W_hh": (d, d), "b_h": (d, 1)}
    values = {f"{kind}_{gate}": np.zeros(shape, dtype) for gate in GATES for kind, shape in shapes.items()}
    return dict(values, W_Y=np.zeros((k_out, d), dtype), b_y=np.zeros((k_out, 1), dtype))


@pytest.mark.parametrize("name, value, error, message", [
    ("W_hh_i", np.zeros((3, 4)), ValueError, r"W_hh_i must have shape \(d, d\) = \(3, 3\); got \(3, 4\)"),
    ("W_xh_o", np.zeros((3, 5)), ValueError, r"W_xh_o must have shape \(d, k\) = \(3, 4\); got \(3, 5\)"),
    ("W_xh_g", np.zeros((2, 4)), ValueError, r"W_xh_g must have shape \(d, k\) = \(3, 4\); got \(2, 4\)"),
    ("b_h_f", np.zeros(3), ValueError, r"b_h_f must have shape \(d, 1\) = \(3, 1\); got \(3,\)"),
    ("b_h_g", np.zeros((1, 3)), ValueError, r"b_h_g must have shape \(d, 1\) = \(3, 1\); got \(1, 3\)"),
    ("W_Y", np.zeros((4, 2)), ValueError, r"W_Y must have shape \(k_out, d\) = \(k_out, 3\); got \(4, 2\)"),
    ("b_y", np.zeros((5, 1)), ValueError, r"b_y must have shape \(k_out, 1\) = \(4, 1\); got \(5, 1\)"),
    ("W_xh_f", np.zeros(4), ValueError, r"W_xh_f must have shape \(d, k\); got \(4,\)"),
    ("W_xh_i", np.zeros((3, 4), int), TypeError, "W_xh_i must have a floating dtype"),
    ("W_hh_f", np.zeros((3, 3), np.float32), TypeError, "must share one dtype"),
    ("b_h_o", np.full((3, 1), np.nan), ValueError, "b_h_o must be finite"),
    ("W_hh_g", np.full((3, 3), np.inf), ValueError, "W_hh_g must be finite"),
    ("b_y", np.full((4, 1), "x"), TypeError, "b_y must hold real numbers"),
])
def test_bad_params_name_the_field(name, value, error, message):
    LSTMParams(**fields())  # the unchanged fields are fine
    with pytest.raises(error, match=message):
        LSTMParams(**dict(fields(), **{name: value}))
