"""The fast path: the same networks, the same results, several times faster.

``fast.rnn`` and ``fast.lstm`` have the contract of ``rnn_book.rnn`` and
``rnn_book.lstm`` (``forward(params, X, h0=None[, c0]) -> (Y, cache)``,
``backward(params, cache, Y_true) -> (grads, dh0[, dc0])``), take the same
``RNNParams`` and ``LSTMParams``, and agree with them to rounding. What changes
is how the work is grouped: every product that does not depend on the
recurrence runs once over all T steps, the LSTM's four gates are one stacked
matrix, weight gradients are one product after the loop, and the arrays live
in a reusable :class:`Workspace`, updated in place. The chapter "Making it
fast" tells the story; ``benchmarks/bench_step.py`` measures it.

Modules: ``workspace`` (reused buffers and per-step views), ``output``
(softmax and cross-entropy over all steps at once), ``rnn``, ``lstm``.
"""

from rnn_book.fast import lstm, rnn
from rnn_book.fast.workspace import Workspace

__all__ = ["Workspace", "lstm", "rnn"]
