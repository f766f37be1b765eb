"""Random GRU cases for the gradient checks, readable and fast (float64).

A plain module like ``helpers``: pytest puts tests/package on ``sys.path``.
"""

import numpy as np
from helpers import one_hot, richardson_gradient, signed_weights

from rnn_book.gradcheck import relative_error
from rnn_book.gru import GATES, GRUParams

EPS = 1e-3
TOLERANCE = 1e-7


def random_params(rng, k, d, k_out):
    """Weights of magnitude 0.3 to 1 per unit fan-in; every bias nonzero, offset per gate.

    Offsets: reset +0.5, update -0.5, candidate 0.25, the candidate's hidden-side
    bias -0.25, so a bias landing in the wrong gate cannot go unnoticed.
    """
    offsets = {"r": 0.5, "u": -0.5, "g": 0.25}
    arrays = {}
    for gate in GATES:
        arrays[f"W_xh_{gate}"] = signed_weights(rng, d, k)
        arrays[f"W_hh_{gate}"] = signed_weights(rng, d, d)
        arrays[f"b_h_{gate}"] = offsets[gate] + signed_weights(rng, d, 1)
    return GRUParams(**arrays, b_hh_g=-0.25 + signed_weights(rng, d, 1),
                     W_Y=signed_weights(rng, k_out, d), b_y=signed_weights(rng, k_out, 1))


def random_case(seed, T, k, d, k_out, B, batched):
    """Parameters, X, h0, targets, random dZ and dH; single-sequence layout when not batched."""
    rng = np.random.default_rng(seed)
    params = random_params(rng, k, d, k_out)
    X = rng.standard_normal((T, k, B))  # (T, k, B)
    h0 = rng.uniform(-0.9, 0.9, (d, B))  # (d, B)
    idx = rng.integers(0, k_out, (T, B))  # (T, B)
    dZ = rng.standard_normal((T, k_out, B))  # (T, k_out, B)
    dH = rng.standard_normal((T, d, B))  # (T, d, B)
    if not batched:  # B == 1: the single-sequence layout
        X, h0, idx, dZ, dH = X[..., 0], h0[:, 0], idx[:, 0], dZ[..., 0], dH[..., 0]
    return params, X, h0, idx, dZ, dH


def logits(params, H):
    """z_t = W_Y h_t + b_y for every step, in H's layout."""
    Z = np.einsum("od,tdb->tob", params.W_Y, H if H.ndim == 3 else H[..., None]) + params.b_y
    return Z if H.ndim == 3 else Z[..., 0]


def upstream_errors(module, params, X, h0, dZ, dH, **variant):
    """Relative errors of ``module.backward_from`` against finite differences of
    L = sum(dZ * z) + sum(dH * h): every parameter, X and h0."""
    def loss():
        _, cache = module.forward(params, X, h0, **variant)
        total = 0.0
        if dZ is not None:
            total += float(np.sum(dZ * logits(params, cache.H)))
        if dH is not None:
            total += float(np.sum(dH * cache.H))
        return total

    _, cache = module.forward(params, X, h0, **variant)
    grads, dX, dh0 = module.backward_from(params, cache, dZ=dZ, dH=dH)
    assert dX.shape == np.shape(X) and dh0.shape == np.shape(h0)
    errors = {name: relative_error(getattr(grads, name), richardson_gradient(loss, W, EPS))
              for name, W in params.items()}
    errors["X"] = relative_error(dX, richardson_gradient(loss, X, EPS))
    errors["h0"] = relative_error(dh0, richardson_gradient(loss, h0, EPS))
    return errors


def cross_entropy_errors(module, params, X, h0, Y_true, **variant):
    """Relative errors of ``module.backward`` (softmax cross-entropy) against finite differences."""
    from rnn_book.losses import cross_entropy

    def loss():
        return cross_entropy(module.forward(params, X, h0, **variant)[0], Y_true)

    _, cache = module.forward(params, X, h0, **variant)
    grads, dh0 = module.backward(params, cache, Y_true)
    errors = {name: relative_error(getattr(grads, name), richardson_gradient(loss, W, EPS))
              for name, W in params.items()}
    errors["h0"] = relative_error(dh0, richardson_gradient(loss, h0, EPS))
    return errors


__all__ = ["EPS", "TOLERANCE", "cross_entropy_errors", "logits", "one_hot", "random_case",
           "random_params", "upstream_errors"]
