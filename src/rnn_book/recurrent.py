"""What every recurrent model does around its cell, before its time loops.

``forward`` checks the parameters, the sequence and the initial states;
``backward`` checks that the cache fits the parameters and turns the targets
into dL/dz_t for every step. Neither depends on the cell, so the simple RNN
and the LSTM share them; each model's own module keeps its loops and its math.
"""

from rnn_book.checks import as_sequence, as_state
from rnn_book.losses import softmax_cross_entropy_grad


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


# --8<-- [start:start_backward]
def start_backward(params, cache, cache_type, Y_true):
    """Check what a backward pass gets; return dL/dz_t for every step.

    Parameters
    ----------
    params : RNNParams or LSTMParams
        The parameters ``forward`` ran with.
    cache : RNNCache or LSTMCache
        From ``forward``; its last step cache ends with h_t.
    cache_type : type
        The class ``cache`` must be (``RNNCache``, ``LSTMCache``).
    Y_true : array_like
        One-hot targets with ``cache.Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``; see :func:`rnn_book.losses.cross_entropy`.

    Returns
    -------
    dZ : (T, k_out, B) ndarray
        dL/dz_t for the logits z_t = W_Y h_t + b_y of every step.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.rnn import RNNCache, forward, init_params
    >>> from rnn_book.recurrent import start_backward
    >>> params = init_params(k=4, d=3, rng=0)
    >>> Y, cache = forward(params, np.eye(4)[:3])
    >>> start_backward(params, cache, RNNCache, [1, 2, 3]).shape
    (3, 4, 1)
    """
    params.validate()
    if not isinstance(cache, cache_type):
        raise TypeError(f"cache must be the {cache_type.__name__} "
                        f"returned by forward; got {type(cache).__name__}")
    d, B = cache.steps[0][-1].shape  # h_1
    if (d, cache.Y.shape[1]) != (params.d, params.k_out):
        raise ValueError(
            f"cache comes from a network with (d, k_out) = "
            f"({d}, {cache.Y.shape[1]}); "
            f"params have (d, k_out) = ({params.d}, {params.k_out})"
        )
    dZ = softmax_cross_entropy_grad(cache.Y, Y_true)  # dL/dz_t for every step t
    return dZ.reshape(-1, params.k_out, B)  # (T, k_out, B)
# --8<-- [end:start_backward]
