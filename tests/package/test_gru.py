"""GRU forward/backward: both variants' equations, layouts, batches, float32, saturation, bad input."""

import warnings

import numpy as np
import pytest
from gru_helpers import random_case

from rnn_book import gru, lstm, rnn
from rnn_book.gru import (
    GRUStepCache,
    backward,
    backward_from,
    forward,
    init_params,
    step_backward,
    step_forward,
)
from rnn_book.losses import softmax_cross_entropy_grad


def sigma(a):
    return 1 / (1 + np.exp(-a))


@pytest.mark.parametrize("reset_after", [True, False])
def test_step_forward_is_the_gru_of_each_variant(reset_after):
    params, X, h0, _, _, _ = random_case(0, 4, 3, 5, 2, 3, True)
    p, x_t = params, X[0]
    h_t, y_t, cache_t = step_forward(params, x_t, h0, reset_after=reset_after)
    r = sigma(p.W_xh_r @ x_t + p.W_hh_r @ h0 + p.b_h_r)
    u = sigma(p.W_xh_u @ x_t + p.W_hh_u @ h0 + p.b_h_u)
    if reset_after:  # torch.nn.GRU's documented n_t
        n = np.tanh(p.W_xh_g @ x_t + p.b_h_g + r * (p.W_hh_g @ h0 + p.b_hh_g))
    else:  # Cho et al. (2014), eq. 8, with biases
        n = np.tanh(p.W_xh_g @ x_t + p.b_h_g + p.W_hh_g @ (r * h0) + p.b_hh_g)
    h_expected = (1 - u) * n + u * h0
    z = p.W_Y @ h_expected + p.b_y
    np.testing.assert_allclose(h_t, h_expected, rtol=1e-13)
    np.testing.assert_allclose(y_t, np.exp(z) / np.exp(z).sum(axis=0), rtol=1e-13)
    assert isinstance(cache_t, GRUStepCache) and cache_t.reset_after is reset_after
    np.testing.assert_allclose(cache_t.u_t, u, rtol=1e-13)


def test_forward_chains_the_steps_and_backward_is_cross_entropys_dz():
    params, X, h0, idx, _, _ = random_case(1, 5, 3, 4, 2, 2, True)
    Y, cache = forward(params, X, h0)
    h_t = h0
    for t in range(1, len(X) + 1):
        h_t, y_t, _ = step_forward(params, X[t - 1], h_t)
        np.testing.assert_array_equal(cache.H[t - 1], h_t)
        np.testing.assert_array_equal(Y[t - 1], y_t)
    assert cache.Y is Y
    grads, dh0 = backward(params, cache, idx)
    grads2, _, dh0_2 = backward_from(params, cache, dZ=softmax_cross_entropy_grad(Y, idx))
    for name, g in grads.items():
        np.testing.assert_array_equal(g, getattr(grads2, name))
    np.testing.assert_array_equal(dh0, dh0_2)


@pytest.mark.parametrize("reset_after", [True, False])
def test_a_batch_is_its_columns_run_one_at_a_time(reset_after):
    params, X, h0, _, dZ, dH = random_case(2, 4, 3, 5, 2, 3, True)
    Y, cache = forward(params, X, h0, reset_after=reset_after)
    grads, dX, dh0 = backward_from(params, cache, dZ=dZ, dH=dH)
    total = params.zeros_like()
    for b in range(3):
        Y_b, cache_b = forward(params, X[..., b], h0[:, b], reset_after=reset_after)
        np.testing.assert_allclose(Y_b, Y[..., b], rtol=1e-13)
        g_b, dX_b, dh0_b = backward_from(params, cache_b, dZ=dZ[..., b], dH=dH[..., b])
        np.testing.assert_allclose(dX_b, dX[..., b], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dh0_b, dh0[:, b], rtol=1e-12, atol=1e-15)
        for name, g in g_b.items():
            getattr(total, name)[...] += g
    for name, g in grads.items():
        np.testing.assert_allclose(g, getattr(total, name), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("h0_shape", [(3,), (3, 1), None])
def test_single_sequence_layouts(h0_shape):
    params = init_params(4, 3, rng=0)
    X = np.eye(4)[[0, 1, 2]]  # (T, k)
    h0 = None if h0_shape is None else np.full(h0_shape, 0.1)
    Y, cache = forward(params, X, h0)
    grads, dX, dh0 = backward_from(params, cache, dZ=np.ones_like(Y), dH=np.ones_like(cache.H))
    assert Y.shape == (3, 4) and cache.H.shape == (3, 3) and dX.shape == (3, 4)
    assert dh0.shape == ((3,) if h0_shape is None else h0_shape)


def test_float32_follows_the_params():
    params, X, h0, idx, _, _ = random_case(3, 4, 3, 5, 2, 3, True)
    p32 = params.astype(np.float32)
    Y, cache = forward(p32, X, h0)
    grads, dX, dh0 = backward_from(p32, cache, dZ=softmax_cross_entropy_grad(Y, idx))
    assert Y.dtype == cache.H.dtype == dX.dtype == dh0.dtype == np.float32
    assert all(g.dtype == np.float32 for _, g in grads.items())
    Y64, cache64 = forward(params, X, h0)
    grads64, _ = backward(params, cache64, idx)
    np.testing.assert_allclose(Y, Y64, rtol=1e-4, atol=1e-6)
    for name, g in grads.items():
        np.testing.assert_allclose(g, getattr(grads64, name), rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1e3, -1e3])
def test_saturated_gates_stay_finite_and_quiet(reset_after, dtype, scale):
    params, X, h0, idx, _, _ = random_case(4, 4, 3, 5, 2, 3, True)
    params = params.astype(dtype)
    for name, value in params.items():
        if name.startswith("b_h"):
            value[:] = scale * np.sign(value)
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        Y, cache = forward(params, scale * X, h0, reset_after=reset_after)
        grads, dX, dh0 = backward_from(params, cache, dZ=softmax_cross_entropy_grad(Y, idx),
                                       dH=np.ones_like(cache.H))
    u_1 = cache.steps[0].u_t
    assert np.minimum(u_1, 1 - u_1).max() < 1e-6
    for value in [Y, cache.H, dX, dh0, *(g for _, g in grads.items())]:
        assert np.isfinite(value).all()


def test_a_1d_x_t_never_broadcasts_against_the_biases():
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(ValueError, match=r"x_t must have shape \(k, B\) = \(4, B\); got \(4,\)"):
        step_forward(params, np.zeros(4), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"h_prev must have shape \(d, B\) = \(3, 1\); got \(3,\)"):
        step_forward(params, np.zeros((4, 1)), np.zeros(3))


@pytest.mark.parametrize("X, h0, error, message", [
    (np.zeros((3, 4)), np.zeros(2), ValueError,
     r"h0 must have shape \(d,\) = \(3,\) or \(d, B\) = \(3, 1\); got \(2,\)"),
    (np.zeros((3, 4, 2)), np.zeros((2, 2)), ValueError,
     r"h0 must have shape \(d, B\) = \(3, 2\); got \(2, 2\)"),
    (np.zeros((3, 5)), None, ValueError, r"X must have shape \(T, k\) = \(T, 4\)"),
    (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0]), ValueError, "h0 must be finite"),
    (np.full((3, 4), np.inf), None, ValueError, "X must be finite"),
])
def test_bad_input_names_the_argument(X, h0, error, message):
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(error, match=message):
        forward(params, X, h0)


def test_bad_upstream_gradients_name_the_argument():
    params = init_params(k=4, d=3, rng=0)
    _, cache = forward(params, np.zeros((3, 4, 2)))
    with pytest.raises(ValueError, match=r"dZ must have the forward pass's shape \(T, k_out, B\) = \(3, 4, 2\); got \(3, 4\)"):
        backward_from(params, cache, dZ=np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"dH must have the forward pass's shape \(T, d, B\) = \(3, 3, 2\); got \(2, 3, 2\)"):
        backward_from(params, cache, dH=np.zeros((2, 3, 2)))
    with pytest.raises(ValueError, match="dH must be finite"):
        backward_from(params, cache, dH=np.full((3, 3, 2), np.nan))
    with pytest.raises(TypeError, match="dZ must hold real numbers"):
        backward_from(params, cache, dZ=np.full((3, 4, 2), "a"))
    with pytest.raises(ValueError, match="give dZ .* or both; got neither"):
        backward_from(params, cache)


def test_mismatched_params_and_cache():
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(TypeError, match=r"rnn_book\.gru\.GRUCache .* got rnn_book\.lstm\.LSTMCache"):
        backward(params, lstm.forward(lstm.init_params(4, 3, rng=0), np.eye(4)[:3])[1], [1, 2, 3])
    with pytest.raises(ValueError, match=r"cache comes from a network with \(d, k_out\) = \(3, 4\)"):
        backward(init_params(4, 5, rng=0), forward(params, np.eye(4)[:3])[1], [1, 2, 3])
    with pytest.raises(AttributeError):  # an RNNParams is not a GRUParams
        forward(rnn.init_params(4, 3, rng=0), np.eye(4)[:3])
    params.b_hh_g = np.zeros((2, 1))  # broken after construction: caught on the next call
    with pytest.raises(ValueError, match=r"b_hh_g must have shape \(d, 1\) = \(3, 1\)"):
        forward(params, np.eye(4)[:3])


def test_step_backward_checks_its_upstream_gradients():
    params = init_params(k=4, d=3, rng=0)
    _, _, cache_t = step_forward(params, np.eye(4)[:, :2], np.zeros((3, 2)))
    grads = params.zeros_like()
    with pytest.raises(ValueError, match=r"dz_t must have shape \(k_out, B\) = \(4, 2\); got \(4,\)"):
        step_backward(params, np.zeros(4), np.zeros((3, 2)), cache_t, grads)
    with pytest.raises(ValueError, match=r"dh_next must have shape \(d, B\) = \(3, 2\); got \(3, 1\)"):
        step_backward(params, np.zeros((4, 2)), np.zeros((3, 1)), cache_t, grads)


def test_init_params():
    p = init_params(k=5, d=4, k_out=3, rng=1, dtype=np.float32)
    assert p.k == 5 and p.d == 4 and p.k_out == 3 and p.dtype == np.float32
    assert len(p.items()) == 12
    assert all(np.all(b == 0) for name, b in p.items() if name.startswith("b_"))
    np.testing.assert_allclose(p.W_hh_u.std(), 1 / 2, rtol=0.5)
    with pytest.raises(ValueError, match="d must be a positive integer; got 0"):
        init_params(k=4, d=0)
    assert gru.GATES == ("r", "u", "g")
    q = init_params(k=5, d=4, rng=1, update_bias=2.0)
    assert np.all(q.b_h_u == 2.0) and np.all(q.b_h_r == 0) and np.all(q.b_hh_g == 0)
    np.testing.assert_array_equal(q.W_hh_u, init_params(k=5, d=4, rng=1).W_hh_u)
