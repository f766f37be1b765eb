"""GRU, the gated recurrent unit as numpy: forward and backpropagation through time.

    r_t = sigmoid(W_xh_r x_t + W_hh_r h_{t-1} + b_h_r)        (reset gate; u_t alike)
    g_t = tanh(W_xh_g x_t + b_h_g + r_t * (W_hh_g h_{t-1} + b_hh_g))   (candidate)
    h_t = (1 - u_t) * g_t + u_t * h_{t-1},  y_t = softmax(W_Y h_t + b_y)

That is PyTorch's and cuDNN's GRU (``reset_after=True``, the default). Cho et
al.'s original (``reset_after=False``) resets ``h_{t-1}`` before the product:

    g_t = tanh(W_xh_g x_t + b_h_g + W_hh_g (r_t * h_{t-1}) + b_hh_g)

Shapes: k inputs, d hidden units, k_out outputs, T steps, B sequences as columns.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnn_book.activations import sigmoid, sigmoid_grad, softmax, tanh, tanh_grad
from rnn_book.checks import as_columns, unbatch
from rnn_book.gru_params import GATES, GRUParams, init_params
from rnn_book.losses import softmax_cross_entropy_grad
from rnn_book.recurrent import check_cache, finish_backward, start_backward, start_forward

__all__ = ["GRUParams", "init_params", "GATES", "GRUStepCache", "GRUCache", "step_forward",
           "step_backward", "forward", "backward_from", "backward"]


class GRUStepCache(NamedTuple):
    """What :func:`step_forward` keeps of one step for :func:`step_backward`.

    ``m_t`` is what the reset gate scales: ``W_hh_g h_{t-1} + b_hh_g`` in
    PyTorch's variant, ``h_{t-1}`` in Cho et al.'s.
    """

    x_t: np.ndarray  # (k, B)
    h_prev: np.ndarray  # (d, B)  h_{t-1}
    r_t: np.ndarray  # (d, B)  reset gate
    u_t: np.ndarray  # (d, B)  update gate
    g_t: np.ndarray  # (d, B)  candidate
    m_t: np.ndarray  # (d, B)  what r_t scales
    h_t: np.ndarray  # (d, B)
    reset_after: bool  # which variant


# --8<-- [start:step_forward]
def step_forward(params, x_t, h_prev, *, reset_after=True):
    """One time step: the reset and update gates, the candidate, h_t, and y_t.

    Parameters
    ----------
    params : GRUParams
    x_t : (k, B) ndarray
        Inputs at step t, one column per sequence (a single sequence is
        ``(k, 1)``: a 1-D ``(k,)`` would broadcast against the biases, so it
        is refused).
    h_prev : (d, B) ndarray
        Previous hidden state ``h_{t-1}``.
    reset_after : bool, optional
        True (default): PyTorch's and cuDNN's GRU, where the reset gate scales
        ``W_hh_g h_{t-1} + b_hh_g``. False: Cho et al. (2014), where it scales
        ``h_{t-1}`` before the product with ``W_hh_g``.

    Returns
    -------
    h_t : (d, B) ndarray
        New hidden state.
    y_t : (k_out, B) ndarray
        Softmax outputs.
    cache_t : GRUStepCache
        What :func:`step_backward` needs.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gru import init_params, step_forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> x_t = np.array([[1.0], [0.0], [0.0], [0.0]])  # symbol 0, as a column
    >>> h_t, y_t, cache_t = step_forward(params, x_t, np.zeros((3, 1)))
    >>> h_t.shape, y_t.shape, round(float(y_t.sum()), 6)
    ((3, 1), (4, 1), 1.0)
    """
    x_t = as_columns("x_t", x_t, "k", params.k, dtype=params.dtype)  # (k, B)
    h_prev = as_columns("h_prev", h_prev, "d", params.d, x_t.shape[1],
                        params.dtype)  # (d, B)
    p = params
    # --8<-- [start:step_forward_gates]
    # reset and update gates, each in (0, 1)
    r_t = sigmoid(p.W_xh_r @ x_t + p.W_hh_r @ h_prev + p.b_h_r)  # (d, B)
    u_t = sigmoid(p.W_xh_u @ x_t + p.W_hh_u @ h_prev + p.b_h_u)  # (d, B)
    # --8<-- [end:step_forward_gates]
    # --8<-- [start:step_forward_candidate]
    if reset_after:  # PyTorch, cuDNN: r_t scales the product W_hh_g h_{t-1} + b_hh_g
        m_t = p.W_hh_g @ h_prev + p.b_hh_g  # (d, B)
        g_t = tanh(p.W_xh_g @ x_t + p.b_h_g + r_t * m_t)  # (d, B)
    else:  # Cho et al. (2014): r_t scales h_{t-1} before the product
        m_t = h_prev  # (d, B)
        g_t = tanh(p.W_xh_g @ x_t + p.b_h_g + p.W_hh_g @ (r_t * m_t) + p.b_hh_g)  # (d, B)
    # --8<-- [end:step_forward_candidate]
    # --8<-- [start:step_forward_hidden]
    # keep u_t of the old state, take 1 - u_t of the candidate
    h_t = (1 - u_t) * g_t + u_t * h_prev  # (d, B)
    # --8<-- [end:step_forward_hidden]
    z_t = p.W_Y @ h_t + p.b_y  # (k_out, B)
    y_t = softmax(z_t)  # (k_out, B)
    return h_t, y_t, GRUStepCache(x_t, h_prev, r_t, u_t, g_t, m_t, h_t, reset_after)
# --8<-- [end:step_forward]


# --8<-- [start:step_backward]
def step_backward(params, dz_t, dh_next, cache_t, grads):
    """Backpropagate one time step; add its share of each gradient to ``grads``.

    Parameters
    ----------
    params : GRUParams
    dz_t : (k_out, B) ndarray
        dL/dz_t for the logits z_t = W_Y h_t + b_y.
    dh_next : (d, B) ndarray
        dL/dh_t through step t+1 (zeros at the last step).
    cache_t : GRUStepCache
        From :func:`step_forward`.
    grads : GRUParams
        Running sums, updated in place: the weights are shared by every step,
        so their gradient is the sum of the steps' contributions.

    Returns
    -------
    dh_prev : (d, B) ndarray
        ``dL/dh_{t-1}`` through this step.
    dx_t : (k, B) ndarray
        dL/dx_t.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gru import init_params, step_forward, step_backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> x_t = np.eye(4)[:, :1]  # symbol 0, as a column
    >>> h_t, y_t, cache_t = step_forward(params, x_t, np.zeros((3, 1)))
    >>> dz_t = y_t - np.eye(4)[:, 1:2]  # target: symbol 1
    >>> grads = params.zeros_like()
    >>> dh_prev, dx_t = step_backward(params, dz_t, np.zeros((3, 1)), cache_t, grads)
    >>> dh_prev.shape, dx_t.shape, grads.W_hh_u.shape
    ((3, 1), (4, 1), (3, 3))
    """
    x_t, h_prev, r_t, u_t, g_t, m_t, h_t, reset_after = cache_t
    B = h_t.shape[1]
    dz_t = as_columns("dz_t", dz_t, "k_out", params.k_out, B, params.dtype)
    dh_next = as_columns("dh_next", dh_next, "d", params.d, B, params.dtype)
    p = params
    # In-place += on grads.<name> updates the arrays inside grads.
    grads.W_Y += dz_t @ h_t.T  # (k_out, d)
    grads.b_y += dz_t.sum(axis=1, keepdims=True)  # (k_out, 1)  sum over B
    dh_t = p.W_Y.T @ dz_t + dh_next  # (d, B)  via y_t, plus via step t+1
    # --8<-- [start:step_backward_hidden]
    # h_t = (1 - u_t) * g_t + u_t * h_{t-1}
    du_t = dh_t * (h_prev - g_t)  # (d, B)
    dg_t = dh_t * (1 - u_t)  # (d, B)
    dh_prev = dh_t * u_t  # (d, B)  the direct path, scaled by the update gate only
    # --8<-- [end:step_backward_hidden]
    # --8<-- [start:step_backward_candidate]
    da_g = dg_t * tanh_grad(g_t)  # (d, B)  tanh' = 1 - g**2
    if reset_after:  # a_g = W_xh_g x_t + b_h_g + r_t * m_t, m_t = W_hh_g h_{t-1} + b_hh_g
        dr_t = da_g * m_t  # (d, B)
        dm_t = da_g * r_t  # (d, B)  dL/dm_t
        grads.W_hh_g += dm_t @ h_prev.T  # (d, d)
        grads.b_hh_g += dm_t.sum(axis=1, keepdims=True)  # (d, 1)
        dh_prev += p.W_hh_g.T @ dm_t  # (d, B)
    else:  # a_g = W_xh_g x_t + b_h_g + W_hh_g (r_t * h_{t-1}) + b_hh_g
        dq_t = p.W_hh_g.T @ da_g  # (d, B)  dL/d(r_t * h_{t-1})
        dr_t = dq_t * m_t  # (d, B)
        grads.W_hh_g += da_g @ (r_t * m_t).T  # (d, d)
        grads.b_hh_g += da_g.sum(axis=1, keepdims=True)  # (d, 1)
        dh_prev += dq_t * r_t  # (d, B)
    grads.W_xh_g += da_g @ x_t.T  # (d, k)
    grads.b_h_g += da_g.sum(axis=1, keepdims=True)  # (d, 1)
    # --8<-- [end:step_backward_candidate]
    # --8<-- [start:step_backward_gates]
    da_r = dr_t * sigmoid_grad(r_t)  # (d, B)  sigmoid' = s * (1 - s)
    da_u = du_t * sigmoid_grad(u_t)  # (d, B)
    grads.W_xh_r += da_r @ x_t.T  # (d, k)
    grads.W_hh_r += da_r @ h_prev.T  # (d, d)
    grads.b_h_r += da_r.sum(axis=1, keepdims=True)  # (d, 1)
    grads.W_xh_u += da_u @ x_t.T  # (d, k)
    grads.W_hh_u += da_u @ h_prev.T  # (d, d)
    grads.b_h_u += da_u.sum(axis=1, keepdims=True)  # (d, 1)
    # --8<-- [end:step_backward_gates]
    # --8<-- [start:step_backward_prev]
    # h_{t-1} fed both gates too: their paths add to the two above
    dh_prev += p.W_hh_r.T @ da_r + p.W_hh_u.T @ da_u  # (d, B)
    # x_t fed all three
    dx_t = p.W_xh_r.T @ da_r + p.W_xh_u.T @ da_u + p.W_xh_g.T @ da_g  # (k, B)
    # --8<-- [end:step_backward_prev]
    return dh_prev, dx_t
# --8<-- [end:step_backward]


# --8<-- [start:GRUCache]
@dataclass(eq=False)
class GRUCache:
    """What :func:`forward` keeps for :func:`backward_from`.

    Attributes
    ----------
    X : (T, k, B) ndarray
        The checked inputs.
    H : (T, d) or (T, d, B) ndarray
        Hidden states h_1 .. h_T, in the layout of the input X.
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_1 .. y_T, in the layout of the input X.
    steps : list of GRUStepCache
        ``steps[t - 1]`` is step t's cache.
    h0_shape : tuple
        The shape of ``h0``, which ``dh0`` takes.
    batched : bool
        Whether X had a batch axis; dX takes its layout.
    fingerprint : tuple
        ``params.fingerprint()`` of the parameters forward ran with.
    reset_after : bool
        Which variant ran (see :func:`step_forward`).
    """

    X: np.ndarray
    H: np.ndarray
    Y: np.ndarray
    steps: list
    h0_shape: tuple
    batched: bool
    fingerprint: tuple
    reset_after: bool

    @property
    def state_shapes(self):
        """The initial states' shapes, in order: ``(h0_shape,)``."""
        return (self.h0_shape,)
# --8<-- [end:GRUCache]


# --8<-- [start:forward]
def forward(params, X, h0=None, *, reset_after=True):
    """Run the GRU over whole sequences.

    Parameters
    ----------
    params : GRUParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step (as the lecture writes it), or a
        batch: ``X[t - 1]`` is the ``(k, B)`` matrix of the B sequences' x_t.
    h0 : (d,), (d, 1) or (d, B) array_like, optional
        Initial hidden state; zeros if omitted.
    reset_after : bool, optional
        PyTorch's variant (True, default) or Cho et al.'s (False); see
        :func:`step_forward`.

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, in the layout of ``X``.
    cache : GRUCache
        ``cache.H`` holds the hidden states, ``(T, d)`` or ``(T, d, B)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gru import init_params, forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])  # the lecture's input
    >>> Y.shape, cache.H.shape
    ((3, 4), (3, 3))
    """
    X, batched, (h0,), (h0_shape,) = start_forward(params, X, h0=h0)
    T, _, B = X.shape  # X (T, k, B); h0 (d, B)
    H = np.empty((T, params.d, B), params.dtype)
    Y = np.empty((T, params.k_out, B), params.dtype)
    steps = []
    # --8<-- [start:forward_loop]
    h_t = h0  # (d, B)
    for t in range(1, T + 1):
        h_t, Y[t - 1], cache_t = step_forward(params, X[t - 1], h_t,
                                              reset_after=reset_after)
        H[t - 1] = h_t
        steps.append(cache_t)
    # --8<-- [end:forward_loop]
    cache = GRUCache(X=X, H=unbatch(H, batched), Y=unbatch(Y, batched), steps=steps,
                     h0_shape=h0_shape, batched=batched, fingerprint=params.fingerprint(),
                     reset_after=bool(reset_after))
    return cache.Y, cache
# --8<-- [end:forward]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagation through time from gradients on the logits and/or the hidden states.

    Parameters
    ----------
    params : GRUParams
        The parameters ``forward`` ran with.
    cache : GRUCache
        From :func:`forward`.
    dZ : array_like, optional
        dL/dz_t for the logits z_t = W_Y h_t + b_y, in ``Y``'s layout
        ``(T, k_out)`` or ``(T, k_out, B)``; zeros if omitted.
    dH : array_like, optional
        dL/dh_t arriving from outside the network (a layer above, a loss on
        the states), in ``cache.H``'s layout; zeros if omitted.

    Returns
    -------
    grads : GRUParams
    dX : ndarray
        dL/dX, in the layout of the ``X`` given to ``forward``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gru import init_params, forward, backward_from
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dX, dh0 = backward_from(params, cache, dH=np.ones((3, 3)))
    >>> dX.shape, dh0.shape, float(np.abs(grads.W_Y).max())  # no gradient on the logits
    ((3, 4), (3,), 0.0)
    """
    dZ, dH = start_backward(params, cache, GRUCache, dZ, dH)  # (T, k_out, B), (T, d, B)
    T, _, B = dH.shape
    grads = params.zeros_like()
    dX = np.empty((T, params.k, B), params.dtype)
    # --8<-- [start:backward_loop]
    dh_next = np.zeros((params.d, B), params.dtype)  # nothing flows back from after step T
    for t in range(T, 0, -1):  # t = T, ..., 1
        # dL/dh_t apart from y_t: via h_{t+1}, plus what a layer above sends
        dh_next, dX[t - 1] = step_backward(params, dZ[t - 1], dh_next + dH[t - 1],
                                           cache.steps[t - 1], grads)
    dh0 = dh_next  # (d, B)  what flows out of step 1 is dL/dh_0
    # --8<-- [end:backward_loop]
    return grads, *finish_backward(dX, cache, dh0)
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation through time for the cross-entropy of ``forward``'s Y.

    Parameters
    ----------
    params : GRUParams
        The parameters ``forward`` ran with.
    cache : GRUCache
        From :func:`forward`.
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``; see :func:`rnn_book.losses.cross_entropy`.

    Returns
    -------
    grads : GRUParams
        dL/dW_xh_r, ..., dL/db_hh_g, dL/dW_Y, dL/db_y, shaped like ``params``.
    dh0 : ndarray
        dL/dh_0, shaped like the ``h0`` given to ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gru import init_params, forward, backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> grads, dh0 = backward(params, cache, [1, 2, 3])
    >>> grads.W_xh_r.shape, dh0.shape
    ((3, 4), (3,))
    """
    params.validate()
    check_cache(cache, GRUCache, params, params.fingerprint())  # before reading cache.Y
    dZ = softmax_cross_entropy_grad(cache.Y, Y_true)  # dL/dz_t = y_t - onehot_t
    grads, _, dh0 = backward_from(params, cache, dZ=dZ)  # dL/dX: not needed here
    return grads, dh0
# --8<-- [end:backward]
