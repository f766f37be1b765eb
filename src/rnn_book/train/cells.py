"""A cell: the few functions the training loop needs from a recurrent model.

The loop never names the simple RNN or the LSTM. It asks a :class:`Cell` to
make parameters, to run a chunk of inputs from a state, to backpropagate the
chunk's loss, and for a state of zeros. A state is a tuple of
``(d, B)`` arrays: ``(h,)`` for the simple RNN, ``(h, c)`` for the LSTM.
Any module with the contract ``forward(params, X, h0[, c0]) -> (Y, cache)``,
``backward_from(params, cache, *, dZ, dH) -> (grads, dX, dh0[, dc0])``,
``backward(params, cache, Y_true) -> (grads, dh0[, dc0])`` and
``init_params(k, d, *, rng, dtype)`` becomes a cell with one line.

Training uses the fast path (:mod:`rnn_book.fast`) by default: same contract,
same results to rounding, several times faster. The readable modules stay one
argument away, ``get_cell(name, fast=False)``; every loss and head accepts
either.
"""

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from rnn_book import fast, gru, lstm, rnn

__all__ = ["Cell", "cell_from_module", "get_cell", "CELLS", "READABLE_CELLS"]


# --8<-- [start:Cell]
@dataclass(frozen=True)
class Cell:
    """A recurrent model seen through the functions a training loop calls.

    Attributes
    ----------
    name : str
        ``"rnn"``, ``"lstm"`` or ``"gru"``: what a checkpoint records.
    module : module
        The module with ``forward``, ``backward_from``, ``backward`` and
        ``init_params``.
    n_states : int
        1 for ``(h,)`` (simple RNN, GRU), 2 for ``(h, c)`` (LSTM).
    params_type : type
        ``RNNParams``, ``LSTMParams`` or ``GRUParams``: what a checkpoint's arrays become.
    """

    name: str
    module: ModuleType
    n_states: int
    params_type: type

    def init_params(self, k, d, *, rng=None, dtype=np.float64):
        """Fresh parameters: ``k`` symbols in and out, ``d`` hidden units."""
        return self.module.init_params(k, d, rng=rng, dtype=dtype)

    def zero_state(self, d, B, dtype=np.float64):
        """The state at the start of a text: ``(d, B)`` zeros per state."""
        return tuple(np.zeros((d, B), dtype) for _ in range(self.n_states))

    def forward(self, params, X, state):
        """Run a chunk ``X (T, k, B)`` from ``state``: ``Y, cache, last``.

        ``last`` is the state after the chunk's last step, the next
        chunk's starting point: the chain of states goes on across chunks.
        """
        Y, cache = self.module.forward(params, X, *state)  # (T, k_out, B)
        h_T = cache.H[-1]  # (d, B)
        last = (h_T,) if self.n_states == 1 else (h_T, cache.C[-1])
        return Y, cache, tuple(s.copy() for s in last)  # copies: (d, B) each

    def backward(self, params, cache, Y_true):
        """Gradients of the chunk's cross-entropy with respect to ``params``.

        The gradients with respect to the starting state are dropped: this is
        where truncated backpropagation through time cuts the chain.
        """
        return self.module.backward(params, cache, Y_true)[0]

    def backward_from(self, params, cache, dZ=None, dH=None):
        """The module's ``backward_from``: ``(grads, dX, dh0[, dc0])`` for any loss."""
        return self.module.backward_from(params, cache, dZ=dZ, dH=dH)
# --8<-- [end:Cell]


def cell_from_module(name, module):
    """Wrap a module with the forward/backward contract as a :class:`Cell`.

    Parameters
    ----------
    name : str
        ``"rnn"``, ``"lstm"`` or ``"gru"``: which state it carries.
    module : module

    Returns
    -------
    cell : Cell

    Examples
    --------
    >>> from rnn_book import lstm
    >>> from rnn_book.train.cells import cell_from_module
    >>> cell_from_module("lstm", lstm).n_states
    2
    """
    if name not in ("rnn", "lstm", "gru"):
        raise ValueError(f"cell must be 'rnn', 'lstm' or 'gru'; got {name!r}")
    if name == "rnn":
        return Cell(name, module, n_states=1, params_type=module.RNNParams)
    if name == "gru":
        return Cell(name, module, n_states=1, params_type=module.GRUParams)
    return Cell(name, module, n_states=2, params_type=module.LSTMParams)


# --8<-- [start:CELLS]
READABLE_CELLS = {"rnn": cell_from_module("rnn", rnn),
                  "lstm": cell_from_module("lstm", lstm),
                  "gru": cell_from_module("gru", gru)}
CELLS = {"rnn": cell_from_module("rnn", fast.rnn),  # the fast path
         "lstm": cell_from_module("lstm", fast.lstm),
         "gru": cell_from_module("gru", fast.gru)}
# --8<-- [end:CELLS]


def get_cell(name, *, fast=True):
    """The cell called ``name``: ``"rnn"`` (simple RNN), ``"lstm"`` or ``"gru"``.

    Parameters
    ----------
    name : str
    fast : bool, optional
        The fast path (default) or the readable modules of the chapters.

    Examples
    --------
    >>> from rnn_book.train.cells import get_cell
    >>> get_cell("rnn").module.__name__, get_cell("lstm", fast=False).module.__name__
    ('rnn_book.fast.rnn', 'rnn_book.lstm')
    """
    cells = CELLS if fast else READABLE_CELLS
    if name not in cells:
        raise ValueError(f"cell must be one of {sorted(cells)}; got {name!r}")
    return cells[name]
