"""rnn_book.stack and stack_params: what a stack computes, fast equal to readable, clear errors."""

import numpy as np
import pytest

from rnn_book import lstm, rnn, stack
from rnn_book.gradcheck import relative_error
from rnn_book.gradient_flow import clip_by_global_norm
from rnn_book.losses import softmax_cross_entropy_grad
from rnn_book.stack_params import CELL_PARAMS, StackParams

CELLS = sorted(CELL_PARAMS)


def random_stack(cell, seed=0, k=3, d=4, k_out=5, layers=2, bidirectional=True):
    rng = np.random.default_rng(seed)
    params = stack.init_params(cell, k, d, k_out, layers=layers, bidirectional=bidirectional, rng=rng)
    return params.map(lambda a: 0.6 * rng.standard_normal(a.shape)), rng


@pytest.mark.parametrize("layers, bidirectional", [(1, False), (1, True), (2, True), (3, False)])
@pytest.mark.parametrize("cell", CELLS)
def test_fast_equals_readable(cell, layers, bidirectional):
    params, rng = random_stack(cell, 1, layers=layers, bidirectional=bidirectional)
    D = 2 if bidirectional else 1
    X = rng.standard_normal((7, 3, 4))
    states = [rng.standard_normal((layers * D, 4, 4)) for _ in range(1 + (cell == "lstm"))]
    dH = rng.standard_normal((7, D * 4, 4))
    targets = rng.integers(0, 5, (7, 4))
    results = []
    for fast in (False, True):
        Y, cache = stack.forward(params, X, *states, fast=fast)
        dZ = softmax_cross_entropy_grad(Y, targets)
        grads, dX, *d_states = stack.backward_from(params, cache, dZ=dZ, dH=dH)
        results.append([Y, cache.H, cache.h_n, dX, *d_states] + [g for _, g in grads.items()]
                       + ([cache.c_n] if cell == "lstm" else []))
    for readable, fast in zip(*results):
        assert relative_error(fast, readable) <= 1e-12


@pytest.mark.parametrize("cell", CELLS)
def test_one_layer_one_direction_is_the_cell_with_its_output_layer(cell):
    params, rng = random_stack(cell, 2, layers=1, bidirectional=False)
    X = rng.standard_normal((5, 3, 2))
    Y, cache = stack.forward(params, X)
    layer = params.layers[0][0]
    cell_params = CELL_PARAMS[cell](**{name: value for name, value in layer.items()
                                       if name not in ("W_Y", "b_y")}, W_Y=params.W_Y, b_y=params.b_y)
    Y_cell, cache_cell = stack.cell_module(cell).forward(cell_params, X)
    np.testing.assert_allclose(Y, Y_cell, rtol=1e-13, atol=0)
    targets = rng.integers(0, 5, (5, 2))
    grads, dh0 = stack.backward(params, cache, targets)[:2]
    grads_cell, dh0_cell = stack.cell_module(cell).backward(cell_params, cache_cell, targets)[:2]
    for (name, g), (name_cell, g_cell) in zip(grads.layers[0][0].items(), grads_cell.items()):
        if name not in ("W_Y", "b_y"):
            np.testing.assert_allclose(g, g_cell, rtol=1e-12)
    np.testing.assert_allclose(grads.W_Y, grads_cell.W_Y, rtol=1e-12)
    np.testing.assert_allclose(dh0[0], dh0_cell, rtol=1e-12)


@pytest.mark.parametrize("cell", CELLS)
def test_the_reverse_direction_reads_the_sequence_from_its_end(cell):
    """The second half of a bidirectional layer's h_t is the cell run over x_T .. x_1, put back in time order."""
    params, rng = random_stack(cell, 3, layers=1, bidirectional=True)
    X = rng.standard_normal((6, 3, 2))
    _, cache = stack.forward(params, X)
    _, reverse = stack.cell_module(cell).forward(params.layers[0][1], X[::-1])
    np.testing.assert_allclose(cache.H[:, 4:], reverse.H[::-1], rtol=1e-13)
    np.testing.assert_allclose(cache.h_n[1], reverse.H[-1], rtol=1e-13)  # its last step is t = 1
    np.testing.assert_allclose(cache.h_n[0], cache.H[-1, :4], rtol=1e-13)


def test_a_bidirectional_output_at_step_t_depends_on_later_inputs_a_forward_one_does_not():
    for bidirectional, depends in ((False, False), (True, True)):
        params, rng = random_stack("lstm", 4, layers=2, bidirectional=bidirectional)
        X = rng.standard_normal((6, 3))
        Y, _ = stack.forward(params, X)
        X2 = X.copy()
        X2[4] += 1.0  # change x_5 only
        Y2, _ = stack.forward(params, X2)
        assert np.allclose(Y[:4], Y2[:4]) != depends
        assert not np.allclose(Y[4:], Y2[4:])


def test_single_sequence_layout():
    params, rng = random_stack("lstm", 5)
    X = rng.standard_normal((4, 3))
    Y, cache = stack.forward(params, X, np.zeros((4, 4)), np.zeros((4, 4)))
    assert Y.shape == (4, 5) and cache.H.shape == (4, 8) and cache.h_n.shape == (4, 4)
    grads, dX, dh0, dc0 = stack.backward_from(params, cache, dZ=np.ones((4, 5)))
    assert dX.shape == X.shape and dh0.shape == dc0.shape == (4, 4)
    Y_b, _ = stack.forward(params, X[..., None])
    np.testing.assert_array_equal(Y, Y_b[..., 0])


def test_stack_params_names_and_helpers():
    params, _ = random_stack("rnn", 6, layers=2, bidirectional=True)
    names = [name for name, _ in params.items()]
    assert names == ["l0.W_X", "l0.W_H", "l0.b_h", "l0_reverse.W_X", "l0_reverse.W_H",
                     "l0_reverse.b_h", "l1.W_X", "l1.W_H", "l1.b_h", "l1_reverse.W_X",
                     "l1_reverse.W_H", "l1_reverse.b_h", "W_Y", "b_y"]
    assert params.layers[1][0].W_X.shape == (4, 8)  # reads both directions of layer 0
    copy = params.copy()
    copy.layers[0][0].W_X[...] = 0
    assert np.abs(params.layers[0][0].W_X).sum() > 0
    assert params.astype(np.float32).dtype == np.float32
    assert all(not g.any() for _, g in params.zeros_like().items())
    clipped, norm = clip_by_global_norm(params, 1.0)  # rebuilt from keyword arguments
    assert isinstance(clipped, StackParams) and norm > 1
    assert np.isclose(sum(float(np.sum(g ** 2)) for _, g in clipped.items()), 1.0)


def test_the_layers_share_the_stacks_arrays():
    """An optimizer's in-place update of params.items() is what the layers run with."""
    params, _ = random_stack("lstm", 7)
    for _, value in params.items():
        value += 1.0
    assert params.items()[0][1] is params.layers[0][0].W_xh_f


@pytest.mark.parametrize("arrays, error, message", [
    ({"l0.W_X": np.zeros((2, 3))}, ValueError, "needs the output layer's W_Y and b_y"),
    ({"W_Y": np.zeros((2, 2)), "b_y": np.zeros((2, 1))}, ValueError, "needs layer 0's arrays"),
    ({"W_X": np.zeros((2, 3)), "W_Y": np.zeros((2, 2)), "b_y": np.zeros((2, 1))}, ValueError,
     "'W_X' is no array name"),
    ({"l0.W_X": np.zeros((2, 3)), "W_Y": np.zeros((2, 2)), "b_y": np.zeros((2, 1))}, ValueError,
     "which are no cell's"),
])
def test_stack_params_refuse_what_does_not_fit(arrays, error, message):
    with pytest.raises(error, match=message):
        StackParams(**arrays)


def test_stack_params_name_the_layer_that_does_not_fit():
    params, _ = random_stack("rnn", 8)
    arrays = dict(params.items())
    arrays["l1.W_X"] = np.zeros((4, 3))  # layer 1 must read 2 d = 8 inputs
    with pytest.raises(ValueError, match=r"l1 must have d = 4 hidden units reading k = 8 inputs"):
        StackParams(**arrays)
    arrays = dict(params.items())
    del arrays["l1_reverse.W_H"]
    with pytest.raises(ValueError, match=r"l1_reverse has arrays"):
        StackParams(**arrays)
    arrays = dict(params.items())
    arrays["W_Y"] = np.zeros((5, 4))
    with pytest.raises(ValueError, match=r"W_Y must have shape \(k_out, 8\)"):
        StackParams(**arrays)
    arrays = dict(params.items())
    arrays["W_Y"] = arrays["W_Y"].astype(np.float32)
    with pytest.raises(TypeError, match="share one dtype"):
        StackParams(**arrays)


@pytest.mark.parametrize("kwargs, message", [
    ({"cell": "transformer"}, "cell must be one of"),
    ({"layers": 0}, "layers must be a positive integer; got 0"),
    ({"bidirectional": "yes"}, "bidirectional must be True or False"),
    ({"d": 0}, "d must be a positive integer"),
])
def test_init_params_refuses_bad_settings(kwargs, message):
    settings = dict(cell="rnn", k=3, d=2, rng=0)
    settings.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=message):
        stack.init_params(**settings)


def test_forward_and_backward_refuse_bad_input():
    params, rng = random_stack("rnn", 9)
    X = rng.standard_normal((3, 3, 2))
    with pytest.raises(TypeError, match="params must be a StackParams"):
        stack.forward(rnn.init_params(3, 4, rng=0), X)
    with pytest.raises(ValueError, match="c0 is the LSTM's cell state; a rnn stack has none"):
        stack.forward(params, X, None, np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match=r"h0 must have shape \(N D, d, B\) = \(4, 4, 2\); got \(2, 4, 2\)"):
        stack.forward(params, X, np.zeros((2, 4, 2)))
    with pytest.raises(ValueError, match=r"X must have shape"):
        stack.forward(params, X[:, :2])
    Y, cache = stack.forward(params, X)
    with pytest.raises(ValueError, match="give dZ .* or both; got neither"):
        stack.backward_from(params, cache)
    with pytest.raises(ValueError, match=r"dZ must have shape \(T, k_out, B\) = \(3, 5, 2\)"):
        stack.backward_from(params, cache, dZ=np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"dH must have shape \(T, D d, B\) = \(3, 8, 2\)"):
        stack.backward_from(params, cache, dH=np.ones((3, 4, 2)))
    _, cell_cache = rnn.forward(rnn.init_params(3, 4, rng=0), X)
    with pytest.raises(TypeError, match="cache must be the rnn_book.stack.StackCache .* got rnn_book.rnn.RNNCache"):
        stack.backward(params, cell_cache, np.zeros((3, 2), int))
    other, _ = random_stack("rnn", 9, layers=1)
    with pytest.raises(ValueError, match="cache comes from a stack with"):
        stack.backward_from(other, cache, dZ=np.ones_like(Y))
    with pytest.raises(ValueError, match="must be finite"):
        stack.backward_from(params, cache, dZ=np.full_like(Y, np.nan))


def test_backward_after_the_parameters_changed_is_refused():
    """Each layer's cell checks that backward gets the values its forward pass ran with."""
    params, rng = random_stack("lstm", 10)
    Y, cache = stack.forward(params, rng.standard_normal((3, 3, 2)))
    params.layers[1][1].W_hh_f += 1.0
    with pytest.raises(ValueError, match="other parameter values"):
        stack.backward_from(params, cache, dZ=np.ones_like(Y))


def test_cell_module_names_both_implementations():
    assert stack.cell_module("lstm") is lstm
    assert stack.cell_module("lstm", fast=True).__name__ == "rnn_book.fast.lstm"
    with pytest.raises(ValueError, match="cell must be one of"):
        stack.cell_module("cnn")
