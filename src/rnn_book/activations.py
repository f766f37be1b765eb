"""Activations and their derivatives: tanh, a stable sigmoid, a stable softmax.

The derivatives are written from the activation's *output*, the value the
forward pass has already stored: tanh'(a) = 1 - h**2 with h = tanh(a), and
sigmoid'(z) = s * (1 - s) with s = sigmoid(z).
"""

import numpy as np

from rnn_book.checks import as_numeric


def _real(name, a, finite=False):
    """``a`` as an array of real numbers without NaN (nor infinity, if ``finite``)."""
    a = as_numeric(name, a, finite=False)
    if a.dtype.kind == "f":
        bad = ~np.isfinite(a) if finite else np.isnan(a)
        if bad.any():
            raise ValueError(f"{name} must be {'finite' if finite else 'a number'}; "
                             f"it holds {a[bad].flat[0]}")
    return a


# --8<-- [start:tanh]
def tanh(a):
    """Hyperbolic tangent, tanh(a) = (e^a - e^-a) / (e^a + e^-a), elementwise.

    Parameters
    ----------
    a : ndarray
        Pre-activations, any shape.

    Returns
    -------
    h : ndarray
        Same shape, values in (-1, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.activations import tanh
    >>> tanh(np.array([-1.0, 0.0, 1.0])).round(4)
    array([-0.7616,  0.    ,  0.7616])
    """
    a = _real("a", a)
    return np.tanh(a)  # numpy's tanh is stable: no overflow for large |a|
# --8<-- [end:tanh]


# --8<-- [start:tanh_grad]
def tanh_grad(h):
    """Derivative of tanh, written from its output: tanh'(a) = 1 - h**2.

    Parameters
    ----------
    h : ndarray
        The output ``h = tanh(a)``, any shape.

    Returns
    -------
    dh_da : ndarray
        Same shape, values in (0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.activations import tanh, tanh_grad
    >>> tanh_grad(tanh(np.array([0.0, 1.0]))).round(4)
    array([1.  , 0.42])
    """
    h = _real("h", h)
    return 1 - h**2
# --8<-- [end:tanh_grad]


# --8<-- [start:sigmoid]
def sigmoid(z):
    """Logistic sigmoid, 1 / (1 + e^-z), elementwise, stable for any z.

    For z >= 0 it computes 1 / (1 + e^-z); for z < 0 the equal form
    e^z / (1 + e^z). Either way the exponent is -|z| <= 0, so e^-|z| never
    overflows, and for z = -1000 it underflows quietly to the right answer, 0.

    Parameters
    ----------
    z : ndarray
        Any shape.

    Returns
    -------
    s : ndarray
        Same shape, values in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.activations import sigmoid
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    z = _real("z", z)
    with np.errstate(under="ignore"):  # e^-1000 -> 0.0 is exact enough
        e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
# --8<-- [end:sigmoid]


# --8<-- [start:sigmoid_grad]
def sigmoid_grad(s):
    """Derivative of the sigmoid, written from its output: s * (1 - s).

    Parameters
    ----------
    s : ndarray
        The output ``s = sigmoid(z)``, any shape.

    Returns
    -------
    ds_dz : ndarray
        Same shape, values in [0, 0.25].

    Examples
    --------
    >>> from rnn_book.activations import sigmoid, sigmoid_grad
    >>> float(sigmoid_grad(sigmoid(0.0)))
    0.25
    """
    s = _real("s", s)
    return s * (1 - s)
# --8<-- [end:sigmoid_grad]


# --8<-- [start:softmax]
def softmax(z, axis=0):
    """Softmax along ``axis``: e^z / sum(e^z), stable for any finite z.

    Subtracting the largest score first changes nothing mathematically (the
    factor e^-max cancels) but keeps every exponent <= 0: no overflow, and the
    largest term is exactly e^0 = 1, so the sum is never 0.

    Parameters
    ----------
    z : (k_out, B) or (k_out,) ndarray
        Scores (logits); columns are examples, so the default axis is 0.
    axis : int, optional
        The axis that holds the classes.

    Returns
    -------
    y : ndarray
        Same shape; non-negative, sums to 1 along ``axis``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.activations import softmax
    >>> softmax(np.array([[1.0, 1e4], [1.0, -1e4]])).round(4)
    array([[0.5, 1. ],
           [0.5, 0. ]])
    """
    z = _real("z", z, finite=True)  # inf - inf would be NaN
    if z.shape[axis] == 0:  # no classes (k_out = 0, a layer inside a stack)
        return np.array(z, dtype=float if z.dtype.kind != "f" else z.dtype)
    # --8<-- [start:softmax_math]
    z = z - z.max(axis=axis, keepdims=True)  # every entry <= 0
    with np.errstate(under="ignore"):  # e^-20000 -> 0.0 is exact enough
        e = np.exp(z)
    y = e / e.sum(axis=axis, keepdims=True)
    # --8<-- [end:softmax_math]
    return y
# --8<-- [end:softmax]
