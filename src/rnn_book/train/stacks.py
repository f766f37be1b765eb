"""A stack as a cell: the training loop, checkpoints and sampling run deep networks too.

:class:`StackCell` has the methods of :class:`rnn_book.train.cells.Cell`, so
:func:`rnn_book.train.loop.train` trains N layers as it trains one. Its state
is a tuple of ``(N D, d, B)`` arrays, one row per layer and direction (h, and
c for the LSTM). Across the chunks of truncated BPTT the forward-in-time rows
carry on; a reversed-time row starts every chunk from zeros at the chunk's
end, where nothing after the chunk has been read yet.
"""

from dataclasses import dataclass

import numpy as np

from rnn_book import stack
from rnn_book.stack_params import CELL_PARAMS, StackParams

__all__ = ["StackCell", "stack_cell", "refuse_bidirectional"]


# --8<-- [start:StackCell]
@dataclass(frozen=True)
class StackCell:
    """N layers of one cell, one or two directions, seen as a training loop's cell.

    Attributes
    ----------
    name : str
        The cell of every layer: ``"rnn"``, ``"lstm"`` or ``"gru"``.
    layers : int
        N, the number of layers.
    bidirectional : bool
    fast : bool
        Run the layers with the fast cells (the default) or the readable ones.
    """

    name: str
    layers: int
    bidirectional: bool
    fast: bool = True
    params_type = StackParams

    @property
    def n_states(self):
        """1 for ``(h,)``, 2 for the LSTM's ``(h, c)``; each ``(N D, d, B)``."""
        return 2 if self.name == "lstm" else 1

    @property
    def directions(self):
        """D: 2 for a bidirectional stack, 1 otherwise."""
        return 2 if self.bidirectional else 1

    def init_params(self, k, d, *, rng=None, dtype=np.float64):
        """Fresh parameters: ``k`` symbols in and out, ``d`` hidden units per layer and direction."""
        return stack.init_params(self.name, k, d, layers=self.layers,
                                 bidirectional=self.bidirectional, rng=rng, dtype=dtype)

    def param_count(self, k, d, k_out=None):
        """How many numbers the stack's parameters hold for ``k`` inputs and ``d`` units."""
        shapes = CELL_PARAMS[self.name].shapes
        D, k_out = self.directions, k if k_out is None else k_out
        count = 0
        for n in range(self.layers):
            sizes = {"k": k if n == 0 else D * d, "d": d}
            count += D * sum(int(np.prod([sizes.get(s, s) for s in form]))
                             for name, form in shapes.items() if name not in ("W_Y", "b_y"))
        return count + k_out * (D * d + 1)  # W_Y, b_y

    def zero_state(self, d, B, dtype=np.float64):
        """``(N D, d, B)`` zeros per state."""
        return tuple(np.zeros((self.layers * self.directions, d, B), dtype)
                     for _ in range(self.n_states))

    def forward(self, params, X, state):
        """Run a chunk ``X (T, k, B)`` from ``state``: ``Y, cache, last``."""
        Y, cache = stack.forward(params, X, *state, fast=self.fast)  # (T, k_out, B)
        last = [cache.h_n.copy()] + ([cache.c_n.copy()] if self.n_states == 2 else [])
        if self.bidirectional:  # reversed rows: the next chunk's end is not read yet
            for s in last:
                s[1::2] = 0
        return Y, cache, tuple(last)

    def backward(self, params, cache, Y_true):
        """Gradients of the chunk's cross-entropy; the starting state's are dropped."""
        return stack.backward(params, cache, Y_true)[0]

    def backward_from(self, params, cache, dZ=None, dH=None):
        """:func:`rnn_book.stack.backward_from`: ``(grads, dX, dh0[, dc0])`` for any loss."""
        return stack.backward_from(params, cache, dZ=dZ, dH=dH)
# --8<-- [end:StackCell]


def stack_cell(name, layers=1, bidirectional=False, *, fast=True):
    """The :class:`StackCell` of ``layers`` layers of ``name``.

    Examples
    --------
    >>> from rnn_book.train.stacks import stack_cell
    >>> cell = stack_cell("lstm", layers=2)
    >>> params = cell.init_params(k=5, d=4, rng=0)
    >>> params.n_layers, [s.shape for s in cell.zero_state(4, 3)]
    (2, [(2, 4, 3), (2, 4, 3)])
    """
    if name not in CELL_PARAMS:
        raise ValueError(f"cell must be one of {sorted(CELL_PARAMS)}; got {name!r}")
    if not isinstance(layers, (int, np.integer)) or isinstance(layers, bool) or layers < 1:
        raise ValueError(f"layers must be a positive integer; got {layers!r}")
    return StackCell(name, int(layers), bool(bidirectional), fast)


# --8<-- [start:refuse_bidirectional]
def refuse_bidirectional(params, what):
    """Raise ValueError if ``params`` read each sequence from both ends.

    A bidirectional model's output at step t depends on ``x_{t+1} .. x_T``, read
    by its reversed-time pass. Writing text left to right, the next character
    is not there yet; predicting it, it has already been read.
    """
    if getattr(params, "bidirectional", False):
        raise ValueError(
            f"{what} needs a model that reads left to right; this one is bidirectional: "
            "its output at step t has read the characters after t, which do not exist yet "
            "while it writes (and give the answer away when it predicts them)")
# --8<-- [end:refuse_bidirectional]
