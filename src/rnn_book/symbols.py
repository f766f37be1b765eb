"""Text as a sequence of symbols: a vocabulary, one-hot rows, and a bag of symbols.

A symbol is one character (a Korean syllable, a letter); spaces are dropped.
``one_hot`` gives the (T, k) layout that :func:`rnn_book.rnn.forward` reads,
one row x_t per step; ``bag_of_symbols`` keeps only how often each symbol
occurs, as a (k, 1) column, and forgets the order.
"""

import numpy as np

__all__ = ["symbols", "vocabulary", "check_vocab", "one_hot", "bag_of_symbols"]


def _strings(name, seq):
    """``seq`` as a list of str; TypeError naming the first item that is not one."""
    if isinstance(seq, (str, bytes)) and not isinstance(seq, str):
        raise TypeError(f"{name} must hold strings; got bytes")
    try:
        items = list(seq)
    except TypeError:
        raise TypeError(f"{name} must be a sequence of strings; got "
                        f"{type(seq).__name__}") from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"{name} must hold strings; item {i} is {item!r}")
    return items


def check_vocab(vocab, name="vocab"):
    """Raise unless ``vocab`` is a non-empty list (or tuple) of distinct strings.

    A symbol listed twice would make two rows mean one symbol, and every
    one-hot vector of it point at the second.

    Examples
    --------
    >>> from rnn_book.symbols import check_vocab
    >>> check_vocab(["a", "b", "a"])
    Traceback (most recent call last):
    ...
    ValueError: vocab lists 'a' twice; its symbols must be distinct
    """
    if not isinstance(vocab, (list, tuple)):
        raise TypeError(f"{name} must be a list of strings; got {type(vocab).__name__}")
    if not vocab:
        raise ValueError(f"{name} must hold at least one symbol; got an empty list")
    seen = set()
    for symbol in _strings(name, vocab):
        if symbol in seen:
            raise ValueError(f"{name} lists {symbol!r} twice; its symbols must be distinct")
        seen.add(symbol)


# --8<-- [start:symbols]
def symbols(text):
    """Split ``text`` into its symbols: every character that is not a space.

    Parameters
    ----------
    text : str

    Returns
    -------
    seq : list of str
        One entry per symbol, in reading order.

    Examples
    --------
    >>> from rnn_book.symbols import symbols
    >>> symbols("저는 라쿤 입니다")
    ['저', '는', '라', '쿤', '입', '니', '다']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    return [c for c in text if not c.isspace()]
# --8<-- [end:symbols]


# --8<-- [start:vocabulary]
def vocabulary(seq):
    """The distinct symbols of ``seq``, in order of first appearance.

    Parameters
    ----------
    seq : iterable of str

    Returns
    -------
    vocab : list of str
        Symbol ``vocab[i]`` is the one-hot vector with its 1 in row ``i``;
        ``k = len(vocab)``.

    Examples
    --------
    >>> from rnn_book.symbols import vocabulary
    >>> vocabulary(["b", "a", "b"])
    ['b', 'a']
    """
    return list(dict.fromkeys(_strings("seq", seq)))
# --8<-- [end:vocabulary]


def _indices(seq, vocab):
    """Positions of ``seq``'s symbols in ``vocab``; a ValueError names a stranger."""
    check_vocab(vocab)
    seq = _strings("seq", seq)
    index = {s: i for i, s in enumerate(vocab)}
    missing = [s for s in seq if s not in index]
    if missing:
        raise ValueError(f"symbol {missing[0]!r} is not in the vocabulary {list(vocab)}")
    return [index[s] for s in seq]


# --8<-- [start:one_hot]
def one_hot(seq, vocab):
    """One-hot rows, one per time step: ``X[t]`` is x_t as a row.

    Parameters
    ----------
    seq : sequence of str
        T symbols, each in ``vocab``.
    vocab : list of str
        The k symbols.

    Returns
    -------
    X : (T, k) ndarray
        The layout :func:`rnn_book.rnn.forward` takes for one sequence.

    Examples
    --------
    >>> from rnn_book.symbols import one_hot
    >>> one_hot(["b", "a"], ["a", "b"])
    array([[0., 1.],
           [1., 0.]])
    """
    return np.eye(len(vocab))[_indices(seq, vocab)]  # (T, k)
# --8<-- [end:one_hot]


# --8<-- [start:bag_of_symbols]
def bag_of_symbols(seq, vocab):
    """How often each symbol occurs, x_1 + ... + x_T: the order is thrown away.

    Parameters
    ----------
    seq : sequence of str
    vocab : list of str
        The k symbols.

    Returns
    -------
    counts : (k, 1) ndarray
        ``counts[i, 0]`` counts ``vocab[i]``; a column, like every vector here.

    Examples
    --------
    >>> from rnn_book.symbols import bag_of_symbols
    >>> bag_of_symbols(["b", "a", "b"], ["a", "b"]).T  # printed as a row
    array([[1., 2.]])
    """
    return one_hot(seq, vocab).sum(axis=0)[:, np.newaxis]  # (k, 1)
# --8<-- [end:bag_of_symbols]
