"""Text as training data: characters to integers, B parallel streams, chunks of T steps.

One long text is cut into B contiguous streams of equal length, one per
column of a batch. Stream b is characters ``b*n .. b*n + n - 1``, and its
targets are the same characters shifted by one. The loop reads the streams
in chunks of T steps, left to right, so the state that chunk j ends in is
exactly the state that chunk j + 1 of the same stream should start from.
"""

import numpy as np

from rnn_book.checks import as_count, as_numeric
from rnn_book.symbols import check_vocab, vocabulary

__all__ = ["char_vocabulary", "check_vocab", "encode", "decode", "split_text", "streams",
           "chunks", "one_hot_batch"]


def _as_ids(name, ids, k=None, ndim=None):
    """``ids`` as an int array of character ids in ``0 .. k - 1`` (any if k is None)."""
    ids = as_numeric(name, ids)
    if ids.dtype.kind not in "iu" and not (ids.size == 0 and ids.dtype.kind == "f"):
        raise TypeError(f"{name} must hold integer character ids; got dtype {ids.dtype}")
    if ndim is not None and ids.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension{'s' * (ndim != 1)}; "
                         f"got shape {ids.shape}")
    ids = ids.astype(np.intp, copy=False)
    bad = (ids < 0) if k is None else ((ids < 0) | (ids >= k))
    if bad.any():
        where = "non-negative" if k is None else f"in 0 .. {k - 1}"
        raise ValueError(f"{name} must be {where}; got {ids[bad].flat[0]}")
    return ids


# --8<-- [start:char_vocabulary]
def char_vocabulary(text):
    """Every distinct character of ``text`` (spaces and newlines too), sorted.

    Parameters
    ----------
    text : str

    Returns
    -------
    vocab : list of str
        ``k = len(vocab)`` symbols; character ``vocab[i]`` is one-hot row ``i``.

    Examples
    --------
    >>> from rnn_book.train.data import char_vocabulary
    >>> char_vocabulary("hello world")
    [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    return sorted(vocabulary(text))
# --8<-- [end:char_vocabulary]


def encode(text, vocab):
    """The index of each character of ``text`` in ``vocab``, as an int array.

    Examples
    --------
    >>> from rnn_book.train.data import encode
    >>> encode("hello", ["e", "h", "l", "o"])
    array([1, 0, 2, 2, 3])
    """
    check_vocab(vocab)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    index = {ch: i for i, ch in enumerate(vocab)}
    try:
        return np.array([index[ch] for ch in text], dtype=np.intp)
    except KeyError as error:
        raise ValueError(f"character {error.args[0]!r} is not in the vocabulary") from None


def decode(ids, vocab):
    """The text that indices ``ids`` spell in ``vocab``.

    Examples
    --------
    >>> from rnn_book.train.data import decode
    >>> decode([1, 0, 2, 2, 3], ["e", "h", "l", "o"])
    'hello'
    """
    check_vocab(vocab)
    return "".join(vocab[i] for i in _as_ids("ids", ids, len(vocab)).ravel())


def split_text(text, held_out=0.1):
    """Cut ``text`` into a training part and the last ``held_out`` fraction.

    Examples
    --------
    >>> from rnn_book.train.data import split_text
    >>> split_text("abcdefghij", held_out=0.2)
    ('abcdefgh', 'ij')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    if isinstance(held_out, bool) or not isinstance(held_out, (int, float, np.number)) \
            or not 0 <= held_out < 1:
        raise ValueError(f"held_out must be a number in [0, 1); got {held_out!r}")
    cut = len(text) - round(len(text) * held_out)
    return text[:cut], text[cut:]


# --8<-- [start:streams]
def streams(ids, B):
    """B parallel streams of inputs and their next-character targets.

    Parameters
    ----------
    ids : (N,) array_like of int
        The encoded text (or any series of numbers).
    B : int
        Number of streams, the batch size.

    Returns
    -------
    inputs, targets : (n, B) ndarray of int
        Column b is stream b; ``targets[t, b]`` is the character after
        ``inputs[t, b]``. ``n = (N - 1) // B``; the few characters left over
        at the end are not used.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.data import streams
    >>> inputs, targets = streams(np.arange(9), B=2)
    >>> inputs.T
    array([[0, 1, 2, 3],
           [4, 5, 6, 7]])
    >>> targets.T
    array([[1, 2, 3, 4],
           [5, 6, 7, 8]])
    """
    ids, B = as_numeric("ids", ids), as_count("B", B)  # ids, or a series of numbers
    if ids.ndim != 1:
        raise ValueError(f"ids must be one sequence, of shape (N,); got shape {ids.shape}")
    n = (len(ids) - 1) // B  # steps per stream
    if n < 1:
        raise ValueError(f"a text of {len(ids)} characters is too short for {B} streams")
    # --8<-- [start:streams_body]
    starts = np.arange(B) * n  # (B,)  stream b starts at character b * n
    steps = np.arange(n)[:, None]  # (n, 1)
    inputs = ids[starts + steps]  # (n, B)
    targets = ids[starts + steps + 1]  # (n, B)  the next character
    # --8<-- [end:streams_body]
    return inputs, targets
# --8<-- [end:streams]


# --8<-- [start:chunks]
def chunks(inputs, targets, T):
    """Consecutive chunks of T steps of every stream, left to right.

    The last chunk is shorter when T does not divide the streams' length.

    Parameters
    ----------
    inputs, targets : (n, B) ndarray of int
    T : int
        Steps per chunk: how far back the gradient reaches.

    Yields
    ------
    X_ids, Y_ids : (T, B) ndarray of int

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.data import chunks, streams
    >>> inputs, targets = streams(np.arange(9), B=2)
    >>> [X.T.tolist() for X, _ in chunks(inputs, targets, T=3)]
    [[[0, 1, 2], [4, 5, 6]], [[3], [7]]]
    """
    T = as_count("T", T)  # checked at the first chunk: T <= 0 would yield nothing
    for start in range(0, len(inputs), T):
        yield inputs[start:start + T], targets[start:start + T]
# --8<-- [end:chunks]


def one_hot_batch(ids, k, dtype=np.float64):
    """One-hot inputs ``(T, k, B)`` for indices ``(T, B)``: ``X[t]`` is x_t for every stream.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.data import one_hot_batch
    >>> one_hot_batch(np.array([[0, 2]]), k=3)[0]  # one step, two streams as columns
    array([[1., 0.],
           [0., 0.],
           [0., 1.]])
    """
    k = as_count("k", k)
    ids = _as_ids("ids", ids, k, ndim=2)
    return np.eye(k, dtype=dtype)[ids].transpose(0, 2, 1)  # (T, B, k) -> (T, k, B)
