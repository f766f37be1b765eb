"""The parameters of a deep (stacked) and optionally bidirectional network.

L layers of one cell (``"rnn"``, ``"lstm"`` or ``"gru"``); each layer has one
set of cell parameters per direction: forward in time, and, for a
bidirectional network, reversed in time. The layers carry no output layer of
their own (``k_out = 0``); one output layer ``W_Y (k_out, D d)``,
``b_y (k_out, 1)`` reads the top layer's hidden states, ``D = 2`` directions
concatenated for a bidirectional network, ``D = 1`` otherwise.

The arrays are named as in a PyTorch state dict, with the book's names inside:
``l0.W_X`` is layer 0's input weights (PyTorch's ``weight_ih_l0``),
``l1_reverse.W_hh_f`` layer 1's reversed-time forget-gate weights, and
``W_Y``, ``b_y`` the output layer. ``StackParams(**arrays)`` builds the
parameters from such names, so gradients, clipping, optimizers and
checkpoints handle a stack as they handle one cell.
"""

import numpy as np

from rnn_book.checks import check_shape
from rnn_book.lstm_params import LSTMParams
from rnn_book.params import check_sizes
from rnn_book.rnn_params import RNNParams

__all__ = ["StackParams", "CELL_PARAMS", "init_params", "layer_prefix"]

# the cells a stack can be made of, by name: their parameter class
CELL_PARAMS = {"rnn": RNNParams, "lstm": LSTMParams}
try:  # the GRU, where the package has it
    from rnn_book.gru_params import GRUParams
except ImportError:  # pragma: no cover - a package without the GRU
    pass
else:
    CELL_PARAMS["gru"] = GRUParams

HEAD = ("W_Y", "b_y")  # a cell's output layer: empty inside a stack


def layer_prefix(layer, direction):
    """``"l0"`` for layer 0 forward in time, ``"l0_reverse"`` reversed (PyTorch's suffixes).

    Examples
    --------
    >>> from rnn_book.stack_params import layer_prefix
    >>> layer_prefix(0, 0), layer_prefix(1, 1)
    ('l0', 'l1_reverse')
    """
    return f"l{layer}" + ("_reverse" if direction else "")


def _cell_fields(params_type):
    """The names of a cell's arrays without its output layer."""
    return [name for name in params_type.shapes if name not in HEAD]


def _which_cell(names):
    """The cell whose fields are exactly ``names``, or ValueError listing them all."""
    for cell, params_type in CELL_PARAMS.items():
        if sorted(names) == sorted(_cell_fields(params_type)):
            return cell
    known = "; ".join(f"{cell}: {_cell_fields(t)}" for cell, t in CELL_PARAMS.items())
    raise ValueError(f"layer l0 has arrays {sorted(names)}, which are no cell's ({known})")


# --8<-- [start:StackParams]
class StackParams:
    """Weights and biases of L stacked layers of one cell, and one output layer.

    Parameters
    ----------
    **arrays : ndarray
        ``l<n>.<name>`` and ``l<n>_reverse.<name>`` for every layer n and
        every array of the cell except its output layer (``l0.W_X``,
        ``l0.W_H``, ``l0.b_h``, ...), and ``W_Y (k_out, D d)``,
        ``b_y (k_out, 1)``. The cell is read from layer 0's names.

    Attributes
    ----------
    cell : str
        ``"rnn"``, ``"lstm"`` or ``"gru"``.
    layers : list of tuple
        ``layers[n][0]`` is layer n's parameters forward in time and
        ``layers[n][1]`` (bidirectional only) reversed in time: each an
        ``RNNParams``, ``LSTMParams`` or ``GRUParams`` with ``k_out = 0``,
        holding the same arrays as the stack.
    W_Y : (k_out, D d) ndarray
        Output weights over the top layer's hidden states, both directions'.
    b_y : (k_out, 1) ndarray
        Output bias.

    Examples
    --------
    >>> from rnn_book.stack_params import init_params
    >>> p = init_params("lstm", k=5, d=3, layers=2, bidirectional=True, rng=0)
    >>> p.cell, p.n_layers, p.directions, p.k, p.d, p.k_out, p.W_Y.shape
    ('lstm', 2, 2, 5, 3, 5, (5, 6))
    >>> p.layers[1][1].W_xh_f.shape  # layer 1 reads both directions of layer 0
    (3, 6)
    >>> [name for name, _ in p.items()][:3]
    ['l0.W_xh_f', 'l0.W_hh_f', 'l0.b_h_f']
    """

    def __init__(self, **arrays):
        arrays = dict(arrays)
        missing = [name for name in HEAD if name not in arrays]
        if missing:
            raise ValueError(f"StackParams needs the output layer's {' and '.join(missing)}")
        self.W_Y, self.b_y = arrays.pop("W_Y"), arrays.pop("b_y")
        groups = {}  # "l0" -> {"W_X": array, ...}
        for name, value in arrays.items():
            prefix, _, field = name.partition(".")
            if not field:
                raise ValueError(f"StackParams: {name!r} is no array name; expected "
                                 "l<n>.<name>, l<n>_reverse.<name>, W_Y or b_y")
            groups.setdefault(prefix, {})[field] = value
        if "l0" not in groups:
            raise ValueError("StackParams needs layer 0's arrays (l0.<name>)")
        self.cell = _which_cell(list(groups["l0"]))
        params_type = CELL_PARAMS[self.cell]
        directions = 2 if "l0_reverse" in groups else 1
        n_layers = 0
        while layer_prefix(n_layers, 0) in groups:
            n_layers += 1
        expected = {layer_prefix(n, r) for n in range(n_layers) for r in range(directions)}
        if set(groups) != expected:
            raise ValueError(f"StackParams: a {n_layers}-layer network with {directions} "
                             f"direction(s) has groups {sorted(expected)}; got {sorted(groups)}")
        fields = _cell_fields(params_type)
        self.layers = []
        for n in range(n_layers):
            directions_n = []
            for r in range(directions):
                prefix = layer_prefix(n, r)
                if sorted(groups[prefix]) != sorted(fields):
                    raise ValueError(f"StackParams: {prefix} has arrays {sorted(groups[prefix])}; "
                                     f"a {self.cell} layer has {fields}")
                directions_n.append(self._layer(params_type, prefix, groups[prefix]))
            self.layers.append(tuple(directions_n))
        self.validate()

    def _layer(self, params_type, prefix, fields):
        """One layer's cell parameters, with an empty output layer (k_out = 0)."""
        d = np.shape(next(iter(fields.values())))[0] if fields else 0
        dtype = np.asarray(next(iter(fields.values()))).dtype
        dtype = dtype if dtype.kind == "f" else np.float64
        try:
            return params_type(**fields, W_Y=np.zeros((0, d), dtype), b_y=np.zeros((0, 1), dtype))
        except (TypeError, ValueError) as error:
            raise type(error)(f"{prefix}.{error}") from None

    @property
    def n_layers(self):
        """L, the number of layers."""
        return len(self.layers)

    @property
    def directions(self):
        """D: 2 for a bidirectional network, 1 otherwise."""
        return len(self.layers[0])

    @property
    def bidirectional(self):
        """Whether each layer also reads the sequence reversed in time."""
        return self.directions == 2

    @property
    def k(self):
        """Input size: what layer 0 reads."""
        return self.layers[0][0].k

    @property
    def d(self):
        """Hidden units per layer and direction."""
        return self.layers[0][0].d

    @property
    def k_out(self):
        """Output size: the number of rows of W_Y."""
        return self.W_Y.shape[0]

    @property
    def dtype(self):
        """The parameters' dtype, which forward and backward passes follow."""
        return self.W_Y.dtype

    def validate(self, layers=True):
        """Raise TypeError/ValueError unless the layers and the output layer fit together.

        ``layers=False`` skips checking each layer's own arrays (a forward
        pass leaves that to the cells, which check their parameters anyway).
        """
        d, D = self.d, self.directions
        for n, layer in enumerate(self.layers):
            k_in = self.k if n == 0 else D * d  # layer n > 0 reads layer n-1's [forward; reverse]
            for r, params in enumerate(layer):
                if layers:
                    params.validate()
                name = layer_prefix(n, r)
                if (params.d, params.k) != (d, k_in):
                    raise ValueError(
                        f"{name} must have d = {d} hidden units reading k = {k_in} inputs"
                        f"{' (both directions of the layer below)' if n and D == 2 else ''}; "
                        f"got d = {params.d}, k = {params.k}")
        self.W_Y = np.asarray(self.W_Y)
        self.b_y = np.asarray(self.b_y)
        check_shape("W_Y", self.W_Y, ("k_out", D * d))
        check_shape("b_y", self.b_y, (self.W_Y.shape[0], 1))
        dtypes = {value.dtype for _, value in self.items()}
        if len(dtypes) > 1:
            raise TypeError(f"every array of a StackParams must share one dtype; got {dtypes}")
        if self.dtype.kind != "f":
            raise TypeError(f"W_Y must have a floating dtype (float32 or float64); got {self.dtype}")

    def items(self):
        """``(name, array)`` pairs: every layer's, direction by direction, then W_Y and b_y."""
        pairs = []
        for n, layer in enumerate(self.layers):
            for r, params in enumerate(layer):
                pairs += [(f"{layer_prefix(n, r)}.{name}", value)
                          for name, value in params.items() if name not in HEAD]
        return pairs + [("W_Y", self.W_Y), ("b_y", self.b_y)]

    def map(self, fn):
        """New parameters, ``fn(array)`` for every array."""
        return type(self)(**{name: fn(value) for name, value in self.items()})

    def zeros_like(self):
        """Parameters of zeros with the same shapes and dtype."""
        return self.map(np.zeros_like)

    def copy(self):
        """A deep copy."""
        return self.map(np.copy)

    def astype(self, dtype):
        """A copy converted to ``dtype`` (e.g. ``np.float32``)."""
        return self.map(lambda value: value.astype(dtype))
# --8<-- [end:StackParams]


# --8<-- [start:init_params]
def init_params(cell, k, d, k_out=None, *, layers=1, bidirectional=False, rng=None,
                dtype=np.float64):
    """Random parameters of a stack: each layer as its cell initialises it.

    Parameters
    ----------
    cell : str
        ``"rnn"``, ``"lstm"`` or ``"gru"``.
    k : int
        Input size (layer 0's).
    d : int
        Hidden units per layer and direction.
    k_out : int, optional
        Output size; ``k`` if omitted.
    layers : int, optional
        L, the number of layers.
    bidirectional : bool, optional
        Give every layer a second set of parameters that reads the sequence
        reversed in time.
    rng : int or numpy.random.Generator, optional
    dtype : numpy dtype, optional

    Returns
    -------
    params : StackParams

    Examples
    --------
    >>> from rnn_book.stack_params import init_params
    >>> p = init_params("rnn", k=4, d=3, layers=3, rng=0)
    >>> [layer[0].W_X.shape for layer in p.layers], p.W_Y.shape
    ([(3, 4), (3, 3), (3, 3)], (4, 3))
    """
    if cell not in CELL_PARAMS:
        raise ValueError(f"cell must be one of {sorted(CELL_PARAMS)}; got {cell!r}")
    k_out = k if k_out is None else k_out
    check_sizes(k=k, d=d, k_out=k_out, layers=layers)
    if not isinstance(bidirectional, (bool, np.bool_)):
        raise TypeError(f"bidirectional must be True or False; got {bidirectional!r}")
    from rnn_book.stack import cell_module  # the cell's init_params (stack imports this module)

    module = cell_module(cell)
    rng = np.random.default_rng(rng)
    D = 2 if bidirectional else 1
    arrays = {}
    # --8<-- [start:init_params_body]
    for n in range(layers):
        k_in = k if n == 0 else D * d  # layer n > 0 reads layer n-1's hidden states
        for r in range(D):
            layer = module.init_params(k_in, d, k_out=0, rng=rng, dtype=dtype)  # no output layer
            arrays.update({f"{layer_prefix(n, r)}.{name}": value
                           for name, value in layer.items() if name not in HEAD})
    W_Y = rng.standard_normal((k_out, D * d)) / np.sqrt(D * d)  # (k_out, D d)
    return StackParams(**arrays, W_Y=W_Y.astype(dtype), b_y=np.zeros((k_out, 1), dtype))
    # --8<-- [end:init_params_body]
# --8<-- [end:init_params]
