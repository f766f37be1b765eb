"""rnn_book.fast.gru equals the readable rnn_book.gru: outputs, caches, every gradient, dX, errors.

Both variants, float64 to 1e-12; backward_from with random dZ, random dH and both;
backward in spans; a reused workspace; and the same errors as the readable path.
"""

import warnings

import numpy as np
import pytest
from fast_helpers import assert_close, problem
from gru_helpers import TOLERANCE, upstream_errors
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import gru, lstm
from rnn_book.fast import Workspace, layout
from rnn_book.fast import gru as fast
from rnn_book.gru_params import GATES

shapes = st.tuples(st.integers(1, 9), st.integers(1, 6), st.integers(1, 7), st.integers(1, 6),
                   st.one_of(st.none(), st.integers(1, 5)))


def upstream(rng, Y, H, which):
    dZ = rng.standard_normal(np.shape(Y)) if which in ("dZ", "both") else None
    dH = rng.standard_normal(np.shape(H)) if which in ("dH", "both") else None
    return dZ, dH


def assert_same(params, X, h0, targets, reset_after, which, rtol, atol, ws=None, seed=0):
    """Forward, backward and backward_from of both implementations agree."""
    Y, cache = gru.forward(params, X, h0, reset_after=reset_after)
    Y_f, cache_f = fast.forward(params, X, h0, reset_after=reset_after, workspace=ws)
    assert_close(Y_f, Y, rtol, "Y", atol)
    assert_close(cache_f.H, cache.H, rtol, "H", atol)
    grads, dh0 = gru.backward(params, cache, targets)
    grads_f, dh0_f = fast.backward(params, cache_f, targets)
    assert_close(dh0_f, dh0, rtol, "dh0", atol)
    for name, g in grads.items():
        assert_close(getattr(grads_f, name), g, rtol, name, atol)
    dZ, dH = upstream(np.random.default_rng(seed), Y, cache.H, which)
    grads, dX, dh0 = gru.backward_from(params, cache, dZ=dZ, dH=dH)
    grads_f, dX_f, dh0_f = fast.backward_from(params, cache_f, dZ=dZ, dH=dH)
    assert_close(dX_f, dX, rtol, "dX", atol)
    assert_close(dh0_f, dh0, rtol, "dh0 from", atol)
    for name, g in grads.items():
        assert_close(getattr(grads_f, name), g, rtol, "from " + name, atol)


@settings(max_examples=60, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), one_hot=st.booleans(), states=st.booleans(),
       reset_after=st.booleans(), which=st.sampled_from(["dZ", "dH", "both"]))
def test_fast_equals_readable_float64(shapes, seed, one_hot, states, reset_after, which):
    T, k, d, k_out, B = shapes
    params, X, (h0,), targets = problem(gru, T, k, d, k_out, B, seed, one_hot=one_hot,
                                        states=states)
    assert_same(params, X, h0, targets, reset_after, which, rtol=1e-12, atol=1e-15, seed=seed)


@settings(max_examples=20, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), reset_after=st.booleans())
def test_fast_float32_is_close_to_readable_float32(shapes, seed, reset_after):
    T, k, d, k_out, B = shapes
    params, X, (h0,), targets = problem(gru, T, k, d, k_out, B, seed, dtype=np.float32)
    assert_same(params, X, h0, targets, reset_after, "both", rtol=2e-5, atol=1e-6, seed=seed)


@settings(max_examples=40, deadline=None)
@given(shapes=shapes, seed=st.integers(0, 2**32 - 1), span_columns=st.integers(1, 12),
       reset_after=st.booleans())
def test_backward_in_spans_equals_readable_float64(shapes, seed, span_columns, reset_after):
    """Spans of a few columns (one step, ragged last span, several steps) change nothing."""
    T, k, d, k_out, B = shapes
    params, X, (h0,), targets = problem(gru, T, k, d, k_out, B, seed)
    saved, layout.SPAN_COLUMNS = layout.SPAN_COLUMNS, span_columns
    try:
        assert_same(params, X, h0, targets, reset_after, "both", rtol=1e-12, atol=1e-15, seed=seed)
    finally:
        layout.SPAN_COLUMNS = saved


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("which", ["dZ", "dH", "both"])
@pytest.mark.parametrize("sizes", [(1, 1, 1, 1, 1), (4, 3, 2, 3, 3), (6, 2, 3, 2, None)])
def test_fast_backward_from_matches_finite_differences(reset_after, which, sizes):
    """The fast path proven on its own too, not only through the readable one."""
    T, k, d, k_out, B = sizes
    params, X, (h0,), _ = problem(gru, T, k, d, k_out, B, seed=11)
    Y, cache = gru.forward(params, X, h0)
    dZ, dH = upstream(np.random.default_rng(1), Y, cache.H, which)
    errors = upstream_errors(fast, params, X, h0, dZ, dH, reset_after=reset_after)
    assert max(errors.values()) < TOLERANCE, errors


def test_stacked_gates_are_the_per_gate_matrices_in_the_order_r_u_g():
    params = gru.init_params(k=4, d=3, rng=0)
    W_hh = fast.stack_gates(params, "W_hh")
    for n, gate in enumerate(GATES):
        np.testing.assert_array_equal(W_hh[3 * n:3 * (n + 1)], getattr(params, f"W_hh_{gate}"))


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("scale", [1e3, -1e3])
def test_saturated_gates_stay_finite_quiet_and_equal(reset_after, scale):
    params, X, (h0,), idx = problem(gru, 5, 4, 3, 4, 2, seed=6)
    for name, value in params.items():
        if name.startswith("b_h"):
            value[:] = scale * np.sign(value)
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_same(params, scale * X, h0, idx, reset_after, "both", rtol=1e-12, atol=1e-15)


def test_a_workspace_is_reused_and_survives_new_shapes_and_variants():
    ws = Workspace()
    for T, B, reset_after in [(5, 3, True), (5, 3, False), (2, None, True), (7, 4, False),
                              (5, 3, True)]:
        params, X, (h0,), idx = problem(gru, T, 4, 6, 3, B, seed=T)
        assert_same(params, X, h0, idx, reset_after, "both", rtol=1e-12, atol=1e-15, ws=ws)
    size = ws.nbytes
    params, X, (h0,), idx = problem(gru, 5, 4, 6, 3, 3, seed=0)
    _, cache = fast.forward(params, X, h0, workspace=ws)
    grads = fast.backward(params, cache, idx)[0]
    assert ws.nbytes == size
    assert fast.backward(params, cache, idx)[0] is grads


def test_the_state_may_be_the_last_state_of_the_previous_call_in_the_same_workspace():
    params, X, (h0,), _ = problem(gru, 8, 4, 5, 3, 2, seed=2)
    ws = Workspace()
    _, cache = fast.forward(params, X[:4], h0, workspace=ws)
    Y2, _ = fast.forward(params, X[4:], cache.H[-1], workspace=ws)
    Y, _ = gru.forward(params, X, h0)
    assert_close(Y2, Y[4:], 1e-12)


def test_backward_leaves_the_cache_as_forward_left_it():
    params, X, (h0,), idx = problem(gru, 5, 4, 5, 3, 2, seed=3)
    Y, cache = fast.forward(params, X, h0)
    before = [a.copy() for a in (Y, cache.H, cache.G, cache.M)]
    first = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    fast.backward_from(params, cache, dZ=np.ones_like(Y), dH=np.ones_like(cache.H))
    for a, b in zip(before, (Y, cache.H, cache.G, cache.M)):
        np.testing.assert_array_equal(a, b)
    second = [g.copy() for _, g in fast.backward(params, cache, idx)[0].items()]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


BAD_INPUTS = [
    (np.zeros((3, 5)), None), (np.zeros(4), None), (np.zeros((3, 4, 2, 1)), None),
    (np.zeros((0, 4)), None), (np.full((3, 4), np.nan), None), (np.full((3, 4), "a"), None),
    (np.zeros((3, 4), complex), None), (np.zeros((3, 4)), np.zeros(2)),
    (np.zeros((3, 4, 2)), np.zeros((2, 2))), (np.zeros((3, 4)), np.array([0.0, np.nan, 0.0])),
]


def raised(fn, *args, **kwargs):
    with pytest.raises((TypeError, ValueError, AttributeError)) as info:
        fn(*args, **kwargs)
    return type(info.value), str(info.value)


@pytest.mark.parametrize("X, h0", BAD_INPUTS)
def test_bad_input_raises_what_the_readable_path_raises(X, h0):
    params = gru.init_params(k=4, d=3, rng=0)
    assert raised(fast.forward, params, X, h0) == raised(gru.forward, params, X, h0)


@pytest.mark.parametrize("Y_true", [[1, 2], [1, 2, 4], [1.0, 2.0, 3.0], np.full((3, 4), 0.25)])
def test_bad_targets_raise_what_the_readable_path_raises(Y_true):
    params = gru.init_params(k=4, d=3, rng=0)
    X = np.eye(4)[:3]
    expected = raised(gru.backward, params, gru.forward(params, X)[1], Y_true)
    assert raised(fast.backward, params, fast.forward(params, X)[1], Y_true) == expected


@pytest.mark.parametrize("dZ, dH", [
    (np.zeros((3, 4, 1)), None), (None, np.zeros((3, 2))), (None, np.full((3, 3), np.inf)),
    (np.full((3, 4), "a"), None),
])
def test_bad_upstream_gradients_raise_what_the_readable_path_raises(dZ, dH):
    params = gru.init_params(k=4, d=3, rng=0)
    X = np.eye(4)[:3]
    expected = raised(gru.backward_from, params, gru.forward(params, X)[1], dZ=dZ, dH=dH)
    assert raised(fast.backward_from, params, fast.forward(params, X)[1], dZ=dZ, dH=dH) == expected


def test_a_foreign_cache_names_both_classes():
    params = gru.init_params(k=4, d=3, rng=0)
    X = np.eye(4)[:3]
    with pytest.raises(TypeError, match=r"rnn_book\.fast\.gru\.GRUCache .* got rnn_book\.gru\.GRUCache"):
        fast.backward(params, gru.forward(params, X)[1], [1, 2, 3])
    with pytest.raises(TypeError, match=r"rnn_book\.gru\.GRUCache .* got rnn_book\.fast\.gru\.GRUCache"):
        gru.backward(params, fast.forward(params, X)[1], [1, 2, 3])
    other = gru.init_params(k=4, d=2, rng=0)
    assert (raised(fast.backward, other, fast.forward(params, X)[1], [1, 2, 3])
            == raised(gru.backward, other, gru.forward(params, X)[1], [1, 2, 3]))
    assert (raised(fast.forward, lstm.init_params(4, 3, rng=0), X)[0]
            == raised(gru.forward, lstm.init_params(4, 3, rng=0), X)[0])


@pytest.mark.parametrize("name", ["W_xh_r", "W_hh_g", "b_h_u", "b_hh_g", "W_Y", "b_y"])
def test_nan_weights_written_in_place_still_raise(name):
    params, X, (h0,), idx = problem(gru, 4, 4, 3, 4, None, seed=5)
    ws = Workspace()
    fast.forward(params, X, h0, workspace=ws)
    getattr(params, name)[0, 0] = np.nan
    assert raised(fast.forward, params, X, h0, workspace=ws) == raised(gru.forward, params, X, h0)


@pytest.mark.parametrize("reset_after", [True, False])
def test_loss_and_grads_is_forward_loss_backward(reset_after):
    from rnn_book.losses import cross_entropy

    params, X, (h0,), idx = problem(gru, 6, 4, 5, 3, 2, seed=8)
    ws = Workspace()
    loss, grads, dh0, cache = fast.loss_and_grads(params, X, idx, h0, reset_after=reset_after,
                                                  workspace=ws)
    Y, readable_cache = gru.forward(params, X, h0, reset_after=reset_after)
    assert loss == pytest.approx(cross_entropy(Y, idx), rel=1e-12)
    readable_grads, readable_dh0 = gru.backward(params, readable_cache, idx)
    assert_close(dh0, readable_dh0, 1e-12, "dh0", 1e-15)
    for name, g in readable_grads.items():
        assert_close(getattr(grads, name), g, 1e-12, name, 1e-15)
    assert_close(cache.H, readable_cache.H, 1e-12, "H")


def test_with_a_workspace_a_training_step_allocates_almost_nothing():
    """Nothing in proportion to T: doubling the sequence leaves the step's allocations as they are."""
    import tracemalloc

    peaks = []
    for T in (64, 128):
        params, X, (h0,), idx = problem(gru, T, 20, 128, 20, 16, seed=4)
        ws = Workspace()
        fast.loss_and_grads(params, X, idx, h0, workspace=ws)
        tracemalloc.start()
        try:
            fast.loss_and_grads(params, X, idx, h0, workspace=ws)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    gates = 3 * 128 * 64 * 16 * 8  # G at T = 64: 3 MB
    assert max(peaks) < 0.1 * gates, (peaks, gates)
    assert peaks[1] < 1.1 * peaks[0] + 4096, peaks  # no growth with T


@pytest.mark.parametrize("reset_after", [True, False])
def test_a_layer_without_outputs_k_out_0(reset_after):
    """k_out = 0: a layer inside a stack, driven by dH alone; fast = readable = finite differences."""
    params = gru.init_params(3, 4, 0, rng=0)
    for name, value in params.items():
        if name.startswith("b_"):
            value += 0.3
    rng = np.random.default_rng(2)
    X, h0, dH = rng.standard_normal((5, 3, 2)), rng.uniform(-0.5, 0.5, (4, 2)), rng.standard_normal((5, 4, 2))
    Y, cache = gru.forward(params, X, h0, reset_after=reset_after)
    assert Y.shape == (5, 0, 2)
    grads, dX, dh0 = gru.backward_from(params, cache, dH=dH)
    _, cache_f = fast.forward(params, X, h0, reset_after=reset_after)
    grads_f, dX_f, dh0_f = fast.backward_from(params, cache_f, dH=dH)
    assert_close(dX_f, dX, 1e-12, "dX", 1e-15)
    assert_close(dh0_f, dh0, 1e-12, "dh0", 1e-15)
    for name, g in grads.items():
        assert_close(getattr(grads_f, name), g, 1e-12, name, 1e-15)
    errors = upstream_errors(gru, params, X, h0, None, dH, reset_after=reset_after)
    assert max(errors.values()) < TOLERANCE, errors
