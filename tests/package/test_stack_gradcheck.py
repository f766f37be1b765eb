"""Finite differences agree with the stack's backward pass, every cell, readable and fast (float64).

Hypothesis draws the cell, the sizes T, k, d, k_out, B from 1 up, the number
of layers, one or two directions, the layout, which gradients drive the
backward pass (dL/dz_t from cross-entropy, dL/dh_t = G on the top layer from
a random G, or both) and a seed; the seed draws inputs, every weight and
every bias (nonzero), h0, c0, targets and G. Every gradient is checked: each
layer's and direction's parameters, W_Y, b_y, X, h0 and c0.
"""

import numpy as np
import pytest
from helpers import richardson_gradient, signed_weights
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import stack
from rnn_book.gradcheck import relative_error
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad
from rnn_book.stack_params import CELL_PARAMS

TOLERANCE = 1e-7
EPS = 1e-3
CELLS = sorted(CELL_PARAMS)


def random_case(seed, cell, T, k, d, k_out, B, L, bidirectional, batched):
    """Parameters with every array random (magnitudes 0.3 to 1 per unit fan-in), inputs, states."""
    rng = np.random.default_rng(seed)
    params = stack.init_params(cell, k, d, k_out, layers=L, bidirectional=bidirectional, rng=rng)
    params = params.map(lambda a: signed_weights(rng, *a.shape))
    D = 2 if bidirectional else 1
    case = {"X": rng.standard_normal((T, k, B)),  # (T, k, B)
            "h0": rng.uniform(-0.9, 0.9, (L * D, d, B)),  # (L D, d, B)
            "targets": rng.integers(0, k_out, (T, B)),  # (T, B)
            "G": rng.standard_normal((T, D * d, B))}  # (T, D d, B)  dL/dh_t from elsewhere
    if cell == "lstm":
        case["c0"] = rng.uniform(-2, 2, (L * D, d, B))
    if not batched:  # B == 1 in the single-sequence layout
        case = {name: value[..., 0] for name, value in case.items()}
    return params, case


def gradient_errors(params, case, drive):
    """Relative errors of backward_from, readable and fast, against finite differences.

    The differences are taken once, of the readable forward pass; both
    implementations' gradients are compared with them: ``{"readable": {...}, "fast": {...}}``.
    """
    states = [case["h0"]] + ([case["c0"]] if "c0" in case else [])
    use_loss, use_G = drive in ("dZ", "both"), drive in ("dH", "both")

    def loss():
        Y, cache = stack.forward(params, case["X"], *states)
        return ((cross_entropy(Y, case["targets"]) if use_loss else 0.0)
                + (float(np.sum(cache.H * case["G"])) if use_G else 0.0))

    # The differences' rounding noise, about 1e-16 |L| / EPS per entry (see
    # richardson_gradient), with a margin of ten: a gradient that vanished
    # through a deep stack (4.6e-7 for one d = 1 weight of a two-layer,
    # bidirectional LSTM) is compared to within that noise, not to 1e-7 of itself.
    noise = 1e-15 * max(1.0, abs(loss())) / EPS
    numeric = {name: richardson_gradient(loss, W, EPS) for name, W in params.items()}
    numeric["X"] = richardson_gradient(loss, case["X"], EPS)
    numeric.update({name: richardson_gradient(loss, s0, EPS) for name, s0 in zip(("h0", "c0"), states)})
    errors = {}
    for fast in (False, True):
        Y, cache = stack.forward(params, case["X"], *states, fast=fast)
        dZ = softmax_cross_entropy_grad(Y, case["targets"]) if use_loss else None
        grads, dX, *d_states = stack.backward_from(params, cache, dZ=dZ,
                                                   dH=case["G"] if use_G else None)
        analytic = dict(grads.items(), X=dX, **dict(zip(("h0", "c0"), d_states)))
        assert analytic.keys() == numeric.keys()
        errors["fast" if fast else "readable"] = {
            name: beyond_noise(analytic[name], numeric[name], noise) for name in numeric}
    return errors


def beyond_noise(analytic, numeric, noise):
    """The relative error, or 0 when the two differ by less than the differences'
    rounding noise (``noise`` per entry): then no digit of the error is real."""
    if np.linalg.norm(analytic - numeric) <= noise * np.sqrt(numeric.size):
        return 0.0
    return relative_error(analytic, numeric)


def test_a_wrong_gradient_is_beyond_the_noise():
    """The noise allowance is far below any real error, even on a gradient of 1e-6."""
    numeric = np.array([[-4.64e-7]])
    assert beyond_noise(numeric + 1e-13, numeric, 1e-12) == 0.0
    assert beyond_noise(numeric * 1.001, numeric, 1e-12) > TOLERANCE


def worst(errors):
    return max(max(e.values()) for e in errors.values())


sizes = st.integers(1, 3)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), cell=st.sampled_from(CELLS), T=sizes, k=sizes, d=sizes,
       k_out=sizes, B=st.integers(1, 2), L=st.integers(1, 2), bidirectional=st.booleans(),
       single=st.booleans(), drive=st.sampled_from(["dZ", "dH", "both"]))
def test_backward_from_matches_finite_differences(seed, cell, T, k, d, k_out, B, L, bidirectional,
                                                  single, drive):
    batched = not (single and B == 1)
    params, case = random_case(seed, cell, T, k, d, k_out, B, L, bidirectional, batched)
    errors = gradient_errors(params, case, drive)
    assert len(errors["fast"]) == len(params.items()) + 2 + (cell == "lstm")
    assert worst(errors) < TOLERANCE, errors


@pytest.mark.parametrize("cell", CELLS)
def test_three_bidirectional_layers(cell):
    """Beyond hypothesis's sizes: L = 3, both directions, T = 3, d = 2, B = 2, both gradients."""
    params, case = random_case(7, cell, 3, 2, 2, 2, 2, 3, True, True)
    errors = gradient_errors(params, case, "both")
    assert worst(errors) < TOLERANCE, errors


@pytest.mark.parametrize("cell", CELLS)
def test_the_edges_T_d_B_one(cell):
    """T = 1, d = 1, B = 1 (single-sequence layout), two bidirectional layers."""
    params, case = random_case(3, cell, 1, 1, 1, 2, 1, 2, True, False)
    errors = gradient_errors(params, case, "both")
    assert worst(errors) < TOLERANCE, errors


def test_gradient_check_notices_a_wrong_gradient():
    """The check has teeth: the reverse direction's gradient read back in the wrong time order fails."""
    params, case = random_case(0, "rnn", 4, 2, 2, 2, 2, 1, True, True)
    Y, cache = stack.forward(params, case["X"], case["h0"])
    grads, dX, dh0 = stack.backward_from(params, cache, dZ=softmax_cross_entropy_grad(Y, case["targets"]))
    loss = lambda: cross_entropy(stack.forward(params, case["X"], case["h0"])[0], case["targets"])  # noqa: E731
    numeric = richardson_gradient(loss, case["X"], EPS)
    assert relative_error(dX, numeric) < TOLERANCE
    _, dX_r, _ = stack.cell_module("rnn").backward_from(
        params.layers[0][1], cache.layers[0][1],
        dH=(params.W_Y.T @ softmax_cross_entropy_grad(Y, case["targets"]))[:, 2:][::-1])
    wrong = dX - dX_r[::-1] + dX_r  # the reverse pass's dX added in its own time order
    assert relative_error(wrong, numeric) > TOLERANCE
