"""Symbols, vocabulary, one-hot rows and the bag of symbols (chapter 1)."""

import numpy as np
import pytest

from rnn_book import rnn
from rnn_book.symbols import bag_of_symbols, one_hot, symbols, vocabulary

SENTENCE = "저는 라쿤 입니다"  # "I am a raccoon"
SHUFFLED = "입라는쿤저다니"  # the lecture's shuffle of the same syllables


def test_symbols_drop_spaces_and_keep_order():
    assert symbols(SENTENCE) == ["저", "는", "라", "쿤", "입", "니", "다"]
    assert symbols(" a\tb\nc ") == ["a", "b", "c"]


def test_vocabulary_is_first_appearance_order():
    assert vocabulary("abcab") == ["a", "b", "c"]
    assert vocabulary([]) == []


def test_one_hot_rows_are_the_symbols():
    vocab = vocabulary(symbols(SENTENCE))
    X = one_hot(symbols(SHUFFLED), vocab)
    assert X.shape == (7, 7) and X.dtype == np.float64
    assert np.all(X.sum(axis=1) == 1)
    assert [vocab[i] for i in X.argmax(axis=1)] == symbols(SHUFFLED)


def test_one_hot_of_an_empty_sequence():
    assert one_hot([], ["a", "b"]).shape == (0, 2)


def test_unknown_symbol_is_named():
    with pytest.raises(ValueError, match="'z' is not in the vocabulary"):
        one_hot(["a", "z"], ["a", "b"])


def test_bag_is_a_column_of_counts():
    bag = bag_of_symbols(list("abcab"), ["a", "b", "c", "d"])
    assert bag.shape == (4, 1)
    np.testing.assert_array_equal(bag[:, 0], [2, 2, 1, 0])


def test_bag_forgets_order_and_the_rnn_does_not():
    vocab = vocabulary(symbols(SENTENCE))
    a, b = symbols(SENTENCE), symbols(SHUFFLED)
    np.testing.assert_array_equal(bag_of_symbols(a, vocab), bag_of_symbols(b, vocab))
    params = rnn.init_params(k=len(vocab), d=3, rng=0)
    _, cache_a = rnn.forward(params, one_hot(a, vocab))
    _, cache_b = rnn.forward(params, one_hot(b, vocab))
    assert not np.allclose(cache_a.H[-1], cache_b.H[-1])
