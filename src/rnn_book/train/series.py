"""A synthetic seasonal series, naive forecasts to beat, and the network's forecasts.

The series is the lecture's "weather forecast" in miniature: a daily cycle
(period P steps) of two harmonics, plus Gaussian noise. Two naive forecasts
set the bar: repeat the last value, or repeat the value one season ago.
"""

import numpy as np

from rnn_book.train import regression
from rnn_book.train.cells import get_cell
from rnn_book.train.data import streams
from rnn_book.train.loop import train
from rnn_book.train.optim import Adam

__all__ = ["seasonal_series", "last_value_forecast", "last_season_forecast",
           "fit_forecaster", "one_step_forecast", "free_run_forecast", "mse"]


# --8<-- [start:seasonal_series]
def seasonal_series(n, period=24, noise=0.2, rng=None):
    """x_t = sin(2 pi t / P) + 0.5 sin(4 pi t / P + 1) + noise, t = 0 .. n - 1.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.series import seasonal_series
    >>> x = seasonal_series(48, noise=0.0)
    >>> x.shape, bool(np.allclose(x[:24], x[24:]))  # without noise, one day repeats
    ((48,), True)
    """
    rng = np.random.default_rng(rng)
    t = np.arange(n)
    angle = 2 * np.pi * t / period
    season = np.sin(angle) + 0.5 * np.sin(2 * angle + 1)
    return season + noise * rng.standard_normal(n)
# --8<-- [end:seasonal_series]


# --8<-- [start:baselines]
def last_value_forecast(x, start):
    """Forecast ``x_t`` by ``x_{t-1}`` for t = start .. n - 1.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.series import last_value_forecast
    >>> last_value_forecast(np.array([1.0, 2.0, 3.0, 4.0]), start=2)
    array([2., 3.])
    """
    return np.asarray(x)[start - 1:-1]


def last_season_forecast(x, start, period):
    """Forecast ``x_t`` by ``x_{t-P}`` for t = start .. n - 1 (needs start >= P).

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.series import last_season_forecast
    >>> last_season_forecast(np.arange(6.0), start=4, period=3)
    array([1., 2.])
    """
    if start < period:
        raise ValueError(f"start must be at least one period ({period}); "
                         f"got {start}")
    return np.asarray(x)[start - period:len(x) - period]
# --8<-- [end:baselines]


def mse(forecast, truth):
    """Mean squared error of a forecast.

    Examples
    --------
    >>> import numpy as np
    >>> from rnn_book.train.series import mse
    >>> mse(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    5.0
    """
    return float(np.mean((np.asarray(forecast) - np.asarray(truth)) ** 2))


# --8<-- [start:fit_forecaster]
def fit_forecaster(cell_name, x, start, *, hidden=12, B=8, seq_len=24, updates=150,
                   lr=0.01, clip=1.0, seed=0):
    """Train a cell with the regression head to predict ``x_{t+1}`` from ``x_0 .. x_t``.

    The series before ``start`` is cut into B streams, read in chunks of
    ``seq_len`` steps by :func:`rnn_book.train.loop.train`, with
    :func:`rnn_book.train.regression.chunk_step` for each chunk's gradient and
    Adam for the ``updates`` updates.

    Returns
    -------
    cell : Cell
    params : RNNParams or LSTMParams
        One input and one output per step (k = k_out = 1).
    history : History
        ``history.losses``: the squared error per step of each chunk.
    """
    # --8<-- [start:fit_forecaster_body]
    cell = get_cell(cell_name)  # any cell works with the head: the fast path by default
    params = cell.init_params(1, hidden, rng=seed)
    inputs, targets = streams(x[:start], B)  # (n, B): x_t and x_{t+1}
    history = train(cell, params, inputs, targets, Adam(lr), updates=updates,
                    seq_len=seq_len, clip=clip, chunk_step=regression.chunk_step)
    return cell, params, history
    # --8<-- [end:fit_forecaster_body]
# --8<-- [end:fit_forecaster]


def _predict(cell, params, values, state):
    """One-step predictions after each of ``values``, and the state at the end."""
    X = np.asarray(values, params.dtype)[:, None, None]  # (T, 1, 1)
    _, cache, state = cell.forward(params, X, state)
    return (params.W_Y @ cache.H + params.b_y)[:, 0, 0], state  # (T,)  y_t = W_Y h_t + b_y


# --8<-- [start:one_step_forecast]
def one_step_forecast(cell, params, x, start):
    """The network's forecast of ``x_t`` from ``x_0 .. x_{t-1}``, for t = start .. n - 1.

    The network reads the whole series once, its state carried along; its
    output after reading ``x_{t-1}`` is the forecast of ``x_t``.

    Returns
    -------
    forecast : (n - start,) ndarray
    """
    state = cell.zero_state(params.d, 1, params.dtype)
    predictions, _ = _predict(cell, params, x[:-1], state)  # prediction after x_0 .. x_{n-2}
    return predictions[start - 1:]
# --8<-- [end:one_step_forecast]


# --8<-- [start:free_run_forecast]
def free_run_forecast(cell, params, x, start, horizon):
    """Forecast ``horizon`` steps from ``x_0 .. x_{start-1}`` alone, feeding forecasts back.

    Returns
    -------
    forecast : (horizon,) ndarray
        Forecasts of ``x_start .. x_{start + horizon - 1}``.
    """
    state = cell.zero_state(params.d, 1, params.dtype)
    predictions, state = _predict(cell, params, x[:start], state)
    forecast = [predictions[-1]]
    for _ in range(horizon - 1):  # the forecast becomes the next input
        y_t, state = _predict(cell, params, forecast[-1:], state)
        forecast.append(y_t[0])
    return np.array(forecast)
# --8<-- [end:free_run_forecast]
