"""PyTorch interchange: our parameters from a PyTorch state dict, and back.

Torch-free: it reads and writes numpy arrays only. The state dict is that of a
model with two parts, ``rnn`` (``nn.RNN(nonlinearity="tanh")``, ``nn.LSTM`` or
``nn.GRU``, any ``num_layers``, ``bidirectional`` or not, ``batch_first=False``)
and ``linear`` (the ``nn.Linear`` on top), with every tensor as a numpy array:

    state = {name: tensor.detach().numpy() for name, tensor in model.state_dict().items()}
    # "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
    # ..., "rnn.weight_ih_l1_reverse", ..., "linear.weight", "linear.bias"

PyTorch's weight matrices already have our shapes (``weight_ih_l0`` is
``(G d, k)``, ``weight_hh_l0`` is ``(G d, d)``); a gated cell stacks its G
gates by rows, in PyTorch's order: LSTM i, f, g, o; GRU r, z (our u), n (our
g). PyTorch gives every gate two biases, ``bias_ih + bias_hh``; where our cell
has one, it is their sum, and writing back gives ``bias_ih = ours``,
``bias_hh = 0``: the same function, other numbers. The GRU's candidate keeps
both (``b_h_g`` and ``b_hh_g``): the reset gate multiplies ``W_hh_g h + b_hh_g``.
A gradient dict (``gradients=True``) maps the same way, except that both of
PyTorch's biases have the gradient of their sum: ours is ``bias_ih``'s, and
writing back gives both.
"""

import numpy as np

from rnn_book.params import Params
from rnn_book.stack_params import CELL_PARAMS, HEAD, StackParams, layer_prefix

__all__ = ["TORCH_BLOCKS", "from_torch", "to_torch", "layer_from_torch", "layer_to_torch",
           "torch_config", "torch_outputs"]

# --8<-- [start:TORCH_BLOCKS]
# Each cell's row blocks in PyTorch's order, as our names:
# (input weights, hidden weights, bias, the hidden-side bias if kept apart).
TORCH_BLOCKS = {
    "rnn": [("W_X", "W_H", "b_h", None)],
    "lstm": [(f"W_xh_{g}", f"W_hh_{g}", f"b_h_{g}", None) for g in ("i", "f", "g", "o")],
    "gru": [("W_xh_r", "W_hh_r", "b_h_r", None),  # reset
            ("W_xh_u", "W_hh_u", "b_h_u", None),  # update (PyTorch's z)
            ("W_xh_g", "W_hh_g", "b_h_g", "b_hh_g")],  # candidate (PyTorch's n)
}
# --8<-- [end:TORCH_BLOCKS]
TORCH_MODULES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _cell_of(gate_rows, cell):
    """The cell whose gates stack ``gate_rows`` row blocks, checked against ``cell`` if given."""
    by_blocks = {len(blocks): name for name, blocks in TORCH_BLOCKS.items() if name in CELL_PARAMS}
    if cell is None:
        if gate_rows not in by_blocks:
            raise ValueError(f"rnn.weight_hh_l0 has {gate_rows} times as many rows as columns; "
                             "nn.RNN has 1, nn.GRU 3, nn.LSTM 4")
        return by_blocks[gate_rows]
    if cell not in CELL_PARAMS:
        raise ValueError(f"cell must be one of {sorted(CELL_PARAMS)}; got {cell!r}")
    if len(TORCH_BLOCKS[cell]) != gate_rows:
        raise ValueError(f"a {cell} has {len(TORCH_BLOCKS[cell])} row block(s) in weight_hh; "
                         f"rnn.weight_hh_l0 has {gate_rows}")
    return cell


# --8<-- [start:layer_from_torch]
def layer_from_torch(cell, weight_ih, weight_hh, bias_ih, bias_hh, *, gradients=False):
    """One layer and direction of a PyTorch module, as our cell's named arrays.

    Parameters
    ----------
    cell : str
        ``"rnn"``, ``"lstm"`` or ``"gru"``.
    weight_ih : (G d, k) ndarray
    weight_hh : (G d, d) ndarray
    bias_ih, bias_hh : (G d,) ndarray
    gradients : bool, optional
        The arrays are gradients: a bias we merge is ``bias_ih`` (PyTorch
        gives both of its biases the gradient of their sum), not the sum.

    Returns
    -------
    dict
        Our names (``W_X``, ``W_H``, ``b_h`` or the gates' ``W_xh_*``, ...)
        to arrays of our shapes, ``(d, k)``, ``(d, d)``, ``(d, 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.torch_io import layer_from_torch
    >>> ours = layer_from_torch("rnn", np.ones((2, 3)), np.eye(2), np.ones(2), np.ones(2))
    >>> ours["W_X"].shape, ours["b_h"].ravel().tolist()  # bias_ih + bias_hh
    ((2, 3), [2.0, 2.0])
    """
    blocks = TORCH_BLOCKS[cell]
    G = len(blocks)
    pieces = [np.split(np.asarray(a), G) for a in (weight_ih, weight_hh, bias_ih, bias_hh)]
    ours = {}
    # --8<-- [start:layer_from_torch_body]
    for (W_xh, W_hh, b_h, b_hh), w_ih, w_hh, b_ih_, b_hh_ in zip(blocks, *pieces):
        ours[W_xh], ours[W_hh] = w_ih, w_hh  # (d, k), (d, d): already our shapes
        if b_hh is not None:  # kept apart: the reset gate scales W_hh h + b_hh
            ours[b_h], ours[b_hh] = b_ih_[:, None], b_hh_[:, None]  # (d, 1) each
        elif gradients:  # both of PyTorch's biases have the gradient of their sum
            ours[b_h] = b_ih_[:, None]  # (d, 1)
        else:
            ours[b_h] = (b_ih_ + b_hh_)[:, None]  # (d, 1)  one bias: their sum
    # --8<-- [end:layer_from_torch_body]
    return ours
# --8<-- [end:layer_from_torch]


# --8<-- [start:layer_to_torch]
def layer_to_torch(cell, params, *, gradients=False):
    """Our cell's arrays as PyTorch's ``weight_ih, weight_hh, bias_ih, bias_hh``.

    Parameters
    ----------
    cell : str
    params : RNNParams, LSTMParams, GRUParams or dict
        Anything with our names (the output layer, if any, is left out).
    gradients : bool, optional
        The arrays are gradients: a merged bias's gradient goes to both of
        PyTorch's biases. Otherwise ``bias_ih`` gets our bias and ``bias_hh``
        zeros, so their sum is ours.

    Returns
    -------
    weight_ih : (G d, k) ndarray
    weight_hh : (G d, d) ndarray
    bias_ih, bias_hh : (G d,) ndarray

    Examples
    --------
    >>> from rnn_book import lstm
    >>> from rnn_book.torch_io import layer_to_torch
    >>> params = lstm.init_params(k=4, d=3, rng=0)
    >>> w_ih, w_hh, b_ih, b_hh = layer_to_torch("lstm", params)
    >>> w_ih.shape, w_hh.shape, b_ih[3:6].tolist(), b_hh.tolist() == [0.0] * 12
    ((12, 4), (12, 3), [1.0, 1.0, 1.0], True)
    """
    arrays = dict(params.items()) if isinstance(params, Params) else dict(params)
    w_ih, w_hh, b_ih, b_hh = [], [], [], []
    # --8<-- [start:layer_to_torch_body]
    for W_xh, W_hh, b_h, b_hh_name in TORCH_BLOCKS[cell]:
        w_ih.append(arrays[W_xh])  # (d, k)
        w_hh.append(arrays[W_hh])  # (d, d)
        b_ih.append(arrays[b_h][:, 0])  # (d,)
        if b_hh_name is not None:
            b_hh.append(arrays[b_hh_name][:, 0])  # (d,)
        else:  # the gradient of a sum reaches both terms; a value goes to one
            b_hh.append(arrays[b_h][:, 0] if gradients else np.zeros_like(arrays[b_h][:, 0]))
    # --8<-- [end:layer_to_torch_body]
    return (np.concatenate(w_ih), np.concatenate(w_hh),
            np.concatenate(b_ih), np.concatenate(b_hh))
# --8<-- [end:layer_to_torch]


def _torch_layers(state):
    """``(num_layers, directions)`` of the ``rnn.*`` keys, or ValueError naming what is off."""
    n_layers = 0
    while f"rnn.weight_ih_l{n_layers}" in state:
        n_layers += 1
    if not n_layers:
        raise ValueError("the state dict has no rnn.weight_ih_l0: expected the keys of a model "
                         "whose parts are named rnn (nn.RNN/LSTM/GRU) and linear (nn.Linear)")
    directions = 2 if "rnn.weight_ih_l0_reverse" in state else 1
    expected = {f"rnn.{kind}_l{n}{'_reverse' * r}"
                for n in range(n_layers) for r in range(directions)
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
    expected |= {"linear.weight", "linear.bias"}
    if set(state) != expected:
        extra, missing = sorted(set(state) - expected), sorted(expected - set(state))
        raise ValueError(f"the state dict of a {n_layers}-layer "
                         f"{'bidirectional ' * (directions == 2)}model does not fit: "
                         f"missing {missing}, unexpected {extra} (proj_size and bias=False "
                         "are not supported)")
    return n_layers, directions


# --8<-- [start:from_torch]
def from_torch(state, *, cell=None, gradients=False, as_stack=False):
    """Our parameters from a PyTorch state dict given as numpy arrays.

    Parameters
    ----------
    state : dict of str to ndarray
        ``rnn.weight_ih_l0``, ..., ``linear.weight``, ``linear.bias``: the
        state dict of a model whose parts are ``rnn`` and ``linear``.
    cell : str, optional
        ``"rnn"``, ``"lstm"`` or ``"gru"``; read from the shapes if omitted
        (nn.RNN is taken to use tanh, its default).
    gradients : bool, optional
        ``state`` holds gradients (``tensor.grad``), not parameters.
    as_stack : bool, optional
        Return a ``StackParams`` even for one layer in one direction.

    Returns
    -------
    params : RNNParams, LSTMParams, GRUParams or StackParams
        The cell's parameters for one layer in one direction (what
        ``rnn_book.rnn.forward`` and its kin run) unless ``as_stack``, a
        ``StackParams`` otherwise (what ``rnn_book.stack.forward`` runs).
        The dtype is the state dict's.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.torch_io import from_torch
    >>> rng = np.random.default_rng(0)
    >>> state = {"rnn.weight_ih_l0": rng.standard_normal((3, 4)),  # nn.RNN(4, 3)
    ...          "rnn.weight_hh_l0": rng.standard_normal((3, 3)),
    ...          "rnn.bias_ih_l0": np.ones(3), "rnn.bias_hh_l0": np.ones(3),
    ...          "linear.weight": rng.standard_normal((2, 3)), "linear.bias": np.zeros(2)}
    >>> params = from_torch(state)
    >>> type(params).__name__, params.b_h.ravel().tolist(), params.W_Y.shape
    ('RNNParams', [2.0, 2.0, 2.0], (2, 3))
    """
    state = {name: np.asarray(value) for name, value in state.items()}
    n_layers, directions = _torch_layers(state)
    w_hh = state["rnn.weight_hh_l0"]
    if w_hh.ndim != 2 or w_hh.shape[1] == 0 or w_hh.shape[0] % w_hh.shape[1]:
        raise ValueError(f"rnn.weight_hh_l0 must have shape (G d, d); got {w_hh.shape}")
    cell = _cell_of(w_hh.shape[0] // w_hh.shape[1], cell)
    head = {"W_Y": state["linear.weight"],  # (k_out, D d)
            "b_y": np.asarray(state["linear.bias"])[:, None]}  # (k_out, 1)
    layers = {}
    for n in range(n_layers):
        for r in range(directions):
            suffix = f"_l{n}{'_reverse' * r}"
            ours = layer_from_torch(cell, *(state[f"rnn.{kind}{suffix}"] for kind in
                                            ("weight_ih", "weight_hh", "bias_ih", "bias_hh")),
                                    gradients=gradients)
            layers.update({f"{layer_prefix(n, r)}.{name}": a for name, a in ours.items()})
    if n_layers == 1 and directions == 1 and not as_stack:  # one cell, with the head
        return CELL_PARAMS[cell](**{name.removeprefix("l0."): a for name, a in layers.items()},
                                 **head)
    return StackParams(**layers, **head)
# --8<-- [end:from_torch]


def _as_stack_layers(params):
    """``(cell, layers, W_Y, b_y)`` of a cell's or a stack's parameters."""
    if isinstance(params, StackParams):
        return params.cell, params.layers, params.W_Y, params.b_y
    for cell, params_type in CELL_PARAMS.items():
        if type(params) is params_type:
            return cell, [(params,)], params.W_Y, params.b_y
    raise TypeError("params must be RNNParams, LSTMParams, GRUParams or StackParams; "
                    f"got {type(params).__name__}")


# --8<-- [start:to_torch]
def to_torch(params, *, gradients=False):
    """A PyTorch state dict (numpy arrays) with the function of our parameters.

    Parameters
    ----------
    params : RNNParams, LSTMParams, GRUParams or StackParams
    gradients : bool, optional
        ``params`` holds gradients: each merged bias's gradient goes to both
        of PyTorch's biases.

    Returns
    -------
    state : dict of str to ndarray
        ``rnn.weight_ih_l0``, ..., ``linear.weight``, ``linear.bias``, for a
        model whose parts are ``rnn`` and ``linear`` (see
        :func:`torch_config`); ``torch.from_numpy`` each to load it.
        ``bias_hh`` is zero where our cell has one bias (their sum is ours).

    Examples
    --------
    >>> from rnn_book import stack_params
    >>> from rnn_book.torch_io import to_torch
    >>> params = stack_params.init_params("lstm", k=4, d=3, layers=2, bidirectional=True, rng=0)
    >>> state = to_torch(params)
    >>> state["rnn.weight_ih_l1_reverse"].shape, state["linear.weight"].shape
    ((12, 6), (4, 6))
    """
    cell, layers, W_Y, b_y = _as_stack_layers(params)
    state = {}
    for n, layer in enumerate(layers):
        for r, cell_params in enumerate(layer):
            suffix = f"_l{n}{'_reverse' * r}"
            arrays = layer_to_torch(cell, {name: a for name, a in cell_params.items()
                                           if name not in HEAD}, gradients=gradients)
            state.update({f"rnn.{kind}{suffix}": a for kind, a in
                          zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), arrays)})
    state["linear.weight"] = W_Y  # (k_out, D d)
    state["linear.bias"] = b_y[:, 0]  # (k_out,)
    return state
# --8<-- [end:to_torch]


def torch_config(params):
    """The PyTorch modules that hold :func:`to_torch`'s state dict, as constructor arguments.

    Returns
    -------
    config : dict
        ``module`` (``"RNN"``, ``"LSTM"`` or ``"GRU"``: the ``torch.nn``
        class), ``rnn`` (its keyword arguments) and ``linear`` (those of
        ``nn.Linear``).

    Examples
    --------
    >>> from rnn_book import stack_params
    >>> from rnn_book.torch_io import torch_config
    >>> torch_config(stack_params.init_params("lstm", k=5, d=3, layers=2, rng=0))
    {'module': 'LSTM', 'rnn': {'input_size': 5, 'hidden_size': 3, 'num_layers': 2, \
'bidirectional': False}, 'linear': {'in_features': 3, 'out_features': 5}}
    """
    cell, layers, W_Y, _ = _as_stack_layers(params)
    rnn = {"input_size": layers[0][0].k, "hidden_size": layers[0][0].d,
           "num_layers": len(layers), "bidirectional": len(layers[0]) == 2}
    if cell == "rnn":
        rnn["nonlinearity"] = "tanh"
    return {"module": TORCH_MODULES[cell], "rnn": rnn,
            "linear": {"in_features": W_Y.shape[1], "out_features": W_Y.shape[0]}}


# --8<-- [start:torch_outputs]
def torch_outputs(cache):
    """A forward pass's results laid out as PyTorch's ``(output, h_n)`` or ``(output, (h_n, c_n))``.

    Parameters
    ----------
    cache : a cell's cache (readable or fast) or a StackCache
        From ``forward``.

    Returns
    -------
    output : (T, B, D d) or (T, D d) ndarray
        The top layer's hidden states, both directions' side by side.
    h_n : (N D, B, d) or (N D, d) ndarray
        Every layer's and direction's last hidden state (the reversed
        direction's last is at the first step), ``N D`` rows in PyTorch's
        order: layer 0 forward, layer 0 reverse, layer 1 forward, ...
    c_n : same as h_n
        The LSTM's last cell states (as ``(h_n, c_n)``, like nn.LSTM).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book import lstm
    >>> from rnn_book.torch_io import torch_outputs
    >>> params = lstm.init_params(k=4, d=3, rng=0)
    >>> Y, cache = lstm.forward(params, np.zeros((5, 4, 2)))  # T = 5, B = 2
    >>> output, (h_n, c_n) = torch_outputs(cache)
    >>> output.shape, h_n.shape, c_n.shape
    ((5, 2, 3), (1, 2, 3), (1, 2, 3))
    """
    if hasattr(cache, "h_n"):  # a stack's cache keeps (N D, d, B) final states
        output, finals = cache.H, [cache.h_n] + ([cache.c_n] if cache.c_n is not None else [])
        finals = [np.swapaxes(s, 1, 2) if s.ndim == 3 else s for s in finals]  # (N D, B, d)
    else:  # one cell, one direction: the last step's states
        output = cache.H
        finals = [cache.H[-1][None]] + ([cache.C[-1][None]] if hasattr(cache, "C") else [])
        finals = [np.swapaxes(s, 1, 2) if s.ndim == 3 else s for s in finals]
    output = np.swapaxes(output, 1, 2) if output.ndim == 3 else output  # (T, B, D d)
    return (output, finals[0]) if len(finals) == 1 else (output, tuple(finals))
# --8<-- [end:torch_outputs]
