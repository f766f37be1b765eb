"""The regression head: its gradients by finite differences, and forecasts that beat naive ones."""

import numpy as np
import pytest

from rnn_book.gradcheck import numerical_gradient, relative_error
from rnn_book.train import regression, series
from rnn_book.train.cells import get_cell

CELLS = ["rnn", "lstm"]


def setup(name, T=6, k=2, m=3, d=4, B=2, seed=0):
    cell = get_cell(name, fast=False)
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
    numeric = numerical_gradient(lambda: regression.squared_error(Y, Y_true), Y)
    assert relative_error(regression.squared_error_grad(Y, Y_true), numeric) < 1e-8
    assert regression.squared_error(Y, Y_true) == pytest.approx(
        np.sum((Y - Y_true) ** 2) / 5)


@pytest.mark.parametrize("name", CELLS)
def test_forward_is_the_linear_output_of_the_hidden_states(name):
    cell, params, X, _, state = setup(name)
    Y, _, last = regression.forward(cell, params, X, state)
    _, cache = cell.module.forward(params, X, *state)
    expected = np.einsum("md,tdb->tmb", params.W_Y, cache.H) + params.b_y
    np.testing.assert_allclose(Y, expected, rtol=1e-12)
    np.testing.assert_array_equal(last[0], cache.H[-1])


@pytest.mark.parametrize("name", CELLS)
def test_backward_matches_finite_differences_for_every_parameter_and_the_state(name):
    cell, params, X, Y_true, state = setup(name)

    def loss():
        return regression.squared_error(regression.forward(cell, params, X, state)[0], Y_true)

    Y, cache, _ = regression.forward(cell, params, X, state)
    grads, dstate = regression.backward(cell, params, cache,
                                        regression.squared_error_grad(Y, Y_true))
    for pname, W in params.items():
        assert relative_error(getattr(grads, pname), numerical_gradient(loss, W)) < 1e-6, pname
    for s, ds in zip(state, dstate):
        assert relative_error(ds, numerical_gradient(loss, s)) < 1e-6


@pytest.mark.parametrize("name", CELLS)
def test_chunk_step_is_forward_then_backward(name):
    cell, params, X, Y_true, state = setup(name, k=1, m=1)
    loss, grads, _ = regression.chunk_step(cell, params, X[:, 0], Y_true[:, 0], state)
    Y, cache, _ = regression.forward(cell, params, X, state)
    assert loss == pytest.approx(regression.squared_error(Y, Y_true))
    expected, _ = regression.backward(cell, params, cache,
                                      regression.squared_error_grad(Y, Y_true))
    np.testing.assert_allclose(grads.W_Y, expected.W_Y)


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


@pytest.mark.parametrize("name", CELLS)
def test_a_trained_cell_beats_both_naive_forecasts(name):
    P, start = 24, 24 * 40
    x = series.seasonal_series(24 * 50, period=P, noise=0.2, rng=0)
    cell, params, history = series.fit_forecaster(name, x, start, hidden=12, steps=150)
    assert history.losses[-1] < history.losses[0]
    truth = x[start:]
    ours = series.mse(series.one_step_forecast(cell, params, x, start), truth)
    assert ours < series.mse(series.last_value_forecast(x, start), truth)
    assert ours < series.mse(series.last_season_forecast(x, start, P), truth)
