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
# # 8b. The RNN and the LSTM on the same text
#
# This notebook trains the simple RNN and the LSTM of the earlier chapters, with the same settings, on the same text: the source code of two modules of Python's standard library (`textwrap` and `string`), read from this Python installation, nothing downloaded.
# It is executed at every build of the site, so every number, curve and sample below comes from the code above it; it is kept small (32 hidden units, 400 updates each) so that it runs in seconds.
# The chapter [Training a character-level language model](../../train/char-lm/) explains each piece.

# %%
import os

# One BLAS thread, set before numpy loads: for matrices this small,
# threads cost more than they save, and on a busy machine they can
# make training 10x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time

import matplotlib.pyplot as plt
import numpy as np

# %config InlineBackend.figure_formats = ["svg"]

from rnn_book.train import corpora, data, loop, optim
from rnn_book.train.cells import get_cell
from rnn_book.train.sampling import perplexity, sample

started = time.perf_counter()
text = corpora.stdlib_source(["textwrap", "string"])
vocab = data.char_vocabulary(text)
k = len(vocab)
train_text, held_text = data.split_text(text, held_out=0.1)
print(f"{len(text):,} characters, k = {k} distinct;",
      f"{len(train_text):,} to train on, {len(held_text):,} held out")
print(train_text[:300])

# %% [markdown]
# ## Streams and settings
#
# The training text becomes $B = 16$ parallel streams, read in chunks of $T = 25$ steps: one update sees $16 \times 25 = 400$ characters.
# Both cells get $d = 32$ hidden units, Adam with learning rate 0.01, and clipping of the gradient's global norm at 5. <!-- given: 0.01 -->

# %%
B, T, d, UPDATES = 16, 25, 32, 400
train_ids = data.encode(train_text, vocab)
inputs, targets = data.streams(train_ids, B)  # (n, B) each
held_ids = data.encode(held_text, vocab)
passes = -(-len(inputs) // T)  # updates per pass over the text
print("streams:", inputs.shape, "-> one pass is", passes, "updates")

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

    def every_100(history, cell=cell, params=params, snaps=snapshots):
        if history.updates % 100 == 0:
            out = sample(cell, params, vocab, 120, temperature=0.8,
                         prompt="def ", rng=1)
            snaps.append((history.updates, out))

    history = loop.train(cell, params, inputs, targets,
                         optim.Adam(0.01), updates=UPDATES, seq_len=T,
                         clip=5.0, callback=every_100)
    runs[name] = (cell, params, history, snapshots)
    speed = history.chars / history.seconds
    print(f"{name}: {UPDATES} updates in {history.seconds:.1f} s",
          f"({speed:,.0f} characters/s)")

# %%
for name, (_, _, _, snapshots) in runs.items():
    for updates, text_out in snapshots:
        print(f"--- {name}, after {updates} updates ---")
        print(text_out)

# %% [markdown]
# ## Loss curves
#
# The loss of each update's chunk, in nats per character, smoothed over 20 updates.
# A model that knows nothing starts at $\log k$ (the dotted line): every character equally likely.

# %% alt="The smoothed loss per character, in nats, against the update number, 20 to 400, for the RNN and the LSTM: both start near the dotted line of guessing, log k, and fall steeply in the first hundred updates, then slowly."
def smooth(values, n=20):
    return np.convolve(values, np.ones(n) / n, mode="valid")


fig, ax = plt.subplots(figsize=(6, 3.6))
for name, (_, _, history, _) in runs.items():
    curve = smooth(history.losses)
    ax.plot(np.arange(len(curve)) + 20, curve,
            label=f"{name.upper()}, d = {d}")
ax.axhline(np.log(k), color="C4", ls=":", label=r"$\log k$: guessing")
ax.set_xlabel("update")
ax.set_ylabel("loss per character (nats)")
ax.legend()
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
    n_params = sum(W.size for _, W in params.items())
    train_loss = np.mean(history.losses[-20:])
    print(f"{name}: {n_params:,} parameters,",
          f"training loss {train_loss:.3f} nats/char,")
    print(f"      held-out perplexity {ppl:.2f} (guessing: {k})")

# %% [markdown]
# Both models go from guessing among all $k$ characters to hesitating between a handful.
# A reader fresh from [why LSTMs](../../lstm/05-why/) may expect the LSTM to win clearly; with these settings the two come out close, and the simple RNN can even have the lower training loss and curve.
# That does not contradict chapter 5.
# With $d = 32$ and 400 updates, what both have learned is mostly short-range structure: which letters follow which, spaces after a newline, common words and names.
# A few characters of context are enough for that, and the simple RNN learns it as well as the LSTM, with fewer parameters to fit in the same number of updates (counted above).
# The LSTM's advantage, carrying information across many steps (a bracket opened long before, the indentation of a block), is what a small model with a short training has barely begun to use; `rnn-book train` runs the same code with more units and updates.

# %% [markdown]
# ## Temperature
#
# The same LSTM, the same prompt, the same random numbers; only the temperature $\tau$ changes.
# At $\tau = 0.3$ it repeats its likeliest patterns; at $\tau = 1.5$ it is closer to noise.
# In Python source the likeliest character after a few spaces of indentation is another space, so a low temperature can get stuck writing spaces until the sample ends: the sample at $\tau = 0.3$ may be a short line followed by a long run of blanks, the loop that greedy decoding falls into (exercise 3 of the chapter).
# Each sample below is printed without its trailing blanks, which are counted in its heading instead.

# %%
cell, params, _, _ = runs["lstm"]
for tau in (0.3, 0.8, 1.5):
    out = sample(cell, params, vocab, 160, temperature=tau,
                 prompt="    def ", rng=2)
    n_blank = len(out) - len(out.rstrip())
    print(f"--- temperature {tau}:",
          f"{n_blank} blank characters at the end ---")
    print(out.rstrip())
print("---")

# %%
print(f"this notebook ran in {time.perf_counter() - started:.1f} s")
