"""A regression head: the same cells, predicting numbers instead of symbols.

The head is the cell's own output layer without the softmax, y_t = z_t =
W_Y h_t + b_y, and the loss is the squared error, summed over time steps and
outputs and averaged over the batch as for cross-entropy:
L = (1/B) sum_t sum_b |y_t - y_true_t|^2. Its gradient with respect to z_t is
dL/dz_t = 2 (y_t - y_true_t) / B, and from z_t backwards everything is the
cell's ``step_backward``, unchanged.
"""

import numpy as np

__all__ = ["squared_error", "squared_error_grad", "forward", "backward", "chunk_step"]


# --8<-- [start:squared_error]
def squared_error(Y, Y_true):
    """L = (1/B) sum over steps, outputs and sequences of (y - y_true)**2.

    Parameters
    ----------
    Y, Y_true : (T, m, B) ndarray

    Returns
    -------
    loss : float
        Divide by T * m for the mean squared error per value.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.regression import squared_error
    >>> squared_error(np.array([[[1.0, 2.0]]]), np.zeros((1, 1, 2)))  # (1 + 4) / 2
    2.5
    """
    return float(np.sum((Y - Y_true) ** 2) / Y.shape[-1])


def squared_error_grad(Y, Y_true):
    """dL/dY = 2 (Y - Y_true) / B, same shape as ``Y``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.regression import squared_error_grad
    >>> squared_error_grad(np.array([[[1.0, 2.0]]]), np.array([[[0.0, 0.0]]]))
    array([[[1., 2.]]])
    """
    return 2 * (Y - Y_true) / Y.shape[-1]
# --8<-- [end:squared_error]


# --8<-- [start:forward]
def forward(cell, params, X, state):
    """Run the cell over ``X`` from ``state``; predict y_t = W_Y h_t + b_y.

    Parameters
    ----------
    cell : Cell
        A readable cell, ``get_cell(name, fast=False)``: its module has
        ``step_backward``, which :func:`backward` calls.
    params : RNNParams or LSTMParams
        With k inputs per step and m = k_out outputs.
    X : (T, k, B) ndarray
    state : tuple of (d, B) ndarray

    Returns
    -------
    Y : (T, m, B) ndarray
    cache : tuple
        ``(cell_cache, H)`` for :func:`backward`.
    state : tuple of (d, B) ndarray
        Where the chunk ends.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.regression import forward
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("lstm", fast=False)  # the head calls its step_backward
    >>> params = cell.init_params(k=1, d=4, rng=0)
    >>> state = cell.zero_state(4, 2)
    >>> Y, cache, state = forward(cell, params, np.zeros((5, 1, 2)), state)
    >>> Y.shape
    (5, 1, 2)
    """
    _, cell_cache, state = cell.forward(params, X, state)  # the softmax is not used
    H = cell_cache.H  # (T, d, B)
    Y = params.W_Y @ H + params.b_y  # (T, m, B)  z_t, no softmax
    return Y, (cell_cache, H), state
# --8<-- [end:forward]


# --8<-- [start:backward]
def backward(cell, params, cache, dY):
    """Backpropagate dL/dy_t through the head and the cell, over the chunk.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    cache : tuple
        From :func:`forward`.
    dY : (T, m, B) ndarray
        dL/dy_t for every step, e.g. :func:`squared_error_grad`.

    Returns
    -------
    grads : same type as ``params``
    dstate : tuple of (d, B) ndarray
        dL/dh_0 (and dL/dc_0): what truncated BPTT drops.
    """
    cell_cache, H = cache
    grads = params.zeros_like()
    B = H.shape[2]
    carry = cell.zero_state(params.d, B, params.dtype)  # nothing comes from after T
    for t in reversed(range(len(cell_cache.steps))):
        # y_t is z_t, so dL/dz_t = dL/dy_t: step_backward does the rest
        carry = cell.module.step_backward(params, dY[t], *carry,
                                          cell_cache.steps[t], grads)
        carry = carry if isinstance(carry, tuple) else (carry,)
    return grads, carry
# --8<-- [end:backward]


def chunk_step(cell, params, X, Y_true, state):
    """Forward and backward of the squared error over one chunk, from ``state``.

    The regression counterpart of :func:`rnn_book.train.bptt.chunk_step`, for
    :func:`rnn_book.train.loop.train`: ``X`` and ``Y_true`` are ``(T, B)``
    series of one value per step (k = m = 1).

    Returns
    -------
    loss : float
    grads : same type as ``params``
    state : tuple of (d, B) ndarray
    """
    X = np.asarray(X, params.dtype)[:, None, :]  # (T, 1, B)
    Y_true = np.asarray(Y_true, params.dtype)[:, None, :]  # (T, 1, B)
    Y, cache, state = forward(cell, params, X, state)
    grads, _ = backward(cell, params, cache, squared_error_grad(Y, Y_true))
    return squared_error(Y, Y_true), grads, state
