"""Forecasting a noisy seasonal series: the RNN and the LSTM against the truth and naive forecasts.

Both cells are trained by rnn_book.train.series.fit_forecaster with the
regression head; the figure shows the last three "days" of held-out data
one step ahead (top; the MSEs are over all ten held-out days), and one day
ahead from the held-out start, feeding the forecasts back (bottom).
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import WIDTH, C

from rnn_book.train import series

P, DAYS, TRAIN_DAYS, NOISE = 24, 50, 40, 0.2


def draw():
    x = series.seasonal_series(P * DAYS, period=P, noise=NOISE, rng=0)
    start = P * TRAIN_DAYS
    truth = x[start:]
    t = np.arange(start, len(x))
    models = {name: series.fit_forecaster(name, x, start, hidden=12, updates=150)[:2]
              for name in ("rnn", "lstm")}

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(WIDTH, 7.4))
    shown = slice(len(truth) - 3 * P, len(truth))  # the last three days
    top.plot(t[shown], truth[shown], "o", ms=3.5, color=C["ink"], label="truth (with noise)")
    season = series.last_season_forecast(x, start, P)
    top.plot(t[shown], season[shown], color=C["muted"], ls="--",
             label=f"last season, MSE {series.mse(season, truth):.3f}")
    last = series.last_value_forecast(x, start)
    for (name, (cell, params)), color in zip(models.items(), (C["blue"], C["red"])):
        f = series.one_step_forecast(cell, params, x, start)
        top.plot(t[shown], f[shown], color=color, lw=1.8,
                 label=f"{name.upper()}, MSE {series.mse(f, truth):.3f}")
    top.set_title(f"one step ahead: MSE over held-out days {TRAIN_DAYS + 1}-{DAYS},\n"
                  f"days {DAYS - 2}-{DAYS} shown (last value: MSE {series.mse(last, truth):.3f}; "
                  f"the noise alone: {NOISE**2:.3f})")

    horizon = P
    h = t[:horizon]
    bottom.plot(h, truth[:horizon], "o", ms=3.5, color=C["ink"], label="truth")
    bottom.plot(h, season[:horizon], color=C["muted"], ls="--",
                label=f"last season, MSE {series.mse(season[:horizon], truth[:horizon]):.3f}")
    for (name, (cell, params)), color in zip(models.items(), (C["blue"], C["red"])):
        f = series.free_run_forecast(cell, params, x, start, horizon)
        bottom.plot(h, f, color=color, lw=1.8,
                    label=f"{name.upper()}, MSE {series.mse(f, truth[:horizon]):.3f}")
    bottom.set_title("one day ahead from the last training step,\nforecasts fed back")
    for ax in (top, bottom):
        ax.set_xlabel("time step t (hours)")
        ax.set_ylabel("$x_t$")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    fig.tight_layout()
    return fig
