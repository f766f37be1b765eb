"""The GRU, fast: same contract and results as :mod:`rnn_book.gru`.

The three gates are one stacked matrix, rows in the order r, u, g:

    [a_r; a_u; a_g] = W_xh x_t + b + (hidden-side terms),  W_xh = [W_xh_r; W_xh_u; W_xh_g]  (3d, k)

Every input product W_xh x_t (and every bias) is computed for all T steps in
one product before the time loop; the loop makes one ``(3d, d)`` product per
step in PyTorch's variant (the reset gate scales ``W_hh_g h_{t-1} + b_hh_g``, so
the three hidden products can be made together), two in Cho et al.'s (the
candidate's product must wait for r_t). The two sigmoids are computed as
``1 / (1 + e^{-a})``, with the minus sign folded into the stacked weights' r and u
rows. Backward works span by span (a few hundred columns of steps at a time): every
factor that does not depend on what flows from later steps is computed for the
whole span at once, and each weight gradient is one product per span.

Arrays: gates ``G (3d, T, B)`` (r_t, u_t, g_t by rows), what the reset gate
scales ``M (d, T, B)`` (``m_t = W_hh_g h_{t-1} + b_hh_g``, or ``r_t * h_{t-1}`` in
Cho's variant, whose product W_hh_g takes), hidden states ``H (d, T+1, B)``
with h_0 at index 0.
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
from rnn_book.gru_params import GATES, GRUParams, init_params
from rnn_book.recurrent import check_gradients

__all__ = ["GRUCache", "GRUParams", "backward", "backward_from", "forward", "init_params",
           "loss_and_grads", "stack_gates"]


# --8<-- [start:stack_gates]
def stack_gates(params, prefix, out=None):
    """The gates' matrices ``{prefix}_r, _u, _g`` stacked: one ``(3d, n)`` array.

    Examples
    --------
    >>> from rnn_book.fast.gru import init_params, stack_gates
    >>> params = init_params(k=4, d=3, rng=0)
    >>> W_xh = stack_gates(params, "W_xh")
    >>> W_xh.shape, bool((W_xh[3:6] == params.W_xh_u).all())
    ((9, 4), True)
    """
    blocks = [getattr(params, f"{prefix}_{gate}") for gate in GATES]  # (d, n) each
    return np.concatenate(blocks, axis=0, out=out)  # (3d, n)
# --8<-- [end:stack_gates]


# --8<-- [start:GRUCache]
@dataclass(eq=False)
class GRUCache:
    """What :func:`forward` keeps for :func:`backward_from`.

    Attributes
    ----------
    H : (T, d) or (T, d, B) ndarray
        Hidden states h_1 .. h_T in the layout of X (a view).
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs in the layout of X (a view).
    G : (3d, T, B) ndarray
        Gate values r_t, u_t, g_t stacked by rows.
    M : (d, T, B) ndarray
        What the reset gate scales (PyTorch's variant), or ``r_t * h_{t-1}`` (Cho's).
    H_steps : (d, T+1, B) ndarray
        h_0 .. h_T.
    Y_all : (k_out, T*B) ndarray
        y_1 .. y_T side by side.
    X : (T, k, B) ndarray
        The checked inputs (the caller's array when it had the parameters' dtype).
    h0_shape : tuple
        The shape of ``h0``, which ``dh0`` takes.
    batched : bool
        Whether X had a batch axis.
    reset_after : bool
        Which variant ran.
    workspace : Workspace
        Where the arrays live.
    sizes : Sizes
        The parameters' sizes, validated by forward.
    fingerprint : tuple
        One sum per stacked parameter array at forward time, checked by backward.
    """

    H: np.ndarray
    Y: np.ndarray
    G: np.ndarray
    M: np.ndarray
    H_steps: np.ndarray
    Y_all: np.ndarray
    X: np.ndarray
    h0_shape: tuple
    batched: bool
    reset_after: bool
    workspace: Workspace
    sizes: Sizes
    fingerprint: tuple

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape,)``."""
        return (self.h0_shape,)
# --8<-- [end:GRUCache]


def _gate_views(ws, G, d, name):
    """Per-step views of G: all three gates, the two sigmoid rows, and each gate."""
    base = G if G.base is None else G.base

    def make():
        rows = [slice(None), slice(0, 2 * d)] + [slice(n * d, (n + 1) * d) for n in range(3)]
        return tuple([G[r, t] for t in range(G.shape[1])] for r in rows)

    return ws.cached(f"{name} views", (base,), make)


def _stacked(params, ws, sizes, reset_after):
    """W_xh (3d, k), W_hh (3d, d) and b (3d, 1) stacked, r and u rows negated (for e^{-a}).

    Also one sum per array of them and of ``b_hh_g``, ``W_Y``, ``b_y``: six checks
    that every parameter is finite, and the fingerprint a cache records.
    """
    k, d, _, dtype = sizes
    W_xh = stack_gates(params, "W_xh", ws.array("W_xh", (3 * d, k), dtype))  # (3d, k)
    W_hh = stack_gates(params, "W_hh", ws.array("W_hh_neg", (3 * d, d), dtype))  # (3d, d)
    b = stack_gates(params, "b_h", ws.array("b", (3 * d, 1), dtype))  # (3d, 1)
    if not reset_after:  # b_hh_g is added outside the reset gate: merge it into b_h_g
        b[2 * d:] += params.b_hh_g
    W_xh[:2 * d] *= -1  # the r and u rows compute -a, ready for e^{-a}
    W_hh[:2 * d] *= -1
    b[:2 * d] *= -1
    sums = array_sums(params, (W_xh, W_hh, b, params.b_hh_g, params.W_Y, params.b_y))
    return W_xh, W_hh, b, sums


def _forward(params, X, h0, ws, sizes, reset_after):
    """Forward over checked inputs: X (T, k, B), h0 (d, B); sizes (k, d, k_out, dtype)."""
    T, k, B = X.shape
    _, d, k_out, dtype = sizes
    W_xh, W_hh, b, sums = _stacked(params, ws, sizes, reset_after)  # every parameter finite
    G = step_major(ws, "G", 3 * d, T, B, dtype)  # (3d, T, B), each step's block contiguous
    M = step_major(ws, "M", d, T, B, dtype)  # (d, T, B)
    H = steps_array(ws, "H", d, T + 1, B, dtype)  # (d, T+1, B): H[:, 1:] is (d, T*B) for W_Y
    # --8<-- [start:forward_inputs]
    if B == 1:  # every gate, every step: one product, (3d, k) @ (k, T)
        matmul_into(W_xh, input_columns(ws, X), out=G.reshape(3 * d, T))
    else:  # a batch: one (3d, k) @ (k, B) product per step, straight from X (T, k, B)
        np.matmul(W_xh, X, out=G.transpose(1, 0, 2))
    G.transpose(1, 0, 2)[...] += b  # b (3d, 1) added to every step
    # --8<-- [end:forward_inputs]
    H[:, 0] = h0
    gates, ru, r, u, g = _gate_views(ws, G, d, "G")
    h, m = step_columns(ws, "h", H), step_columns(ws, "m", M)
    P = ws.array("P", (3 * d, B), dtype)  # this step's hidden products
    P_ru, P_g = P[:2 * d], P[2 * d:]
    tmp = ws.array("tmp", (d, B), dtype)
    W_hh_ru, W_hh_g, b_hh_g = W_hh[:2 * d], W_hh[2 * d:], params.b_hh_g
    with np.errstate(over="ignore"):  # e^{-a} = inf for a < -709: sigmoid 0, as it should be
        # --8<-- [start:forward_loop]
        for t in range(1, T + 1):  # G, M index t - 1 is step t; h[t - 1] is h_{t-1}
            j = t - 1
            if reset_after:
                np.matmul(W_hh, h[j], out=P)  # (3d, B)  the one product that must wait
                ru[j] += P_ru  # [-a_r; -a_u]
                np.add(P_g, b_hh_g, out=m[j])  # m_t = W_hh_g h_{t-1} + b_hh_g
            else:
                np.matmul(W_hh_ru, h[j], out=P_ru)  # (2d, B)
                ru[j] += P_ru
            np.exp(ru[j], out=ru[j])
            ru[j] += 1
            np.reciprocal(ru[j], out=ru[j])  # r_t, u_t = 1 / (1 + e^{-a})
            if reset_after:
                np.multiply(r[j], m[j], out=tmp)
                g[j] += tmp  # a_g = W_xh_g x_t + b_h_g + r_t * m_t
            else:
                np.multiply(r[j], h[j], out=m[j])  # r_t * h_{t-1}
                np.matmul(W_hh_g, m[j], out=tmp)  # the second product: it needs r_t
                g[j] += tmp  # a_g = W_xh_g x_t + b_h_g + b_hh_g + W_hh_g (r_t * h_{t-1})
            np.tanh(g[j], out=g[j])  # g_t
            np.subtract(h[j], g[j], out=tmp)
            tmp *= u[j]
            np.add(g[j], tmp, out=h[t])  # h_t = g_t + u_t (h_{t-1} - g_t)
        # --8<-- [end:forward_loop]
    Y_all = ws.array("Y", (k_out, T * B), dtype)
    softmax_outputs(ws, params.W_Y, params.b_y, H[:, 1:].reshape(d, T * B), Y_all)
    return G, M, H, Y_all, sums


# --8<-- [start:forward]
def forward(params, X, h0=None, *, reset_after=True, workspace=None):
    """Run the GRU over whole sequences; the contract of :func:`rnn_book.gru.forward`.

    Parameters
    ----------
    params : GRUParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step, or a batch with ``X[t - 1]`` of shape (k, B).
    h0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden state; zeros if omitted. It may be a view of the
        previous call's ``cache.H[-1]``.
    reset_after : bool, optional
        PyTorch's variant (True, default) or Cho et al.'s (False).
    workspace : Workspace, optional
        Reuse its arrays; the results are then views into it, overwritten by
        its next call.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs, in the layout of ``X``.
    cache : GRUCache

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.gru import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> from rnn_book import gru
    >>> Y.shape, bool(np.allclose(Y, gru.forward(params, np.eye(4)[:3])[0], rtol=1e-12))
    ((3, 4), True)
    """
    ws = Workspace() if workspace is None else workspace
    sizes, _ = checked_sizes(ws, params, finite=())  # finite: the stacked arrays, in _forward
    k, d, k_out, dtype = sizes
    X, batched = as_sequence("X", X, "k", k, dtype)  # (T, k, B)
    T, _, B = X.shape
    h0, h0_shape = as_state("h0", h0, d, B, batched, dtype)  # (d, B)
    G, M, H, Y_all, sums = _forward(params, X, h0, ws, sizes, bool(reset_after))

    def layout(A):  # (n, T, B) -> (T, n[, B])
        return unbatch(A.transpose(1, 0, 2), batched)

    cache = GRUCache(H=layout(H[:, 1:]), Y=layout(Y_all.reshape(k_out, T, B)), G=G, M=M,
                     H_steps=H, Y_all=Y_all, X=X, h0_shape=h0_shape, batched=batched,
                     reset_after=bool(reset_after), workspace=ws, sizes=sizes,
                     fingerprint=sums)
    return cache.Y, cache
# --8<-- [end:forward]


def _grads(ws, sizes):
    """Gradient arrays: the gates' parts are row blocks of three stacked arrays, zeroed."""
    k, d, k_out, dtype = sizes
    dW_xh, dW_hh = ws.array("dW_xh", (3 * d, k), dtype), ws.array("dW_hh", (3 * d, d), dtype)
    db, db_hh_g = ws.array("db", (3 * d, 1), dtype), ws.array("db_hh_g", (d, 1), dtype)
    dW_Y, db_y = ws.array("dW_Y", (k_out, d), dtype), ws.array("db_y", (k_out, 1), dtype)
    arrays = (dW_xh, dW_hh, db, db_hh_g, dW_Y, db_y)
    for a in arrays:
        a.fill(0)

    def make():
        parts = {}
        for n, gate in enumerate(GATES):
            rows = slice(n * d, (n + 1) * d)
            parts.update({f"W_xh_{gate}": dW_xh[rows], f"W_hh_{gate}": dW_hh[rows],
                          f"b_h_{gate}": db[rows]})
        return GRUParams(**parts, b_hh_g=db_hh_g, W_Y=dW_Y, b_y=db_y)

    return ws.cached("grads", arrays, make), dW_xh, dW_hh, db


def _add_product(ws, name, A, B_T, out):
    """``out += A @ B_T`` through a reused temporary."""
    tmp = ws.array(name, out.shape, out.dtype)
    np.matmul(A, B_T, out=tmp)
    out += tmp


def _add_sum(ws, name, A, out):
    """``out += A.sum(axis=1, keepdims=True)`` through a reused temporary."""
    tmp = ws.array(name, out.shape, out.dtype)
    np.sum(A, axis=1, keepdims=True, out=tmp)
    out += tmp


def _backward(params, cache, dZ_cols, dH, want_dX):
    """BPTT over a checked cache: dZ_cols (k_out, T*B) or None, dH (T, d, B) or None.

    Returns grads, dX (T, k, B) or None, and dh0 in the initial state's shape.
    """
    ws, G, M, H, sizes = cache.workspace, cache.G, cache.M, cache.H_steps, cache.sizes
    k, d, k_out, dtype = sizes
    _, T, B = M.shape
    reset_after = cache.reset_after
    grads, dW_xh, dW_hh, db = _grads(ws, sizes)
    if dZ_cols is not None:  # the output layer: every step in one product each
        output_backward(dZ_cols, H[:, 1:].reshape(d, T * B), grads.W_Y, grads.b_y)
    W_xh = stack_gates(params, "W_xh", ws.array("W_xh plain", (3 * d, k), dtype))  # (3d, k)
    W_hh = stack_gates(params, "W_hh", ws.array("W_hh plain", (3 * d, d), dtype))  # (3d, d)
    W_hh_T, W_hh_ru_T, W_hh_g_T = W_hh.T, W_hh[:2 * d].T, W_hh[2 * d:].T
    S, pieces = spans(T, B, share=2)  # backward's arrays hold S steps, not T
    dA = step_major(ws, "dA", 3 * d, S, B, dtype)  # a span's [dL/da_r; dL/da_u; dm or dL/da_g]
    DG = step_major(ws, "DG", d, S, B, dtype)  # dL/da_g (PyTorch's variant)
    dHc = step_major(ws, "dHc", d, S, B, dtype)  # dL/dh_t from outside the recurrence
    dA_buffer = dA if B == 1 else ws.array("dA cols", (3 * d, S, B), dtype)
    DG_buffer = DG if B == 1 else ws.array("DG cols", (d, S, B), dtype)
    _, _, r, u, _ = _gate_views(ws, G, d, "G")  # r[t - 1], u[t - 1]: step t's gates
    da, da_ru, da_r, da_u, da_g = _gate_views(ws, dA, d, "dA")  # step t of a span: index t - start - 1
    dg_, dh = step_columns(ws, "DG", DG), step_columns(ws, "dHc", dHc)
    carry, s, tmp = (ws.array(name, (d, B), dtype) for name in ("carry", "s", "tmp b"))
    dX = ws.array("dX", (T, k, B), dtype) if want_dX else None
    carry.fill(0)  # nothing flows back from after step T
    for start, end in pieces:
        n = end - start  # steps start+1 .. end
        dA_c, G_c, M_c = dA[:, :n], G[:, start:end], M[:, start:end]
        H_prev = H[:, start:end]  # (d, n, B)  h_{t-1} of the span's steps
        # dL/dh_t from outside the recurrence: via y_t and from dH
        if dZ_cols is None:
            dHc[:, :n] = 0
        elif B == 1:  # (d, k_out) @ (k_out, n)
            matmul_into(params.W_Y.T, dZ_cols[:, start:end], out=dHc[:, :n].reshape(d, n))
        else:  # one (d, k_out) @ (k_out, B) product per step, into the step-major dHc
            dZ_steps = dZ_cols.reshape(k_out, T, B)[:, start:end].transpose(1, 0, 2)
            np.matmul(params.W_Y.T, dZ_steps, out=dHc[:, :n].transpose(1, 0, 2))
        if dH is not None:
            dHc[:, :n] += dH[start:end].transpose(1, 0, 2)
        # --8<-- [start:backward_local]
        # The factors that do not depend on what flows from later steps, every step of
        # the span at once; the loop then multiplies by dL/dh_t (and dL/da_g).
        r_c, u_c, g_c = G_c[:d], G_c[d:2 * d], G_c[2 * d:]
        np.subtract(1, r_c, out=dA_c[:d])
        dA_c[:d] *= r_c  # r (1 - r)
        dA_c[:d] *= M_c if reset_after else H_prev  # times m_t, or h_{t-1} (Cho)
        np.subtract(1, u_c, out=dA_c[d:2 * d])
        dA_c[d:2 * d] *= u_c  # u (1 - u)
        np.subtract(H_prev, g_c, out=dA_c[2 * d:])
        dA_c[d:2 * d] *= dA_c[2 * d:]  # times (h_{t-1} - g_t)
        np.square(g_c, out=dA_c[2 * d:])
        np.subtract(1, dA_c[2 * d:], out=dA_c[2 * d:])  # 1 - g**2
        np.subtract(1, u_c, out=DG[:, :n])
        dA_c[2 * d:] *= DG[:, :n]  # times (1 - u_t)
        # --8<-- [end:backward_local]
        # --8<-- [start:backward_loop]
        for t in range(end, start, -1):  # step t, backwards; the span's arrays index j = t - start - 1
            j = t - start - 1
            dh[j] += carry  # dL/dh_t: from outside plus via step t + 1
            da_u[j] *= dh[j]  # dL/da_u = dL/dh_t (h_{t-1} - g_t) u (1 - u)
            da_g[j] *= dh[j]  # dL/da_g = dL/dh_t (1 - u_t)(1 - g_t**2)
            if reset_after:
                np.copyto(dg_[j], da_g[j])
                da_r[j] *= da_g[j]  # dL/da_r = dL/da_g m_t r (1 - r)
                da_g[j] *= r[t - 1]  # dL/dm_t = dL/da_g r_t: the g rows now feed W_hh_g
                np.matmul(W_hh_T, da[j], out=carry)  # via all three hidden products
            else:
                np.matmul(W_hh_g_T, da_g[j], out=s)  # dL/d(r_t h_{t-1})
                da_r[j] *= s  # dL/da_r = s h_{t-1} r (1 - r)
                np.matmul(W_hh_ru_T, da_ru[j], out=carry)
                np.multiply(s, r[t - 1], out=tmp)
                carry += tmp
            np.multiply(dh[j], u[t - 1], out=tmp)
            carry += tmp  # dL/dh_{t-1}: plus the direct path through u_t
        # --8<-- [end:backward_loop]
        # --8<-- [start:backward_weights]
        # all gates, all steps of the span: one product each, added up over spans
        X_cols = input_columns(ws, cache.X, start, end, S)  # (k, n*B)
        if B > 1:  # the span's columns (rows, n*B), copied once for the products
            np.copyto(dA_buffer[:, :n], dA_c)
            if reset_after:
                np.copyto(DG_buffer[:, :n], DG[:, :n])
        dA_cols = dA_buffer[:, :n].reshape(3 * d, n * B)
        H_cols = H_prev.reshape(d, n * B)  # a view: h_{t-1} of the span's steps as columns
        if reset_after:  # dA's g rows hold dL/dm_t, which W_hh_g and b_hh_g take
            DG_cols = DG_buffer[:, :n].reshape(d, n * B)
            _add_product(ws, "tmp W_hh", dA_cols, H_cols.T, dW_hh)  # (3d, d)
            _add_sum(ws, "tmp b_hh_g", dA_cols[2 * d:], grads.b_hh_g)
            _add_product(ws, "tmp W_xh_ru", dA_cols[:2 * d], X_cols.T, dW_xh[:2 * d])
            _add_product(ws, "tmp W_xh_g", DG_cols, X_cols.T, dW_xh[2 * d:])
            _add_sum(ws, "tmp b_ru", dA_cols[:2 * d], db[:2 * d])
            _add_sum(ws, "tmp b_g", DG_cols, db[2 * d:])
        else:  # dA's g rows hold dL/da_g; W_hh_g took r_t * h_{t-1} (in M)
            Q_cols = M[:, start:end].reshape(d, n * B) if B == 1 else (
                ws.array("Q cols", (d, S, B), dtype)[:, :n])
            if B > 1:
                np.copyto(Q_cols, M[:, start:end])
                Q_cols = Q_cols.reshape(d, n * B)
            _add_product(ws, "tmp W_xh", dA_cols, X_cols.T, dW_xh)  # (3d, k)
            _add_product(ws, "tmp W_hh_ru", dA_cols[:2 * d], H_cols.T, dW_hh[:2 * d])
            _add_product(ws, "tmp W_hh_g", dA_cols[2 * d:], Q_cols.T, dW_hh[2 * d:])
            _add_sum(ws, "tmp b", dA_cols, db)
            _add_sum(ws, "tmp b_hh_g", dA_cols[2 * d:], grads.b_hh_g)
        # --8<-- [end:backward_weights]
        if want_dX:  # dL/dx_t = W_xh^T [dL/da_r; dL/da_u; dL/da_g]
            dX_c = ws.array("dX span", (k, S * B), dtype)[:, :n * B]
            if reset_after:
                np.matmul(W_xh[:2 * d].T, dA_cols[:2 * d], out=dX_c)
                _add_product(ws, "tmp dX", W_xh[2 * d:].T, DG_cols, dX_c)
            else:
                np.matmul(W_xh.T, dA_cols, out=dX_c)
            dX[start:end] = dX_c.reshape(k, n, B).transpose(1, 0, 2)
    return grads, dX, carry.reshape(cache.h0_shape)


def _fingerprint(params, cache, sizes):
    """The sums a cache's forward pass recorded, recomputed for ``params``."""
    return _stacked(params, cache.workspace, sizes, cache.reset_after)[3]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """BPTT from gradients on the logits and/or hidden states; :func:`rnn_book.gru.backward_from`.

    Parameters
    ----------
    params : GRUParams
    cache : GRUCache
        From :func:`forward` (this module's).
    dZ : array_like, optional
        dL/dz_t in ``Y``'s layout; zeros if omitted.
    dH : array_like, optional
        dL/dh_t from outside the network in ``cache.H``'s layout; zeros if omitted.

    Returns
    -------
    grads : GRUParams
        With a workspace, the same object (and arrays) every call.
    dX : ndarray
        dL/dX in the layout of ``X``.
    dh0 : ndarray
        dL/dh_0, shaped like ``h0``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.gru import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape
    ((3, 4), (3,))
    """
    check_fast_cache(params, cache, GRUCache, _fingerprint)
    dZ, dH = check_gradients(cache, cache.sizes, dZ, dH)  # (T, k_out, B), (T, d, B) or None
    dZ = side_by_side(cache.workspace, dZ)  # (k_out, T*B), as Y_all
    grads, dX, dh0 = _backward(params, cache, dZ, dH, want_dX=True)
    return grads, unbatch(dX, cache.batched), dh0
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time; the contract of :func:`rnn_book.gru.backward`.

    Returns
    -------
    grads : GRUParams
        With a workspace, the same object (and arrays) every call.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.gru import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_xh_r.shape, dh0.shape
    ((3, 4), (3,))
    """
    check_fast_cache(params, cache, GRUCache, _fingerprint)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, class_targets(cache, Y_true))
    grads, _, dh0 = _backward(params, cache, dZ, None, want_dX=False)  # the same loop
    return grads, dh0
# --8<-- [end:backward]


# --8<-- [start:loss_and_grads]
def loss_and_grads(params, X, Y_true, h0=None, *, reset_after=True, workspace=None):
    """One training step's arithmetic: forward, the loss, backward; inputs checked once.

    Returns
    -------
    loss : float
        :func:`rnn_book.losses.cross_entropy` of the outputs.
    grads : GRUParams
    dh0 : ndarray
    cache : GRUCache
        ``cache.H[-1]`` is h_T, the next chunk's ``h0`` in truncated BPTT. The
        outputs are consumed: ``cache.Y`` holds dL/dz_t afterwards (computed in
        place, saving an array of Y's size); call :func:`forward` and
        :func:`backward` to keep both.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.gru import init_params, loss_and_grads
    >>> params = init_params(k=4, d=3, rng=0)
    >>> loss, grads, dh0, cache = loss_and_grads(params, np.eye(4)[:3], [1, 2, 3])
    >>> from rnn_book import gru
    >>> from rnn_book.losses import cross_entropy
    >>> bool(np.isclose(loss, cross_entropy(gru.forward(params, np.eye(4)[:3])[0], [1, 2, 3])))
    True
    """
    _, cache = forward(params, X, h0, reset_after=reset_after, workspace=workspace)
    idx = class_targets(cache, Y_true)
    loss = loss_at_targets(cache.Y_all, idx)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, idx, in_place=True)
    grads, _, dh0 = _backward(params, cache, dZ, None, want_dX=False)  # forward has just checked params
    return loss, grads, dh0, cache
# --8<-- [end:loss_and_grads]
