"""Labelling every character of a text: the book's small task where the future matters.

The label of character t is 1 if it is the last letter of a word (a letter
followed by a character that is not one), else 0. Whether t ends a word is
decided by character t+1, which a model reading left to right has not seen
at step t; a bidirectional model's reversed pass has. The text and its
labels are cut into B parallel streams, as a language model's text is, and
trained with the same loop: the targets are labels instead of next characters.
"""

import numpy as np

from rnn_book.train.data import one_hot_batch

__all__ = ["word_end_labels", "first_letter_labels", "label_streams", "label_scores"]


# --8<-- [start:word_end_labels]
def word_end_labels(text):
    """1 for the last letter of each word, 0 elsewhere: ``(N,)`` ints.

    Examples
    --------
    >>> from rnn_book.train.tagging import word_end_labels
    >>> word_end_labels("is it?").tolist()
    [0, 1, 0, 0, 1, 0]
    """
    letter = np.array([c.isalpha() for c in text], dtype=bool)  # (N,)
    next_letter = np.append(letter[1:], False)  # (N,)  is character t+1 a letter?
    return (letter & ~next_letter).astype(np.int64)
# --8<-- [end:word_end_labels]


def first_letter_labels(text):
    """1 for the first letter of each word, 0 elsewhere: ``(N,)`` ints.

    Examples
    --------
    >>> from rnn_book.train.tagging import first_letter_labels
    >>> first_letter_labels("is it?").tolist()
    [1, 0, 0, 1, 0, 0]
    """
    letter = np.array([c.isalpha() for c in text], dtype=bool)  # (N,)
    previous_letter = np.insert(letter[:-1], 0, False)  # (N,)  was character t-1 a letter?
    return (letter & ~previous_letter).astype(np.int64)


def label_streams(ids, labels, B):
    """Characters and their labels as B parallel streams, ``(n, B)`` each.

    Examples
    --------
    >>> from rnn_book.train.tagging import label_streams
    >>> inputs, targets = label_streams([5, 6, 7, 8, 9], [0, 1, 0, 1, 0], B=2)
    >>> inputs.tolist(), targets.tolist()
    ([[5, 7], [6, 8]], [[0, 0], [1, 1]])
    """
    ids, labels = np.asarray(ids), np.asarray(labels)
    if ids.shape != labels.shape or ids.ndim != 1:
        raise ValueError(f"ids and labels must be two (N,) arrays of one length; "
                         f"got {ids.shape} and {labels.shape}")
    n = len(ids) // B
    if n < 1:
        raise ValueError(f"{len(ids)} characters cannot fill B = {B} streams")
    return ids[:n * B].reshape(B, n).T, labels[:n * B].reshape(B, n).T  # (n, B) each


# --8<-- [start:label_scores]
def label_scores(cell, params, ids, labels, *, B=4):
    """How well a trained tagger labels a text it reads whole, stream by stream.

    Returns
    -------
    accuracy : float
        The fraction of characters labelled right.
    found : float
        The fraction of the characters labelled 1 that the model labels 1.
    """
    inputs, targets = label_streams(ids, labels, B)  # (n, B) each
    X = one_hot_batch(inputs, params.k, params.dtype)  # (n, k, B)
    Y, _, _ = cell.forward(params, X, cell.zero_state(params.d, B, params.dtype))
    predicted = Y.argmax(axis=1)  # (n, B)  the likelier label at every step
    accuracy = float(np.mean(predicted == targets))
    found = float(np.mean(predicted[targets == 1] == 1))
    return accuracy, found
# --8<-- [end:label_scores]
