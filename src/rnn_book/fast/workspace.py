"""Buffers allocated once and reused, and per-step views into them.

A training loop calls forward and backward thousands of times with the same
shapes. Given the same :class:`Workspace` each time, the fast path finds its
arrays already there and writes into them (numpy's ``out=``), so after the
first call it allocates nothing in proportion to T, B, d or k.
"""

import math
from dataclasses import fields

import numpy as np

from rnn_book import checks

__all__ = ["CHUNK_COLUMNS", "Workspace", "all_finite", "as_sequence", "checked_sizes", "chunks", "input_columns", "step_columns", "step_major"]

CHUNK_COLUMNS = 512  # backward's arrays hold about this many (step, sequence) columns


# --8<-- [start:Workspace]
class Workspace:
    """Named arrays reused from one call to the next.

    An array is allocated the first time its name is asked for, and again only
    when the shape or dtype asked for changes. Results returned by a call that
    used a workspace are views into it: they stay valid until the next call
    with the same workspace overwrites them (copy what must outlive it).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace
    >>> ws = Workspace()
    >>> a = ws.array("H", (3, 4), np.float64)
    >>> ws.array("H", (3, 4), np.float64) is a  # same shape and dtype: reused
    True
    >>> ws.array("H", (3, 5), np.float64) is a  # a new shape: a new array
    False
    >>> ws.nbytes
    120
    """

    def __init__(self):
        self._arrays = {}
        self._objects = {}

    # --8<-- [start:Workspace_array]
    def array(self, name, shape, dtype):
        """The array called ``name``, uninitialised the first time."""
        shape, dtype = tuple(shape), np.dtype(dtype)
        a = self._arrays.get(name)
        if a is None or a.shape != shape or a.dtype != dtype:
            a = self._arrays[name] = np.empty(shape, dtype)
        return a
    # --8<-- [end:Workspace_array]

    def cached(self, name, key, make):
        """``make()``, computed once and kept while ``key`` stays the same.

        For Python objects built from the arrays, such as the lists of per-step
        views; ``key`` should hold the arrays they view (compared by identity).
        """
        hit = self._objects.get(name)
        same = hit is not None and len(hit[0]) == len(key)
        if not (same and all(a is b for a, b in zip(hit[0], key))):
            hit = self._objects[name] = (key, make())
        return hit[1]

    @property
    def nbytes(self):
        """Bytes held by the workspace's arrays."""
        return sum(a.nbytes for a in self._arrays.values())
# --8<-- [end:Workspace]


# --8<-- [start:checked_sizes]
def checked_sizes(ws, params, finite=None):
    """``(k, d, k_out, dtype)`` of ``params``, their shapes validated once per set of arrays.

    ``params.validate()`` checks every array's shape, dtype and values, and the
    size properties walk the dataclass fields: at the tiny size that was a
    large share of a step. Shapes and dtypes cannot change without the arrays
    changing, so that part is redone only when an array is replaced (compared
    by identity) or reshaped; updating the weights in place, as an optimiser
    does, keeps it. Values can change in place, so every call still checks that
    they are finite: the arrays in ``finite`` (the LSTM passes its stacked
    matrices, five arrays instead of seventeen), by default all of them. On a
    failure ``params.validate()`` runs and raises the readable path's error.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn_params import init_params
    >>> from rnn_book.fast.workspace import Workspace, checked_sizes
    >>> params, ws = init_params(k=4, d=3, rng=0), Workspace()
    >>> checked_sizes(ws, params)
    (4, 3, 4, dtype('float64'))
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
    hit = ws._objects.get("checked params")
    if (hit is None or hit[0] is not type(params)
            or not all(a is b and a.shape == shape for a, b, shape in zip(arrays, hit[1], hit[2]))):
        params.validate()  # may replace array-likes by arrays: read them again
        arrays = [getattr(params, name) for name in names]
        sizes = (params.k, params.d, params.k_out, params.dtype)
        hit = ws._objects["checked params"] = (type(params), arrays, [a.shape for a in arrays], sizes)
    elif finite is None:
        ensure_finite(params, arrays)
    return hit[3]


def ensure_finite(params, arrays):
    """Raise the readable path's error unless every number in ``arrays`` is finite.

    One reduction per array: a sum is NaN or infinite whenever an entry is, so a
    finite sum proves them all finite (a sum that overflows is checked entry by entry).
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is no error
        sums_finite = all(math.isfinite(np.add.reduce(a, axis=None)) for a in arrays)
    if not sums_finite and not all(np.isfinite(a).all() for a in arrays):
        params.validate()  # raises, naming the array that holds NaN or infinity
        raise ValueError("parameters must be finite")  # only if validate did not raise
# --8<-- [end:checked_sizes]


_FIELDS = {}  # params class -> its field names


def all_finite(a):
    """Whether every number in the float array ``a`` is finite, without a full-size temporary.

    ``np.isfinite(a).all()`` first builds a boolean array as large as ``a``
    (T * k * B bytes for a batch of inputs, at every step). A sum is NaN or
    infinite whenever an entry is, so a finite sum proves them all finite; only
    a sum that is not finite (an entry NaN or infinite, or finite entries whose
    sum overflows) is checked entry by entry, one index of the first axis at a time.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import all_finite
    >>> all_finite(np.ones((3, 4))), all_finite(np.array([[1e308, 1e308]])), all_finite(np.array([[1.0, np.nan]]))
    (True, True, False)
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum is no error
        if math.isfinite(np.add.reduce(a, axis=None)):
            return True
    return all(np.isfinite(part).all() for part in (a if a.ndim > 1 else (a,)))


def as_sequence(name, X, size_name, size, dtype):
    """:func:`rnn_book.checks.as_sequence` with its finiteness check done by :func:`all_finite`.

    The same checks, errors and result, without the boolean array as large as ``X``
    that the readable check allocates at every call.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import as_sequence
    >>> X, batched = as_sequence("X", np.eye(4)[:3], "k", 4, np.float64)
    >>> X.shape, batched
    ((3, 4, 1), False)
    >>> as_sequence("X", np.full((3, 4), np.inf), "k", 4, np.float64)
    Traceback (most recent call last):
    ...
    ValueError: X must be finite; it holds NaN or infinity
    """
    a = np.asarray(X)
    if a.dtype.kind not in "biuf" or (a.dtype.kind == "f" and not all_finite(a)):
        checks.as_numeric(name, a)  # raises the readable path's error
    batched = checks.check_shape(name, a, ("T", size_name), ("T", size_name, "B"), **{size_name: size}) == 1
    a = a.astype(dtype, copy=False)
    return (a if batched else a[:, :, np.newaxis]), batched


# --8<-- [start:chunks]
def chunks(T, B, share=1):
    """Backward's steps in chunks, last chunk first: ``(S, [(start, end), ...])``.

    Backward needs dL/da_t of every step of a chunk at once (the weight
    gradients are one product per chunk), so its arrays hold S steps, not T:
    S*B is about :data:`CHUNK_COLUMNS` / ``share`` columns, wide enough for
    BLAS (the LSTM, which keeps two chunk-sized copies of its 4d rows, asks
    for half). A single sequence of up to 256 steps is one chunk. Steps
    ``start+1 .. end``.

    Examples
    --------
    >>> from rnn_book.fast.workspace import chunks
    >>> chunks(64, 32)
    (16, [(48, 64), (32, 48), (16, 32), (0, 16)])
    >>> chunks(25, 1)
    (25, [(0, 25)])
    """
    S = max(1, min(T, CHUNK_COLUMNS // (share * B)))
    return S, [(max(0, end - S), end) for end in range(T, 0, -S)]
# --8<-- [end:chunks]


# --8<-- [start:steps_array]
def steps_array(ws, name, n, T, B, dtype):
    """A workspace array of shape ``(n, T, B)`` whose step blocks ``A[:, t]`` are contiguous.

    For a batch the array is stored as ``(n, T, B)``: a step's block is n rows of
    B neighbours, and ``A.reshape(n, T*B)`` puts all steps side by side. For a
    single sequence that storage would scatter a step's n numbers T apart, and
    numpy's elementwise calls are 2-3 times slower on scattered numbers; so it
    is stored as ``(T, n, 1)`` and returned transposed. Either way ``A[:, t]``
    is the step's ``(n, B)`` block and ``A.reshape(n, T*B)`` is a view.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace, steps_array
    >>> ws = Workspace()
    >>> A = steps_array(ws, "H", 3, 5, 1, np.float64)
    >>> A.shape, A[:, 2].flags.c_contiguous, np.shares_memory(A.reshape(3, 5), A)
    ((3, 5, 1), True, True)
    """
    if B == 1:
        return ws.array(name, (T, n, 1), dtype).transpose(1, 0, 2)
    return ws.array(name, (n, T, B), dtype)
# --8<-- [end:steps_array]


# --8<-- [start:step_major]
def step_major(ws, name, n, T, B, dtype):
    """A workspace array of shape ``(n, T, B)`` stored step after step: ``(T, n, B)`` transposed.

    Each step's ``(n, B)`` block is contiguous, for any B. An array whose
    per-step blocks the time loop works on elementwise is stored this way:
    with ``(n, T, B)`` storage a block's rows lie T*B numbers apart, and
    numpy's elementwise calls on such a block are several times slower
    (``benchmarks/RESULTS.md`` has the measurement).
    The price: ``A.reshape(n, T*B)`` is a view only when B = 1.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace, step_major
    >>> G = step_major(Workspace(), "G", 8, 5, 3, np.float64)
    >>> G.shape, G[:, 2].flags.c_contiguous
    ((8, 5, 3), True)
    """
    return ws.array(name, (T, n, B), dtype).transpose(1, 0, 2)
# --8<-- [end:step_major]


# --8<-- [start:step_columns]
def step_columns(ws, name, A, rows=None):
    """The per-step blocks ``A[rows, t, :]`` of a ``(n, T, B)`` array, as a list of views.

    Made once per workspace array and reused, so the time loop builds no
    views of its own.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace, step_columns
    >>> ws = Workspace()
    >>> H = ws.array("H", (3, 5, 2), np.float64)  # (d, T, B)
    >>> h = step_columns(ws, "h", H)
    >>> len(h), h[0].shape, np.shares_memory(h[4], H)
    (5, (3, 2), True)
    """
    rows = slice(None) if rows is None else rows
    base = A if A.base is None else A.base  # the workspace's array, the same every call
    return ws.cached(name, (base,), lambda: [A[rows, t] for t in range(A.shape[1])])
# --8<-- [end:step_columns]


# --8<-- [start:input_columns]
def input_columns(ws, X, start=0, end=None, S=None):
    """The inputs x_{start+1} .. x_end side by side: ``(T, k, B)`` -> ``(k, n*B)``.

    Column ``j*B + b`` is x_{start+1+j} of sequence b, the order in which the
    hidden states are stored, so one product ``W_X @ columns`` gives every
    step's ``W_X x_t``. A single sequence (B = 1) needs no copy: its ``(T, k)``
    rows read as columns are the transposed view ``X[:, :, 0].T``. A batch is
    copied, one chunk of at most ``S`` steps at a time, into one reused
    ``(k, S, B)`` array: never a copy of the whole input.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import Workspace, input_columns
    >>> X = np.arange(12.0).reshape(2, 3, 2)  # (T, k, B) = (2, 3, 2)
    >>> input_columns(Workspace(), X)
    array([[ 0.,  1.,  6.,  7.],
           [ 2.,  3.,  8.,  9.],
           [ 4.,  5., 10., 11.]])
    """
    T, k, B = X.shape
    end = T if end is None else end
    n, S = end - start, end - start if S is None else S
    if B == 1:
        return X[start:end, :, 0].T  # (k, n)  a view
    X_chunk = ws.array("X chunk", (k, S, B), X.dtype)[:, :n]
    np.copyto(X_chunk, X[start:end].transpose(1, 0, 2))  # (k, n, B)
    return X_chunk.reshape(k, n * B)
# --8<-- [end:input_columns]


# --8<-- [start:matmul_into]
def matmul_into(A, B, out):
    """``out = A @ B`` without a temporary, whichever way ``out`` is laid out.

    An ``out`` stored column by column (the transpose of a C-ordered array) is
    filled as ``out.T = B.T @ A.T``, which BLAS writes directly.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.workspace import matmul_into
    >>> out = np.empty((3, 2)).T  # (2, 3), stored column by column
    >>> matmul_into(np.eye(2), np.arange(6.0).reshape(2, 3), out)
    >>> out
    array([[0., 1., 2.],
           [3., 4., 5.]])
    """
    if out.T.flags.c_contiguous and not out.flags.c_contiguous:
        np.matmul(B.T, A.T, out=out.T)
    else:
        np.matmul(A, B, out=out)
# --8<-- [end:matmul_into]
