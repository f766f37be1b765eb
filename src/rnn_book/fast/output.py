"""The output layer for all T steps at once: y_t = softmax(W_Y h_t + b_y), and back.

Nothing here depends on the recurrence, so no time loop: the hidden states
h_1 .. h_T side by side form one ``(d, T*B)`` matrix, and each line below is
one numpy call over every step and every sequence.
"""

import numpy as np

__all__ = ["loss_at_targets", "output_backward", "softmax_cross_entropy_grad", "softmax_outputs"]


# --8<-- [start:softmax_outputs]
def softmax_outputs(ws, W_Y, b_y, H_all, Y_all):
    """Y_all = softmax(W_Y H_all + b_y), column by column, written into ``Y_all``.

    Parameters
    ----------
    ws : Workspace
    W_Y : (k_out, d) ndarray
    b_y : (k_out, 1) ndarray
    H_all : (d, N) ndarray
        Hidden states side by side, N = T*B.
    Y_all : (k_out, N) ndarray
        Output buffer.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.output import softmax_outputs
    >>> from rnn_book.fast.workspace import Workspace
    >>> Y_all = np.empty((2, 3))
    >>> softmax_outputs(Workspace(), np.eye(2), np.zeros((2, 1)), np.zeros((2, 3)), Y_all)
    >>> Y_all
    array([[0.5, 0.5, 0.5],
           [0.5, 0.5, 0.5]])
    """
    if Y_all.shape[0] == 0:  # no output layer (k_out = 0, a layer inside a stack)
        return
    col = ws.array("col", (1, Y_all.shape[1]), Y_all.dtype)  # one number per column
    # --8<-- [start:softmax_outputs_math]
    np.matmul(W_Y, H_all, out=Y_all)  # (k_out, T*B)  z_t for every t at once
    Y_all += b_y
    np.max(Y_all, axis=0, keepdims=True, out=col)
    Y_all -= col  # every entry <= 0
    with np.errstate(under="ignore"):  # e^-20000 -> 0.0 is exact enough
        np.exp(Y_all, out=Y_all)
    np.sum(Y_all, axis=0, keepdims=True, out=col)
    Y_all /= col  # (k_out, T*B)  y_t for every t
    # --8<-- [end:softmax_outputs_math]
# --8<-- [end:softmax_outputs]


# --8<-- [start:softmax_cross_entropy_grad]
def softmax_cross_entropy_grad(ws, Y_all, idx, in_place=False):
    """dL/dz_t = (y_t - onehot_t) / B for every step at once, from outputs side by side.

    Parameters
    ----------
    ws : Workspace
    Y_all : (k_out, N) ndarray
        Softmax outputs side by side, N = T*B.
    idx : (T, B) ndarray of int
        Target classes.
    in_place : bool
        Compute it over ``Y_all`` instead of a copy (the training step,
        which has no further use for the outputs, saves an array of Y's size).

    Returns
    -------
    dZ : (k_out, N) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.output import softmax_cross_entropy_grad
    >>> from rnn_book.fast.workspace import Workspace
    >>> softmax_cross_entropy_grad(Workspace(), np.full((4, 1), 0.25), np.array([[2]]))
    array([[ 0.25],
           [ 0.25],
           [-0.75],
           [ 0.25]])
    """
    k_out, N = Y_all.shape
    B = idx.shape[1]
    if in_place:
        dZ = Y_all
    else:
        dZ = ws.array("dZ", (k_out, N), Y_all.dtype)
        np.copyto(dZ, Y_all)  # (k_out, T*B)
    columns = ws.cached("columns", (Y_all,), lambda: np.arange(N))  # 0 .. T*B - 1
    # --8<-- [start:softmax_cross_entropy_grad_math]
    dZ[idx.ravel(), columns] -= 1  # y_t - onehot_t, every step at once
    dZ /= B  # the loss averages over the batch
    # --8<-- [end:softmax_cross_entropy_grad_math]
    return dZ
# --8<-- [end:softmax_cross_entropy_grad]


# --8<-- [start:output_backward]
def output_backward(dZ, H_all, dW_Y, db_y):
    """dL/dW_Y and dL/db_y from dL/dz_t of every step: one product, one sum.

    Parameters
    ----------
    dZ : (k_out, N) ndarray
        dL/dz_t side by side, N = T*B.
    H_all : (d, N) ndarray
        Hidden states side by side.
    dW_Y, db_y : ndarray
        Written: the gradients of ``W_Y`` (k_out, d) and ``b_y`` (k_out, 1).
    """
    # --8<-- [start:output_backward_math]
    np.matmul(dZ, H_all.T, out=dW_Y)  # (k_out, d)  sum over t and b in one product
    np.sum(dZ, axis=1, keepdims=True, out=db_y)  # (k_out, 1)
    # --8<-- [end:output_backward_math]
# --8<-- [end:output_backward]


# --8<-- [start:loss_at_targets]
def loss_at_targets(Y_all, idx):
    """Cross-entropy L = (1/B) sum_t sum_b -log y_t[target], from outputs side by side.

    Equal to :func:`rnn_book.losses.cross_entropy` of the same outputs
    (probabilities that underflowed to 0 are read as the smallest positive float).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.output import loss_at_targets
    >>> round(loss_at_targets(np.full((4, 3), 0.25), np.array([[1], [2], [3]])), 4)
    4.1589
    """
    B = idx.shape[1]
    p = Y_all[idx.ravel(), np.arange(Y_all.shape[1])]  # (T*B,)
    p = np.maximum(p, np.finfo(Y_all.dtype).tiny)  # log(0) would be -inf
    return float(-np.log(p).sum() / B)
# --8<-- [end:loss_at_targets]
