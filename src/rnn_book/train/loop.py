"""The training loop: chunks in, clipped gradients, an optimizer's step, and a history.

Deterministic: the loop draws no random numbers, so the same starting
parameters, data and settings give the same run, step for step.
"""

import time
from dataclasses import dataclass, field

from rnn_book.gradient_flow import clip_by_global_norm, global_norm
from rnn_book.train import bptt
from rnn_book.train.data import chunks

__all__ = ["History", "train"]


@dataclass
class History:
    """What the loop records, one entry per update.

    Attributes
    ----------
    losses : list of float
        Loss per step of each update's chunk: cross-entropy per character
        (nats) for a language model.
    grad_norms : list of float
        Global norm of the gradient before clipping.
    chars : int
        Characters read so far (T * B per update).
    seconds : float
        Wall time spent in the loop.
    """

    losses: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0

    @property
    def steps(self):
        """Updates made so far."""
        return len(self.losses)


def _forever(inputs, targets, T):
    """Chunks of the streams, over and over; True marks the first chunk of a pass."""
    while True:
        for j, (X_ids, Y_ids) in enumerate(chunks(inputs, targets, T)):
            yield X_ids, Y_ids, j == 0


# --8<-- [start:train]
def train(cell, params, inputs, targets, optimizer, *, steps, seq_len, clip=None,
          callback=None, should_stop=None, chunk_step=bptt.chunk_step):
    """Train ``params`` in place on B parallel streams with truncated BPTT.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
        Updated in place.
    inputs, targets : (n, B) ndarray of int
        The streams, from :func:`rnn_book.train.data.streams`.
    optimizer : SGD, Adagrad or Adam
    steps : int
        Number of updates. The streams are read again from the start (and
        the state reset to zeros) whenever they run out.
    seq_len : int
        T, the chunk length.
    clip : float, optional
        Clip the gradient's global norm to this; no clipping if None.
    callback : callable, optional
        ``callback(history)`` after every update (progress, samples).
    should_stop : callable, optional
        Checked before every update; when it returns True the loop stops
        between two updates, never in the middle of one.
    chunk_step : callable, optional
        ``chunk_step(cell, params, X, Y, state) -> (loss, grads, state)``;
        cross-entropy on characters by default, see also
        :func:`rnn_book.train.regression.chunk_step`.

    Returns
    -------
    history : History
    """
    B = inputs.shape[1]
    history = History()
    start = time.perf_counter()
    batches = _forever(inputs, targets, seq_len)
    for _ in range(steps):
        if should_stop is not None and should_stop():
            break
        X_ids, Y_ids, first = next(batches)
        if first:  # a new pass over the text starts from a zero state
            state = cell.zero_state(params.d, B, params.dtype)  # (d, B) each
        # --8<-- [start:train_update]
        loss, grads, state = chunk_step(cell, params, X_ids, Y_ids, state)
        if clip is not None:
            grads, norm = clip_by_global_norm(grads, clip)
        else:
            norm = global_norm(grads)
        optimizer.step(params, grads)
        # --8<-- [end:train_update]
        history.losses.append(loss / len(X_ids))  # per character
        history.grad_norms.append(norm)
        history.chars += X_ids.size
        history.seconds = time.perf_counter() - start
        if callback is not None:
            callback(history)
    return history
# --8<-- [end:train]
