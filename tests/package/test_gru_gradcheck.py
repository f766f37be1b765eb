"""Finite differences agree with the GRU's backward passes for every gradient (float64).

Both variants (PyTorch's reset-after and Cho et al.'s), driven by random dL/dz_t,
random dL/dh_t, both at once, and by softmax cross-entropy; every parameter,
dL/dX and dL/dh0. Hypothesis draws T, k, d, k_out from 1 up, B from 1, the
layout and a seed; the seed draws inputs, weights, nonzero biases, h0 and the
upstream gradients.
"""

import numpy as np
import pytest
from gru_helpers import TOLERANCE, cross_entropy_errors, random_case, upstream_errors
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book import gru
from rnn_book.gradcheck import relative_error

sizes = st.integers(1, 4)
UPSTREAM = ["dZ", "dH", "both"]


def pick(upstream, dZ, dH):
    return (dZ if upstream != "dH" else None), (dH if upstream != "dZ" else None)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=sizes, k=sizes, d=sizes, k_out=sizes,
       B=st.integers(1, 3), single=st.booleans(), reset_after=st.booleans(),
       upstream=st.sampled_from(UPSTREAM))
def test_backward_from_matches_finite_differences(seed, T, k, d, k_out, B, single,
                                                  reset_after, upstream):
    batched = not (single and B == 1)
    params, X, h0, _, dZ, dH = random_case(seed, T, k, d, k_out, B, batched)
    dZ, dH = pick(upstream, dZ, dH)
    errors = upstream_errors(gru, params, X, h0, dZ, dH, reset_after=reset_after)
    assert len(errors) == 14
    assert max(errors.values()) < TOLERANCE, errors


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("sizes", [(1, 1, 1, 1, 1), (1, 3, 2, 4, 2), (5, 1, 3, 2, 1),
                                   (3, 2, 1, 3, 3), (12, 3, 6, 5, 2)])
def test_edges_and_a_longer_case_with_both_upstream_gradients(reset_after, sizes):
    """T = 1, d = 1, k = 1, B = 1 edges, and T = 12, d = 6 beyond hypothesis's sizes."""
    T, k, d, k_out, B = sizes
    params, X, h0, _, dZ, dH = random_case(7, T, k, d, k_out, B, True)
    errors = upstream_errors(gru, params, X, h0, dZ, dH, reset_after=reset_after)
    assert max(errors.values()) < TOLERANCE, errors


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=sizes, k=sizes, d=sizes, k_out=sizes,
       B=st.integers(1, 3), reset_after=st.booleans())
def test_backward_matches_finite_differences_of_the_cross_entropy(seed, T, k, d, k_out, B,
                                                                  reset_after):
    params, X, h0, idx, _, _ = random_case(seed, T, k, d, k_out, B, True)
    errors = cross_entropy_errors(gru, params, X, h0, idx, reset_after=reset_after)
    assert max(errors.values()) < TOLERANCE, errors


def test_the_variants_differ_and_the_check_has_teeth():
    """The two variants compute different things; a gradient off by 1e-4 fails the check."""
    params, X, h0, _, dZ, dH = random_case(3, 4, 3, 3, 2, 2, True)
    Y1, _ = gru.forward(params, X, h0, reset_after=True)
    Y2, _ = gru.forward(params, X, h0, reset_after=False)
    assert relative_error(Y1, Y2) > 1e-3
    _, cache = gru.forward(params, X, h0, reset_after=False)
    grads, dX, dh0 = gru.backward_from(params, cache, dZ=dZ, dH=dH)
    _, cache = gru.forward(params, X, h0, reset_after=True)  # the wrong variant's cache
    wrong, _, _ = gru.backward_from(params, cache, dZ=dZ, dH=dH)
    assert relative_error(wrong.W_hh_g, grads.W_hh_g) > 1e-3
    assert relative_error(wrong.W_xh_r, grads.W_xh_r) > 1e-3
    assert np.all(np.isfinite(dX))
