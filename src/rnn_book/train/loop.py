"""The training loop: chunks in, clipped gradients, an optimizer's update, and a history.

Deterministic: the loop draws no random numbers, so the same starting
parameters, data and settings give the same run, update for update.

A :class:`Guard` watches every update. A loss or gradient that is NaN or
infinite is never applied, parameters that an update made non-finite are
reported at once, and (given the loss of guessing) a loss that explodes far
above guessing stops the run: each raises :class:`Diverged`. The guard can
also keep a copy of the last parameters that were sane, for the caller to
save when a run ends badly.
"""

import contextlib
import math
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from rnn_book.checks import all_finite, as_count, as_numeric, as_positive, check_shape
from rnn_book.gradient_flow import clip_by_global_norm, global_norm
from rnn_book.train import bptt
from rnn_book.train.data import chunks

__all__ = ["History", "Diverged", "Guard", "train"]


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
    def updates(self):
        """Updates made so far."""
        return len(self.losses)


class Diverged(ArithmeticError):
    """Training went off the rails: a non-finite number, or a loss far above guessing.

    Attributes
    ----------
    update : int
        The update (counted from 1) at which it was noticed; the parameters
        are those after ``update - 1`` updates, or after ``update`` if the
        update itself made them non-finite.
    """

    def __init__(self, message, update):
        super().__init__(message)
        self.update = update


# --8<-- [start:Guard]
class Guard:
    """Checks each update of :func:`train`; optionally keeps copies of the parameters.

    Parameters
    ----------
    chance : float, optional
        The loss per step of guessing (log k for k characters). With it, a
        loss whose mean over the last ``window`` updates exceeds
        ``explode * chance`` is divergence.
    keep : bool, optional
        Keep a copy of the parameters after every update (:attr:`latest`),
        and of the last ones whose loss was then found finite and not
        exploding (:attr:`last_good`).
    window : int, optional
    explode : float, optional

    Attributes
    ----------
    latest, latest_update
        The parameters after the last complete update, and how many updates
        they have had: what to save if a run is stopped in mid-update.
    last_good, last_good_update, last_good_loss
        The last parameters whose own loss was sane, their updates, and the
        mean loss per step of the window that ends with their loss.
    """

    def __init__(self, chance=None, *, keep=False, window=20, explode=2.0):
        self.chance = None if chance is None else as_positive("chance", chance)
        self.keep, self.explode = keep, as_positive("explode", explode)
        self.recent = deque(maxlen=as_count("window", window))
        self._latest = (0, None)  # (updates, params): one assignment, never half a copy
        self._good = (0, None, None)  # (updates, params, mean loss)

    latest_update = property(lambda self: self._latest[0])
    latest = property(lambda self: self._latest[1])
    last_good_update = property(lambda self: self._good[0])
    last_good = property(lambda self: self._good[1])
    last_good_loss = property(lambda self: self._good[2])

    def mean_loss(self):
        """The mean loss per step of the last ``window`` updates (None before the first)."""
        return float(np.mean(self.recent)) if self.recent else None

    def before_update(self, update, params, loss, norm):
        """Raise Diverged unless update ``update``'s ``loss`` (per step) and ``norm`` are sane."""
        if not (math.isfinite(loss) and math.isfinite(norm)):
            raise Diverged(f"at update {update} the loss was {loss} and the gradient's norm "
                           f"{norm}", update)
        self.recent.append(loss)
        mean = self.mean_loss()
        if self.chance is not None and mean > self.explode * self.chance:
            raise Diverged(f"at update {update} the loss of the last {len(self.recent)} updates "
                           f"was {mean:.3g} per step, {mean / self.chance:.3g} times that of "
                           f"guessing ({self.chance:.3g})", update)
        if self.keep:
            if self.latest_update != update - 1 or self.latest is None:
                self._latest = (update - 1, params.copy())
            self._good = (update - 1, self.latest, mean)  # the parameters this loss was of

    def after_update(self, update, params):
        """Raise Diverged if update number ``update`` left a parameter NaN or infinite."""
        for name, value in params.items():
            if not all_finite(value):
                raise Diverged(f"update {update} made {name} NaN or infinite", update)
        if self.keep:
            self._latest = (update, params.copy())
# --8<-- [end:Guard]


def _check_streams(inputs, targets):
    """Both as (n, B) arrays of one shape; character ids (integers) unless they are series."""
    inputs, targets = as_numeric("inputs", inputs), as_numeric("targets", targets)
    for name, a in (("inputs", inputs), ("targets", targets)):
        check_shape(name, a, ("n", "B"), ("n", "k", "B"))
    if inputs.shape[0] != targets.shape[0] or inputs.shape[-1] != targets.shape[-1]:
        raise ValueError(f"inputs and targets must have as many steps and streams; got shapes "
                         f"{inputs.shape} and {targets.shape}")
    return inputs, targets


@contextlib.contextmanager
def _numbers_of(update):
    """Turn an arithmetic error after the first update into Diverged.

    The first update runs on the caller's data and settings, so its errors
    are theirs to see; later ones come from numbers the updates made.
    """
    try:
        yield
    except Diverged:
        raise
    except (ArithmeticError, ValueError) as error:
        if update == 1:
            raise
        raise Diverged(f"at update {update}: {error}", update) from None


def _forever(inputs, targets, T):
    """Chunks of the streams, over and over; True marks the first chunk of a pass."""
    while True:
        for j, (X_ids, Y_ids) in enumerate(chunks(inputs, targets, T)):
            yield X_ids, Y_ids, j == 0


# --8<-- [start:train]
def train(cell, params, inputs, targets, optimizer, *, updates, seq_len, clip=None,
          callback=None, should_stop=None, chunk_step=bptt.chunk_step, guard=None):
    """Train ``params`` in place on B parallel streams with truncated BPTT.

    Parameters
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
        Updated in place.
    inputs, targets : (n, B) ndarray of int
        The streams, from :func:`rnn_book.train.data.streams`.
    optimizer : SGD, Adagrad or Adam
    updates : int
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
    guard : Guard, optional
        Checks every update; ``Guard()`` (finiteness only) if omitted.

    Returns
    -------
    history : History

    Raises
    ------
    Diverged
        A loss or gradient that is NaN or infinite (not applied), an update
        that made the parameters so, or (with ``guard.chance``) an exploding loss.
    """
    inputs, targets = _check_streams(inputs, targets)
    updates, seq_len = as_count("updates", updates, minimum=0), as_count("seq_len", seq_len)
    clip = None if clip is None else as_positive("clip", clip)
    guard = Guard() if guard is None else guard
    B = inputs.shape[1]
    history = History()
    start = time.perf_counter()
    batches = _forever(inputs, targets, seq_len)
    for _ in range(updates):
        if should_stop is not None and should_stop():
            break
        X_ids, Y_ids, first = next(batches)
        if first:  # a new pass over the text starts from a zero state
            state = cell.zero_state(params.d, B, params.dtype)  # (d, B) each
        update = history.updates + 1
        with np.errstate(all="ignore"), _numbers_of(update):  # NaN or overflow: the guard's
            # --8<-- [start:train_update]
            loss, grads, state = chunk_step(cell, params, X_ids, Y_ids, state)
            if clip is not None:
                grads, norm = clip_by_global_norm(grads, clip)
            else:
                norm = global_norm(grads)
            guard.before_update(update, params, loss / len(X_ids), norm)  # NaN, inf, explosion
            optimizer.update(params, grads)
            guard.after_update(update, params)
            # --8<-- [end:train_update]
        history.losses.append(loss / len(X_ids))  # per character
        history.grad_norms.append(norm)
        history.chars += X_ids.size
        history.seconds = time.perf_counter() - start
        if callback is not None:
            callback(history)
    return history
# --8<-- [end:train]
