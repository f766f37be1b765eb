"""rnn_book.fast.lstm equals the readable rnn_book.lstm: outputs, caches, gradients, errors."""

import tracemalloc
import warnings

import numpy as np
import pytest
from fast_helpers import assert_close, problem
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import lstm, rnn
from rnn_book.fast import Workspace, layout
from rnn_book.fast import lstm as fast
from rnn_book.losses import cross_entropy
from rnn_book.lstm_params import GATES

shapes = st.tuples(st.integers(1, 9), st.integers(1, 6), st.integers(1, 7), st.integers(1, 6),
                   st.one_of(st.none(), st.integers(1, 5)))


def both(params, X, s0, targets, workspace=None):
    Y, cache = lstm.forward(params, X, *s0)
    grads, dh0, dc0 = lstm.backward(params, cache, targets)
    Y_f, cache_f = fast.forward(params, X, *s0, workspace=workspace)
    grads_f, dh0_f, dc0_f = fast.backward(params, cache_f, targets)
    return (Y, cache, grads, dh0, dc0), (Y_f, cache_f, grads_f, dh0_f, dc0_f)


def assert_same(readable, fast_result, rtol, atol=0.0):
    (Y, cache, grads, dh0, dc0), (Y_f, cache_f, grads_f, dh0_f, dc0_f) = readable, fast_result
    assert_close(Y_f, Y, rtol, "Y", atol)
    assert_close(cache_f.H, cache.H, rtol, "H", atol)
    assert_close(cache_f.C, cache.C, rtol, "C", atol)
    assert_close(dh0_f, dh0, rtol, "dh0", atol)
    assert_close(dc0_f, dc0, rtol, "dc0", atol)
    for name, g in grads.items():
        assert_close(getattr(grads_f, name), g, rtol, name, atol)


@settings(max_examples=60, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), one_hot=st.booleans(), states=st.booleans())
def test_fast_equals_readable_float64(shapes, seed, one_hot, states):
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(lstm, T, k, d, k_out, B, seed, one_hot=one_hot, states=states)
    # atol: a sum over steps and batch that cancels (db_y, say) is judged against
    # the size of its terms (order 1), not its own, far below float64's rounding.
    assert_same(*both(params, X, s0, targets), rtol=1e-12, atol=1e-15)


@settings(max_examples=20, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1))
def test_fast_float32_is_close_to_readable_float32(shapes, seed):
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(lstm, T, k, d, k_out, B, seed, dtype=np.float32)
    assert_same(*both(params, X, s0, targets), rtol=2e-5, atol=1e-6)


def test_stacked_gates_are_the_per_gate_matrices_in_the_lectures_order():
    params = lstm.init_params(k=4, d=3, rng=0)
    W_x, W_h, b = (fast.stack_gates(params, prefix) for prefix in ("W_xh", "W_hh", "b_h"))
    assert (W_x.shape, W_h.shape, b.shape) == ((12, 4), (12, 3), (12, 1))
    x_t, h_prev = np.random.default_rng(0).standard_normal((2, 4, 1))
    z = W_x @ x_t + W_h @ h_prev[:3] + b  # (4d, B)
    for n, gate in enumerate(GATES):
        per_gate = (getattr(params, f"W_xh_{gate}") @ x_t + getattr(params, f"W_hh_{gate}") @ h_prev[:3]
                    + getattr(params, f"b_h_{gate}"))
        np.testing.assert_allclose(z[3 * n:3 * n + 3], per_gate, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1e3, -1e3])
def test_saturated_gates_stay_finite_quiet_and_equal(dtype, scale):
    params, X, s0, idx = problem(lstm, 5, 3, 4, 3, 2, seed=5, dtype=dtype)
    for name, value in params.items():
        if name.startswith("b_h"):
            value[:] = scale * np.sign(value)
    X = scale * X
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        readable, fast_result = both(params, X, s0, idx)
    if dtype == np.float64:
        assert_same(readable, fast_result, rtol=1e-12)
    else:  # gradients through shut gates reach float32's subnormals (< 1.2e-38)
        assert_same(readable, fast_result, rtol=1e-4, atol=1e-36)


def test_loss_and_grads_is_forward_loss_backward():
    params, X, (h0, c0), idx = problem(lstm, 6, 4, 5, 3, 2, seed=1)
    loss, grads, dh0, dc0, cache = fast.loss_and_grads(params, X, idx, h0, c0)
    Y, readable_cache = lstm.forward(params, X, h0, c0)
    readable_grads, readable_dh0, readable_dc0 = lstm.backward(params, readable_cache, idx)
    assert loss == pytest.approx(cross_entropy(Y, idx), rel=1e-13)
    assert_close(dh0, readable_dh0, 1e-12)
    assert_close(dc0, readable_dc0, 1e-12)
    for name, g in readable_grads.items():
        assert_close(getattr(grads, name), g, 1e-12, name)
    assert_close(cache.C[-1], readable_cache.C[-1], 1e-12)


def test_a_workspace_is_reused_and_survives_new_shapes():
    ws = Workspace()
    for T, B in [(5, 3), (5, 3), (2, None), (7, 4), (5, 3)]:
        params, X, s0, idx = problem(lstm, T, 4, 6, 3, B, seed=T)
        assert_same(*both(params, X, s0, idx, workspace=ws), rtol=1e-12)
    size = ws.nbytes
    params, X, s0, idx = problem(lstm, 5, 4, 6, 3, 3, seed=0)
    _, cache = fast.forward(params, X, *s0, workspace=ws)
    grads = fast.backward(params, cache, idx)[0]
    assert ws.nbytes == size
    assert fast.backward(params, cache, idx)[0] is grads


def test_states_may_be_the_last_states_of_the_previous_call_in_the_same_workspace():
    params, X, (h0, c0), _ = problem(lstm, 8, 4, 5, 3, 2, seed=2)
    ws = Workspace()
    _, cache = fast.forward(params, X[:4], h0, c0, workspace=ws)
    Y2, _ = fast.forward(params, X[4:], cache.H[-1], cache.C[-1], workspace=ws)
    Y, _ = lstm.forward(params, X, h0, c0)
    assert_close(Y2, Y[4:], 1e-12)


def test_backward_leaves_the_cache_as_forward_left_it():
    params, X, s0, idx = problem(lstm, 5, 4, 5, 3, 2, seed=3)
    Y, cache = fast.forward(params, X, *s0)
    before = [a.copy() for a in (Y, cache.H, cache.C, cache.G)]
    first = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    for a, b in zip(before, (Y, cache.H, cache.C, cache.G)):
        np.testing.assert_array_equal(a, b)
    second = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_with_a_workspace_a_training_step_allocates_almost_nothing():
    """Nothing in proportion to T: doubling the sequence leaves the step's allocations as they are.

    What a warm step allocates is numpy's bounded iteration buffers (up to 8192
    numbers per operand of a strided elementwise call), a few hundred kB at most:
    far below one activation array (4 MB here), and the same at T = 64 and T = 128.
    """
    peaks = []
    for T in (64, 128):
        params, X, (h0, c0), idx = problem(lstm, T, 20, 128, 20, 16, seed=4)
        ws = Workspace()
        fast.loss_and_grads(params, X, idx, h0, c0, workspace=ws)
        tracemalloc.start()
        try:
            fast.loss_and_grads(params, X, idx, h0, c0, workspace=ws)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    gates = 4 * 128 * 64 * 16 * 8  # G at T = 64: 4 MB
    assert max(peaks) < 0.1 * gates, (peaks, gates)
    assert peaks[1] < 1.1 * peaks[0] + 4096, peaks  # no growth with T


BAD_INPUTS = [
    (np.zeros((3, 5)), None, None), (np.zeros(4), None, None), (np.zeros((3, 4, 2, 1)), None, None),
    (np.zeros((0, 4)), None, None), (np.full((3, 4), np.nan), None, None),
    (np.full((3, 4), -np.inf), None, None), (np.full((3, 4), "a"), None, None),
    (np.zeros((3, 4), complex), None, None), (np.zeros((3, 4)), np.zeros(2), None),
    (np.zeros((3, 4)), None, np.zeros(2)), (np.zeros((3, 4, 2)), np.zeros((3, 2)), np.zeros(3)),
    (np.zeros((3, 4, 2)), None, np.zeros((3, 1))), (np.zeros((3, 4, 2)), np.zeros((2, 2)), None),
    (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0]), None),
    (np.zeros((3, 4)), None, np.array([0.0, np.inf, 0.0])),
    (np.zeros((3, 4)), None, np.array(["a", "b", "c"])),
]


def raised(fn, *args):
    with pytest.raises((TypeError, ValueError, AttributeError)) as info:
        fn(*args)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("X, h0, c0", BAD_INPUTS)
def test_bad_input_raises_what_the_readable_path_raises(X, h0, c0):
    params = lstm.init_params(k=4, d=3, rng=0)
    assert raised(fast.forward, params, X, h0, c0) == raised(lstm.forward, params, X, h0, c0)


@pytest.mark.parametrize("Y_true", [
    [1, 2], [1, 2, 4], [1.0, 2.0, 3.0], np.full((3, 4), 0.25), np.array([1, np.nan, 3]),
])
def test_bad_targets_raise_what_the_readable_path_raises(Y_true):
    params = lstm.init_params(k=4, d=3, rng=0)
    X = np.eye(4)[:3]
    expected = raised(lstm.backward, params, lstm.forward(params, X)[1], Y_true)
    assert raised(fast.backward, params, fast.forward(params, X)[1], Y_true) == expected
    assert raised(fast.loss_and_grads, params, X, Y_true) == expected


def test_mismatched_params_and_cache_raise_what_the_readable_path_raises():
    params = lstm.init_params(k=4, d=3, rng=0)
    other = lstm.init_params(k=4, d=2, rng=0)
    X = np.eye(4)[:3]
    assert (raised(fast.backward, other, fast.forward(params, X)[1], [1, 2, 3])
            == raised(lstm.backward, other, lstm.forward(params, X)[1], [1, 2, 3]))
    rnn_cache = rnn.forward(rnn.init_params(4, 3, rng=0), X)[1]
    with pytest.raises(TypeError, match=r"^cache must be the rnn_book\.fast\.lstm\.LSTMCache returned by "
                                        r"rnn_book\.fast\.lstm\.forward; got rnn_book\.rnn\.RNNCache$"):
        fast.backward(params, rnn_cache, [1, 2, 3])
    with pytest.raises(TypeError, match=r"rnn_book\.fast\.lstm\.LSTMCache .* got rnn_book\.lstm\.LSTMCache$"):
        fast.backward_from(params, lstm.forward(params, X)[1], dH=np.ones((3, 3)))  # readable into fast
    with pytest.raises(TypeError, match=r"rnn_book\.lstm\.LSTMCache .* got rnn_book\.fast\.lstm\.LSTMCache$"):
        lstm.backward_from(params, fast.forward(params, X)[1], dH=np.ones((3, 3)))  # fast into readable
    assert (raised(fast.forward, rnn.init_params(4, 3, rng=0), X)[0]
            == raised(lstm.forward, rnn.init_params(4, 3, rng=0), X)[0])  # an RNNParams is no LSTMParams
    params.W_hh_o = np.zeros((3, 2))
    assert raised(fast.forward, params, X) == raised(lstm.forward, params, X)


@settings(max_examples=40, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), chunk_columns=st.integers(1, 12))
def test_backward_in_chunks_equals_readable_float64(shapes, seed, chunk_columns):
    """Chunks of a few columns (one step, ragged last chunk, several steps) change nothing."""
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(lstm, T, k, d, k_out, B, seed)
    saved, layout.SPAN_COLUMNS = layout.SPAN_COLUMNS, chunk_columns
    try:
        assert_same(*both(params, X, s0, targets), rtol=1e-12, atol=1e-15)
        _, grads, dh0, dc0, _ = fast.loss_and_grads(params, X, targets, *s0)
    finally:
        layout.SPAN_COLUMNS = saved
    readable_grads, readable_dh0, readable_dc0 = lstm.backward(
        params, lstm.forward(params, X, *s0)[1], targets)
    assert_close(dh0, readable_dh0, 1e-12, "dh0", 1e-15)
    assert_close(dc0, readable_dc0, 1e-12, "dc0", 1e-15)
    for name, g in readable_grads.items():
        assert_close(getattr(grads, name), g, 1e-12, name, 1e-15)


@pytest.mark.parametrize("name", ["W_xh_i", "W_hh_g", "b_h_o", "W_Y", "b_y"])
def test_nan_weights_written_in_place_still_raise(name):
    """Shapes are checked once per set of arrays; values (via the stacked matrices) every call."""
    params, X, s0, idx = problem(lstm, 4, 4, 3, 4, None, seed=5)
    ws = Workspace()
    fast.loss_and_grads(params, X, idx, *s0, workspace=ws)
    getattr(params, name)[0, 0] = np.nan
    with pytest.raises(ValueError) as readable:
        lstm.forward(params, X, *s0)
    with pytest.raises(ValueError) as fast_error:
        fast.loss_and_grads(params, X, idx, *s0, workspace=ws)
    assert str(fast_error.value) == str(readable.value)
