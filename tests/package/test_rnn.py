"""forward/backward: the equations, the layouts, batches, float32, and bad input."""

import numpy as np
import pytest

from rnn_book.losses import cross_entropy
from rnn_book.rnn import backward, forward, init_params, step_backward, step_forward


def make(T=4, k=3, d=5, k_out=2, B=3, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    params = init_params(k, d, k_out, rng=rng, dtype=dtype)
    params.b_h += rng.standard_normal(params.b_h.shape).astype(dtype)
    params.b_y += rng.standard_normal(params.b_y.shape).astype(dtype)
    X = rng.standard_normal((T, k, B)).astype(dtype)  # (T, k, B)
    h0 = rng.standard_normal((d, B)).astype(dtype)  # (d, B)
    idx = rng.integers(0, k_out, (T, B))  # (T, B)
    return params, X, h0, idx


def test_step_forward_is_the_lectures_equations():
    params, X, h0, _ = make()
    h_t, y_t, _ = step_forward(params, X[0], h0)
    a_t = params.W_H @ h0 + params.W_X @ X[0] + params.b_h
    z_t = params.W_Y @ np.tanh(a_t) + params.b_y
    np.testing.assert_allclose(h_t, (np.exp(a_t) - np.exp(-a_t)) / (np.exp(a_t) + np.exp(-a_t)))
    np.testing.assert_allclose(y_t, np.exp(z_t) / np.exp(z_t).sum(axis=0))


def test_forward_chains_the_steps():
    params, X, h0, _ = make()
    Y, cache = forward(params, X, h0)
    h_t = h0
    for t in range(len(X)):
        h_t, y_t, _ = step_forward(params, X[t], h_t)
        np.testing.assert_array_equal(cache.H[t], h_t)
        np.testing.assert_array_equal(Y[t], y_t)


def test_a_batch_is_its_columns_run_one_at_a_time():
    params, X, h0, idx = make()
    Y, cache = forward(params, X, h0)
    grads, dh0 = backward(params, cache, idx)
    B = X.shape[2]
    for b in range(B):
        Y_b, cache_b = forward(params, X[:, :, b], h0[:, b])
        np.testing.assert_allclose(Y[:, :, b], Y_b, rtol=1e-12)
        np.testing.assert_allclose(cache.H[:, :, b], cache_b.H, rtol=1e-12)
        _, dh0_b = backward(params, cache_b, idx[:, b])
        np.testing.assert_allclose(dh0[:, b], dh0_b / B, rtol=1e-10)  # the loss averages over B
    per_sequence = [backward(params, forward(params, X[:, :, b], h0[:, b])[1], idx[:, b])[0]
                    for b in range(B)]
    for name, g in grads.items():
        np.testing.assert_allclose(g, np.mean([getattr(p, name) for p in per_sequence], axis=0),
                                   rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("h0_shape", [None, (5,), (5, 1)])
def test_single_sequence_layouts(h0_shape):
    params, X, _, idx = make(B=1)
    h0 = None if h0_shape is None else np.full(h0_shape, 0.1)
    Y, cache = forward(params, X[..., 0], h0)
    assert Y.shape == (4, 2) and cache.H.shape == (4, 5)
    grads, dh0 = backward(params, cache, idx[:, 0])
    assert dh0.shape == (h0_shape or (5,))
    Y3, cache3 = forward(params, X, None if h0 is None else np.full((5, 1), 0.1))
    np.testing.assert_array_equal(Y3[..., 0], Y)
    assert backward(params, cache3, idx)[1].shape == (5, 1)


def test_default_h0_is_zeros_and_int_inputs_are_accepted():
    params = init_params(4, 3, rng=0)
    X = np.eye(4, dtype=int)[:3]  # the assignment's rows, as integers
    Y, _ = forward(params, X)
    np.testing.assert_array_equal(Y, forward(params, X.astype(float), np.zeros(3))[0])


def test_float32_follows_the_params():
    params, X, h0, idx = make(dtype=np.float32)
    Y, cache = forward(params, X.astype(np.float64), h0)
    grads, dh0 = backward(params, cache, idx)
    assert Y.dtype == cache.H.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for _, g in grads.items())
    p64 = params.astype(np.float64)
    Y64, cache64 = forward(p64, X, h0)
    grads64, _ = backward(p64, cache64, idx)
    np.testing.assert_allclose(Y, Y64, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(grads.W_H, grads64.W_H, rtol=1e-3, atol=1e-5)
    assert cross_entropy(Y, idx) == pytest.approx(cross_entropy(Y64, idx), rel=1e-5)


def test_a_1d_x_t_never_broadcasts_against_b_h():
    params = init_params(k=4, d=3, rng=0)
    x_t = np.array([1.0, 0.0, 0.0, 0.0])  # (k,): would broadcast with b_h (d, 1) into (d, k)
    with pytest.raises(ValueError, match=r"x_t must have shape \(k, B\) = \(4, B\); got \(4,\)"):
        step_forward(params, x_t, np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"h_prev must have shape \(d, B\) = \(3, 1\); got \(3,\)"):
        step_forward(params, x_t[:, None], np.zeros(3))


@pytest.mark.parametrize("X, h0, error, message", [  # bad X alone: test_recurrent.py
    (np.zeros((3, 4)), np.zeros(2), ValueError, r"h0 must have shape \(d,\) = \(3,\) or \(d, B\) = \(3, 1\); got \(2,\)"),
    (np.zeros((3, 4, 2)), np.zeros(3), ValueError, r"h0 must have shape \(d, B\) = \(3, 2\); got \(3,\)"),
    (np.zeros((3, 4, 2)), np.zeros((3, 1)), ValueError, r"h0 must have shape \(d, B\) = \(3, 2\); got \(3, 1\)"),
    (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0]), ValueError, "h0 must be finite"),
    (np.zeros((3, 4)), np.array(["a", "b", "c"]), TypeError, "h0 must hold real numbers"),
])
def test_bad_input_names_the_argument(X, h0, error, message):
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(error, match=message):
        forward(params, X, h0)


def test_params_broken_after_construction():  # cache checks: test_recurrent.py
    params = init_params(k=4, d=3, rng=0)
    params.W_H = np.zeros((3, 2))  # broken after construction: caught on the next call
    with pytest.raises(ValueError, match=r"W_H must have shape \(d, d\) = \(3, 3\)"):
        forward(params, np.eye(4)[:3])


def test_step_backward_checks_its_upstream_gradients():
    params = init_params(k=4, d=3, rng=0)
    _, _, cache_t = step_forward(params, np.eye(4)[:, :2], np.zeros((3, 2)))
    grads = params.zeros_like()
    with pytest.raises(ValueError, match=r"dz_t must have shape \(k_out, B\) = \(4, 2\); got \(4,\)"):
        step_backward(params, np.zeros(4), np.zeros((3, 2)), cache_t, grads)
    with pytest.raises(ValueError, match=r"dh_next must have shape \(d, B\) = \(3, 2\); got \(3, 1\)"):
        step_backward(params, np.zeros((4, 2)), np.zeros((3, 1)), cache_t, grads)
