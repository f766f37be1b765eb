"""The cell's additive path: an open forget gate carries the gradient to c0 over many steps.

dL/dc_{t-1} = f_t * dL/dc_t along the cell, with no weight matrix and no tanh'
in between, so with f_t = 1 the gradient arrives at c0 undiminished; with
f_t = 0.5 it is halved at every step. The loss here is the last step's alone,
so the distance from the loss to c0 is exactly T steps.
"""

import numpy as np
import pytest

from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad
from rnn_book.lstm import GATES, backward, forward, init_params, step_backward

T = 100


def make(forget_bias, recurrent=True, seed=0):
    """A float64 LSTM with a constant forget gate sigmoid(forget_bias), and a batch of 2."""
    rng = np.random.default_rng(seed)
    params = init_params(k=3, d=4, k_out=5, rng=rng)
    params.W_xh_f[:] = 0
    params.W_hh_f[:] = 0
    params.b_h_f[:] = forget_bias  # f_t = sigmoid(forget_bias) at every step
    params.b_h_i[:] = -2  # i_t about 0.12: with f_t = 1 the cell adds up i_t * g_t for T steps,
    # and a larger input would drive it to where tanh(c_T) is flat and no gradient enters
    if not recurrent:  # h_{t-1} feeds no gate: the cell is the only path back in time
        for gate in GATES:
            getattr(params, f"W_hh_{gate}")[:] = 0
    X = rng.standard_normal((T, 3, 2))  # (T, k, B)
    h0 = rng.uniform(-0.5, 0.5, (4, 2))  # (d, B)
    c0 = rng.uniform(-1, 1, (4, 2))  # (d, B)
    idx = rng.integers(0, 5, (T, 2))  # (T, B)
    return params, X, h0, c0, idx


def backward_from_last_step(params, cache, idx):
    """dL_T/dc_0 and the gradient that enters the cell at step T, for L_T = the last step's loss."""
    dz_T = softmax_cross_entropy_grad(cache.Y[-1:], idx[-1:])[0]  # (k_out, B)
    grads = params.zeros_like()
    dh_next, dc_next = np.zeros((2, params.d, dz_T.shape[1]))
    for t in reversed(range(T)):
        dz_t = dz_T if t == T - 1 else np.zeros_like(dz_T)
        dh_next, dc_next, _ = step_backward(params, dz_t, dh_next, dc_next, cache.steps[t], grads)
    o_T, tanh_c_T = cache.steps[-1].o_t, cache.steps[-1].tanh_c_t
    dc_T = (params.W_Y.T @ dz_T) * o_T * (1 - tanh_c_T**2)  # (d, B)  through h_T = o_T tanh(c_T)
    return dc_next, dc_T


@pytest.mark.parametrize("forget_bias, f", [(1e3, 1.0), (0.0, 0.5), (-1e3, 0.0)])
def test_the_cell_path_scales_the_gradient_by_the_forget_gates(forget_bias, f):
    params, X, h0, c0, idx = make(forget_bias, recurrent=False)
    _, cache = forward(params, X, h0, c0)
    assert all(np.all(step[3] == f) for step in cache.steps)  # sigmoid(+-1e3) is exactly 1 or 0
    dc0, dc_T = backward_from_last_step(params, cache, idx)
    assert np.linalg.norm(dc_T) > 1e-2  # a real gradient enters the cell at step T
    np.testing.assert_allclose(dc0, f**T * dc_T, rtol=1e-12, atol=0)  # and f**T of it reaches c0


def test_an_open_forget_gate_keeps_the_gradient_alive_over_100_steps():
    """All recurrent weights at work: dL_T/dc_0 keeps the size of dL_T/dc_T, and is right.

    With f_t = 0.5 instead, the same network passes on less than 1e-20 of it.
    """
    params, X, h0, c0, idx = make(1e3)
    _, cache = forward(params, X, h0, c0)
    dc0, dc_T = backward_from_last_step(params, cache, idx)
    assert np.linalg.norm(dc0) > 0.1 * np.linalg.norm(dc_T)

    def last_step_loss():
        return cross_entropy(forward(params, X, h0, c0)[0][-1:], idx[-1:])

    assert relative_error(dc0, numerical_gradient(last_step_loss, c0)) < 1e-7
    half, X, h0, c0, idx = make(0.0)
    dc0_half, dc_T_half = backward_from_last_step(half, forward(half, X, h0, c0)[1], idx)
    assert np.linalg.norm(dc0_half) < 1e-20 * np.linalg.norm(dc_T_half)


def test_a_shut_forget_gate_cuts_c0_off_and_backward_agrees():
    params, X, h0, c0, idx = make(-1e3)
    _, cache = forward(params, X, h0, c0)
    _, _, dc0 = backward(params, cache, idx)
    assert not dc0.any()  # c_1 = 0 * c_0 + i_1 * g_1: nothing of c0 survives step 1
    _, cache_open = forward(*make(1e3)[:4])
    _, _, dc0_open = backward(make(1e3)[0], cache_open, idx)
    assert np.abs(dc0_open).min() > 1e-3
