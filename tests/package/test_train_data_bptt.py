"""Streams, chunks, and truncated BPTT: the state crosses chunk edges, the gradient does not."""

import itertools

import numpy as np
import pytest

from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import cross_entropy
from rnn_book.train.bptt import chunk_step, truncated_gradient
from rnn_book.train.cells import get_cell
from rnn_book.train.data import (
    char_vocabulary,
    chunks,
    decode,
    encode,
    one_hot_batch,
    split_text,
    streams,
)

CELLS = ["rnn", "lstm"]


def test_encode_decode_round_trip_keeps_spaces_and_newlines():
    text = "저는 라쿤 입니다\nhello, world\n"
    vocab = char_vocabulary(text)
    assert " " in vocab and "\n" in vocab and len(vocab) == len(set(text))
    assert decode(encode(text, vocab), vocab) == text
    with pytest.raises(ValueError, match="'z' is not in the vocabulary"):
        encode("z", vocab)


def test_split_text_keeps_every_character():
    train, held = split_text("abcdefghij", held_out=0.3)
    assert train + held == "abcdefghij" and len(held) == 3


def test_streams_are_contiguous_and_targets_are_the_next_character():
    ids = np.arange(103)
    inputs, targets = streams(ids, B=4)
    assert inputs.shape == targets.shape == (25, 4)
    np.testing.assert_array_equal(targets, inputs + 1)
    np.testing.assert_array_equal(inputs[:, 2], np.arange(50, 75))  # stream 2


def test_chunks_continue_each_stream_where_the_last_chunk_ended():
    inputs, targets = streams(np.arange(41), B=2)  # 20 steps per stream
    pieces = list(chunks(inputs, targets, T=6))
    assert [len(X) for X, _ in pieces] == [6, 6, 6, 2]
    for (X1, _), (X2, _) in itertools.pairwise(pieces):
        np.testing.assert_array_equal(X2[0], X1[-1] + 1)  # the next character of every stream
    np.testing.assert_array_equal(np.concatenate([X for X, _ in pieces]), inputs)


def test_streams_refuse_a_text_too_short():
    with pytest.raises(ValueError, match="too short for 4 streams"):
        streams(np.arange(4), B=4)


def test_one_hot_batch_puts_streams_in_columns():
    X = one_hot_batch(np.array([[0, 2], [1, 1]]), k=3)
    assert X.shape == (2, 3, 2)
    np.testing.assert_array_equal(X[0], [[1, 0], [0, 0], [0, 1]])


def _setup(name, N=12, B=2, k=4, d=3, seed=0):
    cell = get_cell(name)
    rng = np.random.default_rng(seed)
    params = cell.init_params(k, d, rng=rng)
    ids = rng.integers(0, k, (N + 1, B))
    return cell, params, ids[:-1], ids[1:]


def _full_loss(cell, params, X_ids, Y_ids):
    X = one_hot_batch(X_ids, params.k)
    Y, _, _ = cell.forward(params, X, cell.zero_state(params.d, X_ids.shape[1]))
    return cross_entropy(Y, Y_ids)


@pytest.mark.parametrize("name", CELLS)
def test_one_chunk_covering_the_sequence_is_full_bptt(name):
    cell, params, X_ids, Y_ids = _setup(name)
    loss, grads = truncated_gradient(cell, params, X_ids, Y_ids, T=len(X_ids))
    for pname, W in params.items():
        numeric = numerical_gradient(lambda: _full_loss(cell, params, X_ids, Y_ids), W)
        assert relative_error(getattr(grads, pname), numeric) < 1e-6, pname
    assert loss == pytest.approx(_full_loss(cell, params, X_ids, Y_ids))


@pytest.mark.parametrize("name", CELLS)
def test_truncated_gradient_is_not_the_full_one_but_the_loss_is(name):
    cell, params, X_ids, Y_ids = _setup(name)
    full_loss, full = truncated_gradient(cell, params, X_ids, Y_ids, T=len(X_ids))
    loss, cut = truncated_gradient(cell, params, X_ids, Y_ids, T=4)
    assert loss == pytest.approx(full_loss, rel=1e-12)  # the forward pass is the same
    assert relative_error(cut.W_Y, full.W_Y) < 1e-12  # W_Y sees no recurrence
    recurrent = "W_H" if name == "rnn" else "W_hh_f"
    assert relative_error(getattr(cut, recurrent), getattr(full, recurrent)) > 1e-3


@pytest.mark.parametrize("name", CELLS)
def test_truncated_gradient_treats_the_carried_state_as_a_constant(name):
    """Each chunk's gradient is the derivative of its loss with its start state frozen."""
    cell, params, X_ids, Y_ids = _setup(name)
    T = 5
    _, grads = truncated_gradient(cell, params, X_ids, Y_ids, T=T)
    starts = [cell.zero_state(params.d, 2)]
    for s in range(0, len(X_ids), T):  # the states at the chunk edges, computed once
        _, _, state = chunk_step(cell, params, X_ids[s:s + T], Y_ids[s:s + T], starts[-1])
        starts.append(state)

    def frozen_loss():
        total = 0.0
        for j, s in enumerate(range(0, len(X_ids), T)):
            X = one_hot_batch(X_ids[s:s + T], params.k)
            Y, _, _ = cell.forward(params, X, starts[j])
            total += cross_entropy(Y, Y_ids[s:s + T])
        return total

    for pname, W in params.items():
        assert relative_error(getattr(grads, pname), numerical_gradient(frozen_loss, W)) < 1e-6


@pytest.mark.parametrize("name", CELLS)
def test_chunk_step_returns_the_state_at_the_end_of_the_chunk(name):
    cell, params, X_ids, Y_ids = _setup(name)
    _, _, state = chunk_step(cell, params, X_ids, Y_ids, cell.zero_state(params.d, 2))
    _, cache = cell.module.forward(params, one_hot_batch(X_ids, params.k))
    np.testing.assert_array_equal(state[0], cache.H[-1])
    if name == "lstm":
        np.testing.assert_array_equal(state[1], cache.C[-1])
    assert len(state) == cell.n_states
