"""How gradients travel back in time: measuring them, and clipping them.

The measurements put the loss on the last step only, L = L_T, so that the
distance from the loss to a state h_t is exactly T - t steps; they return the
norm of the total gradient dL/dh_t (and dL/dc_t for the LSTM) at every distance.
``clip_by_global_norm`` is the remedy for gradients that explode.
"""

import numpy as np

from rnn_book import fast, lstm, rnn
from rnn_book.activations import tanh_grad
from rnn_book.checks import as_sequence
from rnn_book.losses import cross_entropy, softmax_cross_entropy_grad

__all__ = ["last_step_loss_and_grads", "spectral_radius", "scale_spectral_radius", "rnn_jacobian",
           "state_gradients", "rnn_state_gradient_norms", "lstm_state_gradient_norms",
           "lstm_cell_path_norms", "global_norm", "clip_by_global_norm"]


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
    """A simple-RNN step's local Jacobian ``dh_t/dh_{t-1} = diag(1 - h_t**2) W_H``.

    Parameters
    ----------
    params : RNNParams
    h_t : (d, 1) ndarray
        The hidden state that step t produced (one sequence).

    Returns
    -------
    J_t : (d, d) ndarray
        Entry (i, j) is ``d h_{t,i} / d h_{t-1,j}``.

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


def _model(params):
    """The readable module whose parameters these are."""
    return lstm if isinstance(params, lstm.LSTMParams) else rnn


def _fast_model(params):
    """The fast module (chapter 10) for these parameters: the same contract and results."""
    return fast.lstm if isinstance(params, lstm.LSTMParams) else fast.rnn


def _run_with_last_step_loss(params, X, target, *states):
    """Run forward; return its cache and dL_T/dz_t for every t, in Y's layout.

    Only the last step has a loss, so dL_T/dz_t is zero for every earlier step.
    """
    Y, cache = _model(params).forward(params, X, *states)
    dZ = np.zeros_like(Y)  # (T, k_out[, B])
    dZ[-1:] = softmax_cross_entropy_grad(Y[-1:], _last_target(X, target, params.k))
    return cache, dZ


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
    states = (h0, c0) if _model(params) is lstm else (h0,)
    cache, dZ = _run_with_last_step_loss(params, X, target, *states)
    grads = _model(params).backward_from(params, cache, dZ=dZ)[0]
    loss = cross_entropy(cache.Y[-1:], _last_target(X, target, params.k))
    return loss, grads


# --8<-- [start:state_gradients]
def state_gradients(params, X, target, *states):
    """dL/dh_t (and dL/dc_t) for L = L_T, at every distance s = T - t from the loss.

    Parameters
    ----------
    params : RNNParams or LSTMParams
    X : (T, k) or (T, k, B) array_like
    target : int or (B,) array_like of int
        The class index that the last step should predict (one per sequence).
    *states : array_like or None
        The initial states, as for ``forward``: ``h0`` (and ``c0``).

    Returns
    -------
    grads : list of tuple of (d, B) ndarray
        ``grads[s]`` holds ``dL/dh_{T-s}`` (and ``dL/dc_{T-s}``): ``grads[0]`` is for
        the last state, ``grads[T]`` for the initial state.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params
    >>> from rnn_book.gradient_flow import state_gradients
    >>> params = init_params(k=4, d=3, rng=0)
    >>> grads = state_gradients(params, np.eye(4)[[0, 1, 2]], 3, None)
    >>> len(grads), grads[3][0].shape  # h_3, h_2, h_1, h_0
    (4, (3,))
    """
    model = _fast_model(params)  # the tails run on the fast path: same numbers, T times over
    cache, dZ = _run_with_last_step_loss(params, X, target, *states)
    T = dZ.shape[0]
    # --8<-- [start:state_gradients_loop]
    inputs = cache.X if cache.batched else cache.X[:, :, 0]  # X, checked: (T, k[, B])
    grads = [_last_state_gradients(params, cache, dZ)]  # s = 0: h_T reaches L via y_T only
    for t in range(T - 1, -1, -1):  # s = T - t: the state h_t
        # Run steps t+1 .. T again, starting from h_t (and c_t): what backward_from
        # returns for that run's initial state is dL/dh_t (and dL/dc_t).
        start = states if t == 0 else _states_at(cache, t)
        _, tail = model.forward(params, inputs[t:], *start)
        d_start = [g.copy() for g in model.backward_from(params, tail, dZ=dZ[t:])[2:]]  # dL/dh_t[, dL/dc_t]
        grads.append(d_start if t == 0 else _through_h(cache, t, d_start))
    # --8<-- [end:state_gradients_loop]
    return grads
# --8<-- [end:state_gradients]


def _states_at(cache, t):
    """h_t (and c_t) from a forward pass's cache, t >= 1, in the layout of X."""
    if isinstance(cache, lstm.LSTMCache):
        return cache.H[t - 1], cache.C[t - 1]
    return (cache.H[t - 1],)


def _through_h(cache, t, d_start):
    """The LSTM's c_t also moves h_t = o_t tanh(c_t): add that path to dL/dc_t.

    A run started from (h_t, c_t) treats them as two free inputs; in the whole
    sequence h_t is made from c_t, so the total dL/dc_t has one more term.
    """
    if not isinstance(cache, lstm.LSTMCache):
        return d_start
    dh_t, dc_t = d_start
    step = cache.steps[t - 1]  # step t's cache, by name: (d, B) entries
    through_h = step.o_t * tanh_grad(step.tanh_c_t)
    return dh_t, dc_t + dh_t * (through_h if cache.batched else through_h[:, 0])


def _last_state_gradients(params, cache, dZ):
    """dL/dh_T = W_Y^T dz_T (and dL/dc_T = dL/dh_T * o_T * tanh'(c_T)), in X's layout."""
    dz_T = dZ[-1] if cache.batched else dZ[-1][:, None]  # (k_out, B)
    dh_T = params.W_Y.T @ dz_T  # (d, B)
    grads = (dh_T,)
    if isinstance(cache, lstm.LSTMCache):
        last = cache.steps[-1]  # step T's cache, by name
        grads += (dh_T * last.o_t * tanh_grad(last.tanh_c_t),)  # via h_T = o_T tanh(c_T)
    return tuple(g if cache.batched else g[:, 0] for g in grads)


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
        ``norms[s]`` is the norm of ``dL/dh_{T-s}``, the state s steps before
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
    return np.array([np.linalg.norm(dh) for (dh,) in state_gradients(params, X, target, h0)])
# --8<-- [end:rnn_state_gradient_norms]


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
        Entry s is the norm of the total ``dL/dh_{T-s}`` (resp. ``dL/dc_{T-s}``), the
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
    grads = state_gradients(params, X, target, h0, c0)
    return (np.array([np.linalg.norm(dh) for dh, _ in grads]),
            np.array([np.linalg.norm(dc) for _, dc in grads]))
# --8<-- [end:lstm_state_gradient_norms]


# --8<-- [start:lstm_cell_path_norms]
def lstm_cell_path_norms(params, X, target, h0=None, c0=None):
    """Norms of the part of dL/dc_t that came along the cell alone, for L = L_T.

    Along the cell, ``c_{t+1} = f_{t+1} * c_t + ...``, so that part is
    ``(f_{t+1} * f_{t+2} * ... * f_T) * dL/dc_T``: no weight matrix, no tanh'.

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
        Entry s for ``c_{T-s}``; entry 0 is the whole of ``dL/dc_T``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.lstm import init_params
    >>> from rnn_book.gradient_flow import lstm_cell_path_norms
    >>> params = init_params(k=4, d=3, rng=0)
    >>> lstm_cell_path_norms(params, np.eye(4)[[0, 1, 2]], target=3).shape
    (4,)
    """
    cache, dZ = _run_with_last_step_loss(params, X, target, h0, c0)
    T = dZ.shape[0]
    dz_T = dZ[-1] if cache.batched else dZ[-1][:, None]  # (k_out, B)
    last = cache.steps[-1]  # step T's cache, by name
    dc = (params.W_Y.T @ dz_T) * last.o_t * tanh_grad(last.tanh_c_t)  # (d, B)  dL/dc_T
    norms = np.empty(T + 1)
    norms[0] = np.linalg.norm(dc)
    for s in range(1, T + 1):
        f_next = cache.steps[T - s].f_t  # f_{T-s+1}, step T-s+1's forget gate
        dc = f_next * dc  # (d, B)  dL/dc_{T-s} along the cell alone
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
