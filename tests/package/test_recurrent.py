"""The checks both models make before their time loops (rnn_book.recurrent), through forward/backward."""

import numpy as np
import pytest

from rnn_book import lstm, rnn


@pytest.fixture(params=[rnn, lstm], ids=["rnn", "lstm"])
def cell(request):
    """The model module: rnn_book.rnn or rnn_book.lstm."""
    return request.param


@pytest.mark.parametrize("X, error, message", [
    (np.zeros((3, 5)), ValueError,
     r"X must have shape \(T, k\) = \(T, 4\) or \(T, k, B\) = \(T, 4, B\); got \(3, 5\)"),
    (np.zeros(4), ValueError, r"X must have shape .*; got \(4,\)"),
    (np.zeros((3, 4, 2, 1)), ValueError, r"got \(3, 4, 2, 1\)"),
    (np.zeros((0, 4)), ValueError, r"X must have shape .*; got \(0, 4\)"),
    (np.full((3, 4), np.nan), ValueError, "X must be finite"),
    (np.full((3, 4), np.inf), ValueError, "X must be finite"),
    (np.full((3, 4), -np.inf), ValueError, "X must be finite"),
    (np.full((3, 4), "a"), TypeError, "X must hold real numbers"),
    (np.zeros((3, 4), complex), TypeError, "X must hold real numbers; got dtype complex128"),
])
def test_bad_sequences_name_the_argument(cell, X, error, message):
    params = cell.init_params(k=4, d=3, rng=0)
    with pytest.raises(error, match=message):
        cell.forward(params, X)


@pytest.mark.parametrize("Y_true, error, message", [
    ([1, 2], ValueError, r"Y_true must have shape \(T, k_out\) = \(3, 4\) or \(T,\) = \(3,\); got \(2,\)"),
    ([1, 2, 4], ValueError, r"Y_true holds class indices, which must lie in 0 \.\. 3; got 4"),
    ([1.0, 2.0, 3.0], TypeError, "must have an integer dtype"),
    (np.full((3, 4), 0.25), ValueError, "Y_true must be one-hot along its axis 1"),
    (np.array([1, np.nan, 3]), ValueError, "Y_true must be finite"),
])
def test_bad_targets(cell, Y_true, error, message):
    params = cell.init_params(k=4, d=3, rng=0)
    _, cache = cell.forward(params, np.eye(4)[:3])
    with pytest.raises(error, match=message):
        cell.backward(params, cache, Y_true)


def test_mismatched_params_and_cache(cell):
    params = cell.init_params(k=4, d=3, rng=0)
    _, cache = cell.forward(params, np.eye(4)[:3])
    with pytest.raises(ValueError, match=r"cache comes from a network with \(d, k_out\) = \(3, 4\); "
                                         r"params have \(d, k_out\) = \(2, 4\)"):
        cell.backward(cell.init_params(k=4, d=2, rng=0), cache, [1, 2, 3])
    with pytest.raises(ValueError, match=r"cache comes from a network with \(d, k_out\) = \(3, 4\); "
                                         r"params have \(d, k_out\) = \(3, 2\)"):
        cell.backward(cell.init_params(k=4, d=3, k_out=2, rng=0), cache, [1, 1, 1])
    cache_type = f"{type(cache).__module__}.{type(cache).__name__}"
    with pytest.raises(TypeError, match=f"cache must be the {cache_type} returned by "
                                        f"{type(cache).__module__}.forward; got builtins.tuple"):
        cell.backward(params, (1, 2), [1, 2, 3])
