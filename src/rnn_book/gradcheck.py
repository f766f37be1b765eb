"""Gradient checking: central differences, and how far two gradients differ.

Backpropagation is easy to get subtly wrong; a finite-difference estimate is
slow but needs no calculus, so agreement between the two is strong evidence.
"""

import numpy as np


# --8<-- [start:numerical_gradient]
def numerical_gradient(f, x, eps=1e-5):
    """Estimate df/dx by central differences, one entry of ``x`` at a time.

    df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), with an error of
    order eps**2. ``x`` is perturbed in place (so ``f`` may read it from
    wherever it lives, e.g. ``params.W_H``) and restored afterwards.

    Parameters
    ----------
    f : callable
        Takes no arguments and returns a float, e.g. the loss.
    x : ndarray
        A floating-point array that ``f`` reads; changed and restored in place.
    eps : float, optional
        Step size. 1e-5 balances truncation (eps**2) against rounding
        (1e-16 / eps) in float64.

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
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        # --8<-- [start:numerical_gradient_math]
        original = x[i]
        x[i] = original + eps
        f_plus = f()
        x[i] = original - eps
        f_minus = f()
        x[i] = original  # restore
        grad[i] = (f_plus - f_minus) / (2 * eps)
        # --8<-- [end:numerical_gradient_math]
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
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; "
                         f"got {a.shape} and {b.shape}")
    # --8<-- [start:relative_error_math]
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
    # --8<-- [end:relative_error_math]
# --8<-- [end:relative_error]
