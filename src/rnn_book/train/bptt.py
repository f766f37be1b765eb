"""Truncated backpropagation through time: carry the state, cut the gradient.

A long text is read in chunks of T steps. The state that one chunk ends in is
where the next chunk starts, so the forward pass sees the whole text as one
sequence. The backward pass stops at the chunk's first step: the gradient with
respect to the starting state is dropped. The memory and the time of one
update grow with T, not with the length of the text; the price is that no
gradient reaches back more than T steps.
"""

from rnn_book.checks import as_count
from rnn_book.losses import cross_entropy
from rnn_book.train.data import one_hot_batch

__all__ = ["chunk_step", "truncated_gradient"]


# --8<-- [start:chunk_step]
def chunk_step(cell, params, X_ids, Y_ids, state):
    """Forward and backward over one chunk, starting from ``state``.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    X_ids, Y_ids : (T, B) ndarray of int
        Input characters and their targets, one column per stream.
    state : tuple of (d, B) ndarray
        Where the previous chunk ended (zeros at the start of the text).

    Returns
    -------
    loss : float
        Cross-entropy summed over the T steps, averaged over the B streams.
    grads : same type as ``params``
        Its gradient, cut at the chunk's first step.
    state : tuple of (d, B) ndarray
        Where this chunk ends: the next chunk's starting state.

    Examples
    --------
    >>> from rnn_book.train.bptt import chunk_step
    >>> import numpy as np
    >>> from rnn_book.train.cells import get_cell
    >>> cell = get_cell("rnn")
    >>> params = cell.init_params(k=3, d=4, rng=0)
    >>> ids = np.array([[0, 1], [1, 2], [2, 0]])  # (T, B) = (3, 2)
    >>> state = cell.zero_state(4, 2)
    >>> loss, grads, state = chunk_step(cell, params, ids, ids, state)
    >>> round(loss / 3, 4), state[0].shape  # per character; guessing: log(3) = 1.0986
    (1.3247, (4, 2))
    """
    # --8<-- [start:chunk_step_body]
    X = one_hot_batch(X_ids, params.k, params.dtype)  # (T, k, B)
    Y, cache, state = cell.forward(params, X, state)  # state: where the chunk ends
    loss = cross_entropy(Y, Y_ids)
    grads = cell.backward(params, cache, Y_ids)  # dL/d(starting state): dropped
    return loss, grads, state
    # --8<-- [end:chunk_step_body]
# --8<-- [end:chunk_step]


# --8<-- [start:truncated_gradient]
def truncated_gradient(cell, params, X_ids, Y_ids, T, state=None):
    """The sum of the chunks' gradients over a whole sequence, at fixed ``params``.

    With ``T`` at least the sequence's length there is one chunk and this is
    the full BPTT gradient; with a shorter ``T`` it is not.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    X_ids, Y_ids : (N, B) ndarray of int
    T : int
        Chunk length.
    state : tuple of (d, B) ndarray, optional
        Starting state; zeros if omitted.

    Returns
    -------
    loss : float
        The whole sequence's cross-entropy (the chunks' losses add up to it).
    grads : same type as ``params``
    """
    T = as_count("T", T)  # T <= 0 would sum no chunk: zero gradients, silently
    B = X_ids.shape[1]
    state = cell.zero_state(params.d, B, params.dtype) if state is None else state
    total, grads = 0.0, params.zeros_like()
    for start in range(0, len(X_ids), T):
        loss, g, state = chunk_step(cell, params, X_ids[start:start + T],
                                    Y_ids[start:start + T], state)
        total += loss
        for (_, acc), (_, part) in zip(grads.items(), g.items()):
            acc += part
    return total, grads
# --8<-- [end:truncated_gradient]
