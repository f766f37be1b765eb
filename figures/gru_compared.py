"""The simple RNN, the LSTM and the GRU on the same tasks: loss per update, one panel each.

Top: the delayed echo (every target is the input 10 steps before, 4 symbols), where
guessing costs log 4. Bottom: the character model of chapter 8 on the source of two
standard-library modules. Every cell trains with the same streams, settings and seed
(rnn_book.train.compare.train_cells); the settings are those of the chapter
"7b. The GRU" (docs/lstm/08-gru.md), which prints the same runs' final losses.
"""

import matplotlib.pyplot as plt
import numpy as np
from _style import WIDTH, C

from rnn_book.train import corpora, data
from rnn_book.train.compare import echo_streams, train_cells

CELLS = ("rnn", "lstm", "gru")
COLOURS = {"rnn": C["faint"], "lstm": C["blue"], "gru": C["red"]}
LABELS = {"rnn": "simple RNN", "lstm": "LSTM", "gru": "GRU"}


def smooth(values, n=20):
    return np.convolve(values, np.ones(n) / n, mode="valid")


def draw():
    inputs, targets = echo_streams(4000, 16, delay=10, k=4, rng=0)
    echo = train_cells(CELLS, 4, inputs, targets, d=16, updates=250, seq_len=20)
    text = corpora.stdlib_source(["textwrap", "string"])
    vocab = data.char_vocabulary(text)
    train_text, _ = data.split_text(text, held_out=0.1)
    inputs, targets = data.streams(data.encode(train_text, vocab), 16)
    chars = train_cells(CELLS, len(vocab), inputs, targets, d=32, updates=100, seq_len=25)
    fig, axes = plt.subplots(2, 1, figsize=(WIDTH, 7.0))
    for ax, runs, k, title in [(axes[0], echo, 4, "delayed echo, 10 steps back"),
                               (axes[1], chars, len(vocab), "characters of Python source")]:
        for name, (_, history) in runs.items():
            curve = smooth(history.losses)
            ax.plot(np.arange(len(curve)) + 20, curve, color=COLOURS[name], lw=2,
                    label=f"{LABELS[name]}: {np.mean(history.losses[-20:]):.2f} at the end")
        ax.axhline(np.log(k), color=C["muted"], ls=":", lw=1.5, label=r"$\log k$: guessing")
        ax.set_title(title)
        ax.set_xlabel("update")
        ax.set_ylabel("loss per step (nats)")
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
