"""rnn_book.fast.rnn equals the readable rnn_book.rnn: outputs, caches, gradients, errors."""

import tracemalloc
import warnings

import numpy as np
import pytest
from fast_helpers import assert_close, problem
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import checks, rnn
from rnn_book.fast import Workspace, layout
from rnn_book.fast import rnn as fast
from rnn_book.losses import cross_entropy

shapes = st.tuples(st.integers(1, 9), st.integers(1, 6), st.integers(1, 7), st.integers(1, 6),
                   st.one_of(st.none(), st.integers(1, 5)))


def both(params, X, s0, targets, workspace=None):
    Y, cache = rnn.forward(params, X, *s0)
    grads, dh0 = rnn.backward(params, cache, targets)
    Y_f, cache_f = fast.forward(params, X, *s0, workspace=workspace)
    grads_f, dh0_f = fast.backward(params, cache_f, targets)
    return (Y, cache, grads, dh0), (Y_f, cache_f, grads_f, dh0_f)


def assert_same(readable, fast_result, rtol, atol=0.0):
    (Y, cache, grads, dh0), (Y_f, cache_f, grads_f, dh0_f) = readable, fast_result
    assert_close(Y_f, Y, rtol, "Y", atol)
    assert_close(cache_f.H, cache.H, rtol, "H", atol)
    assert_close(dh0_f, dh0, rtol, "dh0", atol)
    for name, g in grads.items():
        assert_close(getattr(grads_f, name), g, rtol, name, atol)


@settings(max_examples=60, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), one_hot=st.booleans(), states=st.booleans())
def test_fast_equals_readable_float64(shapes, seed, one_hot, states):
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(rnn, T, k, d, k_out, B, seed, one_hot=one_hot, states=states)
    # atol: a sum over steps and batch that cancels (db_y, say) is judged against
    # the size of its terms (order 1), not its own, far below float64's rounding.
    assert_same(*both(params, X, s0, targets), rtol=1e-12, atol=1e-15)


@settings(max_examples=20, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1))
def test_fast_float32_is_close_to_readable_float32(shapes, seed):
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(rnn, T, k, d, k_out, B, seed, dtype=np.float32)
    assert_same(*both(params, X, s0, targets), rtol=2e-5, atol=1e-6)


def test_the_lectures_assignment():
    params = rnn.init_params(k=4, d=3, rng=0)
    X, Y_true = np.eye(4)[[0, 1, 2]], np.eye(4)[[1, 2, 3]]
    readable, fast_result = both(params, X, [None], Y_true)
    assert_same(readable, fast_result, rtol=1e-12)
    assert np.all(fast_result[2].W_X[:, 3] == 0)  # symbol 3 is never an input


def test_loss_and_grads_is_forward_loss_backward():
    params, X, (h0,), idx = problem(rnn, 6, 4, 5, 3, 2, seed=1)
    loss, grads, dh0, cache = fast.loss_and_grads(params, X, idx, h0)
    Y, readable_cache = rnn.forward(params, X, h0)
    readable_grads, readable_dh0 = rnn.backward(params, readable_cache, idx)
    assert loss == pytest.approx(cross_entropy(Y, idx), rel=1e-13)
    assert_close(dh0, readable_dh0, 1e-12)
    for name, g in readable_grads.items():
        assert_close(getattr(grads, name), g, 1e-12, name)
    assert_close(cache.H[-1], readable_cache.H[-1], 1e-12)


def test_a_workspace_is_reused_and_survives_new_shapes():
    ws = Workspace()
    for T, B in [(5, 3), (5, 3), (2, 1), (7, 4), (5, 3)]:
        params, X, s0, idx = problem(rnn, T, 4, 6, 3, B, seed=T * B)
        assert_same(*both(params, X, s0, idx, workspace=ws), rtol=1e-12)
    size = ws.nbytes
    params, X, s0, idx = problem(rnn, 5, 4, 6, 3, 3, seed=0)
    _, cache = fast.forward(params, X, *s0, workspace=ws)
    grads, _ = fast.backward(params, cache, idx)
    assert ws.nbytes == size
    assert fast.backward(params, cache, idx)[0] is grads  # the same gradient object each call


def test_h0_may_be_the_last_state_of_the_previous_call_in_the_same_workspace():
    """Truncated BPTT: chunk 2 starts from chunk 1's h_T, a view into the workspace."""
    params, X, (h0,), _ = problem(rnn, 8, 4, 5, 3, 2, seed=2)
    ws = Workspace()
    _, cache = fast.forward(params, X[:4], h0, workspace=ws)
    Y2, _ = fast.forward(params, X[4:], cache.H[-1], workspace=ws)
    Y, _ = rnn.forward(params, X, h0)
    assert_close(Y2, Y[4:], 1e-12)


def test_backward_leaves_the_cache_as_forward_left_it():
    params, X, (h0,), idx = problem(rnn, 5, 4, 5, 3, 2, seed=3)
    Y, cache = fast.forward(params, X, h0)
    Y_before, H_before = Y.copy(), cache.H.copy()
    first = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    np.testing.assert_array_equal(Y, Y_before)
    np.testing.assert_array_equal(cache.H, H_before)
    second = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_with_a_workspace_a_training_step_allocates_almost_nothing():
    # numpy's ufuncs may take small iteration buffers (up to ~200 kB here), so the
    # problem is big enough that one full-size temporary would stand out.
    params, X, (h0,), idx = problem(rnn, 64, 20, 128, 20, 16, seed=4)
    ws = Workspace()
    fast.loss_and_grads(params, X, idx, h0, workspace=ws)  # the first call allocates
    tracemalloc.start()
    try:
        fast.loss_and_grads(params, X, idx, h0, workspace=ws)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    activations = ws.array("H", (128, 65, 16), np.float64).nbytes  # 1 MB
    assert peak < 0.2 * activations, (peak, activations)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_a_warm_step_at_the_large_size_allocates_far_less_than_the_inputs(cell):
    # the input check used to build a boolean array as large as X, T*B*k bytes, at every step
    from rnn_book import lstm
    from rnn_book.fast import lstm as fast_lstm

    readable, fast_cell = (rnn, fast) if cell == "rnn" else (lstm, fast_lstm)
    B, T, k, d = 64, 128, 256, 512  # the benchmark's large size
    rng = np.random.default_rng(0)
    params = readable.init_params(k, d, rng=1)
    X = np.moveaxis(np.eye(k)[rng.integers(0, k, (T, B))], -1, 1)  # (T, k, B) one-hot
    idx = rng.integers(0, k, (T, B))
    ws = Workspace()
    fast_cell.loss_and_grads(params, X, idx, workspace=ws)  # the first call allocates
    tracemalloc.start()
    try:
        fast_cell.loss_and_grads(params, X, idx, workspace=ws)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 0.5 * T * B * k, (peak, T * B * k)


def test_the_input_check_finds_nan_and_infinity_without_a_full_size_temporary():
    assert checks.all_finite(np.full((2, 3), 1e308))  # the sum overflows; every entry is finite
    for bad in (np.nan, np.inf, -np.inf):
        X = np.zeros((5, 4, 2))
        X[3, 1, 1] = bad
        assert not checks.all_finite(X)
        with pytest.raises(ValueError, match="X must be finite"):
            fast.forward(rnn.init_params(k=4, d=3, rng=0), X)


def test_fast_path_validates_once_per_call_like_the_readable_one():
    params = rnn.init_params(k=4, d=3, rng=0)
    params.W_H = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"W_H must have shape \(d, d\) = \(3, 3\)"):
        fast.forward(params, np.eye(4)[:3])


BAD_INPUTS = [
    (np.zeros((3, 5)), None), (np.zeros(4), None), (np.zeros((3, 4, 2, 1)), None),
    (np.zeros((0, 4)), None), (np.full((3, 4), np.nan), None), (np.full((3, 4), np.inf), None),
    (np.full((3, 4), "a"), None), (np.zeros((3, 4), complex), None),
    (np.zeros((3, 4)), np.zeros(2)), (np.zeros((3, 4, 2)), np.zeros(3)),
    (np.zeros((3, 4, 2)), np.zeros((3, 1))), (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0])),
    (np.zeros((3, 4)), np.array(["a", "b", "c"])),
]


def raised(fn, *args):
    *args, ws = args if args and isinstance(args[-1], Workspace) else (*args, None)
    with pytest.raises((TypeError, ValueError)) as info:
        fn(*args) if ws is None else fn(*args, workspace=ws)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("X, h0", BAD_INPUTS)
def test_bad_input_raises_what_the_readable_path_raises(X, h0):
    params = rnn.init_params(k=4, d=3, rng=0)
    assert raised(fast.forward, params, X, h0) == raised(rnn.forward, params, X, h0)


@pytest.mark.parametrize("Y_true", [
    [1, 2], [1, 2, 4], [1.0, 2.0, 3.0], np.full((3, 4), 0.25), np.array([1, np.nan, 3]), [-1, 0, 0],
])
def test_bad_targets_raise_what_the_readable_path_raises(Y_true):
    params = rnn.init_params(k=4, d=3, rng=0)
    X = np.eye(4)[:3]
    expected = raised(rnn.backward, params, rnn.forward(params, X)[1], Y_true)
    assert raised(fast.backward, params, fast.forward(params, X)[1], Y_true) == expected
    assert raised(fast.loss_and_grads, params, X, Y_true) == expected


def test_mismatched_params_and_cache_raise_what_the_readable_path_raises():
    params = rnn.init_params(k=4, d=3, rng=0)
    other = rnn.init_params(k=4, d=2, rng=0)
    X = np.eye(4)[:3]
    assert (raised(fast.backward, other, fast.forward(params, X)[1], [1, 2, 3])
            == raised(rnn.backward, other, rnn.forward(params, X)[1], [1, 2, 3]))
    with pytest.raises(TypeError, match=r"^cache must be the rnn_book\.fast\.rnn\.RNNCache returned by "
                                        r"rnn_book\.fast\.rnn\.forward; got builtins\.tuple$"):
        fast.backward(params, (1, 2), [1, 2, 3])
    with pytest.raises(TypeError, match=r"rnn_book\.fast\.rnn\.RNNCache .* got rnn_book\.rnn\.RNNCache$"):
        fast.backward(params, rnn.forward(params, X)[1], [1, 2, 3])  # the readable path's cache
    with pytest.raises(TypeError, match=r"rnn_book\.rnn\.RNNCache .* got rnn_book\.fast\.rnn\.RNNCache$"):
        rnn.backward_from(params, fast.forward(params, X)[1], dH=np.ones((3, 3)))


@settings(max_examples=40, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), chunk_columns=st.integers(1, 12))
def test_backward_in_chunks_equals_readable_float64(shapes, seed, chunk_columns):
    """Chunks of a few columns (one step, ragged last chunk, several steps) change nothing."""
    T, k, d, k_out, B = shapes
    params, X, s0, targets = problem(rnn, T, k, d, k_out, B, seed)
    saved, layout.SPAN_COLUMNS = layout.SPAN_COLUMNS, chunk_columns
    try:
        assert_same(*both(params, X, s0, targets), rtol=1e-12, atol=1e-15)
        _, grads, dh0, _ = fast.loss_and_grads(params, X, targets, *s0)
    finally:
        layout.SPAN_COLUMNS = saved
    readable_grads, readable_dh0 = rnn.backward(params, rnn.forward(params, X, *s0)[1], targets)
    assert_close(dh0, readable_dh0, 1e-12, "dh0", 1e-15)
    for name, g in readable_grads.items():
        assert_close(getattr(grads, name), g, 1e-12, name, 1e-15)


def test_validated_once_but_values_checked_every_call():
    """The shape check is cached per set of arrays; NaN weights written in place still raise."""
    params, X, (h0,), idx = problem(rnn, 4, 4, 3, 4, None, seed=5)
    ws = Workspace()
    fast.loss_and_grads(params, X, idx, h0, workspace=ws)
    params.W_Y[0, 0] = np.nan  # in place: the same array
    assert raised(fast.loss_and_grads, params, X, idx, h0, ws) == raised(rnn.forward, params, X, h0)
    params.W_Y[0, 0] = 0.0
    params.W_H = np.zeros((3, 2))  # replaced: shapes checked again
    assert raised(fast.forward, params, X, h0, ws) == raised(rnn.forward, params, X, h0)
    params.W_H = np.zeros((3, 3))
    fast.forward(params, X, h0, workspace=ws)


def test_loss_and_grads_consumes_the_outputs_forward_keeps_them():
    params, X, (h0,), idx = problem(rnn, 5, 4, 5, 3, 2, seed=6)
    Y, _ = rnn.forward(params, X, h0)
    ws = Workspace()
    Y_fast, _ = fast.forward(params, X, h0, workspace=ws)
    assert_close(Y_fast, Y, 1e-12)
    _, _, _, cache = fast.loss_and_grads(params, X, idx, h0, workspace=ws)
    dZ = Y.copy()
    dZ[np.arange(5)[:, None], idx, np.arange(2)] -= 1
    assert_close(cache.Y, dZ / 2, 1e-12)  # dL/dz_t, computed over the outputs


def test_huge_finite_weights_whose_sum_overflows_do_not_raise():
    """The finiteness check sums each array; a sum that overflows is checked entry by entry."""
    params, X, (h0,), _ = problem(rnn, 4, 4, 3, 4, None, seed=7, dtype=np.float32)
    ws = Workspace()
    fast.forward(params, X, h0, workspace=ws)
    params.b_y[:] = np.finfo(np.float32).max  # finite, but their sum is inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check itself warns of nothing
        try:
            fast.forward(params, X, h0, workspace=ws)
        except RuntimeWarning as warning:  # the softmax of huge biases may warn; the check must not
            assert "reduce" not in str(warning), warning
