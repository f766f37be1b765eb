"""A regression head: the same cells, another loss.

The head is the cell's own output layer without the softmax, y_t = z_t =
W_Y h_t + b_y, and the loss is :func:`rnn_book.losses.squared_error`. Its
gradient on the logits, dL/dz_t = 2 (y_t - y_true_t) / B, goes to the cell's
``backward_from``, the one backward pass every loss shares; so any cell works
here, readable or fast.
"""

import numpy as np

from rnn_book.losses import squared_error, squared_error_grad

__all__ = ["forward", "backward", "chunk_step"]


# --8<-- [start:forward]
def forward(cell, params, X, state):
    """Run the cell over ``X`` from ``state``; predict y_t = W_Y h_t + b_y.

    Parameters
    ----------
    cell : Cell
        Any cell, readable or fast (:func:`rnn_book.train.cells.get_cell`).
    params : RNNParams or LSTMParams
        With k inputs per step and m = k_out outputs.
    X : (T, k, B) ndarray
    state : tuple of (d, B) ndarray

    Returns
    -------
    Y : (T, m, B) ndarray
    cache : the cell's cache
        For :func:`backward`.
    state : tuple of (d, B) ndarray
        Where the chunk ends.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.regression import forward
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("lstm")
    >>> params = cell.init_params(k=1, d=4, rng=0)
    >>> state = cell.zero_state(4, 2)
    >>> Y, cache, state = forward(cell, params, np.zeros((5, 1, 2)), state)
    >>> Y.shape
    (5, 1, 2)
    """
    _, cache, state = cell.forward(params, X, state)  # the softmax is not used
    Y = params.W_Y @ cache.H + params.b_y  # (T, m, B)  z_t, no softmax
    return Y, cache, state
# --8<-- [end:forward]


# --8<-- [start:backward]
def backward(cell, params, cache, dY):
    """Backpropagate dL/dy_t through the head and the cell, over the chunk.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    cache : the cell's cache
        From :func:`forward`.
    dY : (T, m, B) ndarray
        dL/dy_t for every step, e.g. :func:`rnn_book.losses.squared_error_grad`.

    Returns
    -------
    grads : same type as ``params``
    dstate : tuple of (d, B) ndarray
        dL/dh_0 (and dL/dc_0): what truncated BPTT drops.
    """
    # y_t is z_t, so dL/dz_t = dL/dy_t: the cell's backward does the rest
    grads, _, *dstate = cell.backward_from(params, cache, dZ=dY)
    return grads, tuple(dstate)
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
        With a fast cell, arrays that its next call overwrites.
    state : tuple of (d, B) ndarray
    """
    X = np.asarray(X, params.dtype)[:, None, :]  # (T, 1, B)
    Y_true = np.asarray(Y_true, params.dtype)[:, None, :]  # (T, 1, B)
    Y, cache, state = forward(cell, params, X, state)
    grads, _ = backward(cell, params, cache, squared_error_grad(Y, Y_true))
    return squared_error(Y, Y_true), grads, state
