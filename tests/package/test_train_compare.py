"""train_cells and the delayed echo: same start for every cell, targets delay steps back, clear errors."""

import numpy as np
import pytest

from rnn_book.train.cells import get_cell
from rnn_book.train.compare import echo_streams, train_cells


def test_echo_targets_are_the_inputs_delay_steps_back():
    inputs, targets = echo_streams(50, 3, delay=7, k=5, rng=1)
    assert inputs.shape == targets.shape == (50, 3)
    np.testing.assert_array_equal(targets[7:], inputs[:-7])
    assert inputs.min() >= 0 and inputs.max() < 5
    again = echo_streams(50, 3, delay=7, k=5, rng=1)
    np.testing.assert_array_equal(again[0], inputs)


@pytest.mark.parametrize("kwargs, message", [
    ({"delay": 0}, "delay must be a positive integer; got 0"),
    ({"k": 2.5}, "k must be a positive integer; got 2.5"),
    ({"B": True}, "B must be a positive integer; got True"),
])
def test_echo_refuses_bad_sizes(kwargs, message):
    args = {"n": 10, "B": 2, "delay": 3, "k": 4, **kwargs}
    with pytest.raises(ValueError, match=message):
        echo_streams(**args)


def test_every_cell_starts_from_the_same_seed_and_trains():
    inputs, targets = echo_streams(400, 4, delay=1, k=3, rng=0)
    runs = train_cells(["rnn", "gru"], 3, inputs, targets, d=8, updates=40, seq_len=10, seed=3)
    for name, (params, history) in runs.items():
        fresh = get_cell(name).init_params(3, 8, rng=3)
        assert type(params) is type(fresh) and len(history.losses) == 40
        assert not np.array_equal(params.W_Y, fresh.W_Y)  # trained
        assert np.mean(history.losses[-5:]) < np.mean(history.losses[:5])  # delay 1 is learnable
