"""The LSTM's parameters, with the lecture's per-gate names and shapes.

Each gate ``*`` in f (forget), i (input), o (output), g (candidate) has
``W_xh_* (d, k)``, ``W_hh_* (d, d)`` and ``b_h_* (d, 1)``; the output layer is
``W_Y (k_out, d)``, ``b_y (k_out, 1)`` as in the simple RNN.
Gradients come back as an ``LSTMParams`` too, so ``grads.W_hh_f`` is dL/dW_hh_f.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rnn_book.params import Params, check_output_size, check_sizes

GATES = ("f", "i", "o", "g")  # forget, input, output, candidate: the lecture's order


# --8<-- [start:LSTMParams]
@dataclass(eq=False)
class LSTMParams(Params):
    """Weights and biases of an LSTM (or their gradients).

    The fields come in the order W_xh_f, W_hh_f, b_h_f, W_xh_i, ..., b_h_g,
    W_Y, b_y. All fourteen share one floating dtype (float32 or float64), which
    the forward and backward passes follow.

    Attributes
    ----------
    W_xh_f, W_xh_i, W_xh_o, W_xh_g : (d, k) ndarray
        Input weights of the forget, input and output gates and the candidate.
    W_hh_f, W_hh_i, W_hh_o, W_hh_g : (d, d) ndarray
        Hidden-to-hidden weights, one matrix per gate.
    b_h_f, b_h_i, b_h_o, b_h_g : (d, 1) ndarray
        Biases, one per gate.
    W_Y : (k_out, d) ndarray
        Output weights.
    b_y : (k_out, 1) ndarray
        Output bias.

    Examples
    --------
    >>> from rnn_book.lstm import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.k, p.d, p.k_out, p.W_xh_f.shape, p.W_hh_f.shape, p.b_h_f.shape
    (4, 3, 4, (3, 4), (3, 3), (3, 1))
    """

    W_xh_f: np.ndarray
    W_hh_f: np.ndarray
    b_h_f: np.ndarray
    W_xh_i: np.ndarray
    W_hh_i: np.ndarray
    b_h_i: np.ndarray
    W_xh_o: np.ndarray
    W_hh_o: np.ndarray
    b_h_o: np.ndarray
    W_xh_g: np.ndarray
    W_hh_g: np.ndarray
    b_h_g: np.ndarray
    W_Y: np.ndarray
    b_y: np.ndarray

    # each field's shape in the lecture's symbols, checked by Params.validate
    shapes: ClassVar[dict] = {
        **{f"W_xh_{gate}": ("d", "k") for gate in GATES},
        **{f"W_hh_{gate}": ("d", "d") for gate in GATES},
        **{f"b_h_{gate}": ("d", 1) for gate in GATES},
        "W_Y": ("k_out", "d"),
        "b_y": ("k_out", 1),
    }
# --8<-- [end:LSTMParams]


# --8<-- [start:init_params]
def init_params(k, d, k_out=None, *, rng=None, dtype=np.float64,
                forget_bias=1.0):
    """Random weights, variance 1/fan_in; forget-gate bias 1, other biases 0.

    As for the simple RNN, every weight matrix is drawn from N(0, 1/n) with n
    the number of inputs it multiplies (k for the W_xh_*, d for the W_hh_* and
    W_Y), so each gate's pre-activation starts near the middle of its sigmoid
    or tanh, where the slope is largest.

    The forget gate's bias starts at 1, the others at 0. With b_h_f = 0 the
    forget gate would start at sigmoid(0) = 0.5 and halve the cell at every
    step, so a gradient reaching back 20 steps would be scaled by about 2^-20
    before learning had a chance to open the gate. With b_h_f = 1 the gate
    starts near sigmoid(1) = 0.73: the cell starts by remembering. Gers,
    Schmidhuber and Cummins (2000, "Learning to forget"), who introduced the
    forget gate, started its bias at positive values for this reason;
    Jozefowicz, Zaremba and Sutskever (2015, "An empirical exploration of
    recurrent network architectures") found that a bias of 1 closes most of
    the gap between the LSTM and the best architectures they searched, and
    recommend it as the default.

    Parameters
    ----------
    k : int
        Input size.
    d : int
        Number of hidden units (and cell units).
    k_out : int, optional
        Output size; ``k`` if omitted, as in the lecture; 0 for a layer
        without outputs, whose hidden states feed another layer.
    rng : int or numpy.random.Generator, optional
        A seed or a generator; None draws fresh entropy. No global seeding.
    dtype : numpy dtype, optional
        float64 (default) or float32.
    forget_bias : float, optional
        The starting value of every entry of b_h_f.

    Returns
    -------
    params : LSTMParams

    Examples
    --------
    >>> from rnn_book.lstm import init_params
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.W_xh_g.shape, p.W_hh_g.shape
    ((3, 4), (3, 3))
    >>> p.b_h_f.ravel().tolist(), p.b_h_i.ravel().tolist()  # forget bias 1
    ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
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
        bias = forget_bias if gate == "f" else 0.0
        gates[f"b_h_{gate}"] = np.full((d, 1), bias, dtype)  # (d, 1)
    return LSTMParams(**gates,
                      W_Y=weights(k_out, d),  # (k_out, d)
                      b_y=np.zeros((k_out, 1), dtype))  # (k_out, 1)
# --8<-- [end:init_params]
