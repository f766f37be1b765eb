"""The fast path: the same networks, the same results, several times faster.

``fast.rnn``, ``fast.lstm`` and ``fast.gru`` have the contract of ``rnn_book.rnn``,
``rnn_book.lstm`` and ``rnn_book.gru`` (``forward(params, X, h0=None[, c0]) -> (Y, cache)``,
``backward_from(params, cache, *, dZ, dH) -> (grads, dX, dh0[, dc0])``,
``backward(params, cache, Y_true) -> (grads, dh0[, dc0])``), take the same
``RNNParams``, ``LSTMParams`` and ``GRUParams``, and agree with them to rounding. What changes
is how the work is grouped: every product that does not depend on the
recurrence runs once over all T steps, the LSTM's four gates are one stacked
matrix, weight gradients are one product after the loop, and the arrays live
in a reusable :class:`Workspace`, updated in place. The chapter "Making it
fast" tells the story; ``benchmarks/bench_step.py`` measures it.

Modules: ``workspace`` (reused buffers), ``layout`` (where the numbers live:
per-step views, inputs as columns, backward's spans), ``validate`` (sizes
checked once, values checked finite every call: the cache's fingerprint),
``output`` (softmax and cross-entropy over all steps at once), ``rnn``,
``lstm``, ``gru``, and ``ladder`` (the chapter's optimisations one at a time).
Each cell module has ``backward_from(params, cache, *, dZ, dH)``, the one
backward pass that every loss and every stacked layer uses.
"""

from rnn_book.fast import gru, lstm, rnn
from rnn_book.fast.workspace import Workspace

__all__ = ["Workspace", "gru", "lstm", "rnn"]
