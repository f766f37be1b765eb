"""How gradients travel back in time: measuring them, and clipping them.

The measurements put the loss on the last step only, L = L_T, so that the
distance from the loss to a state h_t is exactly T - t steps; they return the
norm of the total gradient dL/dh_t (and dL/dc_t for the LSTM) at every distance.
``clip_by_global_norm`` is the remedy for gradients that explode.
"""

import numpy as np

from rnn_book import lstm, rnn
from rnn_book.activations import tanh_grad
from rnn_book.checks import as_sequence
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad

__all__ = ["last_step_loss_and_grads", "spectral_radius", "scale_spectral_radius", "rnn_jacobian",
           "rnn_state_gradient_norms", "lstm_step_cache", "lstm_state_gradient_norms",
           "lstm_cell_path_norms",
           "global_norm", "clip_by_global_norm"]


# --8<-- [start:scale_spectral_radius]
def spectral_radius(W):
    """The largest absolute value of an eigenvalue of the square matrix ``W``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradient_flow import spectral_radius
    >>> spectral_radius(np.array([[0.0, 2.0], [0.5, 0.0]]))  # eigenvalues +-1
    1.0
    """
    return float(np.abs(np.linalg.eigvals(W)).max())


def scale_spectral_radius(W, rho):
    """``W`` times a number, so that its spectral radius is ``rho``.

    Parameters
    ----------
    W : (d, d) ndarray
        A square matrix with a nonzero eigenvalue, e.g. ``params.W_H``.
    rho : float
        The spectral radius wanted.

    Returns
    -------
    W_scaled : (d, d) ndarray
        ``W * rho / spectral_radius(W)``: the same eigenvectors, every
        eigenvalue scaled by the same factor.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradient_flow import (scale_spectral_radius,
    ...                                     spectral_radius)
    >>> W = np.random.default_rng(0).standard_normal((4, 4))
    >>> round(spectral_radius(scale_spectral_radius(W, 0.9)), 12)
    0.9
    """
    return W * (rho / spectral_radius(W))
# --8<-- [end:scale_spectral_radius]


# --8<-- [start:rnn_jacobian]
def rnn_jacobian(params, h_t):
    """A simple-RNN step's local Jacobian dh_t/dh_{t-1} = diag(1 - h_t**2) W_H.

    Parameters
    ----------
    params : RNNParams
    h_t : (d, 1) ndarray
        The hidden state that step t produced (one sequence).

    Returns
    -------
    J_t : (d, d) ndarray
        Entry (i, j) is d h_{t,i} / d h_{t-1,j}.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params
    >>> from rnn_book.gradient_flow import rnn_jacobian
    >>> params = init_params(k=4, d=3, rng=0)
    >>> rnn_jacobian(params, np.zeros((3, 1))).shape  # at h_t = 0: W_H itself
    (3, 3)
    """
    # --8<-- [start:rnn_jacobian_math]
    # (d, 1) * (d, d): row i of W_H times 1 - h_{t,i}**2
    J_t = tanh_grad(h_t) * params.W_H  # (d, d)
    # --8<-- [end:rnn_jacobian_math]
    return J_t
# --8<-- [end:rnn_jacobian]


def _last_target(X, target, k):
    """The last step's class indices as the (1,) or (1, B) array cross-entropy takes."""
    _, batched = as_sequence("X", X, "k", k)
    return np.asarray(target).reshape((1, -1) if batched else (1,))


def _run_with_last_step_loss(model, params, X, target, *states):
    """Run ``model.forward``; return its cache and dL_T/dz_t for every t, (T, k_out, B).

    Only the last step has a loss, so dL_T/dz_t is zero for every earlier step.
    """
    Y, cache = model.forward(params, X, *states)
    dz_T = softmax_cross_entropy_grad(Y[-1:], _last_target(X, target, params.k))  # (1, k_out[, B])
    dZ = np.zeros((Y.shape[0],) + dz_T.shape[1:], Y.dtype)
    dZ[-1] = dz_T[0]
    return cache, dZ.reshape(Y.shape[0], params.k_out, -1)  # (T, k_out, B)


def last_step_loss_and_grads(params, X, target, h0=None, c0=None):
    """L = L_T, the cross-entropy of the last step alone, and its gradients.

    Parameters
    ----------
    params : RNNParams or LSTMParams
    X : (T, k) or (T, k, B) array_like
    target : int or (B,) array_like of int
        The class index the last step should predict (one per sequence).
    h0 : array_like, optional
        Initial hidden state.
    c0 : array_like, optional
        Initial cell state (LSTM only).

    Returns
    -------
    loss : float
    grads : RNNParams or LSTMParams
        dL_T/dparams, shaped like ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params
    >>> from rnn_book.gradient_flow import last_step_loss_and_grads
    >>> params = init_params(k=4, d=3, rng=0)
    >>> loss, grads = last_step_loss_and_grads(params, np.eye(4)[[0, 1, 2]], target=3)
    >>> round(loss, 4), grads.W_H.shape
    (1.7321, (3, 3))
    """
    is_lstm = isinstance(params, lstm.LSTMParams)
    states = (h0, c0) if is_lstm else (h0,)
    cache, dZ = _run_with_last_step_loss(lstm if is_lstm else rnn, params, X, target, *states)
    grads = params.zeros_like()
    d_states = [np.zeros((params.d, dZ.shape[2]))] * len(states)  # dh_next (and dc_next)
    for t in reversed(range(dZ.shape[0])):
        if is_lstm:
            d_states = lstm.step_backward(params, dZ[t], *d_states, cache.steps[t], grads)
        else:
            d_states = [rnn.step_backward(params, dZ[t], *d_states, cache.steps[t], grads)]
    loss = cross_entropy(cache.Y[-1:], _last_target(X, target, params.k))
    return loss, grads


# --8<-- [start:rnn_state_gradient_norms]
def rnn_state_gradient_norms(params, X, target, h0=None):
    """Norms of dL/dh_t at every distance, for L = L_T (the last step's loss).

    Parameters
    ----------
    params : RNNParams
    X : (T, k) or (T, k, B) array_like
        The inputs, as for :func:`rnn_book.rnn.forward`.
    target : int or (B,) array_like of int
        The class index that the last step should predict (one per sequence).
    h0 : array_like, optional
        Initial hidden state, as for ``forward``.

    Returns
    -------
    norms : (T + 1,) ndarray
        ``norms[s]`` is the norm of dL/dh_{T-s}, the state s steps before
        the loss (over the whole (d, B) array); ``norms[T]`` is for h_0.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params
    >>> from rnn_book.gradient_flow import rnn_state_gradient_norms
    >>> params = init_params(k=4, d=3, rng=0)
    >>> norms = rnn_state_gradient_norms(params, np.eye(4)[[0, 1, 2]], target=3)
    >>> norms.shape  # distances 0, 1, 2, 3: h_3, h_2, h_1, h_0
    (4,)
    """
    cache, dZ = _run_with_last_step_loss(
        rnn, params, X, target, h0)  # dZ: (T, k_out, B)
    T, B = dZ.shape[0], dZ.shape[2]
    grads = params.zeros_like()
    norms = np.empty(T + 1)
    # --8<-- [start:rnn_state_gradient_norms_loop]
    dh_next = np.zeros((params.d, B))  # (d, B)
    for t in reversed(range(T)):  # code index t is the math's step t + 1
        dh_t = params.W_Y.T @ dZ[t] + dh_next  # (d, B)  dL/dh_t via both paths
        norms[T - 1 - t] = np.linalg.norm(dh_t)
        dh_next = rnn.step_backward(params, dZ[t], dh_next,
                                    cache.steps[t], grads)
    norms[T] = np.linalg.norm(dh_next)  # dL/dh_0
    # --8<-- [end:rnn_state_gradient_norms_loop]
    return norms
# --8<-- [end:rnn_state_gradient_norms]


# --8<-- [start:lstm_step_cache]
# --8<-- [start:lstm_step_cache_order]
# the order of the cache tuple that lstm.step_forward returns (chapter 6)
LSTM_STEP_CACHE = ("x_t", "h_prev", "c_prev", "f_t", "i_t", "o_t", "g_t",
                   "tanh_c_t", "h_t")
# --8<-- [end:lstm_step_cache_order]


def lstm_step_cache(step):
    """One LSTM step's cache tuple as a dict, so that entries are read by name.

    Parameters
    ----------
    step : tuple
        The cache of :func:`rnn_book.lstm.step_forward`, e.g. ``cache.steps[t]``
        of :func:`rnn_book.lstm.forward`.

    Returns
    -------
    named : dict
        ``LSTM_STEP_CACHE`` names to arrays: ``named["f_t"]`` is the forget gate.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params, step_forward
    >>> from rnn_book.gradient_flow import lstm_step_cache
    >>> params = init_params(k=4, d=3, rng=0)
    >>> zeros = np.zeros((3, 1))
    >>> *_, cache = step_forward(params, np.eye(4)[:, :1], zeros, zeros)
    >>> list(lstm_step_cache(cache))[3:7], lstm_step_cache(cache)["f_t"].shape
    (['f_t', 'i_t', 'o_t', 'g_t'], (3, 1))
    """
    return dict(zip(LSTM_STEP_CACHE, step, strict=True))
# --8<-- [end:lstm_step_cache]


# --8<-- [start:lstm_state_gradient_norms]
def lstm_state_gradient_norms(params, X, target, h0=None, c0=None):
    """Norms of dL/dh_t and dL/dc_t for L = L_T, the last step's cross-entropy.

    Parameters
    ----------
    params : LSTMParams
    X : (T, k) or (T, k, B) array_like
        The inputs, as for :func:`rnn_book.lstm.forward`.
    target : int or (B,) array_like of int
        The class index that the last step should predict (one per sequence).
    h0, c0 : array_like, optional
        Initial states, as for ``forward``.

    Returns
    -------
    dh_norms, dc_norms : (T + 1,) ndarray
        Entry s is the norm of the total dL/dh_{T-s} (resp. dL/dc_{T-s}), the
        state s steps before the loss; entry T is for h_0 (resp. c_0).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params
    >>> from rnn_book.gradient_flow import lstm_state_gradient_norms
    >>> params = init_params(k=4, d=3, rng=0)
    >>> X = np.eye(4)[[0, 1, 2]]  # symbols 0, 1, 2 as one-hot rows
    >>> dh, dc = lstm_state_gradient_norms(params, X, target=3)
    >>> dh.shape, dc.shape
    ((4,), (4,))
    """
    cache, dZ = _run_with_last_step_loss(
        lstm, params, X, target, h0, c0)  # dZ: (T, k_out, B)
    T, B = dZ.shape[0], dZ.shape[2]
    grads = params.zeros_like()
    dh_norms, dc_norms = np.empty(T + 1), np.empty(T + 1)
    # --8<-- [start:lstm_state_gradient_norms_loop]
    dh_next = np.zeros((params.d, B))  # (d, B)
    dc_next = np.zeros((params.d, B))  # (d, B)
    for t in reversed(range(T)):
        step = lstm_step_cache(cache.steps[t])  # o_t, tanh_c_t, ... by name
        o_t, tanh_c_t = step["o_t"], step["tanh_c_t"]  # (d, B) each
        # the total dL/dh_t and dL/dc_t, every path added
        dh_t = params.W_Y.T @ dZ[t] + dh_next  # (d, B)
        dc_t = dh_t * o_t * tanh_grad(tanh_c_t) + dc_next  # (d, B)
        dh_norms[T - 1 - t] = np.linalg.norm(dh_t)
        dc_norms[T - 1 - t] = np.linalg.norm(dc_t)
        dh_next, dc_next = lstm.step_backward(params, dZ[t], dh_next, dc_next,
                                              cache.steps[t], grads)
    dh_norms[T] = np.linalg.norm(dh_next)  # dL/dh_0
    dc_norms[T] = np.linalg.norm(dc_next)  # dL/dc_0
    # --8<-- [end:lstm_state_gradient_norms_loop]
    return dh_norms, dc_norms
# --8<-- [end:lstm_state_gradient_norms]


# --8<-- [start:lstm_cell_path_norms]
def lstm_cell_path_norms(params, X, target, h0=None, c0=None):
    """Norms of the part of dL/dc_t that came along the cell alone, for L = L_T.

    Along the cell, c_{t+1} = f_{t+1} * c_t + ..., so that part is
    (f_{t+1} * f_{t+2} * ... * f_T) * dL/dc_T: no weight matrix, no tanh'.

    Parameters
    ----------
    params : LSTMParams
    X : (T, k) or (T, k, B) array_like
    target : int or (B,) array_like of int
    h0, c0 : array_like, optional
        As for :func:`lstm_state_gradient_norms`.

    Returns
    -------
    norms : (T + 1,) ndarray
        Entry s for c_{T-s}; entry 0 is the whole of dL/dc_T.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params
    >>> from rnn_book.gradient_flow import lstm_cell_path_norms
    >>> params = init_params(k=4, d=3, rng=0)
    >>> lstm_cell_path_norms(params, np.eye(4)[[0, 1, 2]], target=3).shape
    (4,)
    """
    cache, dZ = _run_with_last_step_loss(
        lstm, params, X, target, h0, c0)  # dZ: (T, k_out, B)
    T = dZ.shape[0]
    last = lstm_step_cache(cache.steps[-1])
    o_T, tanh_c_T = last["o_t"], last["tanh_c_t"]  # (d, B) each
    dc = (params.W_Y.T @ dZ[-1]) * o_T * tanh_grad(tanh_c_T)  # (d, B)  dL/dc_T
    norms = np.empty(T + 1)
    norms[0] = np.linalg.norm(dc)
    for s in range(1, T + 1):
        # step T - s + 1 (code index T - s) is the one after c_{T-s}
        f_next = lstm_step_cache(cache.steps[T - s])["f_t"]  # f_{T-s+1}
        dc = f_next * dc  # (d, B)
        norms[s] = np.linalg.norm(dc)
    return norms
# --8<-- [end:lstm_cell_path_norms]


# --8<-- [start:global_norm]
def global_norm(grads):
    """The norm of all gradients together, as if they were one long vector.

    Parameters
    ----------
    grads : RNNParams, LSTMParams or dict
        Anything with ``items()`` giving ``(name, array)`` pairs.

    Returns
    -------
    norm : float
        sqrt(sum over every array of the sum of its squared entries).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradient_flow import global_norm
    >>> global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])})
    5.0
    """
    return float(np.sqrt(sum(np.sum(np.square(g)) for _, g in grads.items())))
# --8<-- [end:global_norm]


# --8<-- [start:clip_by_global_norm]
def clip_by_global_norm(grads, max_norm):
    """Scale all gradients by one factor: a global norm of at most ``max_norm``.

    Below the threshold nothing changes; above it every array is multiplied by
    ``max_norm / norm``, so the direction of the whole update is kept and only
    its length is cut. The input is never modified.

    Parameters
    ----------
    grads : RNNParams, LSTMParams or dict
        Anything with ``items()`` giving ``(name, array)`` pairs, whose type
        can be rebuilt from keyword arguments.
    max_norm : float
        The largest global norm allowed; positive.

    Returns
    -------
    clipped : same type as ``grads``
        New arrays (a copy even when nothing is clipped).
    norm : float
        The global norm before clipping, worth logging: a spike is an explosion.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.gradient_flow import clip_by_global_norm
    >>> grads = {"a": np.array([3.0]), "b": np.array([4.0])}
    >>> clipped, norm = clip_by_global_norm(grads, 1.0)
    >>> norm, clipped["a"].round(6), clipped["b"].round(6)
    (5.0, array([0.6]), array([0.8]))
    """
    max_norm = float(max_norm)
    if not (np.isfinite(max_norm) and max_norm > 0):
        raise ValueError(f"max_norm must be a positive finite number; "
                         f"got {max_norm!r}")
    # --8<-- [start:clip_by_global_norm_math]
    norm = global_norm(grads)
    # one factor for every array
    scale = max_norm / norm if norm > max_norm else 1.0
    clipped = type(grads)(**{name: g * scale for name, g in grads.items()})
    # --8<-- [end:clip_by_global_norm_math]
    return clipped, norm
# --8<-- [end:clip_by_global_norm]
