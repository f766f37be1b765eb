"""Every rung of the chapter's optimisation ladder computes the readable step's numbers."""

import numpy as np
import pytest
from fast_helpers import assert_close

from rnn_book import rnn
from rnn_book.fast import Workspace
from rnn_book.fast.ladder import LADDER, step_in_place, step_readable


@pytest.mark.parametrize("label, step", LADDER)
@pytest.mark.parametrize("T, k, d, B", [(3, 4, 3, 1), (7, 5, 6, 3)])
def test_each_rung_equals_the_readable_step(label, step, T, k, d, B):
    rng = np.random.default_rng(T * B)
    params = rnn.init_params(k, d, rng=rng)
    params.b_h += rng.standard_normal(params.b_h.shape)
    X = np.moveaxis(np.eye(k)[rng.integers(0, k, (T, B))], -1, 1)  # (T, k, B) one-hot
    idx = rng.integers(0, k, (T, B))
    loss, grads = step_readable(params, X, idx)
    loss_rung, grads_rung = step(params, X, idx)
    assert loss_rung == pytest.approx(loss, rel=1e-13)
    for name, g in grads.items():
        assert_close(getattr(grads_rung, name), g, 1e-12, f"{label}: {name}")


def test_the_last_rung_reuses_its_workspace():
    params = rnn.init_params(4, 3, rng=0)
    X, idx = np.moveaxis(np.eye(4)[[[0], [1], [2]]], -1, 1), np.array([[1], [2], [3]])
    ws = Workspace()
    assert step_in_place(params, X, idx, ws)[1] is step_in_place(params, X, idx, ws)[1]
