"""Input checks shared by every model: dtypes, finiteness, exact shapes.

Each check raises an error that names the argument and the shape it expected,
so a wrong input fails at the door instead of broadcasting into nonsense
(an ``x_t`` of shape ``(k,)`` added to ``b_h`` of shape ``(d, 1)`` would
otherwise silently become a ``(d, k)`` matrix).
Shapes are written with the book's symbols; sizes already known are filled in,
as in ``X must have shape (T, k) = (T, 4) or (T, k, B) = (T, 4, B); got (3, 5)``.
"""

import math

import numpy as np

# Integers, unsigned integers, floats and booleans are numbers here;
# complex numbers, strings and objects are not.
_NUMERIC_KINDS = "biuf"


def as_numeric(name, a, dtype=None, *, finite=True):
    """Return ``a`` as a finite numeric array, converted to ``dtype`` if given.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    a : array_like
        The value to check.
    dtype : numpy dtype, optional
        Convert to this dtype (the parameters' dtype, say).
    finite : bool, optional
        Refuse NaN and infinity (the default); False leaves that to the caller.

    Returns
    -------
    a : ndarray

    Raises
    ------
    TypeError
        If ``a`` does not hold real numbers.
    ValueError
        If ``a`` holds NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import as_numeric
    >>> as_numeric("X", [[1, 0], [0, 1]], np.float32).dtype
    dtype('float32')
    >>> as_numeric("X", ["a", "b"])
    Traceback (most recent call last):
    ...
    TypeError: X must hold real numbers; got dtype <U1
    >>> as_numeric("X", [1e39], np.float32)
    Traceback (most recent call last):
    ...
    ValueError: X holds values too large for float32 (largest 3.40e+38); scale it down or use float64
    """
    try:
        a = np.asarray(a)
    except ValueError:  # a ragged nested list: rows of different lengths
        raise ValueError(f"{name} must be a rectangular array; its rows have different "
                         "lengths") from None
    if a.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} must hold real numbers; got dtype {a.dtype}")
    if finite and a.dtype.kind == "f" and not all_finite(a):
        raise ValueError(f"{name} must be finite; it holds NaN or infinity")
    if dtype is None or a.dtype == dtype:
        return a
    with np.errstate(over="ignore"):  # a value beyond the dtype's range becomes inf
        converted = a.astype(dtype)
    if converted.dtype.kind == "f" and not all_finite(converted):
        largest = np.finfo(converted.dtype).max
        raise ValueError(f"{name} holds values too large for {converted.dtype} "
                         f"(largest {largest:.2e}); scale it down or use float64")
    return converted


def all_finite(a):
    """Whether every number in the float array ``a`` is finite, without a full-size temporary.

    ``np.isfinite(a).all()`` first builds a boolean array as large as ``a``
    (T * k * B bytes for a batch of inputs, at every call). A sum is NaN or
    infinite whenever an entry is, so a finite sum proves them all finite; only
    a sum that is not finite (an entry NaN or infinite, or finite entries whose
    sum overflows) is checked entry by entry, one index of the first axis at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import all_finite
    >>> all_finite(np.ones((3, 4))), all_finite(np.array([[1e308, 1e308]])), all_finite(np.array([[1.0, np.nan]]))
    (True, True, False)
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is no error
        if math.isfinite(np.add.reduce(a, axis=None)):
            return True
    return all(np.isfinite(part).all() for part in (a if a.ndim > 1 else (a,)))


def _describe(form, sizes):
    """``("T", "k")`` with ``k=4`` -> ``"(T, k) = (T, 4)"``."""
    comma = "," if len(form) == 1 else ""
    symbols = "(" + ", ".join(map(str, form)) + comma + ")"
    if not any(s in sizes for s in form):
        return symbols
    return f"{symbols} = (" + ", ".join(str(sizes.get(s, s)) for s in form) + comma + ")"


def check_shape(name, a, *forms, **sizes):
    """Check that ``a.shape`` matches one of ``forms``; return its index.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    a : ndarray
        The array to check.
    *forms : tuple of str or int
        Accepted shapes written with symbols or fixed sizes, e.g. ``("T", "k")``
        or ``("d", 1)``.
    **sizes : int
        Sizes already known, e.g. ``k=4``. A symbol without a size may take
        any size of at least 1.

    Returns
    -------
    index : int
        Which form matched.

    Raises
    ------
    ValueError
        Naming ``name``, every accepted shape and the shape it got.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import check_shape
    >>> check_shape("X", np.zeros((3, 4, 2)), ("T", "k"), ("T", "k", "B"), k=4)
    1
    >>> check_shape("X", np.zeros((3, 5)), ("T", "k"), ("T", "k", "B"), k=4)
    Traceback (most recent call last):
    ...
    ValueError: X must have shape (T, k) = (T, 4) or (T, k, B) = (T, 4, B); got (3, 5)
    """
    for index, form in enumerate(forms):
        required = [sizes.get(s, s) for s in form]  # an int, or a free symbol
        if len(form) == a.ndim and all(
            n == r if isinstance(r, int) else n >= 1 for r, n in zip(required, a.shape)
        ):
            return index
    expected = " or ".join(_describe(form, sizes) for form in forms)
    raise ValueError(f"{name} must have shape {expected}; got {tuple(a.shape)}")


def as_columns(name, a, size_name, size, B=None, dtype=None):
    """Check a per-step matrix such as ``x_t``: exactly ``(size, B)``, no 1-D vectors.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    a : (size, B) array_like
        One column per sequence of the batch.
    size_name : str
        The symbol for the number of rows, e.g. ``"k"``.
    size : int
        The required number of rows.
    B : int, optional
        The required number of columns; any if omitted.
    dtype : numpy dtype, optional
        Convert to this dtype.

    Returns
    -------
    a : (size, B) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import as_columns
    >>> as_columns("x_t", np.zeros(4), "k", 4)
    Traceback (most recent call last):
    ...
    ValueError: x_t must have shape (k, B) = (4, B); got (4,)
    """
    a = as_numeric(name, a, dtype)
    check_shape(name, a, (size_name, "B"), **{size_name: size}, **({} if B is None else {"B": B}))
    return a


def as_sequence(name, X, size_name, size, dtype=None):
    """Check a sequence ``(T, size)`` or batch ``(T, size, B)``; return it 3-D.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    X : (T, size) or (T, size, B) array_like
        One sequence, one row per step, or a batch of B column vectors per step.
    size_name : str
        The symbol for the size, e.g. ``"k"``.
    size : int or None
        The required size, or None for any.
    dtype : numpy dtype, optional
        Convert to this dtype.

    Returns
    -------
    X : (T, size, B) ndarray
        With ``B = 1`` for a single sequence.
    batched : bool
        False for a single sequence: use :func:`unbatch` to give results
        back in its layout.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import as_sequence
    >>> X, batched = as_sequence("X", np.eye(4)[:3], "k", 4)
    >>> X.shape, batched
    ((3, 4, 1), False)
    """
    X = as_numeric(name, X, dtype)
    known = {} if size is None else {size_name: size}
    batched = check_shape(name, X, ("T", size_name), ("T", size_name, "B"), **known) == 1
    return (X if batched else X[:, :, np.newaxis]), batched


def unbatch(A, batched):
    """Undo :func:`as_sequence`'s added batch axis when ``batched`` is False.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import unbatch
    >>> unbatch(np.zeros((3, 4, 1)), batched=False).shape
    (3, 4)
    """
    return A if batched else A[..., 0]


def as_state(name, s0, d, B, batched, dtype, size_name="d"):
    """Check an initial state (``h0``, ``c0``); return it as ``(d, B)``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    s0 : (d,), (d, 1) or (d, B) array_like or None
        ``(d,)`` and ``(d, 1)`` only when ``B == 1``; None means zeros.
    d, B : int
        State size and batch size.
    batched : bool
        Whether the sequence has a batch axis (see :func:`as_sequence`).
    dtype : numpy dtype
        Convert to this dtype.
    size_name : str, optional
        The symbol for ``d`` in error messages.

    Returns
    -------
    s0 : (d, B) ndarray
    shape : tuple
        The caller's shape, to give the gradient back in; if ``s0`` is None,
        ``(d, B)`` for a batch and ``(d,)`` for a single sequence.

    Examples
    --------
    >>> from rnn_book.checks import as_state
    >>> h0, shape = as_state("h0", [0.5, 0.0, -0.5], d=3, B=1, batched=False, dtype=float)
    >>> h0.shape, shape
    ((3, 1), (3,))
    """
    if s0 is None:
        return np.zeros((d, B), dtype), ((d, B) if batched else (d,))
    s0 = as_numeric(name, s0, dtype)
    forms = [(size_name, "B")] if B > 1 else [(size_name,), (size_name, "B")]
    check_shape(name, s0, *forms, **{size_name: d, "B": B})
    return s0.reshape(d, B), s0.shape


def as_class_indices(name, Y_true, T, n_classes, B, batched, size_name="k_out"):
    """Check targets, one-hot or class indices; return indices ``(T, B)``.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    Y_true : array_like
        One-hot ``(T, n)`` / ``(T, n, B)`` (n = ``n_classes``), or integer indices ``(T,)`` / ``(T, B)``
        (the first form of each pair for a single sequence).
    T, n_classes, B : int
        Sequence length, number of classes n, batch size.
    batched : bool
        Whether the predictions have a batch axis.
    size_name : str, optional
        The symbol for n in error messages.

    Returns
    -------
    idx : (T, B) ndarray of int

    Raises
    ------
    TypeError
        For non-numeric targets, or indices that are not integers.
    ValueError
        For a wrong shape, one-hot rows that are not one-hot, or indices
        outside ``0 .. n - 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.checks import as_class_indices
    >>> as_class_indices("Y_true", np.eye(4)[1:], T=3, n_classes=4, B=1, batched=False)
    array([[1],
           [2],
           [3]])
    >>> as_class_indices("Y_true", [1, 2, 4], T=3, n_classes=4, B=1, batched=False)
    Traceback (most recent call last):
    ...
    ValueError: Y_true holds class indices, which must lie in 0 .. 3; got 4
    """
    Y_true = as_numeric(name, Y_true)
    one_hot = ("T", size_name, "B") if batched else ("T", size_name)
    indices = ("T", "B") if batched else ("T",)
    form = check_shape(name, Y_true, one_hot, indices, T=T, B=B, **{size_name: n_classes})
    if form == 1:
        if Y_true.dtype.kind not in "iu":
            raise TypeError(
                f"{name} of shape {_describe(indices, {})} holds class indices, so it must have "
                f"an integer dtype; got {Y_true.dtype}"
            )
        bad = (Y_true < 0) | (Y_true >= n_classes)
        if bad.any():
            raise ValueError(
                f"{name} holds class indices, which must lie in "
                f"0 .. {n_classes - 1}; got {Y_true[bad].flat[0]}"
            )
        return Y_true.reshape(T, B).astype(np.intp)
    Y_true = Y_true.reshape(T, n_classes, B)
    is_binary = ((Y_true == 0) | (Y_true == 1)).all(axis=1)  # (T, B)
    is_one_hot = is_binary & (Y_true.sum(axis=1) == 1)  # (T, B)
    if not is_one_hot.all():
        t, b = np.argwhere(~is_one_hot)[0]
        where = f"step t={t}, sequence b={b}" if batched else f"step t={t}"
        raise ValueError(
            f"{name} must be one-hot along its axis 1 (a single 1, zeros elsewhere); "
            f"not at {where}"
        )
    return Y_true.argmax(axis=1)


def as_count(name, n, minimum=1):
    """Return ``n`` as a Python int, refusing floats, booleans, strings and too small values.

    Parameters
    ----------
    name : str
        The argument's name, used in error messages.
    n : int
        The value to check (a numpy integer is fine; ``2.0`` is not).
    minimum : int, optional
        The smallest value allowed.

    Returns
    -------
    n : int

    Examples
    --------
    >>> from rnn_book.checks import as_count
    >>> as_count("length", 3)
    3
    >>> as_count("length", 2.5)
    Traceback (most recent call last):
    ...
    TypeError: length must be an integer; got 2.5
    >>> as_count("T", 0)
    Traceback (most recent call last):
    ...
    ValueError: T must be an integer of at least 1; got 0
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an integer; got {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}; got {n!r}")
    return int(n)


def as_positive(name, x):
    """Return ``x`` as a float that is finite, positive and not denormal (at least 2.2e-308).

    A denormal step size or temperature is zero in all but name: dividing
    by it overflows, multiplying by it loses every digit.

    Examples
    --------
    >>> from rnn_book.checks import as_positive
    >>> as_positive("lr", 0.5)
    0.5
    >>> as_positive("lr", float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: lr must be a positive number (finite, at least 2.2e-308); got inf
    """
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number; got {x!r}")
    value = float(x)
    if not (np.isfinite(value) and value >= np.finfo(np.float64).tiny):
        raise ValueError(f"{name} must be a positive number (finite, at least 2.2e-308); "
                         f"got {value!r}")
    return value

