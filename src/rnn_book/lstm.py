"""LSTM, the lecture's gate equations as numpy: forward and backpropagation through time.

    f_t = sigmoid(W_xh_f x_t + W_hh_f h_{t-1} + b_h_f)   (forget gate; i_t and o_t alike)
    g_t = tanh(W_xh_g x_t + W_hh_g h_{t-1} + b_h_g)       (candidate)
    c_t = f_t * c_{t-1} + i_t * g_t,  h_t = o_t * tanh(c_t),  y_t = softmax(W_Y h_t + b_y)

Shapes: k inputs, d hidden (and cell) units, k_out outputs, T steps, B sequences as columns.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnn_book.activations import sigmoid, sigmoid_grad, softmax, tanh, tanh_grad
from rnn_book.checks import as_columns, unbatch
from rnn_book.losses import softmax_cross_entropy_grad
from rnn_book.lstm_params import GATES, LSTMParams, init_params
from rnn_book.recurrent import (
    check_cache,
    finish_backward,
    start_backward,
    start_forward,
)

__all__ = ["LSTMParams", "init_params", "GATES", "LSTMStepCache", "LSTMCache", "step_forward",
           "step_backward", "forward", "backward_from", "backward"]


# --8<-- [start:LSTMStepCache]
class LSTMStepCache(NamedTuple):
    """What one step of :func:`step_forward` keeps for :func:`step_backward`.

    Read by name: ``cache_t.f_t`` is the forget gate. Every entry is ``(d, B)``
    but ``x_t``, which is ``(k, B)``.
    """

    x_t: np.ndarray
    h_prev: np.ndarray  # h_{t-1}
    c_prev: np.ndarray  # c_{t-1}
    f_t: np.ndarray
    i_t: np.ndarray
    o_t: np.ndarray
    g_t: np.ndarray
    tanh_c_t: np.ndarray
    h_t: np.ndarray
# --8<-- [end:LSTMStepCache]


# --8<-- [start:step_forward]
def step_forward(params, x_t, h_prev, c_prev):
    """One time step: the four gates, the new cell c_t and state h_t, and y_t.

    Parameters
    ----------
    params : LSTMParams
    x_t : (k, B) ndarray
        Inputs at step t, one column per sequence (a single sequence is
        ``(k, 1)``: a 1-D ``(k,)`` would broadcast against the biases, so it
        is refused).
    h_prev : (d, B) ndarray
        Previous hidden state ``h_{t-1}``.
    c_prev : (d, B) ndarray
        Previous cell state ``c_{t-1}``.

    Returns
    -------
    h_t : (d, B) ndarray
        New hidden state.
    c_t : (d, B) ndarray
        New cell state.
    y_t : (k_out, B) ndarray
        Softmax outputs.
    cache_t : LSTMStepCache
        ``(x_t, h_prev, c_prev, f_t, i_t, o_t, g_t, tanh_c_t, h_t)``, what
        :func:`step_backward` needs, by name.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, step_forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> x_t = np.array([[1.0], [0.0], [0.0], [0.0]])  # symbol 0, as a column
    >>> zeros = np.zeros((3, 1))
    >>> h_t, c_t, y_t, cache_t = step_forward(params, x_t, zeros, zeros)
    >>> h_t.shape, c_t.shape, y_t.shape, round(float(y_t.sum()), 6)
    ((3, 1), (3, 1), (4, 1), 1.0)
    """
    x_t = as_columns("x_t", x_t, "k", params.k, dtype=params.dtype)
    B = x_t.shape[1]
    h_prev = as_columns("h_prev", h_prev, "d", params.d, B, params.dtype)
    c_prev = as_columns("c_prev", c_prev, "d", params.d, B, params.dtype)
    # --8<-- [start:step_forward_gates]
    # forget, input, output gates, each in (0, 1): how much to keep, write, show
    f_t = sigmoid(params.W_xh_f @ x_t + params.W_hh_f @ h_prev
                  + params.b_h_f)  # (d, B)
    i_t = sigmoid(params.W_xh_i @ x_t + params.W_hh_i @ h_prev
                  + params.b_h_i)  # (d, B)
    o_t = sigmoid(params.W_xh_o @ x_t + params.W_hh_o @ h_prev
                  + params.b_h_o)  # (d, B)
    # the candidate, in (-1, 1): what could be written into the cell
    g_t = tanh(params.W_xh_g @ x_t + params.W_hh_g @ h_prev
               + params.b_h_g)  # (d, B)
    # --8<-- [end:step_forward_gates]
    # --8<-- [start:step_forward_cell]
    # keep part of the old, add part of the new
    c_t = f_t * c_prev + i_t * g_t  # (d, B)
    # --8<-- [end:step_forward_cell]
    # --8<-- [start:step_forward_hidden]
    tanh_c_t = tanh(c_t)  # (d, B)
    h_t = o_t * tanh_c_t  # (d, B)  show part of the cell
    # --8<-- [end:step_forward_hidden]
    # --8<-- [start:step_forward_output]
    z_t = params.W_Y @ h_t + params.b_y  # (k_out, B)
    y_t = softmax(z_t)  # (k_out, B)
    # --8<-- [end:step_forward_output]
    cache_t = LSTMStepCache(x_t, h_prev, c_prev, f_t, i_t, o_t, g_t, tanh_c_t, h_t)
    return h_t, c_t, y_t, cache_t
# --8<-- [end:step_forward]


# --8<-- [start:step_backward]
def step_backward(params, dz_t, dh_next, dc_next, cache_t, grads):
    """Backpropagate one time step; add its share of each gradient to ``grads``.

    Parameters
    ----------
    params : LSTMParams
    dz_t : (k_out, B) ndarray
        dL/dz_t for the logits z_t = W_Y h_t + b_y.
    dh_next : (d, B) ndarray
        dL/dh_t through everything but this step's output: through step t+1
        (zeros at the last step), plus any gradient from a layer above.
    dc_next : (d, B) ndarray
        ``dL/dc_t`` through ``c_{t+1} = f_{t+1} * c_t + ...`` (zeros at the last step).
    cache_t : LSTMStepCache
        From :func:`step_forward`.
    grads : LSTMParams
        Running sums, updated in place: the weights are shared by every step,
        so their gradient is the sum of the steps' contributions.

    Returns
    -------
    dh_prev : (d, B) ndarray
        ``dL/dh_{t-1}`` through this step.
    dc_prev : (d, B) ndarray
        ``dL/dc_{t-1}`` through this step: ``f_t * dL/dc_t``.
    dx_t : (k, B) ndarray
        dL/dx_t: x_t fed all four gates, so four paths add up.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, step_forward, step_backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> zeros = np.zeros((3, 1))
    >>> x_t = np.eye(4)[:, :1]  # symbol 0, as a column
    >>> h_t, c_t, y_t, cache_t = step_forward(params, x_t, zeros, zeros)
    >>> dz_t = y_t - np.eye(4)[:, 1:2]  # target: symbol 1
    >>> grads = params.zeros_like()
    >>> dh_prev, dc_prev, dx_t = step_backward(params, dz_t, zeros, zeros,
    ...                                        cache_t, grads)
    >>> dh_prev.shape, dc_prev.shape, dx_t.shape, grads.W_hh_f.shape
    ((3, 1), (3, 1), (4, 1), (3, 3))
    """
    x_t, h_prev, c_prev, f_t, i_t, o_t, g_t, tanh_c_t, h_t = cache_t  # by name
    B = h_t.shape[1]
    dz_t = as_columns("dz_t", dz_t, "k_out", params.k_out, B, params.dtype)
    dh_next = as_columns("dh_next", dh_next, "d", params.d, B, params.dtype)
    dc_next = as_columns("dc_next", dc_next, "d", params.d, B, params.dtype)
    # In-place += on grads.<name> updates the arrays inside grads.
    # --8<-- [start:step_backward_output]
    grads.W_Y += dz_t @ h_t.T  # (k_out, d)
    grads.b_y += dz_t.sum(axis=1, keepdims=True)  # (k_out, 1)  sum over B
    # --8<-- [end:step_backward_output]
    # --8<-- [start:step_backward_two_paths]
    dh_t = params.W_Y.T @ dz_t + dh_next  # (d, B)  via y_t, plus via step t+1
    # --8<-- [end:step_backward_two_paths]
    # --8<-- [start:step_backward_hidden]
    do_t = dh_t * tanh_c_t  # (d, B)  h_t = o_t * tanh(c_t)
    # --8<-- [end:step_backward_hidden]
    # --8<-- [start:step_backward_cell]
    # via h_t = o_t * tanh(c_t), plus via c_{t+1} (dc_next = f_{t+1} * dc_{t+1})
    dc_t = dh_t * o_t * tanh_grad(tanh_c_t) + dc_next  # (d, B)
    # --8<-- [end:step_backward_cell]
    # --8<-- [start:step_backward_cell_inputs]
    df_t = dc_t * c_prev  # (d, B)  c_t = f_t * c_{t-1} + i_t * g_t
    di_t = dc_t * g_t  # (d, B)
    dg_t = dc_t * i_t  # (d, B)
    # --8<-- [end:step_backward_cell_inputs]
    # --8<-- [start:step_backward_gates]
    # dL/d(pre-activation) per gate: sigmoid' = s * (1 - s), tanh' = 1 - g**2
    da_f = df_t * sigmoid_grad(f_t)  # (d, B)
    da_i = di_t * sigmoid_grad(i_t)  # (d, B)
    da_o = do_t * sigmoid_grad(o_t)  # (d, B)
    da_g = dg_t * tanh_grad(g_t)  # (d, B)
    # --8<-- [end:step_backward_gates]
    # --8<-- [start:step_backward_accumulate]
    grads.W_xh_f += da_f @ x_t.T  # (d, k)
    grads.W_hh_f += da_f @ h_prev.T  # (d, d)
    grads.b_h_f += da_f.sum(axis=1, keepdims=True)  # (d, 1)
    grads.W_xh_i += da_i @ x_t.T  # (d, k)
    grads.W_hh_i += da_i @ h_prev.T  # (d, d)
    grads.b_h_i += da_i.sum(axis=1, keepdims=True)  # (d, 1)
    grads.W_xh_o += da_o @ x_t.T  # (d, k)
    grads.W_hh_o += da_o @ h_prev.T  # (d, d)
    grads.b_h_o += da_o.sum(axis=1, keepdims=True)  # (d, 1)
    grads.W_xh_g += da_g @ x_t.T  # (d, k)
    grads.W_hh_g += da_g @ h_prev.T  # (d, d)
    grads.b_h_g += da_g.sum(axis=1, keepdims=True)  # (d, 1)
    # --8<-- [end:step_backward_accumulate]
    # --8<-- [start:step_backward_prev]
    # h_{t-1} fed all four gates: four paths back, which add up
    dh_prev = (params.W_hh_f.T @ da_f + params.W_hh_i.T @ da_i
               + params.W_hh_o.T @ da_o + params.W_hh_g.T @ da_g)  # (d, B)
    # the cell's additive path: only the forget gate scales it
    dc_prev = dc_t * f_t  # (d, B)
    # x_t fed the four gates too: the same four paths, through W_xh
    dx_t = (params.W_xh_f.T @ da_f + params.W_xh_i.T @ da_i
            + params.W_xh_o.T @ da_o + params.W_xh_g.T @ da_g)  # (k, B)
    # --8<-- [end:step_backward_prev]
    return dh_prev, dc_prev, dx_t
# --8<-- [end:step_backward]


# --8<-- [start:LSTMCache]
@dataclass(eq=False)
class LSTMCache:
    """What :func:`forward` keeps for :func:`backward_from`.

    Attributes
    ----------
    X : (T, k, B) ndarray
        The checked inputs.
    H : (T, d) or (T, d, B) ndarray
        Hidden states h_1 .. h_T, in the layout of the input X.
    C : (T, d) or (T, d, B) ndarray
        Cell states c_1 .. c_T, in the layout of the input X.
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_1 .. y_T, in the layout of the input X.
    steps : list of LSTMStepCache
        ``steps[t - 1]`` is step t's cache.
    h0_shape : tuple
        The shape of ``h0``, which ``dh0`` takes.
    c0_shape : tuple
        The shape of ``c0``, which ``dc0`` takes.
    batched : bool
        Whether X had a batch axis; dX takes its layout.
    fingerprint : tuple
        ``params.fingerprint()`` of the parameters forward ran with.
    """

    X: np.ndarray
    H: np.ndarray
    C: np.ndarray
    Y: np.ndarray
    steps: list
    h0_shape: tuple
    c0_shape: tuple
    batched: bool
    fingerprint: tuple

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape, c0_shape)``."""
        return (self.h0_shape, self.c0_shape)
# --8<-- [end:LSTMCache]


# --8<-- [start:forward]
def forward(params, X, h0=None, c0=None):
    """Run the LSTM over whole sequences.

    Parameters
    ----------
    params : LSTMParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step (as the lecture writes it), or a
        batch: ``X[t - 1]`` is the ``(k, B)`` matrix of the B sequences' x_t.
    h0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden state; zeros if omitted.
    c0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial cell state; zeros if omitted.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, in the layout of ``X``.
    cache : LSTMCache
        ``cache.H`` and ``cache.C`` hold the hidden and cell states,
        ``(T, d)`` or ``(T, d, B)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])  # the lecture's input
    >>> Y.shape, cache.H.shape, cache.C.shape
    ((3, 4), (3, 3), (3, 3))
    """
    X, batched, (h0, c0), (h0_shape, c0_shape) = start_forward(
        params, X, h0=h0, c0=c0)
    T, _, B = X.shape  # X (T, k, B); h0, c0 (d, B)
    H = np.empty((T, params.d, B), params.dtype)
    C = np.empty((T, params.d, B), params.dtype)
    Y = np.empty((T, params.k_out, B), params.dtype)
    steps = []
    # --8<-- [start:forward_loop]
    h_t, c_t = h0, c0  # (d, B), (d, B)
    for t in range(1, T + 1):  # X[t - 1] is x_t: Python counts from 0
        h_t, c_t, Y[t - 1], cache_t = step_forward(params, X[t - 1], h_t, c_t)
        H[t - 1], C[t - 1] = h_t, c_t
        steps.append(cache_t)
    # --8<-- [end:forward_loop]
    cache = LSTMCache(X=X, H=unbatch(H, batched), C=unbatch(C, batched),
                      Y=unbatch(Y, batched), steps=steps,
                      h0_shape=h0_shape, c0_shape=c0_shape, batched=batched,
                      fingerprint=params.fingerprint())
    return cache.Y, cache
# --8<-- [end:forward]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagation through time from the gradients of any loss.

    A loss on the outputs hands down dL/dz_t (``dZ``); a layer above hands
    down dL/dh_t (``dH``); either, or both.

    Parameters
    ----------
    params : LSTMParams
        The parameters ``forward`` ran with.
    cache : LSTMCache
        From :func:`forward`.
    dZ : array_like, optional
        dL/dz_t for the logits z_t = W_Y h_t + b_y, in the layout of ``cache.Y``.
    dH : array_like, optional
        dL/dh_t from outside the cell, in the layout of ``cache.H``.

    Returns
    -------
    grads : LSTMParams
        Shaped like ``params``.
    dX : ndarray
        dL/dX, shaped like the ``X`` given to ``forward``.
    dh0, dc0 : ndarray
        dL/dh_0 and dL/dc_0, shaped like the ``h0`` and ``c0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0, dc0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape, dc0.shape
    ((3, 4), (3,), (3,))
    """
    dZ, dH = start_backward(params, cache, LSTMCache, dZ, dH)  # (T, k_out, B), (T, d, B)
    T, d, B = dH.shape
    grads = params.zeros_like()
    dX = np.empty((T, params.k, B), params.dtype)
    # --8<-- [start:backward_loop]
    # nothing flows back from after step T
    dh_next = np.zeros((d, B), params.dtype)  # (d, B)
    dc_next = np.zeros((d, B), params.dtype)  # (d, B)
    for t in range(T, 0, -1):  # t = T, ..., 1
        dh_next, dc_next, dX[t - 1] = step_backward(
            params, dZ[t - 1], dh_next + dH[t - 1], dc_next, cache.steps[t - 1], grads)
    # what flows out of step 1 is dL/dh_0, dL/dc_0
    dh0, dc0 = dh_next, dc_next  # (d, B), (d, B)
    # --8<-- [end:backward_loop]
    return grads, *finish_backward(dX, cache, dh0, dc0)
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time for the cross-entropy of ``forward``'s Y.

    The cross-entropy's gradient on the logits, dL/dz_t = y_t - onehot_t,
    handed to :func:`backward_from`.

    Parameters
    ----------
    params : LSTMParams
        The parameters ``forward`` ran with.
    cache : LSTMCache
        From :func:`forward`.
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``; see :func:`rnn_book.losses.cross_entropy`.

    Returns
    -------
    grads : LSTMParams
        dL/dW_xh_f, dL/dW_hh_f, dL/db_h_f, ..., dL/dW_Y, dL/db_y, shaped
        like ``params``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.
    dc0 : ndarray
        dL/dc_0, shaped like the ``c0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0, dc0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_xh_f.shape, dh0.shape, dc0.shape
    ((3, 4), (3,), (3,))
    """
    params.validate()
    check_cache(cache, LSTMCache, params, params.fingerprint())  # before reading cache.Y
    dZ = softmax_cross_entropy_grad(cache.Y, Y_true)  # dL/dz_t = y_t - onehot_t
    grads, _, dh0, dc0 = backward_from(params, cache, dZ=dZ)  # dL/dX: not needed here
    return grads, dh0, dc0
# --8<-- [end:backward]
