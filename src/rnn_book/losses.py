"""Cross-entropy of a sequence of softmax outputs, and its gradient.

The loss is summed over the T time steps and averaged over the B sequences
of a batch: L = (1/B) sum_b sum_t -log y_t[target_t, b].
Targets are one-hot (the lecture's ``y_true``) or integer class indices.
"""

import numpy as np

from rnn_book.checks import as_class_indices, as_sequence, unbatch


def _predictions_and_targets(Y, Y_true):
    """Check both; return Y as (T, k_out, B), indices (T, B), and the layout."""
    Y, batched = as_sequence("Y", Y, "k_out", None)
    T, k_out, B = Y.shape
    idx = as_class_indices("Y_true", Y_true, T, k_out, B, batched)  # (T, B)
    return Y, idx, batched


def _at_targets(Y, idx):
    """The entries Y[t, idx[t, b], b], as a (T, B) array."""
    T, _, B = Y.shape
    return Y[np.arange(T)[:, None], idx, np.arange(B)]  # (T, B)


# --8<-- [start:cross_entropy]
def cross_entropy(Y, Y_true):
    """Cross-entropy, summed over time steps, averaged over the batch.

    L = (1/B) sum_b sum_t -log y_t[target_t, b]. A probability that has
    underflowed to 0 is read as the smallest positive float, so the loss stays
    finite (at most about 708 per step in float64) even for logits of +-1e4.

    Parameters
    ----------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, one sequence or a batch.
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.losses import cross_entropy
    >>> Y = np.full((3, 4), 0.25)  # three steps, four equally likely symbols
    >>> round(cross_entropy(Y, [1, 2, 3]), 4)  # 3 * log(4)
    4.1589
    """
    Y, idx, _ = _predictions_and_targets(Y, Y_true)
    B = Y.shape[2]
    # --8<-- [start:cross_entropy_math]
    p = _at_targets(Y, idx)  # (T, B)  probability given to the right symbol
    p = np.maximum(p, np.finfo(Y.dtype).tiny)  # log(0) would be -inf
    loss = -np.log(p).sum() / B
    # --8<-- [end:cross_entropy_math]
    return float(loss)
# --8<-- [end:cross_entropy]


# --8<-- [start:softmax_cross_entropy_grad]
def softmax_cross_entropy_grad(Y, Y_true):
    """Gradient of :func:`cross_entropy` with respect to the logits z_t.

    With y_t = softmax(z_t), dL/dz_t = (y_t - onehot_t) / B: the softmax's
    Jacobian and the log's 1/y cancel, leaving "prediction minus target".

    Parameters
    ----------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t.
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``.

    Returns
    -------
    dZ : ndarray
        Same shape as ``Y``: dZ[t] is dL/dz_t.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.losses import softmax_cross_entropy_grad
    >>> Y = np.full((1, 4), 0.25)
    >>> softmax_cross_entropy_grad(Y, [2])
    array([[ 0.25,  0.25, -0.75,  0.25]])
    """
    Y, idx, batched = _predictions_and_targets(Y, Y_true)
    T, _, B = Y.shape
    # --8<-- [start:softmax_cross_entropy_grad_math]
    dZ = Y.copy()  # (T, k_out, B)
    dZ[np.arange(T)[:, None], idx, np.arange(B)] -= 1  # y_t - onehot_t
    dZ /= B  # the loss averages over the batch
    # --8<-- [end:softmax_cross_entropy_grad_math]
    return unbatch(dZ, batched)
# --8<-- [end:softmax_cross_entropy_grad]
