"""Shared by the fast-path tests: random problems and a norm-relative comparison."""

import numpy as np


def assert_close(fast, readable, rtol, name="", atol=0.0):
    """max |fast - readable| <= rtol * max |readable| + atol (entries near 0 judged against the whole)."""
    fast, readable = np.asarray(fast), np.asarray(readable)
    assert fast.shape == readable.shape, (name, fast.shape, readable.shape)
    assert fast.dtype == readable.dtype, (name, fast.dtype, readable.dtype)
    scale = max(float(np.abs(readable).max(initial=0.0)), np.finfo(readable.dtype).tiny)
    error = float(np.abs(fast.astype(np.float64) - readable).max(initial=0.0))
    assert error <= rtol * scale + atol, f"{name}: max error {error:.3g} > {rtol:g} * {scale:.3g}"


def problem(module, T, k, d, k_out, B, seed, dtype=np.float64, one_hot=False, states=True):
    """Params with nonzero biases, inputs X, initial states and targets.

    B=None means a single sequence: X is (T, k), states (d,), targets (T,).
    """
    rng = np.random.default_rng(seed)
    params = module.init_params(k, d, k_out, rng=rng, dtype=dtype)
    for _, value in params.items():  # noqa: PERF102  (items() is the params' own API)
        value += (0.5 * rng.standard_normal(value.shape)).astype(dtype)
    shape = (T, k) if B is None else (T, k, B)
    X = rng.standard_normal(shape).astype(dtype)
    state = (d,) if B is None else (d, B)
    n_states = 2 if module.__name__.endswith("lstm") else 1
    s0 = [rng.standard_normal(state).astype(dtype) if states else None for _ in range(n_states)]
    idx = rng.integers(0, k_out, (T,) if B is None else (T, B))
    if one_hot:
        targets = np.moveaxis(np.eye(k_out)[idx], -1, 1)  # (T, k_out[, B])
    else:
        targets = idx
    return params, X, s0, targets
