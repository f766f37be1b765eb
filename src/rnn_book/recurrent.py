"""What every recurrent model does around its cell, before its time loops.

``start_forward`` checks the parameters, the sequence and the initial states;
``start_backward`` checks that the cache fits the parameters and the
gradients that come from a loss (dL/dz_t) or from a layer above (dL/dh_t);
``finish_backward`` gives dL/dX and the states' gradients back in the caller's
layout. None depends on the cell, so the simple RNN, the LSTM and the GRU
share them; each model's own module keeps its loops and its math.
"""

import numpy as np

from rnn_book.checks import as_sequence, as_state, unbatch


# --8<-- [start:start_forward]
def start_forward(params, X, **states):
    """Check what a forward pass gets; return it in the time loop's layout.

    Parameters
    ----------
    params : RNNParams or LSTMParams
        Checked again: a field may have been replaced since they were made.
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step, or a batch of B columns per step.
    **states : (d,), (d, 1) or (d, B) array_like or None
        The initial states by name (``h0``, and ``c0`` for the LSTM); None
        means zeros.

    Returns
    -------
    X : (T, k, B) ndarray
        In the parameters' dtype, with ``B = 1`` for a single sequence.
    batched : bool
        False for a single sequence: results go back in its layout.
    states : list of (d, B) ndarray
        The initial states, in the order given.
    shapes : list of tuple
        The callers' shapes of the initial states, which their gradients take.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import init_params
    >>> from rnn_book.recurrent import start_forward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> X = np.eye(4)[:3]  # the lecture's input
    >>> X, batched, (h0,), (h0_shape,) = start_forward(params, X, h0=None)
    >>> X.shape, batched, h0.shape, h0_shape
    ((3, 4, 1), False, (3, 1), (3,))
    """
    params.validate()
    X, batched = as_sequence("X", X, "k", params.k, params.dtype)  # (T, k, B)
    B = X.shape[2]
    # each state as (d, B), and the caller's shape
    checked = [as_state(name, s0, params.d, B, batched, params.dtype)
               for name, s0 in states.items()]
    return (X, batched, [s0 for s0, _ in checked],
            [shape for _, shape in checked])
# --8<-- [end:start_forward]


def qualified_name(cls):
    """``rnn_book.rnn.RNNCache``: a class's module and name, so that the fast
    and the readable path's classes of the same name can be told apart."""
    return f"{cls.__module__}.{cls.__qualname__}"


# --8<-- [start:check_cache]
def check_cache(cache, cache_type, sizes, fingerprint):
    """Raise unless ``cache`` is a ``cache_type`` from a forward pass with these parameters.

    Parameters
    ----------
    cache : object
        What the caller passed as the cache.
    cache_type : type
        The class the module's ``forward`` returns.
    sizes : RNNParams, LSTMParams, or the fast path's Sizes
        The parameters' ``d`` and ``k_out``, already validated.
    fingerprint : tuple
        What ``cache.fingerprint`` must equal: ``params.fingerprint()``, or the
        sums the fast path has just checked.

    Raises
    ------
    TypeError
        If ``cache`` is of another class, named with its module (the fast and
        the readable path's caches share a name but not a contract).
    ValueError
        If the cache comes from parameters of other sizes, or of other values.
    """
    if not isinstance(cache, cache_type):
        raise TypeError(
            f"cache must be the {qualified_name(cache_type)} returned by "
            f"{cache_type.__module__}.forward; got {qualified_name(type(cache))}"
        )
    d, k_out = cache.H.shape[1], cache.Y.shape[1]  # (T, d[, B]), (T, k_out[, B])
    if (d, k_out) != (sizes.d, sizes.k_out):
        raise ValueError(
            f"cache comes from a network with (d, k_out) = ({d}, {k_out}); "
            f"params have (d, k_out) = ({sizes.d}, {sizes.k_out})"
        )
    if cache.fingerprint != fingerprint:
        raise ValueError(
            "cache was computed with other parameter values than params "
            "(changed since forward, or another set of the same shapes); "
            "run forward again with these params"
        )
# --8<-- [end:check_cache]


# --8<-- [start:start_backward]
def start_backward(params, cache, cache_type, dZ=None, dH=None):
    """Check what a backward pass gets; return the gradients it starts from.

    Parameters
    ----------
    params : RNNParams or LSTMParams
        The parameters ``forward`` ran with.
    cache : RNNCache or LSTMCache
        From ``forward``.
    cache_type : type
        The class ``cache`` must be (``RNNCache``, ``LSTMCache``).
    dZ : array_like, optional
        dL/dz_t for the logits z_t = W_Y h_t + b_y, in the layout of
        ``cache.Y``; zeros if omitted.
    dH : array_like, optional
        dL/dh_t from outside the cell (a layer above), in the layout of
        ``cache.H``; zeros if omitted. At least one of the two is needed.

    Returns
    -------
    dZ : (T, k_out, B) ndarray
    dH : (T, d, B) ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import RNNCache, forward, init_params
    >>> from rnn_book.recurrent import start_backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> dZ, dH = start_backward(params, cache, RNNCache, dZ=np.ones((3, 4)))
    >>> dZ.shape, dH.shape, float(abs(dH).sum())
    ((3, 4, 1), (3, 3, 1), 0.0)
    """
    params.validate()
    check_cache(cache, cache_type, params, params.fingerprint())
    dZ, dH = check_gradients(cache, params, dZ, dH)
    T, _, B = cache.X.shape  # the checked inputs, (T, k, B)
    return (np.zeros((T, params.k_out, B), params.dtype) if dZ is None else dZ,
            np.zeros((T, params.d, B), params.dtype) if dH is None else dH)
# --8<-- [end:start_backward]


def check_gradients(cache, sizes, dZ, dH):
    """Check the gradients a backward pass starts from; return them as (T, n, B) or None.

    Parameters
    ----------
    cache : a forward pass's cache
        Its ``X`` (T, k, B) and ``batched`` fix the shapes the gradients must have.
    sizes : RNNParams, LSTMParams, or anything with ``d``, ``k_out`` and ``dtype``
    dZ, dH : array_like or None
        dL/dz_t in the layout of ``cache.Y``; dL/dh_t in the layout of ``cache.H``.

    Returns
    -------
    dZ : (T, k_out, B) ndarray or None
    dH : (T, d, B) ndarray or None
    """
    if dZ is None and dH is None:
        raise ValueError("give dZ (dL/dz_t on the outputs), dH (dL/dh_t from "
                         "outside the cell) or both; got neither")
    T, _, B = cache.X.shape
    checked = []
    for name, grad, size_name, size in (("dZ", dZ, "k_out", sizes.k_out),
                                        ("dH", dH, "d", sizes.d)):
        if grad is not None:
            expected = (T, size, B) if cache.batched else (T, size)
            if np.shape(grad) != expected:
                form = "(T, {0}, B)" if cache.batched else "(T, {0})"
                raise ValueError(f"{name} must have the forward pass's shape "
                                 f"{form.format(size_name)} = {expected}; got {np.shape(grad)}")
            grad, _ = as_sequence(name, grad, size_name, size, sizes.dtype)
        checked.append(grad)
    return tuple(checked)


# --8<-- [start:finish_backward]
def finish_backward(dX, cache, *d_states):
    """dL/dX in the input's layout and each dL/d(initial state) in its shape.

    Parameters
    ----------
    dX : (T, k, B) ndarray
    cache : RNNCache or LSTMCache
        Records the layout and the initial states' shapes.
    *d_states : (d, B) ndarray
        dL/dh_0 (and dL/dc_0), in the order of ``cache.state_shapes``.

    Returns
    -------
    dX : ndarray
        ``(T, k)`` or ``(T, k, B)``, like the ``X`` given to forward.
    *d_states : ndarray
        Each shaped like the initial state given to forward.
    """
    return (unbatch(dX, cache.batched),
            *(ds.reshape(shape) for ds, shape in zip(d_states, cache.state_shapes)))
# --8<-- [end:finish_backward]
