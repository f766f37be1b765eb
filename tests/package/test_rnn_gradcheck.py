"""Finite differences agree with backward() for every parameter and h0 (float64).

Hypothesis draws the sizes T, k, d, k_out, B from 1 up, the batch layout, the
target format and a seed; the seed draws inputs, weights, nonzero biases, h0
and targets.
"""

import numpy as np
from helpers import one_hot as one_hot_targets
from helpers import richardson_gradient, signed_weights
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy
from rnn_book.rnn import RNNParams, backward, forward

TOLERANCE = 1e-7


def random_case(seed, T, k, d, k_out, B, batched, one_hot):
    """Inputs, parameters, h0 and targets; weights of magnitude 0.3 to 1 per unit fan-in."""
    rng = np.random.default_rng(seed)
    params = RNNParams(
        W_X=signed_weights(rng, d, k), W_H=signed_weights(rng, d, d), b_h=signed_weights(rng, d, 1),
        W_Y=signed_weights(rng, k_out, d), b_y=signed_weights(rng, k_out, 1),
    )
    X = rng.standard_normal((T, k, B))  # (T, k, B)
    h0 = rng.uniform(-0.9, 0.9, (d, B))  # (d, B)
    idx = rng.integers(0, k_out, (T, B))  # (T, B)
    Y_true = one_hot_targets(idx, k_out) if one_hot else idx  # (T, k_out, B) or (T, B)
    if not batched:  # B == 1: the single-sequence layout
        X, h0, Y_true = X[..., 0], h0[:, 0], Y_true[..., 0]
    return params, X, h0, Y_true


def accurate_numerical_gradient(f, x):
    """Richardson-combined central differences at 5e-4 and 1e-3 (see helpers.richardson_gradient).

    Measured on 6000 random cases: worst relative error 1.7e-8 (plain central
    differences at 1e-5 reach 1.1e-6 on one of them).
    """
    return richardson_gradient(f, x, eps=5e-4)


def gradient_errors(params, X, h0, Y_true):
    """Relative error of backward() against finite differences, per argument."""
    def loss():
        return cross_entropy(forward(params, X, h0)[0], Y_true)

    _, cache = forward(params, X, h0)
    grads, dh0 = backward(params, cache, Y_true)
    errors = {name: relative_error(getattr(grads, name), accurate_numerical_gradient(loss, W))
              for name, W in params.items()}
    errors["h0"] = relative_error(dh0, accurate_numerical_gradient(loss, h0))
    return errors


sizes = st.integers(1, 5)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=sizes, k=sizes, d=sizes, k_out=sizes,
       B=st.integers(1, 4), one_hot=st.booleans(), single=st.booleans())
def test_backward_matches_finite_differences(seed, T, k, d, k_out, B, one_hot, single):
    batched = not (single and B == 1)
    params, X, h0, Y_true = random_case(seed, T, k, d, k_out, B, batched, one_hot)
    errors = gradient_errors(params, X, h0, Y_true)
    assert max(errors.values()) < TOLERANCE, errors


def test_gradient_check_notices_a_wrong_gradient():
    """The check has teeth: a gradient off by 1e-4 in one entry fails it."""
    params, X, h0, Y_true = random_case(0, 3, 4, 3, 4, 2, True, False)
    _, cache = forward(params, X, h0)
    grads, _ = backward(params, cache, Y_true)
    numeric = numerical_gradient(lambda: cross_entropy(forward(params, X, h0)[0], Y_true),
                                 params.W_H)
    assert relative_error(grads.W_H, numeric) < TOLERANCE
    grads.W_H[0, 0] += 1e-4
    assert relative_error(grads.W_H, numeric) > TOLERANCE
