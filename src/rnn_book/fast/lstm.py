"""The LSTM, fast: same contract and results as :mod:`rnn_book.lstm`.

The four gates are one stacked matrix, rows in the order f, i, o, g:

    [a_f; a_i; a_o; a_g] = W_xh x_t + W_hh h_{t-1} + b_h,  W_xh = [W_xh_f; W_xh_i; W_xh_o; W_xh_g]  (4d, k)

(a_f, ... the gates' pre-activations ``a_{f,t}``, ...; W_xh, W_hh, b_h the per-gate
weights stacked by rows)

so a step makes one ``(4d, d)`` product instead of eight. The three sigmoids
are computed together as ``sigmoid(a) = 1 / (1 + e^{-a})``, with the minus sign
folded into the sigmoid rows of the stacked weights (exact: a sign flip).
Arrays: gates ``G (4d, T, B)``, hidden and cell
states ``H, C (d, T+1, B)`` with h_0, c_0 at index 0, ``tanh(c_t)`` in
``TC (d, T, B)``.
"""

from dataclasses import dataclass

import numpy as np

from rnn_book.checks import as_sequence, as_state, unbatch
from rnn_book.fast.layout import (
    input_columns,
    matmul_into,
    side_by_side,
    spans,
    step_columns,
    step_major,
    steps_array,
)
from rnn_book.fast.output import (
    loss_at_targets,
    output_backward,
    softmax_cross_entropy_grad,
    softmax_outputs,
)
from rnn_book.fast.validate import (
    Sizes,
    array_sums,
    check_fast_cache,
    checked_sizes,
    class_targets,
)
from rnn_book.fast.workspace import Workspace
from rnn_book.lstm_params import GATES, LSTMParams, init_params
from rnn_book.recurrent import check_gradients

__all__ = [
    "LSTMCache",
    "LSTMParams",
    "backward",
    "backward_from",
    "forward",
    "init_params",
    "loss_and_grads",
    "stack_gates",
]


# --8<-- [start:stack_gates]
def stack_gates(params, prefix, out=None):
    """The gates' matrices ``{prefix}_f, _i, _o, _g`` stacked: one ``(4d, n)`` array.

    Examples
    --------
    >>> from rnn_book.fast.lstm import init_params, stack_gates
    >>> params = init_params(k=4, d=3, rng=0)
    >>> W_xh = stack_gates(params, "W_xh")
    >>> W_xh.shape, bool((W_xh[3:6] == params.W_xh_i).all())
    ((12, 4), True)
    """
    blocks = [getattr(params, f"{prefix}_{gate}") for gate in GATES]  # (d, n) each
    return np.concatenate(blocks, axis=0, out=out)  # (4d, n)
# --8<-- [end:stack_gates]


def _negate_sigmoid_rows(ws, d, dtype):
    """(4d, 1): -1 on the f, i, o rows, 1 on the candidate's rows."""
    sign = ws.array("sign", (4 * d, 1), dtype)
    sign[: 3 * d], sign[3 * d:] = -1.0, 1.0
    return sign


# --8<-- [start:LSTMCache]
@dataclass(eq=False)
class LSTMCache:
    """What :func:`forward` keeps for :func:`backward`.

    Attributes
    ----------
    H, C : (T, d) or (T, d, B) ndarray
        Hidden and cell states h_1 .. h_T, c_1 .. c_T in the layout of X (views).
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs in the layout of X (a view).
    G : (4d, T, B) ndarray
        Gate values f_t, i_t, o_t, g_t stacked by rows.
    H_steps, C_steps : (d, T+1, B) ndarray
        h_0 .. h_T and c_0 .. c_T.
    TC : (d, T, B) ndarray
        tanh(c_1) .. tanh(c_T).
    Y_all : (k_out, T*B) ndarray
        y_1 .. y_T side by side.
    X : (T, k, B) ndarray
        The checked inputs (the caller's array when it had the parameters' dtype).
    h0_shape, c0_shape : tuple
        The shapes of ``h0`` and ``c0``, which ``dh0`` and ``dc0`` take.
    batched : bool
        Whether X had a batch axis.
    workspace : Workspace
        Where the arrays live.
    sizes : Sizes
        The parameters' sizes, validated by forward.
    fingerprint : tuple
        One sum per stacked parameter array at forward time, checked by backward.
    """

    H: np.ndarray
    C: np.ndarray
    Y: np.ndarray
    G: np.ndarray
    H_steps: np.ndarray
    C_steps: np.ndarray
    TC: np.ndarray
    Y_all: np.ndarray
    X: np.ndarray
    h0_shape: tuple
    c0_shape: tuple
    batched: bool
    workspace: Workspace
    sizes: Sizes
    fingerprint: tuple

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape, c0_shape)``."""
        return (self.h0_shape, self.c0_shape)
# --8<-- [end:LSTMCache]


def _gate_views(ws, G, d, name):
    """Per-step views of G: all four gates, the three sigmoid rows, and each gate.

    Made once per workspace array (one lookup per call, not six).
    """
    base = G if G.base is None else G.base

    def make():
        n_steps = G.shape[1]
        rows = [slice(None), slice(0, 3 * d)] + [slice(n * d, (n + 1) * d) for n in range(4)]
        return tuple([G[r, t] for t in range(n_steps)] for r in rows)

    return ws.cached(f"{name} views", (base,), make)


def _stacked(params, ws, sizes):
    """The gates' weights stacked, sigmoid rows negated; and the fingerprint.

    Returns ``W_xh (4d, k), W_hh (4d, d), b (4d, 1)`` in the workspace, and one sum
    per array of them and of ``W_Y``, ``b_y``: five checks that every parameter is
    finite, and what a cache records of the parameters it was made with.
    """
    k, d, _, dtype = sizes
    sign = _negate_sigmoid_rows(ws, d, dtype)
    # --8<-- [start:forward_stack]
    W_xh = stack_gates(params, "W_xh", ws.array("W_xh", (4 * d, k), dtype))  # (4d, k)
    W_hh = stack_gates(params, "W_hh", ws.array("W_hh_neg", (4 * d, d), dtype))  # (4d, d)
    b = stack_gates(params, "b_h", ws.array("b", (4 * d, 1), dtype))  # (4d, 1)
    W_xh *= sign  # the f, i, o rows negated: they compute -a, ready for e^{-a}
    W_hh *= sign
    b *= sign
    # --8<-- [end:forward_stack]
    return W_xh, W_hh, b, array_sums(params, (W_xh, W_hh, b, params.W_Y, params.b_y))


def _forward(params, X, h0, c0, ws, sizes):
    """Forward over checked inputs: X (T, k, B), h0 and c0 (d, B); sizes (k, d, k_out, dtype).

    Returns the arrays of the cache and the parameters' fingerprint.
    """
    T, k, B = X.shape
    _, d, k_out, dtype = sizes
    W_xh, W_hh, b, sums = _stacked(params, ws, sizes)  # every parameter checked finite
    G = step_major(ws, "G", 4 * d, T, B, dtype)  # (4d, T, B), each step's block contiguous
    C, TC = step_major(ws, "C", d, T + 1, B, dtype), step_major(ws, "TC", d, T, B, dtype)
    H = steps_array(ws, "H", d, T + 1, B, dtype)  # (d, T+1, B): H[:, 1:] is (d, T*B) for W_Y
    # --8<-- [start:forward_inputs]
    if B == 1:  # every gate, every step: one product, (4d, k) @ (k, T)
        matmul_into(W_xh, input_columns(ws, X), out=G.reshape(4 * d, T))
    else:  # a batch: one (4d, k) @ (k, B) product per step, straight from X (T, k, B)
        np.matmul(W_xh, X, out=G.transpose(1, 0, 2))
    G.transpose(1, 0, 2)[...] += b  # (T, 4d, B) storage: b (4d, 1) added to every step
    # --8<-- [end:forward_inputs]
    H[:, 0], C[:, 0] = h0, c0
    gates, fio, f, i, o, g = _gate_views(ws, G, d, "G")
    h, c, tc = step_columns(ws, "h", H), step_columns(ws, "c", C), step_columns(ws, "tc", TC)
    W_hh_h, i_g = ws.array("W_hh_h", (4 * d, B), dtype), ws.array("i_g", (d, B), dtype)
    with np.errstate(over="ignore"):  # e^{-a} = inf for a < -709: sigmoid 0, as it should be
        # --8<-- [start:forward_loop]
        for t in range(1, T + 1):  # step t: from h_{t-1} = h[t - 1], c[t - 1] to h[t], c[t]
            s = t - 1  # gates[s], f[s], ...: step t's row block of G (G holds steps 1 .. T)
            np.matmul(W_hh, h[t - 1], out=W_hh_h)  # (4d, B)  the one product that must wait
            gates[s] += W_hh_h  # [-a_f; -a_i; -a_o; a_g]
            np.exp(fio[s], out=fio[s])
            fio[s] += 1
            np.reciprocal(fio[s], out=fio[s])  # f, i, o = 1 / (1 + e^{-a})
            np.tanh(g[s], out=g[s])  # the candidate g_t = tanh(a_g)
            np.multiply(f[s], c[t - 1], out=c[t])
            np.multiply(i[s], g[s], out=i_g)
            c[t] += i_g  # c_t = f_t * c_{t-1} + i_t * g_t
            np.tanh(c[t], out=tc[s])
            np.multiply(o[s], tc[s], out=h[t])  # h_t = o_t * tanh(c_t)
        # --8<-- [end:forward_loop]
    Y_all = ws.array("Y", (k_out, T * B), dtype)
    softmax_outputs(ws, params.W_Y, params.b_y, H[:, 1:].reshape(d, T * B), Y_all)
    return G, H, C, TC, Y_all, sums


# --8<-- [start:forward]
def forward(params, X, h0=None, c0=None, *, workspace=None):
    """Run the LSTM over whole sequences; the contract of :func:`rnn_book.lstm.forward`.

    Parameters
    ----------
    params : LSTMParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step, or a batch with ``X[t]`` of shape (k, B).
    h0, c0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden and cell states; zeros if omitted. They may be views of
        the previous call's ``cache.H[-1]`` and ``cache.C[-1]``.
    workspace : Workspace, optional
        Reuse its arrays; the results are then views into it, overwritten by
        its next call.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs, in the layout of ``X``.
    cache : LSTMCache

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.lstm import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> from rnn_book import lstm
    >>> Y.shape, bool(np.allclose(Y, lstm.forward(params, np.eye(4)[:3])[0], rtol=1e-12))
    ((3, 4), True)
    """
    ws = Workspace() if workspace is None else workspace
    sizes, _ = checked_sizes(ws, params, finite=())  # finite: the stacked arrays, in _forward
    k, d, _, dtype = sizes
    X, batched = as_sequence("X", X, "k", k, dtype)  # (T, k, B)
    T, _, B = X.shape
    h0, h0_shape = as_state("h0", h0, d, B, batched, dtype)  # (d, B)
    c0, c0_shape = as_state("c0", c0, d, B, batched, dtype)  # (d, B)
    G, H, C, TC, Y_all, sums = _forward(params, X, h0, c0, ws, sizes)

    def layout(A):  # (n, T, B) -> (T, n[, B])
        return unbatch(A.transpose(1, 0, 2), batched)

    cache = LSTMCache(
        H=layout(H[:, 1:]), C=layout(C[:, 1:]), Y=layout(Y_all.reshape(-1, T, B)), G=G,
        H_steps=H, C_steps=C, TC=TC, Y_all=Y_all, X=X, h0_shape=h0_shape,
        c0_shape=c0_shape, batched=batched, workspace=ws, sizes=sizes, fingerprint=sums,
    )
    return cache.Y, cache
# --8<-- [end:forward]


def _grads(ws, sizes):
    """Gradient arrays: the gates' parts are row blocks of three stacked arrays."""
    k, d, k_out, dtype = sizes
    dW_xh, dW_hh = ws.array("dW_xh", (4 * d, k), dtype), ws.array("dW_hh", (4 * d, d), dtype)
    db, dW_Y = ws.array("db", (4 * d, 1), dtype), ws.array("dW_Y", (k_out, d), dtype)
    db_y = ws.array("db_y", (k_out, 1), dtype)

    def make():
        for a in (dW_xh, dW_hh, db, dW_Y, db_y):
            a.fill(0)  # the constructor checks for NaN: no uninitialised memory
        parts = {}
        for n, gate in enumerate(GATES):
            rows = slice(n * d, (n + 1) * d)
            parts.update({f"W_xh_{gate}": dW_xh[rows], f"W_hh_{gate}": dW_hh[rows],
                          f"b_h_{gate}": db[rows]})
        return LSTMParams(**parts, W_Y=dW_Y, b_y=db_y)

    return ws.cached("grads", (dW_xh, dW_hh, db, dW_Y, db_y), make), dW_xh, dW_hh, db


def _backward(params, cache, dZ, dH, want_dX):
    """BPTT from dL/dz_t side by side (k_out, T*B) and/or dL/dh_t (T, d, B); None: zeros.

    Returns grads, dX (T, k, B) or None, dh0 and dc0 in the initial states' shapes.
    """
    ws, G, H, C, TC, sizes = cache.workspace, cache.G, cache.H_steps, cache.C_steps, cache.TC, cache.sizes
    d, T, B = TC.shape
    k, dtype = sizes.k, sizes.dtype
    grads, dW_xh, dW_hh, db = _grads(ws, sizes)
    W_hh_T = stack_gates(params, "W_hh", ws.array("W_hh", (4 * d, d), dtype)).T  # (d, 4d)
    S, pieces = spans(T, B, share=2)  # S steps per span: backward's arrays hold S steps, not T
    dG = step_major(ws, "dG", 4 * d, S + 1, B, dtype)  # dL/da of a span's steps, and the next step's
    dHs = step_major(ws, "dH", d, S, B, dtype)  # dL/dh_t from outside the cell, then via every path
    OTG = step_major(ws, "OTG", d, S, B, dtype)  # o_t tanh'(c_t) = o_t (1 - tanh(c_t)**2)
    dG_buffer = dG if B == 1 else ws.array("dG cols", (4 * d, S, B), dtype)  # for the products
    if dZ is not None:
        output_backward(dZ, H[:, 1:].reshape(d, T * B), grads.W_Y, grads.b_y)
    else:  # no loss on the outputs
        grads.W_Y.fill(0)
        grads.b_y.fill(0)
    W_xh_T = stack_gates(params, "W_xh", ws.array("W_xh plain", (4 * d, k), dtype)).T if want_dX else None
    dX = ws.array("dX", (T, k, B), dtype) if want_dX else None
    f = _gate_views(ws, G, d, "G")[2]  # f[t - 1] is step t's forget gate
    dgates, _, df, di, do, dg = _gate_views(ws, dG, d, "dG")  # step t of a span: index t - start - 1
    dh, otg = step_columns(ws, "dh", dHs), step_columns(ws, "otg", OTG)
    dc, dc_next, up = (ws.array(name, (d, B), dtype) for name in ("dc", "dc_next", "up"))
    span_sums = [ws.array(f"{name} span", a.shape, dtype)  # only with more than one span
                 for name, a in (("dW_xh", dW_xh), ("dW_hh", dW_hh), ("db", db))] if len(pieces) > 1 else None
    dgates[S].fill(0)  # nothing flows back from after step T
    dc_next.fill(0)
    for n_span, (start, end) in enumerate(pieces):
        n = end - start  # steps start+1 .. end
        dG_all, G_all = dG[:, :n], G[:, start:end]  # (4d, n, B)
        if n_span:  # dL/da of step end + 1, from the later span (the first span has n = S)
            np.copyto(dgates[n], dgates[0])
        if dZ is None:
            dHs[:, :n] = 0
        elif B == 1:  # dL/dh_t via y_t for the span's steps: (d, k_out) @ (k_out, n)
            matmul_into(params.W_Y.T, dZ[:, start:end], out=dHs[:, :n].reshape(d, n))
        else:  # one (d, k_out) @ (k_out, B) product per step, into the step-major dH
            dZ_steps = dZ.reshape(-1, T, B)[:, start:end].transpose(1, 0, 2)  # (n, k_out, B)
            np.matmul(params.W_Y.T, dZ_steps, out=dHs[:, :n].transpose(1, 0, 2))
        if dH is not None:  # plus dL/dh_t from a layer above
            dHs[:, :n] += dH[start:end].transpose(1, 0, 2)  # (d, n, B)
        # --8<-- [start:backward_local]
        # Everything that does not depend on what flows from above, every step of the
        # span at once: each gate's derivative (sigmoid' = s (1 - s), tanh' = 1 - g**2)
        # times the other factor of its product, so the loop multiplies by dL/dc_t or dL/dh_t.
        np.subtract(1, G_all[: 3 * d], out=dG_all[: 3 * d])
        dG_all[: 3 * d] *= G_all[: 3 * d]  # s (1 - s) for f, i, o
        np.square(G_all[3 * d:], out=dG_all[3 * d:])
        np.subtract(1, dG_all[3 * d:], out=dG_all[3 * d:])  # 1 - g**2
        dG_all[:d] *= C[:, start:end]  # f rows: times c_{t-1}
        dG_all[d:2 * d] *= G_all[3 * d:]  # i rows: times g_t
        dG_all[2 * d:3 * d] *= TC[:, start:end]  # o rows: times tanh(c_t)
        dG_all[3 * d:] *= G_all[d:2 * d]  # g rows: times i_t
        np.square(TC[:, start:end], out=OTG[:, :n])
        np.subtract(1, OTG[:, :n], out=OTG[:, :n])
        OTG[:, :n] *= G_all[2 * d:3 * d]  # o_t tanh'(c_t)
        # --8<-- [end:backward_local]
        # --8<-- [start:backward_loop]
        for t in range(end, start, -1):  # step t, backwards; the span's arrays index j = t - start - 1
            j = t - start - 1
            # (d, B)  dL/dh_t via all four gates of step t + 1
            np.matmul(W_hh_T, dgates[j + 1], out=up)
            dh[j] += up  # dL/dh_t: from outside the cell plus via step t + 1
            np.multiply(dh[j], otg[j], out=dc)
            dc += dc_next  # dL/dc_t: via h_t plus via c_{t+1}
            do[j] *= dh[j]  # dL/da_o = dL/dh_t * tanh(c_t) * o_t (1 - o_t)
            df[j] *= dc  # dL/da_f = dL/dc_t * c_{t-1} * f_t (1 - f_t)
            di[j] *= dc  # dL/da_i = dL/dc_t * g_t * i_t (1 - i_t)
            dg[j] *= dc  # dL/da_g = dL/dc_t * i_t * (1 - g_t**2)
            np.multiply(dc, f[t - 1], out=dc_next)  # dL/dc_{t-1}: the additive path
        # --8<-- [end:backward_loop]
        # --8<-- [start:backward_weights]
        # all gates, all steps of the span: one product each, added up over spans
        first = n_span == 0
        dW_xh_, dW_hh_, db_ = (dW_xh, dW_hh, db) if first else span_sums
        X_span = input_columns(ws, cache.X, start, end, S)  # (k, n*B)
        if B > 1:  # the span's dL/da as columns (4d, n*B), copied once for the products
            np.copyto(dG_buffer[:, :n], dG_all)
        dG_cols = dG_buffer[:, :n].reshape(4 * d, n * B)  # a view
        np.matmul(dG_cols, X_span.T, out=dW_xh_)  # (4d, k)
        np.matmul(dG_cols, H[:, start:end].reshape(d, n * B).T, out=dW_hh_)  # (4d, d)  da_t h_{t-1}^T
        np.sum(dG_cols, axis=1, keepdims=True, out=db_)  # (4d, 1)
        if not first:
            dW_xh += dW_xh_
            dW_hh += dW_hh_
            db += db_
        # --8<-- [end:backward_weights]
        if want_dX:  # dL/dx_t = W_xh^T dL/da_t (all four gates) for each step t of the span
            np.matmul(W_xh_T, dG_all.transpose(1, 0, 2), out=dX[start:end])  # (n, k, B)
    dh0 = ws.array("dh0", (d, B), dtype)
    np.matmul(W_hh_T, dgates[0], out=dh0)  # (d, B)  dL/dh_0
    return grads, dX, dh0.reshape(cache.h0_shape), dc_next.reshape(cache.c0_shape)


def _fingerprint(params, cache, sizes):
    """The sums a cache's forward pass recorded, recomputed for ``params``."""
    return _stacked(params, cache.workspace, sizes)[3]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagation through time from the gradients of any loss.

    The contract of :func:`rnn_book.lstm.backward_from`.

    Parameters
    ----------
    params : LSTMParams
        The parameters ``forward`` ran with.
    cache : LSTMCache
        From :func:`forward` (this module's).
    dZ : array_like, optional
        dL/dz_t in the layout of ``cache.Y``.
    dH : array_like, optional
        dL/dh_t from outside the cell, in the layout of ``cache.H``.

    Returns
    -------
    grads : LSTMParams
    dX : ndarray
        dL/dX, shaped like the ``X`` given to ``forward``.
    dh0, dc0 : ndarray
        Shaped like the ``h0`` and ``c0`` given to ``forward``.
    All are views into the cache's workspace: copy what must outlive its next call.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.lstm import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0, dc0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape, dc0.shape
    ((3, 4), (3,), (3,))
    """
    check_fast_cache(params, cache, LSTMCache, _fingerprint)
    dZ, dH = check_gradients(cache, cache.sizes, dZ, dH)  # (T, k_out, B), (T, d, B) or None
    dZ = side_by_side(cache.workspace, dZ)  # (k_out, T*B), as Y_all
    grads, dX, dh0, dc0 = _backward(params, cache, dZ, dH, want_dX=True)
    return grads, unbatch(dX, cache.batched), dh0, dc0
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time; the contract of :func:`rnn_book.lstm.backward`.

    Parameters
    ----------
    params : LSTMParams
        The parameters ``forward`` ran with.
    cache : LSTMCache
        From :func:`forward` (this module's).
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices ``(T,)`` / ``(T, B)``.

    Returns
    -------
    grads : LSTMParams
        With a workspace, the same object (and arrays) every call; the gates'
        gradients are row blocks of stacked arrays.
    dh0, dc0 : ndarray
        dL/dh_0 and dL/dc_0, shaped like the ``h0`` and ``c0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.lstm import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0, dc0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_xh_f.shape, dh0.shape, dc0.shape
    ((3, 4), (3,), (3,))
    """
    check_fast_cache(params, cache, LSTMCache, _fingerprint)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, class_targets(cache, Y_true))
    grads, _, dh0, dc0 = _backward(params, cache, dZ, None, want_dX=False)  # the same loop
    return grads, dh0, dc0
# --8<-- [end:backward]


# --8<-- [start:loss_and_grads]
def loss_and_grads(params, X, Y_true, h0=None, c0=None, *, workspace=None):
    """One training step's arithmetic: forward, the loss, backward; inputs checked once.

    Returns
    -------
    loss : float
        :func:`rnn_book.losses.cross_entropy` of the outputs.
    grads : LSTMParams
    dh0, dc0 : ndarray
    cache : LSTMCache
        ``cache.H[-1]`` and ``cache.C[-1]`` are h_T and c_T, the next chunk's
        ``h0`` and ``c0`` in truncated BPTT. The outputs are consumed:
        ``cache.Y`` holds dL/dz_t afterwards (computed in place, saving an
        array of Y's size); call :func:`forward` and :func:`backward` to keep both.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.lstm import init_params, loss_and_grads
    >>> params = init_params(k=4, d=3, rng=0)
    >>> loss, grads, dh0, dc0, cache = loss_and_grads(params, np.eye(4)[:3], [1, 2, 3])
    >>> round(loss, 4), cache.C[-1].shape
    (4.2042, (3,))
    """
    _, cache = forward(params, X, h0, c0, workspace=workspace)
    idx = class_targets(cache, Y_true)
    loss = loss_at_targets(cache.Y_all, idx)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, idx, in_place=True)
    grads, _, dh0, dc0 = _backward(params, cache, dZ, None, want_dX=False)  # forward has just checked params
    return loss, grads, dh0, dc0, cache
# --8<-- [end:loss_and_grads]
