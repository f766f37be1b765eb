"""The GRU's parameters, per gate, in the LSTM's naming.

Each gate ``*`` in r (reset), u (update), g (candidate) has ``W_xh_* (d, k)``,
``W_hh_* (d, d)`` and ``b_h_* (d, 1)``. The candidate has one more bias,
``b_hh_g (d, 1)``, on the hidden side: in PyTorch's GRU the reset gate scales
``W_hh_g h_{t-1} + b_hh_g``, so that bias cannot be merged into ``b_h_g``.
The output layer is ``W_Y (k_out, d)``, ``b_y (k_out, 1)`` as in the simple RNN.
Gradients come back as a ``GRUParams`` too, so ``grads.W_hh_u`` is dL/dW_hh_u.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rnn_book.params import Params, check_output_size, check_sizes

GATES = ("r", "u", "g")  # reset, update, candidate


# --8<-- [start:GRUParams]
@dataclass(eq=False)
class GRUParams(Params):
    """Weights and biases of a GRU (or their gradients).

    The fields come in the order W_xh_r, W_hh_r, b_h_r, W_xh_u, ..., b_h_g,
    b_hh_g, W_Y, b_y. All twelve share one floating dtype (float32 or
    float64), which the forward and backward passes follow.

    Attributes
    ----------
    W_xh_r, W_xh_u, W_xh_g : (d, k) ndarray
        Input weights of the reset and update gates and the candidate.
    W_hh_r, W_hh_u, W_hh_g : (d, d) ndarray
        Hidden-to-hidden weights, one matrix per gate.
    b_h_r, b_h_u, b_h_g : (d, 1) ndarray
        Biases, one per gate.
    b_hh_g : (d, 1) ndarray
        The candidate's hidden-side bias, added to ``W_hh_g h_{t-1}`` (before
        the reset gate scales it, in PyTorch's variant).
    W_Y : (k_out, d) ndarray
        Output weights.
    b_y : (k_out, 1) ndarray
        Output bias.

    Examples
    --------
    >>> from rnn_book.gru import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.k, p.d, p.k_out, p.W_xh_r.shape, p.W_hh_u.shape, p.b_hh_g.shape
    (4, 3, 4, (3, 4), (3, 3), (3, 1))
    """

    W_xh_r: np.ndarray
    W_hh_r: np.ndarray
    b_h_r: np.ndarray
    W_xh_u: np.ndarray
    W_hh_u: np.ndarray
    b_h_u: np.ndarray
    W_xh_g: np.ndarray
    W_hh_g: np.ndarray
    b_h_g: np.ndarray
    b_hh_g: np.ndarray
    W_Y: np.ndarray
    b_y: np.ndarray

    # each field's shape in the book's symbols, checked by Params.validate
    shapes: ClassVar[dict] = {
        **{f"W_xh_{gate}": ("d", "k") for gate in GATES},
        **{f"W_hh_{gate}": ("d", "d") for gate in GATES},
        **{f"b_h_{gate}": ("d", 1) for gate in GATES},
        "b_hh_g": ("d", 1),
        "W_Y": ("k_out", "d"),
        "b_y": ("k_out", 1),
    }
# --8<-- [end:GRUParams]


# --8<-- [start:init_params]
def init_params(k, d, k_out=None, *, rng=None, dtype=np.float64, update_bias=0.0):
    """Random weights with variance 1/fan_in; biases 0 (the update gate's: ``update_bias``).

    As for the simple RNN and the LSTM, every weight matrix is drawn from
    N(0, 1/n) with n the number of inputs it multiplies (k for the W_xh_*,
    d for the W_hh_* and W_Y). With the default update-gate bias 0 the update
    gate starts near sigmoid(0) = 0.5, keeping half of ``h_{t-1}`` at every step,
    as PyTorch's and Keras's GRUs start; a positive ``update_bias`` plays the
    role of the LSTM's forget-gate bias, starting the cell by remembering.

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
    update_bias : float, optional
        The starting value of every entry of b_h_u.

    Returns
    -------
    params : GRUParams

    Examples
    --------
    >>> from rnn_book.gru import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.W_xh_g.shape, p.W_hh_g.shape, p.b_h_u.ravel().tolist()
    ((3, 4), (3, 3), [0.0, 0.0, 0.0])
    """
    k_out = k if k_out is None else k_out
    check_sizes(k=k, d=d)
    check_output_size(k_out)  # 0: no output layer (a layer inside a stack)
    rng = np.random.default_rng(rng)

    def weights(rows, fan_in):
        W = rng.standard_normal((rows, fan_in)) / np.sqrt(fan_in)
        return W.astype(dtype)

    gates = {}
    for gate in GATES:
        gates[f"W_xh_{gate}"] = weights(d, k)  # (d, k)
        gates[f"W_hh_{gate}"] = weights(d, d)  # (d, d)
        bias = update_bias if gate == "u" else 0.0
        gates[f"b_h_{gate}"] = np.full((d, 1), bias, dtype)  # (d, 1)
    return GRUParams(**gates,
                     b_hh_g=np.zeros((d, 1), dtype),  # (d, 1)
                     W_Y=weights(k_out, d),  # (k_out, d)
                     b_y=np.zeros((k_out, 1), dtype))  # (k_out, 1)
# --8<-- [end:init_params]
