"""Deep and bidirectional networks: layers of any cell, one output layer on top.

Layer 1 reads the inputs x_t; layer n > 1 reads layer n-1's hidden states.
A bidirectional layer runs its cell twice, forward in time and reversed in
time, and its output at step t is the two hidden states side by side:
h_t = [h_t(forward); h_t(reverse)], ``(2d, B)``. The output layer reads the
top layer: y_t = softmax(W_Y h_t + b_y).

Nothing here knows the cell's equations: forward calls the cell's
``forward`` (with ``k_out = 0``, no output layer of its own), backward its
``backward_from(params, cache, dH=...)``, which returns dL/dX, the gradient
the layer below needs. ``fast=True`` runs the same code over the fast cells.
Shapes: k inputs, d hidden units per layer and direction, D directions,
N layers, T steps, B sequences as columns.
"""

from dataclasses import dataclass

import numpy as np

from rnn_book import lstm, rnn
from rnn_book import fast as fast_cells
from rnn_book.activations import softmax
from rnn_book.checks import as_numeric, as_sequence, check_shape, unbatch
from rnn_book.losses import softmax_cross_entropy_grad
from rnn_book.stack_params import HEAD, StackParams, init_params, layer_prefix

__all__ = ["StackParams", "StackCache", "init_params", "cell_module", "forward",
           "backward_from", "backward"]

_READABLE = {"rnn": rnn, "lstm": lstm}
_FAST = {"rnn": fast_cells.rnn, "lstm": fast_cells.lstm}
try:  # the GRU, where the package has it
    from rnn_book import gru
    from rnn_book.fast import gru as fast_gru
except ImportError:  # pragma: no cover - a package without the GRU
    pass
else:
    _READABLE["gru"], _FAST["gru"] = gru, fast_gru


def cell_module(cell, fast=False):
    """The module that runs one layer of ``cell``: readable, or the fast path.

    Examples
    --------
    >>> from rnn_book.stack import cell_module
    >>> cell_module("lstm").__name__, cell_module("rnn", fast=True).__name__
    ('rnn_book.lstm', 'rnn_book.fast.rnn')
    """
    modules = _FAST if fast else _READABLE
    if cell not in modules:
        raise ValueError(f"cell must be one of {sorted(modules)}; got {cell!r}")
    return modules[cell]


# --8<-- [start:StackCache]
@dataclass(eq=False)
class StackCache:
    """What :func:`forward` keeps for :func:`backward_from`.

    Attributes
    ----------
    H : (T, D d) or (T, D d, B) ndarray
        The top layer's hidden states, both directions side by side, in the
        layout of the input X.
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, in the layout of X.
    h_n : (N D, d) or (N D, d, B) ndarray
        Each layer's and direction's last hidden state (the reversed
        direction's is at step 1), in the order l0, l0_reverse, l1, ...
    c_n : same as h_n, or None
        The LSTM's last cell states; None for the other cells.
    layers : list of tuple
        ``layers[n][r]``: the cache of layer n's cell in direction r.
    module : module
        The cell module that ran (readable or fast).
    batched : bool
        Whether X had a batch axis.
    state_shapes : tuple
        The shapes of ``h0`` (and ``c0``), which their gradients take.
    """

    H: np.ndarray
    Y: np.ndarray
    h_n: np.ndarray
    c_n: object
    layers: list
    module: object
    batched: bool
    state_shapes: tuple
# --8<-- [end:StackCache]


def _start_states(params, states, B, batched):
    """Each initial state as ``(N D, d, B)`` (zeros if None), and the caller's shape."""
    LD, d = params.n_layers * params.directions, params.d
    checked = []
    for name, s0 in states.items():
        if s0 is None:
            checked.append((np.zeros((LD, d, B), params.dtype), (LD, d, B) if batched else (LD, d)))
            continue
        s0 = as_numeric(name, s0, params.dtype)
        form = ("N D", "d", "B") if batched else ("N D", "d")
        check_shape(name, s0, form, **{"N D": LD, "d": d, "B": B})
        checked.append((s0 if batched else s0[:, :, None], s0.shape))
    return [s for s, _ in checked], tuple(shape for _, shape in checked)


def _check_params(params):
    if not isinstance(params, StackParams):
        raise TypeError(f"params must be a StackParams (see rnn_book.stack.init_params); "
                        f"got {type(params).__name__}")
    params.validate(layers=False)  # each layer's cell checks its own arrays


# --8<-- [start:forward]
def forward(params, X, h0=None, c0=None, *, fast=False):
    """Run the stack over whole sequences: every layer, both directions, then the outputs.

    Parameters
    ----------
    params : StackParams
    X : (T, k) or (T, k, B) array_like
        One sequence, one row x_t per step, or a batch with ``X[t]`` of shape (k, B).
    h0 : (N D, d) or (N D, d, B) array_like, optional
        Initial hidden states, one per layer and direction in the order l0,
        l0_reverse, l1, ... (PyTorch's ``h_0``); zeros if omitted. The
        reversed direction starts at step T.
    c0 : like h0, optional
        The LSTM's initial cell states; only for an LSTM stack.
    fast : bool, optional
        Run the layers with the fast cells (same results to rounding).

    Returns
    -------
    Y : (T, k_out) or (T, k_out, B) ndarray
        Softmax outputs y_t, in the layout of ``X``.
    cache : StackCache

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book import stack
    >>> params = stack.init_params("lstm", k=4, d=3, layers=2, bidirectional=True, rng=0)
    >>> Y, cache = stack.forward(params, np.eye(4)[[0, 1, 2]])
    >>> Y.shape, cache.H.shape, cache.h_n.shape  # H: both directions, (T, 2d)
    ((3, 4), (3, 6), (4, 3))
    """
    _check_params(params)
    if c0 is not None and params.cell != "lstm":
        raise ValueError(f"c0 is the LSTM's cell state; a {params.cell} stack has none")
    module = cell_module(params.cell, fast)
    X, batched = as_sequence("X", X, "k", params.k, params.dtype)  # (T, k, B)
    T, _, B = X.shape
    names = {"h0": h0, "c0": c0} if params.cell == "lstm" else {"h0": h0}
    states, state_shapes = _start_states(params, names, B, batched)  # each (N D, d, B)
    d, D = params.d, params.directions
    finals = [np.empty_like(s) for s in states]  # h_n (and c_n), (N D, d, B)
    caches = []
    # --8<-- [start:forward_layers]
    inputs = X  # (T, k, B)  what layer 0 reads
    for n, layer in enumerate(params.layers):
        H = np.empty((T, D * d, B), params.dtype)  # this layer's outputs, both directions
        layer_caches = []
        for r, layer_params in enumerate(layer):  # r = 0 forward in time, r = 1 reversed
            i = n * D + r  # this layer and direction's row of h0, h_n
            X_r = inputs if r == 0 else inputs[::-1]  # reversed: x_T first
            _, cache = module.forward(layer_params, X_r, *(s[i] for s in states))
            H_r = cache.H if r == 0 else cache.H[::-1]  # (T, d, B)  back in time order
            H[:, r * d:(r + 1) * d] = H_r  # [h_t(forward); h_t(reverse)]
            for final, last in zip(finals, (cache.H, getattr(cache, "C", None))):
                final[i] = last[-1]  # the direction's last step
            layer_caches.append(cache)
        caches.append(tuple(layer_caches))
        inputs = H  # (T, D d, B)  the next layer reads these
    # --8<-- [end:forward_layers]
    # --8<-- [start:forward_output]
    Z = params.W_Y @ H + params.b_y  # (T, k_out, B)  z_t = W_Y h_t + b_y, every t
    Y = softmax(Z, axis=1)  # (T, k_out, B)
    # --8<-- [end:forward_output]
    cache = StackCache(H=unbatch(H, batched), Y=unbatch(Y, batched),
                       h_n=unbatch(finals[0], batched),
                       c_n=unbatch(finals[1], batched) if len(finals) > 1 else None,
                       layers=caches, module=module, batched=batched,
                       state_shapes=state_shapes)
    return cache.Y, cache
# --8<-- [end:forward]


def _start_backward(params, cache, dZ, dH):
    """Check the cache and the gradients; return dZ (T, k_out, B) and dH (T, D d, B)."""
    _check_params(params)
    if not isinstance(cache, StackCache):
        raise TypeError("cache must be the rnn_book.stack.StackCache returned by "
                        f"rnn_book.stack.forward; got {type(cache).__module__}."
                        f"{type(cache).__qualname__}")
    shape = (len(cache.layers), len(cache.layers[0]), cache.H.shape[1], cache.Y.shape[1])
    if shape != (params.n_layers, params.directions, params.directions * params.d, params.k_out):
        raise ValueError(f"cache comes from a stack with (N, D, D d, k_out) = {shape}; params "
                         f"have {(params.n_layers, params.directions, params.directions * params.d, params.k_out)}")
    if dZ is None and dH is None:
        raise ValueError("give dZ (dL/dz_t on the outputs), dH (dL/dh_t on the top layer's "
                         "hidden states) or both; got neither")
    H = cache.H if cache.batched else cache.H[..., None]  # (T, D d, B)
    T, Dd, B = H.shape
    given = []
    for name, grad, size_name, size in (("dZ", dZ, "k_out", params.k_out), ("dH", dH, "D d", Dd)):
        if grad is None:
            given.append(np.zeros((T, size, B), params.dtype))
            continue
        grad = as_numeric(name, grad, params.dtype)
        form = ("T", size_name, "B") if cache.batched else ("T", size_name)
        check_shape(name, grad, form, T=T, B=B, **{size_name: size})
        given.append(grad if cache.batched else grad[..., None])
    return H, given[0], given[1]


# --8<-- [start:backward_from]
def backward_from(params, cache, *, dZ=None, dH=None):
    """Backpropagate through the output layer and every layer, from any loss's gradients.

    Parameters
    ----------
    params : StackParams
        The parameters ``forward`` ran with.
    cache : StackCache
        From :func:`forward`.
    dZ : (T, k_out) or (T, k_out, B) array_like, optional
        dL/dz_t for the logits z_t = W_Y h_t + b_y, in the layout of ``cache.Y``.
    dH : (T, D d) or (T, D d, B) array_like, optional
        dL/dh_t on the top layer's hidden states from elsewhere, in the
        layout of ``cache.H``. At least one of the two is needed.

    Returns
    -------
    grads : StackParams
        Every array's gradient, shaped like ``params``.
    dX : ndarray
        dL/dX, in the layout of ``X``.
    dh0 : ndarray
        dL/dh0, shaped like the ``h0`` given to forward ((N D, d[, B])).
    dc0 : ndarray
        dL/dc0 (LSTM stacks only).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book import stack
    >>> params = stack.init_params("rnn", k=4, d=3, layers=2, bidirectional=True, rng=0)
    >>> Y, cache = stack.forward(params, np.eye(4)[[0, 1, 2]])
    >>> grads, dX, dh0 = stack.backward_from(params, cache, dZ=np.ones((3, 4)))
    >>> grads.W_Y.shape, dX.shape, dh0.shape
    ((4, 6), (3, 4), (4, 3))
    """
    H, dZ, dH = _start_backward(params, cache, dZ, dH)
    d, D = params.d, params.directions
    grads = {}
    # --8<-- [start:backward_output]
    grads["W_Y"] = np.einsum("tob,tjb->oj", dZ, H)  # (k_out, D d)  sum_t dz_t h_t^T
    grads["b_y"] = dZ.sum(axis=(0, 2))[:, None]  # (k_out, 1)
    dH_layer = params.W_Y.T @ dZ + dH  # (T, D d, B)  dL/dh_t of the top layer
    # --8<-- [end:backward_output]
    d_states = None
    # --8<-- [start:backward_layers]
    for n in reversed(range(params.n_layers)):
        d_inputs = 0  # dL/d(this layer's inputs): a sum over the directions
        for r, layer_params in enumerate(params.layers[n]):
            dH_r = dH_layer[:, r * d:(r + 1) * d]  # (T, d, B)  this direction's share
            dH_r = dH_r if r == 0 else dH_r[::-1]  # in the order the cell ran
            g, dX_r, *ds = cache.module.backward_from(layer_params, cache.layers[n][r], dH=dH_r)
            d_inputs = d_inputs + (dX_r if r == 0 else dX_r[::-1])  # (T, k_n, B)
            grads.update({f"{layer_prefix(n, r)}.{name}": value.copy()
                          for name, value in g.items() if name not in HEAD})
            if d_states is None:
                d_states = [np.empty((params.n_layers * D,) + s.shape, s.dtype) for s in ds]
            for d_state, s in zip(d_states, ds):
                d_state[n * D + r] = s  # (d, B)
        dH_layer = d_inputs  # the layer below's dL/dh_t
    # --8<-- [end:backward_layers]
    dX = unbatch(dH_layer, cache.batched)
    return (StackParams(**grads), dX,
            *(s.reshape(shape) for s, shape in zip(d_states, cache.state_shapes)))
# --8<-- [end:backward_from]


# --8<-- [start:backward]
def backward(params, cache, Y_true):
    """Backpropagation for the cross-entropy of ``forward``'s Y: the cells' contract.

    Parameters
    ----------
    params : StackParams
    cache : StackCache
    Y_true : array_like
        One-hot targets with ``Y``'s shape, or integer class indices
        ``(T,)`` / ``(T, B)``.

    Returns
    -------
    grads : StackParams
    dh0 : ndarray
    dc0 : ndarray
        LSTM stacks only.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book import stack
    >>> params = stack.init_params("rnn", k=4, d=3, layers=2, rng=0)
    >>> Y, cache = stack.forward(params, np.eye(4)[[0, 1, 2]])
    >>> grads, dh0 = stack.backward(params, cache, [1, 2, 3])
    >>> grads.layers[1][0].W_H.shape, dh0.shape
    ((3, 3), (2, 3))
    """
    dZ = softmax_cross_entropy_grad(cache.Y, Y_true) if isinstance(cache, StackCache) else None
    grads, _, *d_states = backward_from(params, cache, dZ=dZ)
    return (grads, *d_states)
# --8<-- [end:backward]
