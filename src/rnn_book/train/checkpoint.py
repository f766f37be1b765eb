"""Checkpoints: a trained model in one ``.npz`` file, with its vocabulary and settings.

The file holds every parameter array under ``param/<name>`` and one JSON
string, ``meta``, with the cell's name, the vocabulary and the
hyperparameters. Nothing is pickled. Saving writes a temporary file and
renames it, so an interrupted save never leaves a broken checkpoint behind;
loading checks everything before it returns, so a mismatched or corrupt file
raises :class:`CheckpointError` and never gives a half-loaded model.
"""

import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from rnn_book.train.cells import get_cell

__all__ = ["Checkpoint", "CheckpointError", "save", "load"]

FORMAT = "rnn-book checkpoint"
VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded, or does not fit what it is loaded for."""


@dataclass
class Checkpoint:
    """A model as saved: cell, parameters, vocabulary, hyperparameters.

    Attributes
    ----------
    cell : Cell
    params : RNNParams or LSTMParams
    vocab : list of str
    hparams : dict
        Settings of the run (hidden size, learning rate, steps taken, ...).
    """

    cell: object
    params: object
    vocab: list
    hparams: dict = field(default_factory=dict)


# --8<-- [start:save]
def save(path, cell, params, vocab, hparams=None):
    """Write a checkpoint to ``path`` (an ``.npz`` file), atomically.

    Parameters
    ----------
    path : str or Path
    cell : Cell
    params : RNNParams or LSTMParams
    vocab : list of str
        ``len(vocab)`` must be ``params.k``.
    hparams : dict, optional
        JSON-serialisable settings to keep with the model.
    """
    path = Path(path)
    if len(vocab) != params.k:
        raise ValueError(f"the vocabulary has {len(vocab)} symbols; "
                         f"the model reads {params.k}")
    meta = {"format": FORMAT, "version": VERSION, "cell": cell.name,
            "vocab": list(vocab), "hparams": dict(hparams or {})}
    arrays = {f"param/{name}": value for name, value in params.items()}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(tmp, path)  # the old file or the whole new one, never half
    except BaseException:
        os.unlink(tmp)
        raise
# --8<-- [end:save]


def _read(path):
    """Every array of the file, read in full; CheckpointError if it is not a good .npz."""
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise CheckpointError(f"{path} is not a readable rnn-book checkpoint "
                              f"(corrupt, truncated or not an .npz file): {error}") from None


# --8<-- [start:load]
def load(path, *, cell=None, vocab=None):
    """Read a checkpoint; check it whole before returning it.

    Parameters
    ----------
    path : str or Path
    cell : str, optional
        ``"rnn"`` or ``"lstm"``: refuse a checkpoint of the other cell.
    vocab : list of str, optional
        Refuse a checkpoint whose vocabulary differs.

    Returns
    -------
    checkpoint : Checkpoint

    Raises
    ------
    CheckpointError
        Missing, corrupt or foreign file, missing or misshapen arrays, or a
        cell or vocabulary other than the one asked for.
    """
    path = Path(path)
    arrays = _read(path)
    try:
        meta = json.loads(str(arrays.pop("meta")))
        if meta.get("format") != FORMAT:
            raise ValueError("its meta does not say it is one")
        if meta.get("version") != VERSION:
            raise ValueError(f"version {meta.get('version')!r}; this code reads {VERSION}")
        saved_cell = get_cell(meta["cell"])
        saved_vocab, hparams = list(meta["vocab"]), dict(meta["hparams"])
    except (KeyError, ValueError, TypeError) as error:
        raise CheckpointError(f"{path} is not a valid rnn-book checkpoint: {error}") from None
    if cell is not None and cell != saved_cell.name:
        raise CheckpointError(f"{path} holds a {saved_cell.name} model, not a {cell} model")
    if vocab is not None and list(vocab) != saved_vocab:
        raise CheckpointError(f"{path} was trained on another vocabulary "
                              f"({len(saved_vocab)} symbols; expected {len(vocab)})")
    names = [name.removeprefix("param/") for name in arrays]
    expected = [f.name for f in fields(saved_cell.params_type)]
    if sorted(names) != sorted(expected):
        raise CheckpointError(f"{path}: a {saved_cell.name} model has arrays {expected}; "
                              f"the file has {names}")
    try:
        params = saved_cell.params_type(**{n: arrays[f"param/{n}"] for n in expected})
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path} holds inconsistent parameters: {error}") from None
    if not params.k == params.k_out == len(saved_vocab):
        raise CheckpointError(f"{path}: the model reads {params.k} and writes {params.k_out} "
                              f"symbols; its vocabulary has {len(saved_vocab)}")
    return Checkpoint(cell=saved_cell, params=params, vocab=saved_vocab, hparams=hparams)
# --8<-- [end:load]
