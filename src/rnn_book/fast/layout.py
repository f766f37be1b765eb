"""Where the fast path keeps its numbers, and how backward walks through them.

Arrays of per-step blocks (``(n, T, B)``) stored so that each step's block is
contiguous; per-step views made once; inputs as columns; products written
straight into their output; and backward's spans: backward holds the arrays of
S steps at a time, not T, walking the sequence in spans from the end.
("Chunk" is kept for truncated BPTT's pieces of a text; a span is only
backward's unit of memory.)
"""

import numpy as np

__all__ = ["SPAN_COLUMNS", "input_columns", "matmul_into", "side_by_side", "spans",
           "step_columns", "step_major", "steps_array"]

SPAN_COLUMNS = 512  # backward's arrays hold about this many (step, sequence) columns


# --8<-- [start:spans]
def spans(T, B, share=1):
    """Backward's steps in spans, last span first: ``(S, [(start, end), ...])``.

    Backward needs dL/da_t of every step of a span at once (the weight
    gradients are one product per span), so its arrays hold S steps, not T:
    S*B is about :data:`SPAN_COLUMNS` / ``share`` columns, wide enough for
    BLAS (the LSTM, which keeps two span-sized copies of its 4d rows, asks
    for half). A single sequence of up to 256 steps is one span. A span
    holds steps ``start+1 .. end``.

    Examples
    --------
    >>> from rnn_book.fast.layout import spans
    >>> spans(64, 32)
    (16, [(48, 64), (32, 48), (16, 32), (0, 16)])
    >>> spans(25, 1)
    (25, [(0, 25)])
    """
    S = max(1, min(T, SPAN_COLUMNS // (share * B)))
    return S, [(max(0, end - S), end) for end in range(T, 0, -S)]
# --8<-- [end:spans]


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
    >>> from rnn_book.fast.layout import steps_array
    >>> from rnn_book.fast.workspace import Workspace
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
    >>> from rnn_book.fast.layout import step_major
    >>> from rnn_book.fast.workspace import Workspace
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
    >>> from rnn_book.fast.layout import step_columns
    >>> from rnn_book.fast.workspace import Workspace
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
    """The inputs ``x_{start+1} .. x_end`` side by side: ``(T, k, B)`` -> ``(k, n*B)``.

    Column ``j*B + b`` is ``x_{start+1+j}`` of sequence b, the order in which the
    hidden states are stored, so one product ``W_X @ columns`` gives every
    step's ``W_X x_t``. A single sequence (B = 1) needs no copy: its ``(T, k)``
    rows read as columns are the transposed view ``X[:, :, 0].T``. A batch is
    copied, one span of at most ``S`` steps at a time, into one reused
    ``(k, S, B)`` array: never a copy of the whole input.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.layout import input_columns
    >>> from rnn_book.fast.workspace import Workspace
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
    X_span = ws.array("X span", (k, S, B), X.dtype)[:, :n]
    np.copyto(X_span, X[start:end].transpose(1, 0, 2))  # (k, n, B)
    return X_span.reshape(k, n * B)
# --8<-- [end:input_columns]


# --8<-- [start:matmul_into]
def matmul_into(A, B, out):
    """``out = A @ B`` without a temporary, whichever way ``out`` is laid out.

    An ``out`` stored column by column (the transpose of a C-ordered array) is
    filled as ``out.T = B.T @ A.T``, which BLAS writes directly.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.layout import matmul_into
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


# --8<-- [start:side_by_side]
def side_by_side(ws, A, name="dZ"):
    """``(T, n, B)`` -> ``(n, T*B)``, column ``j*B + b`` step j+1 of sequence b; None stays None.

    The layout of the fast path's all-steps matrices (``Y_all``, ``H[:, 1:]``),
    copied into the workspace array ``name``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.layout import side_by_side
    >>> from rnn_book.fast.workspace import Workspace
    >>> side_by_side(Workspace(), np.arange(8.0).reshape(2, 2, 2))  # (T, n, B) = (2, 2, 2)
    array([[0., 1., 4., 5.],
           [2., 3., 6., 7.]])
    """
    if A is None:
        return None
    T, n, B = A.shape
    out = ws.array(name, (n, T * B), A.dtype)
    np.copyto(out.reshape(n, T, B), A.transpose(1, 0, 2))
    return out
# --8<-- [end:side_by_side]
