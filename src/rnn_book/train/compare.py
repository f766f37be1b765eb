"""Cells side by side: the same streams, settings and seed for each; and a task that needs memory.

:func:`train_cells` trains a fresh model of each named cell with the training
loop of :mod:`rnn_book.train.loop`, so that the loss curves differ only by the
cell. :func:`echo_streams` makes the delayed echo, a task whose every target
is the input of ``delay`` steps before: nothing in the last few inputs tells
it, so a model that cannot carry a symbol for ``delay`` steps stays at the
loss of guessing, log k.
"""

import numpy as np

from rnn_book.train import loop, optim
from rnn_book.train.cells import get_cell

__all__ = ["echo_streams", "train_cells"]


# --8<-- [start:echo_streams]
def echo_streams(n, B, delay, k, *, rng=None):
    """B streams of random symbols; the target at each step is the input ``delay`` steps before.

    Parameters
    ----------
    n : int
        Steps per stream.
    B : int
        Number of streams.
    delay : int
        How far back each target lies, at least 1.
    k : int
        Number of symbols.
    rng : int or numpy.random.Generator, optional

    Returns
    -------
    inputs, targets : (n, B) ndarray of int
        ``targets[t] == inputs[t - delay]`` for ``t >= delay``; the first
        ``delay`` targets are the symbols just before the streams start.

    Examples
    --------
    >>> from rnn_book.train.compare import echo_streams
    >>> inputs, targets = echo_streams(8, 2, delay=3, k=4, rng=0)
    >>> bool((targets[3:] == inputs[:-3]).all()), inputs.shape
    (True, (8, 2))
    """
    for name, value in (("n", n), ("B", B), ("delay", delay), ("k", k)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer; got {value!r}")
    symbols = np.random.default_rng(rng).integers(0, k, (n + delay, B))  # (n + delay, B)
    return symbols[delay:], symbols[:-delay]
# --8<-- [end:echo_streams]


# --8<-- [start:train_cells]
def train_cells(names, k, inputs, targets, *, d, updates, seq_len, lr=0.01, clip=5.0, seed=0):
    """Train one fresh model per cell name on the same streams; their histories by name.

    Every model starts from ``init_params(k, d, rng=seed)`` and trains with
    Adam (learning rate ``lr``), clipping at ``clip`` and truncated BPTT over
    chunks of ``seq_len`` steps, the fast path.

    Returns
    -------
    runs : dict
        ``name -> (params, history)``; ``history.losses`` holds the loss per
        character of every update.

    Examples
    --------
    >>> from rnn_book.train.compare import echo_streams, train_cells
    >>> inputs, targets = echo_streams(200, 4, delay=2, k=3, rng=0)
    >>> runs = train_cells(["rnn", "gru"], 3, inputs, targets, d=8, updates=5, seq_len=10)
    >>> sorted(runs), len(runs["gru"][1].losses)
    (['gru', 'rnn'], 5)
    """
    runs = {}
    for name in names:
        cell = get_cell(name)
        params = cell.init_params(k, d, rng=seed)
        history = loop.train(cell, params, inputs, targets, optim.Adam(lr), updates=updates,
                             seq_len=seq_len, clip=clip)
        runs[name] = (params, history)
    return runs
# --8<-- [end:train_cells]
