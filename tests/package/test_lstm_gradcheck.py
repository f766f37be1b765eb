"""Finite differences agree with backward() for every parameter, h0 and c0 (float64).

Hypothesis draws the sizes T, k, d, k_out, B from 1 up, the batch layout, the
target format and a seed; the seed draws inputs, weights, nonzero biases that
differ from gate to gate, h0, c0 and targets.
"""

import numpy as np
from helpers import one_hot as one_hot_targets
from helpers import richardson_gradient, signed_weights
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book.gradcheck import relative_error
from rnn_book.losses import cross_entropy
from rnn_book.lstm import GATES, LSTMParams, backward, forward

TOLERANCE = 1e-7
EPS = 1e-3


def finite_differences(f, x):
    """Richardson-combined central differences at EPS and 2 EPS (see helpers.richardson_gradient).

    The gates' sigmoids make some LSTM gradients small (1e-4 in norm); at a
    step of 1e-3 the truncation is about 1e-12 and the rounding about 1e-13.
    """
    return richardson_gradient(f, x, EPS)


def random_case(seed, T, k, d, k_out, B, batched, one_hot):
    """Inputs, parameters, h0, c0 and targets; weights of magnitude 0.3 to 1 per unit fan-in.

    Magnitudes are kept away from 0 (random signs) so that no gradient is so
    small that the finite differences' rounding noise (about 1e-11) dominates it.
    Every gate's bias has its own offset (forget +1, input -0.5, output +0.5,
    candidate 0), so a mix-up between the gates' biases cannot go unnoticed.
    """
    rng = np.random.default_rng(seed)

    def weights(rows, cols):
        return signed_weights(rng, rows, cols)

    offsets = {"f": 1.0, "i": -0.5, "o": 0.5, "g": 0.0}
    gates = {}
    for gate in GATES:
        gates[f"W_xh_{gate}"] = weights(d, k)
        gates[f"W_hh_{gate}"] = weights(d, d)
        gates[f"b_h_{gate}"] = offsets[gate] + weights(d, 1)
    params = LSTMParams(**gates, W_Y=weights(k_out, d), b_y=weights(k_out, 1))
    X = rng.standard_normal((T, k, B))  # (T, k, B)
    h0 = rng.uniform(-0.9, 0.9, (d, B))  # (d, B)
    c0 = rng.uniform(-2, 2, (d, B))  # (d, B)  the cell is not bounded by 1
    idx = rng.integers(0, k_out, (T, B))  # (T, B)
    Y_true = one_hot_targets(idx, k_out) if one_hot else idx  # (T, k_out, B) or (T, B)
    if not batched:  # B == 1: the single-sequence layout
        X, h0, c0, Y_true = X[..., 0], h0[:, 0], c0[:, 0], Y_true[..., 0]
    return params, X, h0, c0, Y_true


def gradient_errors(params, X, h0, c0, Y_true):
    """Relative error of backward() against central differences, per argument."""
    def loss():
        return cross_entropy(forward(params, X, h0, c0)[0], Y_true)

    _, cache = forward(params, X, h0, c0)
    grads, dh0, dc0 = backward(params, cache, Y_true)
    errors = {name: relative_error(getattr(grads, name), finite_differences(loss, W))
              for name, W in params.items()}
    errors["h0"] = relative_error(dh0, finite_differences(loss, h0))
    errors["c0"] = relative_error(dc0, finite_differences(loss, c0))
    return errors


sizes = st.integers(1, 4)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=sizes, k=sizes, d=sizes, k_out=sizes,
       B=st.integers(1, 3), one_hot=st.booleans(), single=st.booleans())
def test_backward_matches_finite_differences(seed, T, k, d, k_out, B, one_hot, single):
    batched = not (single and B == 1)
    params, X, h0, c0, Y_true = random_case(seed, T, k, d, k_out, B, batched, one_hot)
    errors = gradient_errors(params, X, h0, c0, Y_true)
    assert len(errors) == 16
    assert max(errors.values()) < TOLERANCE, errors


def test_a_longer_sequence_and_a_wider_network():
    """One case beyond hypothesis's small sizes: T = 12, k = 3, d = 6, k_out = 5, B = 2."""
    params, X, h0, c0, Y_true = random_case(1, 12, 3, 6, 5, 2, True, False)
    errors = gradient_errors(params, X, h0, c0, Y_true)
    assert max(errors.values()) < TOLERANCE, errors


def test_gradient_check_notices_a_wrong_gradient():
    """The check has teeth: a gradient off by 1e-4 in one entry fails it."""
    params, X, h0, c0, Y_true = random_case(0, 3, 4, 3, 4, 2, True, False)
    _, cache = forward(params, X, h0, c0)
    _, _, dc0 = backward(params, cache, Y_true)
    numeric = finite_differences(lambda: cross_entropy(forward(params, X, h0, c0)[0], Y_true), c0)
    assert relative_error(dc0, numeric) < TOLERANCE
    dc0[0, 0] += 1e-4
    assert relative_error(dc0, numeric) > TOLERANCE
