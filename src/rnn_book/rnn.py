"""Simple RNN, the lecture's equations as numpy: forward and backpropagation through time.

    a_t = W_H h_{t-1} + W_X x_t + b_h,  h_t = tanh(a_t),  y_t = softmax(W_Y h_t + b_y)

Shapes: k inputs, d hidden units, k_out outputs, T steps, B sequences as columns.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnn_book.activations import softmax, tanh, tanh_grad
from rnn_book.checks import as_columns, unbatch
from rnn_book.losses import softmax_cross_entropy_grad
from rnn_book.recurrent import (
    check_cache,
    finish_backward,
    start_backward,
    start_forward,
)
from rnn_book.rnn_params import RNNParams, init_params

__all__ = ["RNNParams", "init_params", "RNNStepCache", "RNNCache", "step_forward",
           "step_backward", "forward", "backward_from", "backward"]


# --8<-- [start:RNNStepCache]
class RNNStepCache(NamedTuple):
    """What one step of :func:`step_forward` keeps for :func:`step_backward`."""

    x_t: np.ndarray  # (k, B)
    h_prev: np.ndarray  # (d, B)  h_{t-1}
    h_t: np.ndarray  # (d, B)
# --8<-- [end:RNNStepCache]


# --8<-- [start:step_forward]
def step_forward(params, x_t, h_prev):
    """One time step: ``a_t = W_H h_{t-1} + W_X x_t + b_h``, ``h_t = tanh(a_t)``.

    Then the outputs: y_t = softmax(z_t) with z_t = W_Y h_t + b_y.

    Parameters
    ----------
    params : RNNParams
    x_t : (k, B) ndarray
        Inputs at step t, one column per sequence (a single sequence is
        ``(k, 1)``: a 1-D ``(k,)`` would broadcast against ``b_h``, so it is
        refused).
    h_prev : (d, B) ndarray
        Previous hidden state ``h_{t-1}``.

    Returns
    -------
    h_t : (d, B) ndarray
        New hidden state.
    y_t : (k_out, B) ndarray
        Softmax outputs.
    cache_t : RNNStepCache
        ``(x_t, h_prev, h_t)``, what :func:`step_backward` needs.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params, step_forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> x_t = np.array([[1.0], [0.0], [0.0], [0.0]])  # symbol 0, as a column
    >>> h_t, y_t, cache_t = step_forward(params, x_t, np.zeros((3, 1)))
    >>> h_t.shape, y_t.shape, round(float(y_t.sum()), 6)
    ((3, 1), (4, 1), 1.0)
    """
    # a column per sequence, never a 1-D (k,)
    x_t = as_columns("x_t", x_t, "k", params.k, dtype=params.dtype)  # (k, B)
    h_prev = as_columns("h_prev", h_prev, "d", params.d, x_t.shape[1],
                        params.dtype)  # (d, B)
    # --8<-- [start:step_forward_math]
    a_t = params.W_H @ h_prev + params.W_X @ x_t + params.b_h  # (d, B)
    h_t = tanh(a_t)  # (d, B)
    # --8<-- [end:step_forward_math]
    # --8<-- [start:step_forward_output]
    z_t = params.W_Y @ h_t + params.b_y  # (k_out, B)
    y_t = softmax(z_t)  # (k_out, B)
    # --8<-- [end:step_forward_output]
    return h_t, y_t, RNNStepCache(x_t, h_prev, h_t)
# --8<-- [end:step_forward]


# --8<-- [start:step_backward]
def step_backward(params, dz_t, dh_next, cache_t, grads):
    """Backpropagate one time step; add its share of each gradient to ``grads``.

    Parameters
    ----------
    params : RNNParams
    dz_t : (k_out, B) ndarray
        dL/dz_t for the logits z_t = W_Y h_t + b_y.
    dh_next : (d, B) ndarray
        dL/dh_t through everything but this step's output: through ``h_{t+1}``
        (zeros at the last step), plus any gradient from a layer above.
    cache_t : RNNStepCache
        ``(x_t, h_prev, h_t)`` from :func:`step_forward`.
    grads : RNNParams
        Running sums, updated in place: the weights are shared by every step,
        so their gradient is the sum of the steps' contributions.

    Returns
    -------
    dh_prev : (d, B) ndarray
        ``dL/dh_{t-1}`` through this step.
    dx_t : (k, B) ndarray
        dL/dx_t: what a layer below (or an embedding) would receive.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params, step_forward, step_backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> x_t = np.eye(4)[:, :1]  # symbol 0, as a column
    >>> h_t, y_t, cache_t = step_forward(params, x_t, np.zeros((3, 1)))
    >>> dz_t = y_t - np.eye(4)[:, 1:2]  # target: symbol 1
    >>> grads = params.zeros_like()
    >>> dh_prev, dx_t = step_backward(params, dz_t, np.zeros((3, 1)), cache_t, grads)
    >>> dh_prev.shape, dx_t.shape
    ((3, 1), (4, 1))
    """
    x_t, h_prev, h_t = cache_t
    B = h_t.shape[1]
    dz_t = as_columns("dz_t", dz_t, "k_out", params.k_out, B, params.dtype)
    dh_next = as_columns("dh_next", dh_next, "d", params.d, B, params.dtype)
    # In-place += on these names updates the arrays inside grads.
    dW_X, dW_H, db_h = grads.W_X, grads.W_H, grads.b_h
    dW_Y, db_y = grads.W_Y, grads.b_y
    # --8<-- [start:step_backward_output]
    dW_Y += dz_t @ h_t.T  # (k_out, d)
    db_y += dz_t.sum(axis=1, keepdims=True)  # (k_out, 1)  sum over the batch
    # --8<-- [end:step_backward_output]
    # --8<-- [start:step_backward_two_paths]
    dh_t = params.W_Y.T @ dz_t + dh_next  # (d, B)  via y_t, plus via h_{t+1}
    # --8<-- [end:step_backward_two_paths]
    # --8<-- [start:step_backward_tanh]
    da_t = dh_t * tanh_grad(h_t)  # (d, B)  tanh'(a_t) = 1 - h_t**2
    # --8<-- [end:step_backward_tanh]
    # --8<-- [start:step_backward_accumulate]
    dW_X += da_t @ x_t.T  # (d, k)
    dW_H += da_t @ h_prev.T  # (d, d)
    db_h += da_t.sum(axis=1, keepdims=True)  # (d, 1)
    # --8<-- [end:step_backward_accumulate]
    # --8<-- [start:step_backward_dh_prev]
    dh_prev = params.W_H.T @ da_t  # (d, B)
    dx_t = params.W_X.T @ da_t  # (k, B)  the same a_t, the other matrix
    # --8<-- [end:step_backward_dh_prev]
    return dh_prev, dx_t
# --8<-- [end:step_backward]


# --8<-- [start:RNNCache]
@dataclass(eq=False)
class RNNCache:
    """What :func:`forward` keeps for :func:`backward_from`.

    Attributes
    ----------
    X : (T, k, B) ndarray
        The checked inputs.
    H : (T, d) or (T, d, B) ndarray
        Hidden states h_1 .. h_T, in the layout of the input X.
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_1 .. y_T, in the layout of the input X.
    steps : list of RNNStepCache
        ``steps[t - 1]`` is step t's cache ``(x_t, h_prev, h_t)``.
    h0_shape : tuple
        The shape of ``h0``, which ``dh0`` takes.
    batched : bool
        Whether X had a batch axis; dX takes its layout.
    fingerprint : tuple
        ``params.fingerprint()`` of the parameters forward ran with.
    """

    X: np.ndarray
    H: np.ndarray
    Y: np.ndarray
    steps: list
    h0_shape: tuple
    batched: bool
    fingerprint: tuple

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape,)``."""
        return (self.h0_shape,)
# --8<-- [end:RNNCache]


# --8<-- [start:forward]
def forward(params, X, h0=None):
    """Run the RNN over whole sequences.

    Parameters
    ----------
    params : RNNParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step (as the lecture writes it), or a
        batch: ``X[t - 1]`` is the ``(k, B)`` matrix of the B sequences' x_t.
    h0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden state; zeros if omitted.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, in the layout of ``X``.
    cache : RNNCache
        ``cache.H`` holds the hidden states, ``(T, d)`` or ``(T, d, B)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])  # the lecture's input
    >>> Y.shape, cache.H.shape
    ((3, 4), (3, 3))
    """
    X, batched, (h0,), (h0_shape,) = start_forward(params, X, h0=h0)
    T, _, B = X.shape  # X (T, k, B); h0 (d, B)
    H = np.empty((T, params.d, B), params.dtype)
    Y = np.empty((T, params.k_out, B), params.dtype)
    steps = []
    # --8<-- [start:forward_loop]
    h_t = h0  # (d, B)
    for t in range(1, T + 1):  # X[t - 1] is x_t: Python counts from 0
        h_t, Y[t - 1], cache_t = step_forward(params, X[t - 1], h_t)
        H[t - 1] = h_t
        steps.append(cache_t)
    # --8<-- [end:forward_loop]
    cache = RNNCache(X=X, H=unbatch(H, batched), Y=unbatch(Y, batched), steps=steps,
                     h0_shape=h0_shape, batched=batched,
                     fingerprint=params.fingerprint())
    return cache.Y, cache
# --8<-- [end:forward]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagation through time from the gradients of any loss.

    A loss on the outputs hands down dL/dz_t (``dZ``); a layer above hands
    down dL/dh_t (``dH``); either, or both. Every other backward pass of the
    package (the cross-entropy's :func:`backward`, the regression head,
    stacked layers, the gradient-flow measurements) is this one loop.

    Parameters
    ----------
    params : RNNParams
        The parameters ``forward`` ran with.
    cache : RNNCache
        From :func:`forward`.
    dZ : array_like, optional
        dL/dz_t for the logits z_t = W_Y h_t + b_y, in the layout of
        ``cache.Y``: ``(T, k_out)`` or ``(T, k_out, B)``.
    dH : array_like, optional
        dL/dh_t from outside the cell, in the layout of ``cache.H``.

    Returns
    -------
    grads : RNNParams
        dL/dW_X, dL/dW_H, dL/db_h, dL/dW_Y, dL/db_y, shaped like ``params``.
    dX : ndarray
        dL/dX, shaped like the ``X`` given to ``forward``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape, float(abs(grads.W_Y).sum())  # no loss on the outputs
    ((3, 4), (3,), 0.0)
    """
    dZ, dH = start_backward(params, cache, RNNCache, dZ, dH)  # (T, k_out, B), (T, d, B)
    T, d, B = dH.shape
    grads = params.zeros_like()
    dX = np.empty((T, params.k, B), params.dtype)
    # --8<-- [start:backward_loop]
    dh_next = np.zeros((d, B), params.dtype)  # nothing flows back from after step T
    for t in range(T, 0, -1):  # t = T, ..., 1
        # dL/dh_t apart from y_t: via h_{t+1}, plus what a layer above sends
        dh_next, dX[t - 1] = step_backward(params, dZ[t - 1], dh_next + dH[t - 1],
                                           cache.steps[t - 1], grads)
    dh0 = dh_next  # (d, B)  what flows out of step 1 is dL/dh_0
    # --8<-- [end:backward_loop]
    return grads, *finish_backward(dX, cache, dh0)
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time for the cross-entropy of ``forward``'s Y.

    The cross-entropy's gradient on the logits, dL/dz_t = y_t - onehot_t,
    handed to :func:`backward_from`.

    Parameters
    ----------
    params : RNNParams
        The parameters ``forward`` ran with.
    cache : RNNCache
        From :func:`forward`.
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``; see :func:`rnn_book.losses.cross_entropy`.

    Returns
    -------
    grads : RNNParams
        dL/dW_X, dL/dW_H, dL/db_h, dL/dW_Y, dL/db_y, shaped like ``params``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_X.shape, dh0.shape
    ((3, 4), (3,))
    """
    params.validate()
    check_cache(cache, RNNCache, params, params.fingerprint())  # before reading cache.Y
    dZ = softmax_cross_entropy_grad(cache.Y, Y_true)  # dL/dz_t = y_t - onehot_t
    grads, _, dh0 = backward_from(params, cache, dZ=dZ)  # dL/dX: not needed here
    return grads, dh0
# --8<-- [end:backward]
