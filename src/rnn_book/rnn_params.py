"""The simple RNN's parameters, with the lecture's names and shapes.

``W_X (d, k)``, ``W_H (d, d)``, ``b_h (d, 1)``, ``W_Y (k_out, d)``,
``b_y (k_out, 1)``; ``k_out = k`` in the lecture (next-symbol prediction).
Gradients come back as an ``RNNParams`` too, so ``grads.W_H`` is dL/dW_H.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rnn_book.params import Params, check_output_size, check_sizes


# --8<-- [start:RNNParams]
@dataclass(eq=False)
class RNNParams(Params):
    """Weights and biases of a simple RNN (or their gradients).

    Attributes
    ----------
    W_X : (d, k) ndarray
        Input weights.
    W_H : (d, d) ndarray
        Hidden-to-hidden weights.
    b_h : (d, 1) ndarray
        Hidden bias.
    W_Y : (k_out, d) ndarray
        Output weights.
    b_y : (k_out, 1) ndarray
        Output bias.

    All five share one floating dtype (float32 or float64), which the forward
    and backward passes follow.

    Examples
    --------
    >>> from rnn_book.rnn import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.k, p.d, p.k_out, p.W_Y.shape
    (4, 3, 4, (4, 3))
    """

    W_X: np.ndarray
    W_H: np.ndarray
    b_h: np.ndarray
    W_Y: np.ndarray
    b_y: np.ndarray

    # each field's shape in the lecture's symbols, checked by Params.validate
    shapes: ClassVar[dict] = {"W_X": ("d", "k"), "W_H": ("d", "d"),
                             "b_h": ("d", 1), "W_Y": ("k_out", "d"),
                             "b_y": ("k_out", 1)}
# --8<-- [end:RNNParams]


# --8<-- [start:init_params]
def init_params(k, d, k_out=None, *, rng=None, dtype=np.float64):
    """Random weights with variance 1/fan_in, zero biases.

    Every weight matrix is drawn from N(0, 1/n) with n the number of inputs it
    multiplies (k for W_X, d for W_H and W_Y). Then each term of
    ``a_t = W_H h_{t-1} + W_X x_t`` has variance about |x|^2/k or |h|^2/d: a_t
    starts in the range where tanh is not saturated and its slope is near 1.
    For W_H this also puts its eigenvalues in a disc of radius about 1, the
    boundary between signals that die out and signals that blow up over many
    steps. Random weights already make the hidden units differ, so the biases
    can start at zero.

    Parameters
    ----------
    k : int
        Input size.
    d : int
        Number of hidden units.
    k_out : int, optional
        Output size; ``k`` if omitted, as in the lecture; 0 for a layer
        without outputs, whose hidden states feed another layer.
    rng : int or numpy.random.Generator, optional
        A seed or a generator; None draws fresh entropy. No global seeding.
    dtype : numpy dtype, optional
        float64 (default) or float32.

    Returns
    -------
    params : RNNParams

    Examples
    --------
    >>> from rnn_book.rnn import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.W_X.shape, p.W_H.shape, p.b_h.shape, p.W_Y.shape, p.b_y.shape
    ((3, 4), (3, 3), (3, 1), (4, 3), (4, 1))
    """
    k_out = k if k_out is None else k_out
    check_sizes(k=k, d=d)
    check_output_size(k_out)  # 0: no output layer (a layer inside a stack)
    # --8<-- [start:init_params_body]
    rng = np.random.default_rng(rng)
    return RNNParams(
        W_X=(rng.standard_normal((d, k)) / np.sqrt(k)).astype(dtype),  # (d, k)
        W_H=(rng.standard_normal((d, d)) / np.sqrt(d)).astype(dtype),  # (d, d)
        b_h=np.zeros((d, 1), dtype),  # (d, 1)
        W_Y=(rng.standard_normal((k_out, d))
             / np.sqrt(d)).astype(dtype),  # (k_out, d)
        b_y=np.zeros((k_out, 1), dtype),  # (k_out, 1)
    )
    # --8<-- [end:init_params_body]
# --8<-- [end:init_params]
