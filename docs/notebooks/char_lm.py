# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The RNN and the LSTM on the same text
#
# This notebook trains the simple RNN and the LSTM of the earlier chapters, with the same settings, on the same text: the source code of two modules of Python's standard library (`textwrap` and `string`), read from this Python installation, nothing downloaded.
# It is executed at every build of the site, so every number, curve and sample below comes from the code above it; it is kept small (32 hidden units, 400 updates each) so that it runs in seconds.
# The chapter [Training a character-level language model](../../train/char-lm/) explains each piece.

# %%
import os

# One BLAS thread, set before numpy loads: for matrices this small, threads cost
# more than they save, and on a busy machine they can make training 10x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time

import matplotlib.pyplot as plt
import numpy as np

from rnn_book.train import corpora, data, loop, optim
from rnn_book.train.cells import get_cell
from rnn_book.train.sampling import perplexity, sample

started = time.perf_counter()
text = corpora.stdlib_source(["textwrap", "string"])
vocab = data.char_vocabulary(text)
k = len(vocab)
train_text, held_text = data.split_text(text, held_out=0.1)
print(f"{len(text):,} characters, k = {k} distinct; "
      f"{len(train_text):,} to train on, {len(held_text):,} held out")
print(train_text[:300])

# %% [markdown]
# ## Streams and settings
#
# The training text becomes $B = 16$ parallel streams, read in chunks of $T = 25$ steps: one update sees $16 \times 25 = 400$ characters.
# Both cells get $d = 32$ hidden units, Adam with learning rate 0.01, and clipping of the gradient's global norm at 5.

# %%
B, T, d, STEPS = 16, 25, 32, 400
inputs, targets = data.streams(data.encode(train_text, vocab), B)  # (n, B) each
held_ids = data.encode(held_text, vocab)
print("streams:", inputs.shape, "-> one pass is", -(-len(inputs) // T), "updates")

# %% [markdown]
# ## Training both, with samples along the way
#
# Every 100 updates the callback writes 120 characters at temperature 0.8, starting from the prompt `def `, so we can watch the text take shape.

# %%
runs = {}
for name in ("rnn", "lstm"):
    cell = get_cell(name)
    params = cell.init_params(k, d, rng=0)
    snapshots = []

    def every_100(history, cell=cell, params=params, snapshots=snapshots):
        if history.steps % 100 == 0:
            text_out = sample(cell, params, vocab, 120, temperature=0.8, prompt="def ", rng=1)
            snapshots.append((history.steps, text_out))

    history = loop.train(cell, params, inputs, targets, optim.Adam(0.01), steps=STEPS,
                         seq_len=T, clip=5.0, callback=every_100)
    runs[name] = (cell, params, history, snapshots)
    print(f"{name}: {STEPS} updates in {history.seconds:.1f} s "
          f"({history.chars / history.seconds:,.0f} characters/s)")

# %%
for name, (_, _, _, snapshots) in runs.items():
    for steps, text_out in snapshots:
        print(f"--- {name}, after {steps} updates ---")
        print(text_out)

# %% [markdown]
# ## Loss curves
#
# The loss of each update's chunk, in nats per character, smoothed over 20 updates.
# A model that knows nothing starts at $\log k$ (the dotted line): every character equally likely.

# %%
def smooth(values, n=20):
    return np.convolve(values, np.ones(n) / n, mode="valid")


fig, ax = plt.subplots(figsize=(7, 3.6))
for name, (_, _, history, _) in runs.items():
    curve = smooth(history.losses)
    ax.plot(np.arange(len(curve)) + 20, curve, label=f"{name.upper()}, d = {d}")
ax.axhline(np.log(k), color="0.5", ls=":", label=r"$\log k$: guessing")
ax.set_xlabel("update")
ax.set_ylabel("loss per character (nats)")
ax.legend(frameon=False)
ax.spines[["top", "right"]].set_visible(False)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Perplexity on the held-out text
#
# Perplexity is $\exp$ of the mean loss per character on text the model never trained on: the number of characters it hesitates between, on average.
# Guessing uniformly gives $k$.

# %%
for name, (cell, params, history, _) in runs.items():
    ppl = perplexity(cell, params, held_ids, B=8)
    print(f"{name}: training loss {np.mean(history.losses[-20:]):.3f} nats/char, "
          f"held-out perplexity {ppl:.2f} (guessing: {k})")

# %% [markdown]
# ## Temperature
#
# The same LSTM, the same prompt, the same random numbers; only the temperature $\tau$ changes.
# At $\tau = 0.3$ it repeats its likeliest patterns; at $\tau = 1.5$ it is closer to noise.

# %%
cell, params, _, _ = runs["lstm"]
for tau in (0.3, 0.8, 1.5):
    print(f"--- temperature {tau} ---")
    print(sample(cell, params, vocab, 160, temperature=tau, prompt="    def ", rng=2))

# %%
print(f"this notebook ran in {time.perf_counter() - started:.1f} s")
