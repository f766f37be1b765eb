"""The simple RNN's parameters, with the lecture's names and shapes.

``W_X (d, k)``, ``W_H (d, d)``, ``b_h (d, 1)``, ``W_Y (k_out, d)``,
``b_y (k_out, 1)``; ``k_out = k`` in the lecture (next-symbol prediction).
Gradients come back as an ``RNNParams`` too, so ``grads.W_H`` is dL/dW_H.
"""

from dataclasses import dataclass, fields

import numpy as np

from rnn_book.checks import as_numeric, check_shape


# --8<-- [start:RNNParams]
@dataclass(eq=False)
class RNNParams:
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
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.k, p.d, p.k_out, p.W_Y.shape
    (4, 3, 4, (4, 3))
    """

    W_X: np.ndarray
    W_H: np.ndarray
    b_h: np.ndarray
    W_Y: np.ndarray
    b_y: np.ndarray

    def __post_init__(self):
        self.validate()

    def validate(self):
        """Raise TypeError/ValueError unless the shapes and dtypes fit together."""
        for name, value in self.items():
            value = as_numeric(name, value)
            if value.dtype.kind != "f":
                raise TypeError(
                    f"{name} must have a floating dtype (float32 or float64); got {value.dtype}"
                )
            setattr(self, name, value)
        check_shape("W_X", self.W_X, ("d", "k"))
        d = self.W_X.shape[0]
        check_shape("W_H", self.W_H, ("d", "d"), d=d)
        check_shape("b_h", self.b_h, ("d", 1), d=d)
        check_shape("W_Y", self.W_Y, ("k_out", "d"), d=d)
        check_shape("b_y", self.b_y, ("k_out", 1), k_out=self.W_Y.shape[0])
        dtypes = {value.dtype for _, value in self.items()}
        if len(dtypes) > 1:
            raise TypeError(f"W_X, W_H, b_h, W_Y and b_y must share one dtype; got {dtypes}")

    @property
    def k(self):
        """Input size: the number of columns of W_X."""
        return self.W_X.shape[1]

    @property
    def d(self):
        """Number of hidden units."""
        return self.W_X.shape[0]

    @property
    def k_out(self):
        """Output size: the number of rows of W_Y."""
        return self.W_Y.shape[0]

    @property
    def dtype(self):
        """The parameters' dtype, which the forward and backward passes follow."""
        return self.W_X.dtype

    def items(self):
        """``(name, array)`` pairs in field order: W_X, W_H, b_h, W_Y, b_y."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def zeros_like(self):
        """An ``RNNParams`` of zeros with the same shapes and dtype."""
        return RNNParams(**{name: np.zeros_like(value) for name, value in self.items()})

    def copy(self):
        """A deep copy."""
        return RNNParams(**{name: value.copy() for name, value in self.items()})

    def astype(self, dtype):
        """A copy converted to ``dtype`` (e.g. ``np.float32``)."""
        return RNNParams(**{name: value.astype(dtype) for name, value in self.items()})
# --8<-- [end:RNNParams]


# --8<-- [start:init_params]
def init_params(k, d, k_out=None, *, rng=None, dtype=np.float64):
    """Random weights with variance 1/fan_in, zero biases.

    Every weight matrix is drawn from N(0, 1/n) with n the number of inputs it
    multiplies (k for W_X, d for W_H and W_Y). Then each term of
    a_t = W_H h_{t-1} + W_X x_t has variance about |x|^2/k or |h|^2/d: a_t
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
        Output size; ``k`` if omitted, as in the lecture.
    rng : int or numpy.random.Generator, optional
        A seed or a generator; None draws fresh entropy. No global seeding.
    dtype : numpy dtype, optional
        float64 (default) or float32.

    Returns
    -------
    params : RNNParams

    Examples
    --------
    >>> p = init_params(k=4, d=3, rng=0)
    >>> p.W_X.shape, p.W_H.shape, p.b_h.shape, p.W_Y.shape, p.b_y.shape
    ((3, 4), (3, 3), (3, 1), (4, 3), (4, 1))
    """
    k_out = k if k_out is None else k_out
    for name, n in [("k", k), ("d", d), ("k_out", k_out)]:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
            raise ValueError(f"{name} must be a positive integer; got {n!r}")
    # --8<-- [start:init_params_body]
    rng = np.random.default_rng(rng)
    return RNNParams(
        W_X=(rng.standard_normal((d, k)) / np.sqrt(k)).astype(dtype),  # (d, k)
        W_H=(rng.standard_normal((d, d)) / np.sqrt(d)).astype(dtype),  # (d, d)
        b_h=np.zeros((d, 1), dtype),  # (d, 1)
        W_Y=(rng.standard_normal((k_out, d)) / np.sqrt(d)).astype(dtype),  # (k_out, d)
        b_y=np.zeros((k_out, 1), dtype),  # (k_out, 1)
    )
    # --8<-- [end:init_params_body]
# --8<-- [end:init_params]
