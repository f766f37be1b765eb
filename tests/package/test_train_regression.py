"""The regression head: its gradients by finite differences, and forecasts that beat naive ones."""

import numpy as np
import pytest

from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.losses import squared_error, squared_error_grad
from rnn_book.train import regression, series
from rnn_book.train.cells import get_cell
from rnn_book.train.loop import train
from rnn_book.train.optim import Adam

CELLS = [("rnn", False), ("rnn", True), ("lstm", False), ("lstm", True), ("gru", False),
         ("gru", True)]
IDS = ["rnn-readable", "rnn-fast", "lstm-readable", "lstm-fast", "gru-readable", "gru-fast"]


def setup(name, fast=False, T=6, k=2, m=3, d=4, B=2, seed=0):
    cell = get_cell(name, fast=fast)
    rng = np.random.default_rng(seed)
    params = cell.module.init_params(k, d, m, rng=rng)
    params.b_y += rng.standard_normal(params.b_y.shape)
    X = rng.standard_normal((T, k, B))
    Y_true = rng.standard_normal((T, m, B))
    state = tuple(0.5 * rng.standard_normal((d, B)) for _ in range(cell.n_states))
    return cell, params, X, Y_true, state


def test_squared_error_gradient_by_finite_differences():
    rng = np.random.default_rng(1)
    Y, Y_true = rng.standard_normal((2, 4, 3, 5))
    numeric = numerical_gradient(lambda: squared_error(Y, Y_true), Y)
    assert relative_error(squared_error_grad(Y, Y_true), numeric) < 1e-8
    assert squared_error(Y, Y_true) == pytest.approx(
        np.sum((Y - Y_true) ** 2) / 5)


@pytest.mark.parametrize("name, fast", CELLS, ids=IDS)
def test_forward_is_the_linear_output_of_the_hidden_states(name, fast):
    cell, params, X, _, state = setup(name, fast)
    Y, _, last = regression.forward(cell, params, X, state)
    _, cache = cell.module.forward(params, X, *state)
    expected = np.einsum("md,tdb->tmb", params.W_Y, cache.H) + params.b_y
    np.testing.assert_allclose(Y, expected, rtol=1e-12)
    np.testing.assert_array_equal(last[0], cache.H[-1])


@pytest.mark.parametrize("name, fast", CELLS, ids=IDS)
def test_backward_matches_finite_differences_for_every_parameter_and_the_state(name, fast):
    cell, params, X, Y_true, state = setup(name, fast)

    def loss():
        return squared_error(regression.forward(cell, params, X, state)[0], Y_true)

    Y, cache, _ = regression.forward(cell, params, X, state)
    grads, dstate = regression.backward(cell, params, cache,
                                        squared_error_grad(Y, Y_true))
    grads = {pname: g.copy() for pname, g in grads.items()}  # a fast cell's are its workspace's
    dstate = [ds.copy() for ds in dstate]
    for pname, W in params.items():
        assert relative_error(grads[pname], numerical_gradient(loss, W)) < 1e-6, pname
    for s, ds in zip(state, dstate):
        assert relative_error(ds, numerical_gradient(loss, s)) < 1e-6


@pytest.mark.parametrize("name, fast", CELLS, ids=IDS)
def test_chunk_step_is_forward_then_backward(name, fast):
    cell, params, X, Y_true, state = setup(name, fast, k=1, m=1)
    loss, grads, _ = regression.chunk_step(cell, params, X[:, 0], Y_true[:, 0], state)
    dW_Y = grads.W_Y.copy()
    Y, cache, _ = regression.forward(cell, params, X, state)
    assert loss == pytest.approx(squared_error(Y, Y_true))
    expected, _ = regression.backward(cell, params, cache,
                                      squared_error_grad(Y, Y_true))
    np.testing.assert_allclose(dW_Y, expected.W_Y)


@pytest.mark.parametrize("name, fast", CELLS, ids=IDS)
def test_the_regression_head_trains_with_every_cell(name, fast):
    """Same cell, another loss: a few updates on a sine wave lower the squared error."""
    cell = get_cell(name, fast=fast)
    params = cell.init_params(1, 8, rng=0)
    t = np.arange(400.0)
    wave = np.sin(2 * np.pi * t / 20)[:, None].repeat(4, axis=1)  # (n, B) = (400, 4)
    history = train(cell, params, wave[:-1], wave[1:], Adam(lr=0.02), updates=60, seq_len=20,
                    chunk_step=regression.chunk_step)
    first, last = np.mean(history.losses[:5]), np.mean(history.losses[-5:])
    assert np.isfinite(last) and last < 0.5 * first, (first, last)


def test_baselines_by_hand():
    x = np.arange(10.0)
    np.testing.assert_array_equal(series.last_value_forecast(x, 7), [6, 7, 8])
    np.testing.assert_array_equal(series.last_season_forecast(x, 7, period=4), [3, 4, 5])
    with pytest.raises(ValueError, match="at least one period"):
        series.last_season_forecast(x, 2, period=4)


def test_one_step_forecast_reads_only_the_past():
    cell = get_cell("rnn", fast=False)
    params = cell.init_params(1, 4, rng=0)
    x = series.seasonal_series(60, rng=0)
    f = series.one_step_forecast(cell, params, x, start=30)
    changed = x.copy()
    changed[45:] += 10.0  # the future from step 45 on
    g = series.one_step_forecast(cell, params, changed, start=30)
    np.testing.assert_array_equal(f[:16], g[:16])  # forecasts of x_30 .. x_45 are unchanged
    assert not np.allclose(f[16:], g[16:])
    free = series.free_run_forecast(cell, params, x, start=30, horizon=5)
    assert free.shape == (5,) and free[0] == pytest.approx(f[0])


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_a_trained_cell_beats_both_naive_forecasts(name):
    P, start = 24, 24 * 40
    x = series.seasonal_series(24 * 50, period=P, noise=0.2, rng=0)
    cell, params, history = series.fit_forecaster(name, x, start, hidden=12, updates=150)
    assert history.losses[-1] < history.losses[0]
    truth = x[start:]
    ours = series.mse(series.one_step_forecast(cell, params, x, start), truth)
    assert ours < series.mse(series.last_value_forecast(x, start), truth)
    assert ours < series.mse(series.last_season_forecast(x, start, P), truth)
