"""backward_from: one backward pass per cell, driven by any loss, returning dL/dX.

For every cell, readable and fast, the gradients of a loss that weights the
logits by a random dZ and the hidden states by a random dH,

    L = sum_t <dZ_t, z_t> + sum_t <dH_t, h_t>,   z_t = W_Y h_t + b_y,

are exactly what ``backward_from(params, cache, dZ=dZ, dH=dH)`` must return:
every parameter's gradient, dL/dX, dL/dh_0 (and dL/dc_0). Hypothesis draws the
sizes from 1 up (T = 1, d = 1, B = 1 included), the layout, which of dZ and dH
are given, and a seed for inputs, weights, nonzero biases and initial states.
Finite differences in float64; fast against readable to 1e-12.
"""

import numpy as np
import pytest
from helpers import richardson_gradient, signed_weights
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import fast, lstm, rnn
from rnn_book.gradcheck import relative_error

READABLE = {"rnn": rnn, "lstm": lstm}
FAST = {"rnn": fast.rnn, "lstm": fast.lstm}
TOLERANCE = 1e-7


def random_case(name, seed, T, k, d, k_out, B, batched, given_grads):
    rng = np.random.default_rng(seed)
    module = READABLE[name]
    params = module.init_params(k, d, k_out, rng=rng)
    for field, value in params.items():  # signed weights and nonzero biases everywhere
        value[...] = signed_weights(rng, *value.shape)
    X = rng.standard_normal((T, k, B))
    states = [rng.uniform(-0.9, 0.9, (d, B)) for _ in range(2 if name == "lstm" else 1)]
    dZ = rng.standard_normal((T, k_out, B)) if "dZ" in given_grads else None
    dH = rng.standard_normal((T, d, B)) if "dH" in given_grads else None
    if not batched:  # the single-sequence layout
        X, states = X[..., 0], [s[:, 0] for s in states]
        dZ = None if dZ is None else dZ[..., 0]
        dH = None if dH is None else dH[..., 0]
    return params, X, states, dZ, dH


def weighted_loss(module, params, X, states, dZ, dH):
    """L = <dZ, Z> + <dH, H>, with Z the logits W_Y h_t + b_y."""
    _, cache = module.forward(params, X, *states)
    H = cache.H if cache.H.ndim == 3 else cache.H[..., None]  # (T, d, B)
    Z = params.W_Y @ H + params.b_y  # (T, k_out, B)
    loss = 0.0
    if dZ is not None:
        loss += float(np.sum(dZ * Z.reshape(dZ.shape)))
    if dH is not None:
        loss += float(np.sum(dH * cache.H))
    return loss


def numerical(module, params, X, states, dZ, dH):
    def loss():
        return weighted_loss(module, params, X, states, dZ, dH)

    grads = {name: richardson_gradient(loss, value, eps=5e-4) for name, value in params.items()}
    return grads, richardson_gradient(loss, X, eps=5e-4), [richardson_gradient(loss, s, eps=5e-4)
                                                            for s in states]


cases = st.tuples(
    st.sampled_from(["rnn", "lstm"]), st.integers(0, 2**32 - 1),
    st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(0, 3), st.integers(1, 3),
    st.booleans(), st.sampled_from([("dZ",), ("dH",), ("dZ", "dH")]),
).filter(lambda c: c[5] > 0 or "dH" in c[8])  # k_out = 0: a layer without outputs, dH only


@settings(max_examples=60, deadline=None)
@given(cases)
def test_backward_from_matches_finite_differences_readable_and_fast(case):
    name, seed, T, k, d, k_out, B, batched, given_grads = case
    batched = batched or B > 1
    params, X, states, dZ, dH = random_case(name, seed, T, k, d, k_out, B, batched, given_grads)
    num_grads, num_dX, num_states = numerical(READABLE[name], params, X, states, dZ, dH)
    results = []
    for module in (READABLE[name], FAST[name]):
        _, cache = module.forward(params, X, *states)
        grads, dX, *d_states = module.backward_from(params, cache, dZ=dZ, dH=dH)
        assert dX.shape == np.shape(X)
        for field, value in grads.items():
            assert relative_error(value, num_grads[field]) < TOLERANCE, (module.__name__, field)
        assert relative_error(dX, num_dX) < TOLERANCE, module.__name__
        for got, want in zip(d_states, num_states, strict=True):
            assert got.shape == want.shape
            assert relative_error(got, want) < TOLERANCE, module.__name__
        results.append([np.array(v, copy=True) for v in (*[v for _, v in grads.items()], dX, *d_states)])
    for readable, fast_ in zip(*results):  # fast equals readable to rounding
        np.testing.assert_allclose(fast_, readable, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
@pytest.mark.parametrize("impl", [READABLE, FAST], ids=["readable", "fast"])
def test_backward_is_the_cross_entropy_s_dZ_then_backward_from(name, impl):
    from rnn_book.losses import softmax_cross_entropy_grad
    module = impl[name]
    params = module.init_params(4, 3, rng=1)
    X = np.random.default_rng(2).standard_normal((6, 4, 2))
    idx = np.random.default_rng(3).integers(0, 4, (6, 2))
    Y, cache = module.forward(params, X)
    grads, *d_states = module.backward(params, cache, idx)
    grads = {field: v.copy() for field, v in grads.items()}
    d_states = [s.copy() for s in d_states]
    g2, _, *d2 = module.backward_from(params, cache, dZ=softmax_cross_entropy_grad(Y, idx))
    for field, value in g2.items():
        np.testing.assert_array_equal(value, grads[field])
    for a, b in zip(d_states, d2):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
@pytest.mark.parametrize("impl", [READABLE, FAST], ids=["readable", "fast"])
def test_a_cache_from_other_parameter_values_is_refused(name, impl):
    module = impl[name]
    params = module.init_params(4, 3, rng=1)
    other = module.init_params(4, 3, rng=2)  # same shapes, other values
    X = np.eye(4)[:3]
    _, cache = module.forward(params, X)
    with pytest.raises(ValueError, match="cache was computed with other parameter values than params"):
        module.backward(other, cache, [1, 2, 3])
    params.W_Y[0, 0] += 1.0  # changed in place since forward
    with pytest.raises(ValueError, match="other parameter values"):
        module.backward_from(params, cache, dH=np.ones((3, 3)))


@pytest.mark.parametrize("name", ["rnn", "lstm"])
@pytest.mark.parametrize("impl", [READABLE, FAST], ids=["readable", "fast"])
def test_bad_gradients_get_a_message_naming_them(name, impl):
    module = impl[name]
    params = module.init_params(4, 3, rng=1)
    _, cache = module.forward(params, np.eye(4)[:3])
    with pytest.raises(ValueError, match="give dZ .* dH .* or both; got neither"):
        module.backward_from(params, cache)
    with pytest.raises(ValueError, match=r"^dZ must have the forward pass's shape \(T, k_out\) = \(3, 4\); "
                                         r"got \(3, 4, 1\)$"):
        module.backward_from(params, cache, dZ=np.ones((3, 4, 1)))
    with pytest.raises(ValueError, match=r"^dH must have the forward pass's shape \(T, d\) = \(3, 3\); got \(3,\)$"):
        module.backward_from(params, cache, dH=np.ones(3))
    with pytest.raises(ValueError, match="dH must be finite"):
        module.backward_from(params, cache, dH=np.full((3, 3), np.nan))
    with pytest.raises(TypeError, match="dZ must hold real numbers"):
        module.backward_from(params, cache, dZ=np.full((3, 4), "a"))


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_inputs_beyond_float32_raise_the_same_error_on_both_paths(name):
    """1e39 is finite in float64 and inf in float32: refused, never turned into NaN outputs."""
    errors = []
    for module in (READABLE[name], FAST[name]):
        params = module.init_params(4, 3, rng=0, dtype=np.float32)
        with pytest.raises(ValueError, match="X holds values too large for float32") as info:
            module.forward(params, np.full((3, 4), 1e39))
        errors.append(str(info.value))
        _, cache = module.forward(params, np.ones((3, 4)))
        with pytest.raises(ValueError, match="dH holds values too large for float32"):
            module.backward_from(params, cache, dH=np.full((3, 3), -1e39))
    assert errors[0] == errors[1]
