"""Gradient checking: central differences, and how far two gradients differ.

Backpropagation is easy to get subtly wrong; a finite-difference estimate is
slow but needs no calculus, so agreement between the two is strong evidence.
"""

import math

import numpy as np

from rnn_book.checks import as_numeric, as_positive


def _check_x(x):
    """The array that numerical_gradient perturbs: float64, writable, finite."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be the numpy array that f reads (it is changed in place); "
                        f"got {type(x).__name__}")
    if x.dtype != np.float64:
        raise TypeError(f"x must be a float64 array; got {x.dtype}: a step of eps would be "
                        "rounded away (pass x.astype(np.float64) and let f read that)")
    if not x.flags.writeable:
        raise ValueError("x is read-only; numerical_gradient changes it in place and restores it")
    as_numeric("x", x)  # no NaN or infinity


def _value(f, x, i, eps):
    """f(), which must be one finite real number; x[i] names the entry in messages."""
    value = f()
    if isinstance(value, (bool, np.bool_)) or np.ndim(value) != 0 \
            or np.asarray(value).dtype.kind not in "iuf":
        raise TypeError(f"f must return one real number; got {type(value).__name__} "
                        f"{np.shape(value) if np.ndim(value) else value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"f returned {value} with x{list(i)} moved by {eps:g}")
    return value


# --8<-- [start:numerical_gradient]
def numerical_gradient(f, x, eps=1e-5):
    """Estimate df/dx by central differences, one entry of ``x`` at a time.

    df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), with an error of
    order eps**2. ``x`` is perturbed in place (so ``f`` may read it from
    wherever it lives, e.g. ``params.W_H``) and restored afterwards.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns one finite number, e.g. the loss.
    x : ndarray of float64
        The writable array that ``f`` reads; changed and restored in place
        (restored even if ``f`` raises). Other dtypes are refused: an integer
        array cannot hold ``x + eps``, and float32 rounds the step away.
    eps : float, optional
        Step size. 1e-5 balances truncation (eps**2) against rounding
        (1e-16 / eps) in float64. A step too small to change an entry of
        ``x`` raises ValueError.

    Returns
    -------
    grad : ndarray
        Same shape as ``x``, float64.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradcheck import numerical_gradient
    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda: float((x**2).sum()), x).round(6)
    array([2., 4.])
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments; got {type(f).__name__}")
    _check_x(x)
    eps = as_positive("eps", eps)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        if x[i] + eps == x[i] or x[i] - eps == x[i]:
            raise ValueError(f"eps={eps:g} is too small to change x{list(i)} = {x[i]!r}")
        original = x[i]
        try:
            # --8<-- [start:numerical_gradient_math]
            x[i] = original + eps
            f_plus = _value(f, x, i, eps)
            x[i] = original - eps
            f_minus = _value(f, x, i, eps)
            grad[i] = (f_plus - f_minus) / (2 * eps)
            # --8<-- [end:numerical_gradient_math]
        finally:
            x[i] = original  # restore
    return grad
# --8<-- [end:numerical_gradient]


# --8<-- [start:relative_error]
def relative_error(a, b):
    """Relative difference of two arrays: ||a - b|| / (||a|| + ||b||).

    Norms over the whole array, so one entry that is zero in both (say, the
    weights of a symbol never seen) cannot blow the ratio up. 0 when both are 0.

    Parameters
    ----------
    a, b : ndarray
        Same shape, e.g. an analytic and a numerical gradient.

    Returns
    -------
    error : float
        In [0, 1]; below 1e-7 in float64 means the gradients agree.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradcheck import relative_error
    >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.000001])) < 1e-6
    True
    """
    a, b = as_numeric("a", a).astype(float), as_numeric("b", b).astype(float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; "
                         f"got {a.shape} and {b.shape}")
    # --8<-- [start:relative_error_math]
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
    # --8<-- [end:relative_error_math]
# --8<-- [end:relative_error]
