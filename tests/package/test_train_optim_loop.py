"""Optimizers against hand computations; the loop: seeded, clipped, interruptible, learning."""

import numpy as np
import pytest

from rnn_book.gradient_flow import global_norm
from rnn_book.rnn import RNNParams
from rnn_book.train.cells import get_cell
from rnn_book.train.data import char_vocabulary, encode, streams
from rnn_book.train.loop import train
from rnn_book.train.optim import SGD, Adagrad, Adam, make_optimizer


def scalar_params(value):
    """An RNNParams whose W_X is the single number ``value`` (the rest 1x1 zeros)."""
    z = np.zeros((1, 1))
    return RNNParams(W_X=np.array([[value]]), W_H=z.copy(), b_h=z.copy(), W_Y=z.copy(),
                     b_y=z.copy())


def run(optimizer, gradients, start=1.0):
    params = scalar_params(start)
    for g in gradients:
        optimizer.update(params, scalar_params(g))
    return float(params.W_X[0, 0])


def test_sgd_by_hand():
    assert run(SGD(lr=0.1), [2.0, -1.0]) == pytest.approx(1.0 - 0.2 + 0.1)


def test_adagrad_by_hand():
    # G = 4 -> step 0.1 * 2 / 2 = 0.1; G = 4 + 1 = 5 -> step 0.1 * (-1) / sqrt(5)
    expected = 1.0 - 0.1 + 0.1 / np.sqrt(5)
    assert run(Adagrad(lr=0.1), [2.0, -1.0]) == pytest.approx(expected, rel=1e-8)


def test_adam_by_hand():
    b1, b2, lr = 0.9, 0.999, 0.01
    m1, v1 = 0.1 * 2.0, 0.001 * 4.0
    x1 = 1.0 - lr * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)  # = 1 - lr
    m2, v2 = b1 * m1 + 0.1 * -1.0, b2 * v1 + 0.001 * 1.0
    x2 = x1 - lr * (m2 / (1 - b1**2)) / (np.sqrt(v2 / (1 - b2**2)) + 1e-8)
    assert run(Adam(lr=lr), [2.0, -1.0]) == pytest.approx(x2, rel=1e-10)


def test_optimizers_refuse_bad_learning_rates_and_names():
    for lr in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="learning rate"):
            SGD(lr=lr)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        make_optimizer("rmsprop", 0.1)


TEXT = "the cat sat on the mat. " * 20


def setup(name="rnn", B=4, d=8, seed=0):
    cell = get_cell(name)
    vocab = char_vocabulary(TEXT)
    params = cell.init_params(len(vocab), d, rng=seed)
    inputs, targets = streams(encode(TEXT, vocab), B)
    return cell, params, inputs, targets


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_the_same_seed_gives_the_same_run_twice(name):
    runs = []
    for _ in range(2):
        cell, params, inputs, targets = setup(name, seed=3)
        history = train(cell, params, inputs, targets, Adam(0.01), updates=15, seq_len=10, clip=5.0)
        runs.append((history.losses, params))
    assert runs[0][0] == runs[1][0]
    for (_, a), (_, b) in zip(runs[0][1].items(), runs[1][1].items()):
        np.testing.assert_array_equal(a, b)
    cell, other, inputs, targets = setup(name, seed=4)
    assert train(cell, other, inputs, targets, Adam(0.01), updates=15,
                 seq_len=10).losses != runs[0][0]


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_training_lowers_the_loss_on_a_repetitive_text(name):
    cell, params, inputs, targets = setup(name)
    history = train(cell, params, inputs, targets, Adam(0.02), updates=120, seq_len=7, clip=5.0)
    k = params.k
    assert history.losses[0] == pytest.approx(np.log(k), rel=0.15)  # near guessing at first
    assert np.mean(history.losses[-10:]) < 0.5 * history.losses[0]
    assert history.chars == 120 * 7 * 4 and history.updates == 120


def test_clipping_bounds_every_step():
    cell, params, inputs, targets = setup()
    before = params.copy()
    history = train(cell, params, inputs, targets, SGD(lr=1.0), updates=1, seq_len=10, clip=1e-3)
    step = {n: a - b for (n, a), (_, b) in zip(params.items(), before.items())}
    assert history.grad_norms[0] > 1e-3  # it was clipped ...
    assert global_norm(step) == pytest.approx(1e-3)  # ... to exactly lr * clip


def test_should_stop_ends_between_updates():
    cell, params, inputs, targets = setup()
    calls = []
    history = train(cell, params, inputs, targets, SGD(0.1), updates=50, seq_len=10,
                    callback=lambda h: calls.append(h.updates), should_stop=lambda: len(calls) >= 7)
    assert history.updates == 7 and calls == list(range(1, 8))


def test_the_state_is_carried_across_chunks_and_reset_at_each_pass():
    """A loop with lr -> 0 sees the losses of one long forward pass, chunk by chunk."""
    cell, params, inputs, targets = setup(B=2)
    n = len(inputs)
    T = 7
    history = train(cell, params, inputs, targets, SGD(lr=1e-300), updates=2 * -(-n // T),
                    seq_len=T)
    from rnn_book.train.bptt import truncated_gradient
    full_loss, _ = truncated_gradient(cell, params, inputs, targets, T=n)
    per_pass = -(-n // T)
    sizes = [len(inputs[s:s + T]) for s in range(0, n, T)]
    for p in range(2):
        losses = history.losses[p * per_pass:(p + 1) * per_pass]
        assert sum(l * t for l, t in zip(losses, sizes)) == pytest.approx(full_loss, rel=1e-9)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_training_on_the_fast_path_matches_the_readable_modules(name):
    """The default cells are rnn_book.fast's; a run with them is the readable run, to rounding."""
    fast, readable = get_cell(name), get_cell(name, fast=False)
    assert fast.module.__name__ == f"rnn_book.fast.{name}"
    assert readable.module.__name__ == f"rnn_book.{name}"
    runs = []
    for cell in (fast, readable):
        _, params, inputs, targets = setup(name, seed=5)
        history = train(cell, params, inputs, targets, Adam(0.01), updates=40, seq_len=9, clip=1.0)
        runs.append((history, params))
    (h_fast, p_fast), (h_read, p_read) = runs
    np.testing.assert_allclose(h_fast.losses, h_read.losses, rtol=1e-9)
    np.testing.assert_allclose(h_fast.grad_norms, h_read.grad_norms, rtol=1e-7)
    for (pname, a), (_, b) in zip(p_fast.items(), p_read.items()):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-10, err_msg=pname)
