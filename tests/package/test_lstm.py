"""LSTM forward/backward: the equations, the layouts, batches, float32, saturation, bad input."""

import warnings

import numpy as np
import pytest

from rnn_book import rnn
from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad
from rnn_book.lstm import backward, forward, init_params, step_backward, step_forward


def make(T=4, k=3, d=5, k_out=2, B=3, seed=0, dtype=np.float64):
    """Random parameters with nonzero biases, inputs, h0, c0 and class indices."""
    rng = np.random.default_rng(seed)
    params = init_params(k, d, k_out, rng=rng, dtype=dtype)
    for name, value in params.items():
        if name.startswith("b_"):
            value += rng.standard_normal(value.shape).astype(dtype)
    X = rng.standard_normal((T, k, B)).astype(dtype)  # (T, k, B)
    h0 = rng.uniform(-0.9, 0.9, (d, B)).astype(dtype)  # (d, B)
    c0 = rng.standard_normal((d, B)).astype(dtype)  # (d, B)
    idx = rng.integers(0, k_out, (T, B))  # (T, B)
    return params, X, h0, c0, idx


def test_step_forward_is_the_lectures_equations():
    params, X, h0, c0, _ = make()
    p, x_t = params, X[0]
    h_t, c_t, y_t, _ = step_forward(params, x_t, h0, c0)

    def sigma(a):
        return 1 / (1 + np.exp(-a))

    f_t = sigma(p.W_xh_f @ x_t + p.W_hh_f @ h0 + p.b_h_f)
    i_t = sigma(p.W_xh_i @ x_t + p.W_hh_i @ h0 + p.b_h_i)
    o_t = sigma(p.W_xh_o @ x_t + p.W_hh_o @ h0 + p.b_h_o)
    a_g = p.W_xh_g @ x_t + p.W_hh_g @ h0 + p.b_h_g
    g_t = (np.exp(a_g) - np.exp(-a_g)) / (np.exp(a_g) + np.exp(-a_g))
    c_expected = f_t * c0 + i_t * g_t
    h_expected = o_t * np.tanh(c_expected)
    z_t = p.W_Y @ h_expected + p.b_y
    np.testing.assert_allclose(c_t, c_expected, rtol=1e-13)
    np.testing.assert_allclose(h_t, h_expected, rtol=1e-13)
    np.testing.assert_allclose(y_t, np.exp(z_t) / np.exp(z_t).sum(axis=0), rtol=1e-13)


def test_forward_chains_the_steps():
    params, X, h0, c0, _ = make()
    Y, cache = forward(params, X, h0, c0)
    h_t, c_t = h0, c0
    for t in range(len(X)):
        h_t, c_t, y_t, _ = step_forward(params, X[t], h_t, c_t)
        np.testing.assert_array_equal(cache.H[t], h_t)
        np.testing.assert_array_equal(cache.C[t], c_t)
        np.testing.assert_array_equal(Y[t], y_t)
    assert cache.Y is Y


def test_backward_chains_the_steps():
    params, X, h0, c0, idx = make()
    _, cache = forward(params, X, h0, c0)
    grads, dh0, dc0 = backward(params, cache, idx)
    dZ = softmax_cross_entropy_grad(cache.Y, idx)
    by_hand = params.zeros_like()
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    for t in reversed(range(len(X))):
        dh_next, dc_next, _ = step_backward(params, dZ[t], dh_next, dc_next, cache.steps[t], by_hand)
    np.testing.assert_array_equal(dh0, dh_next)
    np.testing.assert_array_equal(dc0, dc_next)
    for name, g in grads.items():
        np.testing.assert_array_equal(g, getattr(by_hand, name))


def test_a_batch_is_its_columns_run_one_at_a_time():
    params, X, h0, c0, idx = make()
    Y, cache = forward(params, X, h0, c0)
    grads, dh0, dc0 = backward(params, cache, idx)
    B = X.shape[2]
    per_sequence = []
    for b in range(B):
        Y_b, cache_b = forward(params, X[:, :, b], h0[:, b], c0[:, b])
        np.testing.assert_allclose(Y[:, :, b], Y_b, rtol=1e-12)
        np.testing.assert_allclose(cache.H[:, :, b], cache_b.H, rtol=1e-12)
        np.testing.assert_allclose(cache.C[:, :, b], cache_b.C, rtol=1e-12)
        grads_b, dh0_b, dc0_b = backward(params, cache_b, idx[:, b])
        np.testing.assert_allclose(dh0[:, b], dh0_b / B, rtol=1e-10)  # the loss averages over B
        np.testing.assert_allclose(dc0[:, b], dc0_b / B, rtol=1e-10)
        per_sequence.append(grads_b)
    for name, g in grads.items():
        np.testing.assert_allclose(g, np.mean([getattr(p, name) for p in per_sequence], axis=0),
                                   rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("state_shape", [None, (5,), (5, 1)])
def test_single_sequence_layouts(state_shape):
    params, X, _, _, idx = make(B=1)
    h0 = None if state_shape is None else np.full(state_shape, 0.1)
    c0 = None if state_shape is None else np.full(state_shape, -0.2)
    Y, cache = forward(params, X[..., 0], h0, c0)
    assert Y.shape == (4, 2) and cache.H.shape == cache.C.shape == (4, 5)
    _, dh0, dc0 = backward(params, cache, idx[:, 0])
    assert dh0.shape == dc0.shape == (state_shape or (5,))
    Y3, cache3 = forward(params, X, *(None if h0 is None else np.reshape(s, (5, 1)) for s in (h0, c0)))
    np.testing.assert_array_equal(Y3[..., 0], Y)
    _, dh0_3, dc0_3 = backward(params, cache3, idx)
    assert dh0_3.shape == dc0_3.shape == (5, 1)
    np.testing.assert_array_equal(dc0_3.ravel(), dc0.ravel())


def test_h0_and_c0_each_go_where_they_belong():
    params, X, h0, c0, idx = make()
    _, cache = forward(params, X, h0, c0)
    _, cache_swapped = forward(params, X, c0.clip(-0.9, 0.9), h0)
    assert not np.allclose(cache.C[0], cache_swapped.C[0])
    # c0 reaches c_1 only through f_1 * c0: with c0 = 0 the cell is i_1 * g_1.
    _, _, _, (_, _, _, f_1, i_1, _, g_1, _, _) = step_forward(params, X[0], h0, np.zeros_like(c0))
    np.testing.assert_allclose(cache.C[0], f_1 * c0 + i_1 * g_1, rtol=1e-13)


def test_default_states_are_zeros_and_int_inputs_are_accepted():
    params = init_params(4, 3, rng=0)
    X = np.eye(4, dtype=int)[:3]  # the assignment's rows, as integers
    Y, _ = forward(params, X)
    np.testing.assert_array_equal(Y, forward(params, X.astype(float), np.zeros(3), np.zeros(3))[0])
    assert not np.array_equal(Y, forward(params, X, None, np.ones(3))[0])


def test_float32_follows_the_params():
    params, X, h0, c0, idx = make(dtype=np.float32)
    Y, cache = forward(params, X.astype(np.float64), h0, c0.astype(np.float64))
    grads, dh0, dc0 = backward(params, cache, idx)
    assert Y.dtype == cache.H.dtype == cache.C.dtype == dh0.dtype == dc0.dtype == np.float32
    assert all(g.dtype == np.float32 for _, g in grads.items())
    p64 = params.astype(np.float64)
    Y64, cache64 = forward(p64, X, h0, c0)
    grads64, _, dc0_64 = backward(p64, cache64, idx)
    np.testing.assert_allclose(Y, Y64, rtol=1e-4, atol=1e-6)
    for name, g in grads.items():
        np.testing.assert_allclose(g, getattr(grads64, name), rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(dc0, dc0_64, rtol=1e-3, atol=1e-5)
    assert cross_entropy(Y, idx) == pytest.approx(cross_entropy(Y64, idx), rel=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1e3, -1e3])
def test_saturated_gates_stay_finite_and_quiet(dtype, scale):
    """Pre-activations of +-1e3: every sigmoid is exactly 0 or 1, nothing overflows or warns."""
    params, X, h0, c0, idx = make(dtype=dtype)
    for name, value in params.items():
        if name.startswith("b_h"):
            value[:] = scale * np.sign(value)  # (d, 1)  some gates shut, some wide open
    X = scale * X
    # Overflow, 0/0 or a division by zero would raise here (underflow to 0 is harmless),
    # and any warning, numpy's or another's, is an error.
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        Y, cache = forward(params, X, h0, c0)
        grads, dh0, dc0 = backward(params, cache, idx)
    f_1 = cache.steps[0][3]
    assert np.minimum(f_1, 1 - f_1).max() < 1e-6  # every forget gate is shut or wide open
    assert (f_1 == 1).any() and (f_1 < 1e-9).any()
    for value in [Y, cache.H, cache.C, dh0, dc0, *(g for _, g in grads.items())]:
        assert np.isfinite(value).all()


def test_a_1d_x_t_never_broadcasts_against_the_biases():
    params = init_params(k=4, d=3, rng=0)
    x_t, state = np.array([1.0, 0.0, 0.0, 0.0]), np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"x_t must have shape \(k, B\) = \(4, B\); got \(4,\)"):
        step_forward(params, x_t, state, state)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(d, B\) = \(3, 1\); got \(3,\)"):
        step_forward(params, x_t[:, None], np.zeros(3), state)
    with pytest.raises(ValueError, match=r"c_prev must have shape \(d, B\) = \(3, 1\); got \(3, 2\)"):
        step_forward(params, x_t[:, None], state, np.zeros((3, 2)))


@pytest.mark.parametrize("X, h0, c0, error, message", [  # bad X alone: test_recurrent.py
    (np.zeros((3, 4)), np.zeros(2), None, ValueError,
     r"h0 must have shape \(d,\) = \(3,\) or \(d, B\) = \(3, 1\); got \(2,\)"),
    (np.zeros((3, 4)), None, np.zeros(2), ValueError,
     r"c0 must have shape \(d,\) = \(3,\) or \(d, B\) = \(3, 1\); got \(2,\)"),
    (np.zeros((3, 4, 2)), np.zeros((3, 2)), np.zeros(3), ValueError,
     r"c0 must have shape \(d, B\) = \(3, 2\); got \(3,\)"),
    (np.zeros((3, 4, 2)), None, np.zeros((3, 1)), ValueError,
     r"c0 must have shape \(d, B\) = \(3, 2\); got \(3, 1\)"),
    (np.zeros((3, 4, 2)), np.zeros((2, 2)), None, ValueError,
     r"h0 must have shape \(d, B\) = \(3, 2\); got \(2, 2\)"),
    (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0]), None, ValueError, "h0 must be finite"),
    (np.zeros((3, 4)), None, np.array([0.0, np.inf, 0.0]), ValueError, "c0 must be finite"),
    (np.zeros((3, 4)), None, np.array(["a", "b", "c"]), TypeError, "c0 must hold real numbers"),
])
def test_bad_input_names_the_argument(X, h0, c0, error, message):
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(error, match=message):
        forward(params, X, h0, c0)


def test_mismatched_params_and_cache():  # shape mismatches: test_recurrent.py
    params = init_params(k=4, d=3, rng=0)
    with pytest.raises(TypeError, match="cache must be the rnn_book.lstm.LSTMCache returned by rnn_book.lstm.forward; "
                                        "got rnn_book.rnn.RNNCache"):
        backward(params, rnn.forward(rnn.init_params(4, 3, rng=0), np.eye(4)[:3])[1], [1, 2, 3])
    with pytest.raises(AttributeError):  # an RNNParams is not an LSTMParams
        forward(rnn.init_params(4, 3, rng=0), np.eye(4)[:3])
    params.W_hh_o = np.zeros((3, 2))  # broken after construction: caught on the next call
    with pytest.raises(ValueError, match=r"W_hh_o must have shape \(d, d\) = \(3, 3\)"):
        forward(params, np.eye(4)[:3])


def test_step_backward_checks_its_upstream_gradients():
    params = init_params(k=4, d=3, rng=0)
    state = np.zeros((3, 2))
    _, _, _, cache_t = step_forward(params, np.eye(4)[:, :2], state, state)
    grads = params.zeros_like()
    with pytest.raises(ValueError, match=r"dz_t must have shape \(k_out, B\) = \(4, 2\); got \(4,\)"):
        step_backward(params, np.zeros(4), state, state, cache_t, grads)
    with pytest.raises(ValueError, match=r"dh_next must have shape \(d, B\) = \(3, 2\); got \(3, 1\)"):
        step_backward(params, np.zeros((4, 2)), np.zeros((3, 1)), state, cache_t, grads)
    with pytest.raises(ValueError, match=r"dc_next must have shape \(d, B\) = \(3, 2\); got \(2, 2\)"):
        step_backward(params, np.zeros((4, 2)), state, np.zeros((2, 2)), cache_t, grads)
    with pytest.raises(ValueError, match="dc_next must be finite"):
        step_backward(params, np.zeros((4, 2)), state, np.full((3, 2), np.nan), cache_t, grads)
