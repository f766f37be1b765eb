"""Checkpoints: a trained model in one ``.npz`` file, with its vocabulary and settings.

The file holds every parameter array under ``param/<name>`` and one JSON
string, ``meta``, with the cell's name, the vocabulary and the
hyperparameters. Nothing is pickled.

Saving never loses a file. It refuses parameters that hold NaN or infinity;
it writes a temporary file next to the destination and renames it over the
old one, so an interrupted save leaves the old checkpoint whole; the new file
keeps the old one's permissions, and a symbolic link is written through (the
link stays a link). :func:`check_destination` says before a run starts
whether its checkpoint can be written at all.

Loading treats the file as untrusted. It reads the archive's directory and
each array's ``.npy`` header first (names, dtypes, shapes, sizes) and reads
no array until all of them fit the model the metadata describes, so a small
file that would inflate into gigabytes is refused unread. A mismatched or
corrupt file raises :class:`CheckpointError`, never a half-loaded model.
"""

import json
import math
import os
import secrets
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from rnn_book.train.cells import get_cell
from rnn_book.train.memory import available_bytes, describe_bytes
from rnn_book.train.stacks import StackCell, stack_cell

__all__ = ["Checkpoint", "CheckpointError", "save", "load", "check_destination"]

FORMAT = "rnn-book checkpoint"
VERSION = 1
MAX_META_BYTES = 64 * 2**20  # the JSON metadata, stored as UTF-32: 16 M characters
MAX_MEMBERS = 64  # arrays in one archive; an LSTM has 14
MAX_INFLATION = 100  # our files are stored, not compressed: refuse a member that inflates more


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
        Settings of the run (hidden size, learning rate, updates made, ...).
        ``rnn-book train`` once kept the number of updates as ``"steps"``;
        :func:`load` reports it as ``"updates"``, so old files read as new ones.
    """

    cell: object
    params: object
    vocab: list
    hparams: dict = field(default_factory=dict)


def _check_vocab(vocab, where):
    """Raise unless ``vocab`` is a list of distinct strings."""
    if not isinstance(vocab, (list, tuple)):
        raise TypeError(f"{where} must be a list of strings; got {type(vocab).__name__}")
    for i, symbol in enumerate(vocab):
        if not isinstance(symbol, str):
            raise TypeError(f"{where} must hold strings; item {i} is {symbol!r}")
    if len(set(vocab)) != len(vocab):
        raise ValueError(f"{where} holds a symbol twice")


# --8<-- [start:save]
def save(path, cell, params, vocab, hparams=None):
    """Write a checkpoint to ``path`` (an ``.npz`` file), atomically.

    Parameters
    ----------
    path : str or Path
        A new file, or a checkpoint to replace (see :func:`check_destination`;
        CheckpointError otherwise).
    cell : Cell
    params : RNNParams or LSTMParams
        Finite numbers only: NaN or infinity raises ValueError, and the file
        at ``path`` is left as it was.
    vocab : list of str
        ``len(vocab)`` must be ``params.k``.
    hparams : dict, optional
        JSON-serialisable settings to keep with the model.
    """
    _check_vocab(vocab, "vocab")
    if len(vocab) != params.k:
        raise ValueError(f"the vocabulary has {len(vocab)} symbols; "
                         f"the model reads {params.k}")
    params.validate()  # shapes, dtypes, and no NaN or infinity
    check_destination(path)  # never over a folder, or a file that is not a checkpoint
    meta = {"format": FORMAT, "version": VERSION, "cell": cell.name,
            "vocab": list(vocab), "hparams": dict(hparams or {})}
    if isinstance(cell, StackCell):  # a deep or bidirectional network
        meta.update(layers=cell.layers, bidirectional=cell.bidirectional)
    try:
        meta_json = json.dumps(meta, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"hparams must be JSON numbers, strings, lists and dicts: {error}") from None
    arrays = {f"param/{name}": value for name, value in params.items()}
    _replace(path, lambda f: np.savez(f, meta=np.array(meta_json), **arrays))
# --8<-- [end:save]


def _replace(path, write):
    """Write a new file with ``write(f)`` and rename it over ``path``: the old file or the whole new one.

    A symbolic link is followed, so the link's target is replaced and the
    link stays; the new file gets the old one's permission bits, or those a
    new file gets (0666 minus the umask).
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, tmp = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())  # on disk before the rename makes it the checkpoint
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def _create_temporary(target):
    """A new file next to ``target``, created with the mode a new file gets (umask applied)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file next to {target}")


# --8<-- [start:check_destination]
def check_destination(path, *, protect=()):
    """Raise CheckpointError unless a checkpoint can be written at ``path``; write nothing.

    Called before a run starts, so that a bad path costs nothing. It refuses an
    empty path, a folder, a path whose folder is missing or is a file, a
    folder where no file can be created, a read-only file, a file in
    ``protect`` (the training text, say), and an existing file that is not an
    rnn-book checkpoint: saving replaces the file, and a user's other files
    are never replaced.

    Parameters
    ----------
    path : str or Path
    protect : iterable of str or Path, optional
        Files that must not be the destination.
    """
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise CheckpointError(f"the checkpoint path must be a file name; got {path!r}")
    target = Path(os.path.realpath(path))  # where a symbolic link points
    for other in protect:
        if other is not None and _same_file(other, target):
            raise CheckpointError(f"{path} is also the training text {other}: saving would "
                                  "overwrite it; choose another checkpoint path")
    folder = target.parent
    if target.is_dir():
        raise CheckpointError(f"{path} is a folder; give a file name such as {Path(path) / 'model.npz'}")
    if not folder.exists():
        raise CheckpointError(f"cannot save to {path}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise CheckpointError(f"cannot save to {path}: {folder} is a file, not a folder")
    if target.exists():
        if not target.is_file():
            raise CheckpointError(f"{path} is not a regular file; choose another checkpoint path")
        if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:
            raise CheckpointError(f"{path} is read-only; choose another checkpoint path")
        try:
            _read_meta(target)
        except CheckpointError:
            raise CheckpointError(f"{path} exists and is not an rnn-book checkpoint; it will not "
                                  "be overwritten: choose another path or remove it") from None
    try:
        fd, tmp = _create_temporary(target)
    except OSError as error:
        raise CheckpointError(f"cannot write in {folder}: {error.strerror or error}") from None
    os.close(fd)
    os.unlink(tmp)
# --8<-- [end:check_destination]


def _same_file(a, b):
    """Whether paths ``a`` and ``b`` name one file (through links, hard or symbolic)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def _headers(path):
    """The archive's members as ``{name: (shape, dtype)}``, from their .npy headers alone.

    Raises CheckpointError for anything but a zip of ``.npy`` members whose
    stored size is exactly what their header declares.
    """
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    headers = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ValueError(f"{len(members)} members; a checkpoint has at most {MAX_MEMBERS}")
            for info in members:
                if not info.filename.endswith(".npy"):
                    raise ValueError(f"unexpected member {info.filename!r}")
                if info.file_size > MAX_INFLATION * max(info.compress_size, 2**16):
                    raise ValueError(f"{info.filename} would inflate {info.file_size:,} bytes "
                                     f"from {info.compress_size:,}")
                with archive.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                            else np.lib.format.read_array_header_2_0)
                    shape, fortran, dtype = read(f)
                    offset = f.tell()
                if dtype.hasobject:
                    raise ValueError(f"{info.filename} holds Python objects")
                nbytes = math.prod(shape) * dtype.itemsize
                if info.file_size != offset + nbytes:
                    raise ValueError(f"{info.filename} declares {nbytes} bytes of data but "
                                     f"stores {info.file_size - offset}")
                headers[info.filename.removesuffix(".npy")] = (shape, dtype)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as error:
        raise CheckpointError(f"{path} is not a readable rnn-book checkpoint "
                              f"(corrupt, truncated or not an .npz file): {error}") from None
    return headers


def _read_member(path, name):
    """One array of the archive, read in full; CheckpointError if it is damaged."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(f"{name}.npy") as f:
            return np.lib.format.read_array(f, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as error:
        raise CheckpointError(f"{path} is not a readable rnn-book checkpoint "
                              f"(corrupt, truncated or not an .npz file): {error}") from None


def _read_meta(path, headers=None):
    """The metadata, every field checked for its type: ``(cell, vocab, hparams)``."""
    headers = _headers(path) if headers is None else headers
    shape, dtype = headers.get("meta", (None, None))
    if shape != () or dtype.kind != "U" or dtype.itemsize > MAX_META_BYTES:
        raise CheckpointError(f"{path} is not a valid rnn-book checkpoint: it has no "
                              "metadata string (or one over 64 MiB)")
    try:
        meta = json.loads(str(_read_member(path, "meta")))
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError("its meta does not say it is one")
        if meta.get("version") != VERSION:
            raise ValueError(f"version {meta.get('version')!r}; this code reads {VERSION}")
        if not isinstance(meta.get("cell"), str):
            raise ValueError(f"cell must be a name such as 'lstm'; got {meta.get('cell')!r}")
        saved_cell = get_cell(meta["cell"])  # ValueError for a cell this code does not know
        if "layers" in meta:  # a stack: StackParams checks its arrays' names
            if not isinstance(meta.get("bidirectional"), bool):
                raise ValueError(f"bidirectional must be true or false; "
                                 f"got {meta.get('bidirectional')!r:.80}")
            saved_cell = stack_cell(meta["cell"], meta["layers"], meta["bidirectional"])
        vocab, hparams = meta.get("vocab"), meta.get("hparams")
        if not isinstance(vocab, list) or not vocab:
            raise ValueError(f"vocab must be a non-empty list of strings; got {vocab!r:.80}")
        _check_vocab(vocab, "vocab")
        if not isinstance(hparams, dict):
            raise ValueError(f"hparams must be a dict; got {hparams!r:.80}")
    except (ValueError, TypeError, RecursionError) as error:
        raise CheckpointError(f"{path} is not a valid rnn-book checkpoint: {error}") from None
    if "steps" in hparams and "updates" not in hparams:  # written before the rename
        hparams = {("updates" if name == "steps" else name): value
                   for name, value in hparams.items()}
    return saved_cell, vocab, hparams


def _check_arrays(path, cell, vocab, headers):
    """Compare the parameters' headers with what the cell and vocabulary need, before reading."""
    names = [name.removeprefix("param/") for name in headers if name != "meta"]
    if isinstance(cell, StackCell):  # StackParams checks names and shapes once read
        _check_total(path, [headers[f"param/{name}"] for name in names])
        return
    expected = [f.name for f in fields(cell.params_type)]
    if sorted(names) != sorted(expected) or len(headers) != len(expected) + 1:
        raise CheckpointError(f"{path}: a {cell.name} model has arrays {expected}; "
                              f"the file has {names}")
    sizes = {"k": len(vocab), "k_out": len(vocab)}
    for name in expected:
        shape, dtype = headers[f"param/{name}"]
        form = cell.params_type.shapes[name]
        if dtype.kind != "f" or len(shape) != len(form):
            raise CheckpointError(f"{path} holds inconsistent parameters: {name} has shape "
                                  f"{shape} and dtype {dtype}")
        for symbol, n in zip(form, shape):
            required = sizes.setdefault(symbol, n) if isinstance(symbol, str) else symbol
            if n != required:
                what = ("its vocabulary has {}".format(len(vocab)) if symbol in ("k", "k_out")
                        else f"expected {symbol} = {required}")
                raise CheckpointError(f"{path} holds inconsistent parameters: {name} has shape "
                                      f"{shape}; {what}")
    _check_total(path, [headers[f"param/{name}"] for name in expected])


def _check_total(path, headers):
    """Refuse parameters that would not fit in the memory available."""
    total = 0
    for shape, dtype in headers:
        if dtype.kind != "f":
            raise CheckpointError(f"{path} holds inconsistent parameters: dtype {dtype}")
        total += math.prod(shape) * dtype.itemsize
    available = available_bytes()
    if available is not None and total > available:
        raise CheckpointError(f"{path} holds parameters of {describe_bytes(total)}; this "
                              f"machine has {describe_bytes(available)} available")


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
        Missing, corrupt or foreign file, metadata of the wrong type, missing,
        misshapen or oversized arrays, or a cell or vocabulary other than the
        one asked for.
    """
    path = Path(path)
    headers = _headers(path)  # names, shapes and sizes; no array read yet
    saved_cell, saved_vocab, hparams = _read_meta(path, headers)
    if cell is not None and cell != saved_cell.name:
        raise CheckpointError(f"{path} holds a {saved_cell.name} model, not a {cell} model")
    if vocab is not None and list(vocab) != saved_vocab:
        raise CheckpointError(f"{path} was trained on another vocabulary "
                              f"({len(saved_vocab)} symbols; expected {len(vocab)})")
    _check_arrays(path, saved_cell, saved_vocab, headers)
    if isinstance(saved_cell, StackCell):
        names = [name.removeprefix("param/") for name in headers if name != "meta"]
    else:
        names = [f.name for f in fields(saved_cell.params_type)]
    arrays = {name: _read_member(path, f"param/{name}") for name in names}
    try:
        params = saved_cell.params_type(**arrays)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path} holds inconsistent parameters: {error}") from None
    if isinstance(saved_cell, StackCell) and (
            params.cell, params.n_layers, params.bidirectional, params.k, params.k_out) != (
            saved_cell.name, saved_cell.layers, saved_cell.bidirectional,
            len(saved_vocab), len(saved_vocab)):
        raise CheckpointError(f"{path}: its meta says {saved_cell.layers} {saved_cell.name} "
                              f"layer(s), bidirectional={saved_cell.bidirectional}, "
                              f"{len(saved_vocab)} symbols; its arrays hold {params.n_layers} "
                              f"{params.cell} layer(s), bidirectional={params.bidirectional}, "
                              f"k = {params.k}, k_out = {params.k_out}")
    return Checkpoint(cell=saved_cell, params=params, vocab=saved_vocab, hparams=hparams)
# --8<-- [end:load]
