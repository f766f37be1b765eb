"""The simple RNN, fast: same contract and results as :mod:`rnn_book.rnn`.

    a_t = W_H h_{t-1} + W_X x_t + b_h,  h_t = tanh(a_t),  y_t = softmax(W_Y h_t + b_y)

Only ``W_H h_{t-1}`` needs the previous step, so only it stays in the time
loop; everything else is one product over all T steps. Hidden states are
stored as one ``(d, T+1, B)`` array: ``H[:, t]`` is h_t (``H[:, 0]`` is h_0),
and ``H[:, 1:]`` reshaped to ``(d, T*B)`` is h_1 .. h_T side by side.
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
    steps_array,
)
from rnn_book.fast.output import (
    loss_at_targets,
    output_backward,
    softmax_cross_entropy_grad,
    softmax_outputs,
)
from rnn_book.fast.validate import Sizes, check_fast_cache, checked_sizes, class_targets
from rnn_book.fast.workspace import Workspace
from rnn_book.recurrent import check_gradients
from rnn_book.rnn_params import RNNParams, init_params

__all__ = ["RNNCache", "RNNParams", "backward", "backward_from", "forward", "init_params",
           "loss_and_grads"]


# --8<-- [start:RNNCache]
@dataclass(eq=False)
class RNNCache:
    """What :func:`forward` keeps for :func:`backward`.

    Attributes
    ----------
    H : (T, d) or (T, d, B) ndarray
        Hidden states h_1 .. h_T in the layout of the input X (a view).
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs in the layout of X (a view).
    H_steps : (d, T+1, B) ndarray
        h_0 .. h_T, the array the views above look into.
    Y_all : (k_out, T*B) ndarray
        y_1 .. y_T side by side.
    X : (T, k, B) ndarray
        The checked inputs (the caller's array when it had the parameters' dtype).
    h0_shape : tuple
        The shape of ``h0``, which ``dh0`` takes.
    batched : bool
        Whether X had a batch axis.
    workspace : Workspace
        Where the arrays live; backward writes its own arrays there too.
    sizes : Sizes
        The parameters' sizes, validated by forward.
    fingerprint : tuple
        One sum per parameter array at forward time, checked by backward.
    """

    H: np.ndarray
    Y: np.ndarray
    H_steps: np.ndarray
    Y_all: np.ndarray
    X: np.ndarray
    h0_shape: tuple
    batched: bool
    workspace: Workspace
    sizes: Sizes
    fingerprint: tuple

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape,)``."""
        return (self.h0_shape,)
# --8<-- [end:RNNCache]


def _forward(params, X, h0, ws, sizes):
    """Forward over checked inputs: X (T, k, B), h0 (d, B); sizes (k, d, k_out, dtype)."""
    T, _, B = X.shape
    _, d, k_out, dtype = sizes
    W_H = params.W_H
    H = steps_array(ws, "H", d, T + 1, B, dtype)  # h_0 .. h_T
    H_all = H[:, 1:].reshape(d, T * B)  # (d, T*B)  a view: h_1 .. h_T side by side
    S, pieces = spans(T, B)  # a batch's inputs are copied to columns S steps at a time
    # --8<-- [start:forward_inputs]
    H[:, 0] = h0  # (d, B)
    for start, end in pieces:  # one span (one product) unless a batch is long
        H_span = H[:, start + 1:end + 1].reshape(d, (end - start) * B)  # a view
        matmul_into(params.W_X, input_columns(ws, X, start, end, S), out=H_span)  # W_X x_t
    H_all += params.b_h  # a_t without its W_H h_{t-1} term, for every t
    # --8<-- [end:forward_inputs]
    h = step_columns(ws, "h", H)  # h[t] is the (d, B) view H[:, t]
    Wh_h = ws.array("Wh_h", (d, B), dtype)
    # --8<-- [start:forward_loop]
    for t in range(1, T + 1):
        # (d, B)  the only product that must wait for the previous step
        np.matmul(W_H, h[t - 1], out=Wh_h)
        h[t] += Wh_h  # a_t = W_H h_{t-1} + (W_X x_t + b_h)
        np.tanh(h[t], out=h[t])  # h_t = tanh(a_t), in place
    # --8<-- [end:forward_loop]
    Y_all = ws.array("Y", (k_out, T * B), dtype)
    softmax_outputs(ws, params.W_Y, params.b_y, H_all, Y_all)
    return H, Y_all


# --8<-- [start:forward]
def forward(params, X, h0=None, *, workspace=None):
    """Run the RNN over whole sequences; the contract of :func:`rnn_book.rnn.forward`.

    Parameters
    ----------
    params : RNNParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step, or a batch with ``X[t]`` of shape (k, B).
    h0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden state; zeros if omitted. It may be a view of the
        previous call's ``cache.H[-1]``, even with the same workspace.
    workspace : Workspace, optional
        Reuse its arrays (a training loop passes the same one every call);
        the results are then views into it, overwritten by its next call.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs, in the layout of ``X``.
    cache : RNNCache
        ``cache.H`` holds the hidden states, ``(T, d)`` or ``(T, d, B)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.rnn import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> from rnn_book import rnn
    >>> Y.shape, bool(np.allclose(Y, rnn.forward(params, np.eye(4)[:3])[0], rtol=1e-12))
    ((3, 4), True)
    """
    ws = Workspace() if workspace is None else workspace
    sizes, sums = checked_sizes(ws, params)  # sums: every array checked finite
    k, d, k_out, dtype = sizes
    X, batched = as_sequence("X", X, "k", k, dtype)  # (T, k, B)
    T, _, B = X.shape
    h0, h0_shape = as_state("h0", h0, d, B, batched, dtype)  # (d, B)
    H, Y_all = _forward(params, X, h0, ws, sizes)
    cache = RNNCache(
        H=unbatch(H[:, 1:].transpose(1, 0, 2), batched),  # (T, d, B) view
        Y=unbatch(Y_all.reshape(k_out, T, B).transpose(1, 0, 2), batched),
        H_steps=H, Y_all=Y_all, X=X, h0_shape=h0_shape, batched=batched, workspace=ws,
        sizes=sizes, fingerprint=sums,
    )
    return cache.Y, cache
# --8<-- [end:forward]


def _grads(ws, sizes):
    """The gradients' arrays, one RNNParams made once per workspace and shapes."""
    k, d, k_out, dtype = sizes
    arrays = [ws.array("dW_X", (d, k), dtype), ws.array("dW_H", (d, d), dtype),
              ws.array("db_h", (d, 1), dtype), ws.array("dW_Y", (k_out, d), dtype),
              ws.array("db_y", (k_out, 1), dtype)]

    def make():
        for a in arrays:
            a.fill(0)  # the constructor checks for NaN: no uninitialised memory
        return RNNParams(*arrays)

    return ws.cached("grads", arrays, make)


def _backward(params, cache, dZ, dH, want_dX):
    """BPTT from dL/dz_t side by side (k_out, T*B) and/or dL/dh_t (T, d, B); None: zeros.

    Returns grads, dX (T, k, B) or None, dh0 in h0's shape.
    """
    ws, H, sizes = cache.workspace, cache.H_steps, cache.sizes
    d, T1, B = H.shape
    T, k, dtype = T1 - 1, sizes.k, sizes.dtype
    grads = _grads(ws, sizes)
    S, pieces = spans(T, B)  # S steps per span: backward's arrays hold S steps, not T
    dA = steps_array(ws, "dA", d, S + 1, B, dtype)  # dL/da for a span's steps, and the next step's
    if dZ is not None:
        output_backward(dZ, H[:, 1:].reshape(d, T * B), grads.W_Y, grads.b_y)
    else:  # no loss on the outputs
        grads.W_Y.fill(0)
        grads.b_y.fill(0)
    dX = ws.array("dX", (T, k, B), dtype) if want_dX else None
    da, h = step_columns(ws, "da", dA), step_columns(ws, "h", H)
    tanh_grad, Wh_da = ws.array("tanh_grad", (d, B), dtype), ws.array("Wh_da", (d, B), dtype)
    if len(pieces) > 1:  # arrays for each further span's sums
        dW_X, dW_H, db_h = (ws.array(f"{name} span", a.shape, dtype)
                            for name, a in (("dW_X", grads.W_X), ("dW_H", grads.W_H), ("db_h", grads.b_h)))
    W_H_T = params.W_H.T  # (d, d)  a view, no copy
    da[S].fill(0)  # nothing flows back from after step T
    for n_span, (start, end) in enumerate(pieces):
        n = end - start  # steps start+1 .. end
        dA_span = dA[:, :n].reshape(d, n * B)  # (d, n*B)  a view
        if n_span:  # dL/da_{end+1}, from the later span (the first span has n = S)
            np.copyto(da[n], da[0])
        if dZ is not None:  # dL/dh_t via y_t
            matmul_into(params.W_Y.T, dZ[:, start * B:end * B], out=dA_span)
        else:
            dA_span.fill(0)
        if dH is not None:  # plus dL/dh_t from a layer above
            dA[:, :n] += dH[start:end].transpose(1, 0, 2)  # (d, n, B)
        # --8<-- [start:backward_loop]
        for t in range(end, start, -1):  # step t, backwards; da[t - start - 1] is step t's
            j = t - start - 1  # da[j] holds dL/dh_t from outside the step; make it dL/da_t
            np.matmul(W_H_T, da[j + 1], out=Wh_da)  # (d, B)  dL/dh_t via h_{t+1}
            da[j] += Wh_da  # dL/dh_t: the paths add up
            np.square(h[t], out=tanh_grad)
            np.subtract(1, tanh_grad, out=tanh_grad)  # tanh'(a_t) = 1 - h_t**2
            da[j] *= tanh_grad  # (d, B)  dL/da_t
        # --8<-- [end:backward_loop]
        # --8<-- [start:backward_weights]
        # one product each per span: sum_t da_t x_t^T, sum_t da_t h_{t-1}^T
        first = n_span == 0
        X_span = input_columns(ws, cache.X, start, end, S)  # (k, n*B)
        np.matmul(dA_span, X_span.T, out=grads.W_X if first else dW_X)
        np.matmul(dA_span, H[:, start:end].reshape(d, n * B).T, out=grads.W_H if first else dW_H)
        np.sum(dA_span, axis=1, keepdims=True, out=grads.b_h if first else db_h)
        if not first:  # add the span's sums: (d, k), (d, d), (d, 1)
            grads.W_X += dW_X
            grads.W_H += dW_H
            grads.b_h += db_h
        # --8<-- [end:backward_weights]
        if want_dX:  # dL/dx_t = W_X^T dL/da_t for each step t of the span
            np.matmul(params.W_X.T, dA[:, :n].transpose(1, 0, 2), out=dX[start:end])  # (n, k, B)
    dh0 = ws.array("dh0", (d, B), dtype)
    np.matmul(W_H_T, da[0], out=dh0)  # (d, B)  dL/dh_0
    return grads, dX, dh0.reshape(cache.h0_shape)


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagation through time from the gradients of any loss.

    The contract of :func:`rnn_book.rnn.backward_from`.

    Parameters
    ----------
    params : RNNParams
        The parameters ``forward`` ran with.
    cache : RNNCache
        From :func:`forward` (this module's).
    dZ : array_like, optional
        dL/dz_t in the layout of ``cache.Y``.
    dH : array_like, optional
        dL/dh_t from outside the cell, in the layout of ``cache.H``.

    Returns
    -------
    grads : RNNParams
    dX : ndarray
        dL/dX, shaped like the ``X`` given to ``forward``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.
    All three are views into the cache's workspace: copy what must outlive its next call.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.rnn import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape, float(abs(grads.W_Y).sum())
    ((3, 4), (3,), 0.0)
    """
    check_fast_cache(params, cache, RNNCache)
    dZ, dH = check_gradients(cache, cache.sizes, dZ, dH)  # (T, k_out, B), (T, d, B) or None
    dZ = side_by_side(cache.workspace, dZ)  # (k_out, T*B), as Y_all
    grads, dX, dh0 = _backward(params, cache, dZ, dH, want_dX=True)
    return grads, unbatch(dX, cache.batched), dh0
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time; the contract of :func:`rnn_book.rnn.backward`.

    Parameters
    ----------
    params : RNNParams
        The parameters ``forward`` ran with.
    cache : RNNCache
        From :func:`forward` (this module's).
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices ``(T,)`` / ``(T, B)``.

    Returns
    -------
    grads : RNNParams
        dL/dW_X, dL/dW_H, dL/db_h, dL/dW_Y, dL/db_y. With a workspace, the same
        object (and arrays) every call: copy what must outlive the next call.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.rnn import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_X.shape, dh0.shape
    ((3, 4), (3,))
    """
    check_fast_cache(params, cache, RNNCache)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, class_targets(cache, Y_true))
    grads, _, dh0 = _backward(params, cache, dZ, None, want_dX=False)  # the same loop
    return grads, dh0
# --8<-- [end:backward]


# --8<-- [start:loss_and_grads]
def loss_and_grads(params, X, Y_true, h0=None, *, workspace=None):
    """One training step's arithmetic: forward, the loss, backward; inputs checked once.

    Parameters
    ----------
    params : RNNParams
    X, h0 : array_like
        As for :func:`forward`.
    Y_true : array_like
        As for :func:`backward`.
    workspace : Workspace, optional
        Pass the same one every step: nothing is then allocated per step.

    Returns
    -------
    loss : float
        :func:`rnn_book.losses.cross_entropy` of the outputs.
    grads : RNNParams
    dh0 : ndarray
    cache : RNNCache
        ``cache.H[-1]`` is h_T, the next chunk's ``h0`` in truncated BPTT.
        The outputs are consumed: ``cache.Y`` holds dL/dz_t afterwards (the
        step computes it in place, saving an array of Y's size); call
        :func:`forward` and :func:`backward` to keep both.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.fast.rnn import init_params, loss_and_grads
    >>> params = init_params(k=4, d=3, rng=0)
    >>> loss, grads, dh0, cache = loss_and_grads(params, np.eye(4)[:3], [1, 2, 3])
    >>> round(loss, 4), cache.H[-1].shape
    (4.6439, (3,))
    """
    _, cache = forward(params, X, h0, workspace=workspace)
    idx = class_targets(cache, Y_true)
    loss = loss_at_targets(cache.Y_all, idx)
    dZ = softmax_cross_entropy_grad(cache.workspace, cache.Y_all, idx, in_place=True)
    grads, _, dh0 = _backward(params, cache, dZ, None, want_dX=False)  # forward has just checked params
    return loss, grads, dh0, cache
# --8<-- [end:loss_and_grads]
