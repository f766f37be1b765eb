"""The simple RNN's training step, one optimisation at a time.

Each function computes the same thing, the loss and the gradients of one
training step (forward, cross-entropy, backpropagation through time), and
each adds one idea to the one before. The chapter "Making it fast" times
them; the tests prove they agree with the readable :mod:`rnn_book.rnn`.

1. :func:`step_readable`: the readable code, one small product per step.
2. :func:`step_hoisted`: the products that do not wait for ``h_{t-1}`` (the input
   term W_X x_t, the output layer, the softmax) run once over all steps.
3. :func:`step_grads_after_loop`: the weight gradients become one product
   each after the loop, instead of T small ones summed inside it.
4. :func:`step_in_place`: :func:`rnn_book.fast.rnn.loss_and_grads`: arrays kept
   in a workspace and updated in place, checks once per call.

Each takes ``params`` (RNNParams), one-hot inputs ``X`` (T, k, B) and target
indices ``idx`` (T, B), and returns ``(loss, grads)``.
"""

import numpy as np

from rnn_book import rnn
from rnn_book.activations import softmax
from rnn_book.fast import rnn as fast_rnn
from rnn_book.losses import cross_entropy

__all__ = ["LADDER", "step_grads_after_loop", "step_hoisted", "step_in_place", "step_readable"]


def step_readable(params, X, idx):
    """1. The readable code: :func:`rnn_book.rnn.forward`, the loss, :func:`rnn_book.rnn.backward`."""
    Y, cache = rnn.forward(params, X)
    grads, _ = rnn.backward(params, cache, idx)
    return cross_entropy(Y, idx), grads


def _outputs_and_loss(params, H, idx):
    """Softmax of every step at once, the loss, and dL/dz_t for every step."""
    T, _, B = H[1:].shape
    # --8<-- [start:hoisted_outputs]
    # all steps at once
    Y = softmax(params.W_Y @ H[1:] + params.b_y, axis=1)  # (T, k_out, B)
    # --8<-- [end:hoisted_outputs]
    t, b = np.arange(T)[:, None], np.arange(B)
    loss = float(-np.log(np.maximum(Y[t, idx, b], np.finfo(Y.dtype).tiny)).sum() / B)
    dZ = Y.copy()
    dZ[t, idx, b] -= 1  # y_t - onehot_t
    return loss, dZ / B  # (T, k_out, B)


def _forward_hoisted(params, X):
    """h_0 = 0 .. h_T, with W_X x_t + b_h computed for all steps before the loop."""
    T, _, B = X.shape
    H = np.zeros((T + 1, params.d, B), params.dtype)  # h_0 .. h_T
    # --8<-- [start:hoisted_forward]
    XW = params.W_X @ X + params.b_h  # (T, d, B)  W_X x_t + b_h for every t: one call
    for t in range(T):  # only the recurrence waits for the previous step
        H[t + 1] = np.tanh(params.W_H @ H[t] + XW[t])  # (d, B)
    # --8<-- [end:hoisted_forward]
    return H


def step_hoisted(params, X, idx):
    """2. Input term, output layer and softmax for all steps at once; BPTT as before."""
    H = _forward_hoisted(params, X)
    loss, dZ = _outputs_and_loss(params, H, idx)
    grads = params.zeros_like()
    dh_next = np.zeros_like(H[0])
    for t in reversed(range(X.shape[0])):  # the readable backward step, without its checks
        grads.W_Y += dZ[t] @ H[t + 1].T
        grads.b_y += dZ[t].sum(axis=1, keepdims=True)
        da = (params.W_Y.T @ dZ[t] + dh_next) * (1 - H[t + 1] ** 2)  # (d, B)
        grads.W_X += da @ X[t].T
        grads.W_H += da @ H[t].T
        grads.b_h += da.sum(axis=1, keepdims=True)
        dh_next = params.W_H.T @ da
    return loss, grads


def step_grads_after_loop(params, X, idx):
    """3. As 2, and every weight gradient is one product over all steps after the loop."""
    H = _forward_hoisted(params, X)
    loss, dZ = _outputs_and_loss(params, H, idx)
    # --8<-- [start:grads_after_loop]
    dH = params.W_Y.T @ dZ  # (T, d, B)  dL/dh_t via y_t, every step at once
    dA = np.empty_like(dH)  # dL/da_t, filled by the loop
    da_next = np.zeros_like(dH[0])
    for t in reversed(range(X.shape[0])):  # only the recurrence stays in the loop
        dA[t] = (dH[t] + params.W_H.T @ da_next) * (1 - H[t + 1] ** 2)
        da_next = dA[t]
    steps_and_batch = ([0, 2], [0, 2])  # sum over t and over b: one product each
    grads = rnn.RNNParams(
        W_X=np.tensordot(dA, X, steps_and_batch),  # (d, k)  sum_t da_t x_t^T
        W_H=np.tensordot(dA, H[:-1], steps_and_batch),  # (d, d)  sum_t da_t h_{t-1}^T
        b_h=dA.sum(axis=(0, 2))[:, None],  # (d, 1)
        W_Y=np.tensordot(dZ, H[1:], steps_and_batch),  # (k_out, d)
        b_y=dZ.sum(axis=(0, 2))[:, None],  # (k_out, 1)
    )
    # --8<-- [end:grads_after_loop]
    return loss, grads


def step_in_place(params, X, idx, workspace=None):
    """4. :func:`rnn_book.fast.rnn.loss_and_grads`: in place, in a reused workspace."""
    loss, grads, _, _ = fast_rnn.loss_and_grads(params, X, idx, workspace=workspace)
    return loss, grads


LADDER = [
    ("1. readable, per step", step_readable),
    ("2. products over all steps", step_hoisted),
    ("3. + weight gradients after the loop", step_grads_after_loop),
    ("4. + in place, reused workspace", step_in_place),
]
