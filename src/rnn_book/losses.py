"""Losses and their gradients on the logits z_t: what a cell's backward starts from.

Classification: the cross-entropy of softmax outputs, targets one-hot (the
lecture's ``y_true``) or integer class indices. Regression: the squared error
of the logits themselves. Both are summed over the T time steps and averaged
over the B sequences of a batch, e.g. L = (1/B) sum_b sum_t -log y_t[target_t, b].
Each gradient is the ``dZ`` of a cell's ``backward_from``.
"""

import numpy as np

from rnn_book.checks import as_class_indices, as_sequence, unbatch


def _predictions_and_targets(Y, Y_true):
    """Check both; return Y as (T, k_out, B), indices (T, B), and the layout."""
    Y, batched = as_sequence("Y", Y, "k_out", None)
    T, k_out, B = Y.shape
    idx = as_class_indices("Y_true", Y_true, T, k_out, B, batched)  # (T, B)
    return Y, idx, batched


# --8<-- [start:probability_tolerance]
def probability_tolerance(dtype):
    """How far from 1 a distribution's sum may be: max(1e-6, sqrt(machine epsilon)).

    1e-6 in float64 (a softmax sums to 1 within about 1e-15), about 3.5e-4 in
    float32 (within about 1e-6). Logits, or rows of counts, miss it by far.
    """
    return max(1e-6, float(np.sqrt(np.finfo(dtype).eps)))
# --8<-- [end:probability_tolerance]


def _check_distributions(Y):
    """Y (T, k_out, B) as floats; ValueError unless every y_t is a probability distribution."""
    if Y.dtype.kind != "f":
        Y = Y.astype(np.float64)
    tolerance = probability_tolerance(Y.dtype)
    low, high = Y.min(initial=0.0), Y.max(initial=0.0)
    if low < 0 or high > 1:
        raise ValueError(f"Y must hold probabilities, in [0, 1]; it holds "
                         f"{low if low < 0 else high:.4g} (softmax outputs, not logits)")
    off = np.abs(Y.sum(axis=1) - 1)  # (T, B)
    if off.size and off.max() > tolerance:
        t, b = np.unravel_index(off.argmax(), off.shape)
        raise ValueError(f"Y must hold probability distributions along axis 1, each summing "
                         f"to 1 within {tolerance:.2g}; y_t at step t={t}, sequence b={b} "
                         f"sums to {Y[t, :, b].sum():.6g}")
    return Y


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

    Raises
    ------
    ValueError
        If a y_t is not a probability distribution: an entry below 0 or above
        1, or a sum that misses 1 by more than :func:`probability_tolerance`
        (1e-6 in float64, about 3.5e-4 in float32). Logits are refused.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.losses import cross_entropy
    >>> Y = np.full((3, 4), 0.25)  # three steps, four equally likely symbols
    >>> round(cross_entropy(Y, [1, 2, 3]), 4)  # 3 * log(4)
    4.1589
    >>> cross_entropy(np.full((3, 4), 0.9), [1, 2, 3])
    Traceback (most recent call last):
    ...
    ValueError: Y must hold probability distributions along axis 1, each summing to 1 within 1e-06; y_t at step t=0, sequence b=0 sums to 3.6
    """
    Y, idx, _ = _predictions_and_targets(Y, Y_true)
    Y = _check_distributions(Y)
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


def _outputs_and_targets(Y, Y_true):
    """Check a regression's outputs and targets: one layout, one shape."""
    Y_checked, batched = as_sequence("Y", Y, "m", None)
    if np.shape(Y_true) != np.shape(Y):
        raise ValueError(f"Y_true must have Y's shape {np.shape(Y)}; got {np.shape(Y_true)}")
    Y_true, _ = as_sequence("Y_true", Y_true, "m", None, Y_checked.dtype)
    return Y_checked, Y_true, batched


# --8<-- [start:squared_error]
def squared_error(Y, Y_true):
    """Squared error, summed over steps and outputs, averaged over the batch.

    L = (1/B) sum_b sum_t |y_t - y_true_t|^2, the regression counterpart of
    :func:`cross_entropy`: the outputs are the logits themselves, y_t = z_t =
    W_Y h_t + b_y, no softmax. Divide by T * m for the mean squared error.

    Parameters
    ----------
    Y, Y_true : (T, m) or (T, m, B) ndarray
        Predictions and targets, m numbers per step.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.losses import squared_error
    >>> squared_error(np.array([[[1.0, 2.0]]]), np.zeros((1, 1, 2)))  # (1 + 4) / 2
    2.5
    """
    Y, Y_true, _ = _outputs_and_targets(Y, Y_true)
    return float(np.sum((Y - Y_true) ** 2) / Y.shape[2])
# --8<-- [end:squared_error]


# --8<-- [start:squared_error_grad]
def squared_error_grad(Y, Y_true):
    """dL/dz_t of :func:`squared_error`: 2 (y_t - y_true_t) / B, shaped like ``Y``.

    What a cell's ``backward_from`` takes as ``dZ`` (y_t is z_t here).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.losses import squared_error_grad
    >>> squared_error_grad(np.array([[[1.0, 2.0]]]), np.zeros((1, 1, 2)))
    array([[[1., 2.]]])
    """
    Y, Y_true, batched = _outputs_and_targets(Y, Y_true)
    return unbatch(2 * (Y - Y_true) / Y.shape[2], batched)
# --8<-- [end:squared_error_grad]
