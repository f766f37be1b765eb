"""What the fast path checks at every call, and what it checks once.

``params.validate()`` checks every array's shape, dtype and values, and the
size properties walk the dataclass fields: at the tiny size that was a large
share of a step. Shapes and dtypes cannot change without an array being
replaced or reshaped, so :func:`checked_sizes` redoes that part only then;
values can change in place (an optimiser updates them), so every call checks
that they are finite, with one sum per array. Those sums double as the
parameters' fingerprint: a cache records them, and backward refuses
parameters whose sums differ from the forward pass's.
"""

import math
from dataclasses import fields
from typing import NamedTuple

import numpy as np

from rnn_book.checks import all_finite, as_class_indices
from rnn_book.recurrent import check_cache

__all__ = ["Sizes", "checked_sizes", "array_sums", "check_fast_cache", "class_targets"]


class Sizes(NamedTuple):
    """The sizes of a set of parameters, validated: what a cache keeps."""

    k: int
    d: int
    k_out: int
    dtype: np.dtype


# --8<-- [start:checked_sizes]
def checked_sizes(ws, params, finite=None):
    """``Sizes(k, d, k_out, dtype)`` of ``params``, shapes validated once per set of arrays.

    Parameters
    ----------
    ws : Workspace
        Remembers the arrays last validated (compared by identity and shape).
    params : RNNParams or LSTMParams
    finite : sequence of ndarray, optional
        The arrays whose values are checked finite at this call: by default all
        of ``params``' arrays; the LSTM passes ``()`` and checks its five stacked
        matrices itself.

    Returns
    -------
    sizes : Sizes
    sums : tuple of float
        One sum per array of ``finite``: the fingerprint a cache records.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn_params import init_params
    >>> from rnn_book.fast.workspace import Workspace
    >>> from rnn_book.fast.validate import checked_sizes
    >>> params, ws = init_params(k=4, d=3, rng=0), Workspace()
    >>> checked_sizes(ws, params)[0]
    Sizes(k=4, d=3, k_out=4, dtype=dtype('float64'))
    >>> params.W_H = np.zeros((3, 2))  # replaced: checked again
    >>> checked_sizes(ws, params)
    Traceback (most recent call last):
    ...
    ValueError: W_H must have shape (d, d) = (3, 3); got (3, 2)
    """
    names = _FIELDS.get(type(params))
    if names is None:
        names = _FIELDS[type(params)] = tuple(f.name for f in fields(params))
    arrays = [getattr(params, name) for name in names]

    def validate():  # may replace array-likes by arrays: the key is read again
        params.validate()
        checked = [getattr(params, name) for name in names]
        return Sizes(params.k, params.d, params.k_out, params.dtype), [a.shape for a in checked]

    key = (type(params), *arrays)
    sizes, shapes = ws.cached("checked params", key, validate)
    if not all(getattr(a, "shape", None) == shape for a, shape in zip(arrays, shapes)):
        sizes, shapes = ws.cached("checked params", key, validate, refresh=True)  # reshaped in place
        arrays = [getattr(params, name) for name in names]
    return sizes, array_sums(params, arrays if finite is None else finite)


def array_sums(params, arrays):
    """One sum per array; raise the readable path's error unless every number is finite.

    A sum is NaN or infinite whenever an entry is, so finite sums prove every
    entry finite (a sum that overflows is checked entry by entry).
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is no error
        sums = tuple(float(np.add.reduce(a, axis=None)) for a in arrays)
    if not all(math.isfinite(s) for s in sums) and not all(all_finite(a) for a in arrays):
        params.validate()  # raises, naming the array that holds NaN or infinity
        raise ValueError("parameters must be finite")  # only if validate did not raise
    return sums
# --8<-- [end:checked_sizes]


_FIELDS = {}  # params class -> its field names


def check_fast_cache(params, cache, cache_type, fingerprint=None):
    """Raise unless ``cache`` is a ``cache_type`` from a forward pass with ``params``.

    Parameters
    ----------
    params : RNNParams, LSTMParams or GRUParams
    cache : object
        What the caller passed as the cache.
    cache_type : type
        The fast module's cache class.
    fingerprint : callable, optional
        ``fingerprint(params, cache, sizes)`` returns the sums the module's forward recorded
        (the LSTM and GRU sum their stacked gate matrices); by default one sum
        per array of ``params``, as :func:`checked_sizes` computes them.
    """
    if not isinstance(cache, cache_type):
        params.validate()  # a wrong params is the first error to report
        check_cache(cache, cache_type, params, None)  # raises, naming both classes
    if fingerprint is None:
        sizes, sums = checked_sizes(cache.workspace, params)
    else:
        sizes, _ = checked_sizes(cache.workspace, params, finite=())
        sums = fingerprint(params, cache, sizes)
    check_cache(cache, cache_type, sizes, sums)


def class_targets(cache, Y_true):
    """``Y_true`` as class indices ``(T, B)`` for a fast cache's outputs (one-hot or indices)."""
    _, T1, B = cache.H_steps.shape  # (d, T+1, B): h_0 .. h_T
    return as_class_indices("Y_true", Y_true, T1 - 1, cache.Y_all.shape[0], B, cache.batched)
