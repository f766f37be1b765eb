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
# # 4b. The assignment, worked
#
# 과제: (numpy만 사용해서) simple rnn 순전파, 역전파 구현 — the lecture's assignment: using numpy only, implement the forward pass (순전파) and the backward pass (역전파) of a simple RNN for
#
# ```
# input vector = [1,0,0,0],[0,1,0,0],[0,0,1,0]
# y_true       = [0,1,0,0],[0,0,1,0],[0,0,0,1]
# k = 4, d = 3, t = 3, activation: tanh
# ```
#
# This notebook is one complete solution, executed when the site is built: every number below was computed by the code above it.
# It uses **numpy only** for the model; the book's package `rnn_book` appears once, at the end of part 4, as an independent referee.
# Download it with the button at the top of the page and run it yourself; it takes a few seconds.
#
# The equations are those of chapters 2 and 3, with column vectors:
# $a_t = W_H h_{t-1} + W_X x_t + b_h$, $h_t = \tanh(a_t)$, $y_t = \operatorname{softmax}(W_Y h_t + b_y)$, and the loss $L = \sum_t L_t$ with $L_t = -\log y_{t,c_t}$, where $c_t$ is the target symbol at step $t$.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %config InlineBackend.figure_formats = ["svg"]
np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. The data and the parameters
#
# Three one-hot inputs, the symbols 0, 1, 2, and as targets the next symbol each time: 1, 2, 3.
# The lecture writes them as rows, one per time step; we keep that layout for the whole sequence and take each step as a column $x_t$ of shape $(k, 1)$.

# %%
k, d, T = 4, 3, 3
# (T, k): one row per step, x_1, x_2, x_3 and ŷ_1, ŷ_2, ŷ_3
X = np.array([[1, 0, 0, 0],
              [0, 1, 0, 0],
              [0, 0, 1, 0]], dtype=float)
Y_true = np.array([[0, 1, 0, 0],
                   [0, 0, 1, 0],
                   [0, 0, 0, 1]], dtype=float)
targets = Y_true.argmax(axis=1)  # c_1, c_2, c_3
print("inputs :", X.argmax(axis=1), " targets:", targets)

# %% [markdown]
# Random weights with variance $1/\text{fan-in}$ and zero biases, from a fixed seed, so that the run is reproducible.
# The shapes are the lecture's dimension table: $W_X \in d \times k$, $W_H \in d \times d$, $W_Y \in k \times d$, $b_h \in d \times 1$, $b_y \in k \times 1$.

# %%
rng = np.random.default_rng(0)
params = {
    "W_X": rng.standard_normal((d, k)) / np.sqrt(k),  # (d, k)
    "W_H": rng.standard_normal((d, d)) / np.sqrt(d),  # (d, d)
    "b_h": np.zeros((d, 1)),                          # (d, 1)
    "W_Y": rng.standard_normal((k, d)) / np.sqrt(d),  # (k, d)
    "b_y": np.zeros((k, 1)),                          # (k, 1)
}
for name, value in params.items():
    print(f"{name} {value.shape}\n{value}")

# %% [markdown]
# ## 2. The forward pass, every intermediate
#
# One function computes the whole sequence and keeps every $a_t$, $h_t$ and $y_t$, indexed like the math: `h[0]` is $h_0$ (zeros), `h[1]` is $h_1$, and so on.
# The softmax subtracts the largest score first, which changes nothing mathematically but keeps `np.exp` from overflowing.

# %%
def softmax(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def forward(params, X, h0=None):
    """Lists x, a, h, y indexed by t = 1..T; h[0] is h_0."""
    W_X, W_H, b_h = params["W_X"], params["W_H"], params["b_h"]
    W_Y, b_y = params["W_Y"], params["b_y"]
    h_0 = np.zeros((d, 1)) if h0 is None else h0
    x, a, h, y = [None], [None], [h_0], [None]
    for t in range(1, len(X) + 1):
        x.append(X[t - 1].reshape(-1, 1))  # (k, 1) column
        a.append(W_H @ h[t - 1] + W_X @ x[t] + b_h)  # (d, 1)
        h.append(np.tanh(a[t]))                      # (d, 1)
        y.append(softmax(W_Y @ h[t] + b_y))          # (k, 1)
    return x, a, h, y


def loss_of(y, targets):
    """L = sum over t of -log y_t[c_t]."""
    steps = enumerate(targets, start=1)
    return float(-sum(np.log(y[t][c, 0]) for t, c in steps))


x, a, h, y = forward(params, X)
for t in range(1, T + 1):
    print(f"t = {t}:  x_t = {x[t].ravel()}")
    print(f"   a_t = {a[t].ravel()}")
    print(f"   h_t = {h[t].ravel()}")
    print(f"   y_t = {y[t].ravel()}")
    c = targets[t - 1]
    print(f"   sum of y_t = {y[t].sum():.4f}; "
          f"target {c} gets {y[t][c, 0]:.4f}")

# %% [markdown]
# Every $h_t$ lies in $(-1, 1)$, as $\tanh$ promises, and every $y_t$ is a probability distribution over the four symbols.
# The untrained network spreads its bets roughly evenly: no symbol gets much more than the $1/4$ of a blind guess.

# %% [markdown]
# ## 3. The loss
#
# The loss sums the three steps' cross-entropies, $L = -\log y_{1,1} - \log y_{2,2} - \log y_{3,3}$.
# A useful yardstick is the **uniform guess**, $y_t = (\frac14, \frac14, \frac14, \frac14)$ at every step: it scores $3 \ln 4 \approx 4.16$.
# Any loss above that is worse than not knowing anything; a trained network should go far below it.

# %%
L = loss_of(y, targets)
print(f"L at initialisation  = {L:.4f}")
print(f"uniform guess, 3 ln 4 = {3 * np.log(4):.4f}")

# %% [markdown]
# Our random start is slightly worse than the uniform guess: its small preferences happen to point the wrong way as often as not.
#
# ## 4. The backward pass, every gradient
#
# Backpropagation through time, exactly as chapter 3 derives it, from $t = T$ down to $t = 1$:
#
# - $\partial L/\partial z_t = y_t - \hat y_t$ (softmax and cross-entropy together);
# - $\partial L/\partial h_t = W_Y^\top\, \partial L/\partial z_t + W_H^\top\, \partial L/\partial a_{t+1}$: two paths, the second one zero at $t = T$;
# - $\partial L/\partial a_t = \partial L/\partial h_t \odot (1 - h_t^2)$;
# - every weight's gradient is a **sum over the steps**, because the same weights are used at every step;
# - what flows out of step 1 is $\partial L/\partial h_0 = W_H^\top\, \partial L/\partial a_1$.

# %%
def backward(params, x, h, y, Y_true, verbose=False):
    """BPTT: the gradients (a dict like params) and dL/dh_0."""
    W_H, W_Y = params["W_H"], params["W_Y"]
    grads = {n: np.zeros_like(v) for n, v in params.items()}
    dh_next = np.zeros((d, 1))  # nothing comes after step T
    for t in range(len(x) - 1, 0, -1):
        dz = y[t] - Y_true[t - 1].reshape(-1, 1)  # (k, 1)
        grads["W_Y"] += dz @ h[t].T               # (k, d)
        grads["b_y"] += dz                        # (k, 1)
        dh = W_Y.T @ dz + dh_next  # (d, 1) via y_t, via h_{t+1}
        da = dh * (1 - h[t] ** 2)  # (d, 1) tanh' = 1 - h_t^2
        grads["W_X"] += da @ x[t].T               # (d, k)
        grads["W_H"] += da @ h[t - 1].T           # (d, d)
        grads["b_h"] += da                        # (d, 1)
        if verbose:
            print(f"t = {t}:  dL/dz_t = {dz.ravel()}")
            print(f"   from h_(t+1) = {dh_next.ravel()}")
            print(f"   dL/dh_t      = {dh.ravel()}")
            print(f"   dL/da_t      = {da.ravel()}")
        dh_next = W_H.T @ da  # (d, 1) to step t-1
    return grads, dh_next


grads, dh0 = backward(params, x, h, y, Y_true, verbose=True)

# %% [markdown]
# At $t = 3$ the gradient "from $h_{t+1}$" is zero: nothing comes after the last step.
# At $t = 2$ and $t = 1$ it is not, and it is comparable in size to the direct part $W_Y^\top\, \partial L/\partial z_t$: forgetting it is the most common BPTT bug.
#
# The totals, one gradient per parameter, each with the shape of its parameter:

# %%
for name, value in grads.items():
    print(f"dL/d{name} {value.shape}\n{value}")
print(f"dL/dh_0 {dh0.shape}\n{dh0}")

# %% [markdown]
# ### Why the last column of $\partial L/\partial W_X$ is exactly zero
#
# $\partial L/\partial W_X = \sum_t \partial L/\partial a_t\; x_t^\top$, and $x_t$ is one-hot: the outer product puts $\partial L/\partial a_t$ into the column of the symbol read at step $t$ and zeros everywhere else.
# Symbol 3 is a target but never an input, so its column of $W_X$ is never used by the forward pass, cannot change the loss, and gets a gradient of exactly 0 (not a small number: no arithmetic ever touches it).
# Gradient descent will leave that column at its random initial value.

# %%
column_3 = grads["W_X"][:, 3]
print("column of symbol 3:", column_3)
print("all exactly zero:  ", bool(np.all(column_3 == 0)))

# %% [markdown]
# Likewise, step 1 adds nothing to $\partial L/\partial W_H$: its term is $\partial L/\partial a_1\, h_0^\top$, and $h_0 = 0$.
#
# ### The gradient check
#
# The derivation could be wrong, so we measure.
# A central difference, $\big(L(\theta + \varepsilon) - L(\theta - \varepsilon)\big) / 2\varepsilon$ for each entry $\theta$ of each parameter, needs no calculus; its error is of order $\varepsilon^2$.
# We take $\varepsilon = 10^{-5}$: a smaller step lets float64's rounding take over (chapter 3, section 9, measures it).
# Agreement to a relative error below $10^{-7}$ in float64 means the backward pass is right.

# %%
def numerical_gradient(f, w, eps=1e-5):
    g = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        f_plus = f()
        w[i] = old - eps
        f_minus = f()
        w[i] = old
        g[i] = (f_plus - f_minus) / (2 * eps)
    return g


def relative_error(p, q):
    norm = np.linalg.norm
    return float(norm(p - q) / (norm(p) + norm(q)))


def gradient_check(params, h0):
    """Compare backward with central differences, for every array."""
    x, _, h, y = forward(params, X, h0)
    grads, dh0 = backward(params, x, h, y, Y_true)
    loss_now = lambda: loss_of(forward(params, X, h0)[3], targets)
    for name, w in [*params.items(), ("h_0", h0)]:
        analytic = dh0 if name == "h_0" else grads[name]
        numerical = numerical_gradient(loss_now, w)
        error = relative_error(analytic, numerical)
        verdict = "ok" if error < 1e-7 else "WRONG"
        print(f"{name:4s} relative error {error:.1e}  {verdict}")


gradient_check(params, np.zeros((d, 1)))

# %% [markdown]
# Zeros can hide bugs: with $b_h = 0$ a forgotten $+\, b_h$ in the forward pass changes nothing, and with $h_0 = 0$ the step-1 term $\partial L/\partial a_1\, h_0^\top$ of $\partial L/\partial W_H$ vanishes whatever it is.
# So we check again, on copies, with random nonzero biases and a random nonzero $h_0$:

# %%
shaken_rng = np.random.default_rng(1)
shaken = {name: value.copy() for name, value in params.items()}
shaken["b_h"] = shaken_rng.standard_normal((d, 1))  # (d, 1)
shaken["b_y"] = shaken_rng.standard_normal((k, 1))  # (k, 1)
gradient_check(shaken, shaken_rng.standard_normal((d, 1)))

# %% [markdown]
# And the book's package, written independently (and itself tested against PyTorch), computes the same numbers:

# %%
from rnn_book import rnn  # noqa: E402

# The same seed and recipe give the same weights:
book_params = rnn.init_params(k=4, d=3, rng=0)
for n in params:
    assert np.array_equal(getattr(book_params, n), params[n])
Y_book, cache = rnn.forward(book_params, X)
grads_book, dh0_book = rnn.backward(book_params, cache, Y_true)
same_y = np.allclose(Y_book, np.hstack(y[1:]).T)
same_grads = all(np.allclose(getattr(grads_book, n), grads[n])
                 for n in grads)
print("outputs agree:  ", same_y)
print("gradients agree:", same_grads)

# %% [markdown]
# ## 5. Training: plain gradient descent
#
# With correct gradients, learning is one line per parameter, $\theta \leftarrow \theta - \eta\, \partial L/\partial\theta$, repeated.
# We use a learning rate $\eta = 0.5$ and 300 updates.

# %%
trained = {name: value.copy() for name, value in params.items()}
learning_rate = 0.5
losses = []
for _ in range(300):
    x, a, h, y = forward(trained, X)
    losses.append(loss_of(y, targets))
    g, _ = backward(trained, x, h, y, Y_true)
    for name in trained:
        trained[name] -= learning_rate * g[name]
x, a, h, y_after = forward(trained, X)
losses.append(loss_of(y_after, targets))
for n in (0, 10, 20, 50, 100, 300):
    print(f"after {n:3d} updates: L = {losses[n]:.4f}")

# %% alt="The loss L on a log scale against the update number, 0 to 300: it starts just above the dashed line of the uniform guess, 3 ln 4, and falls ever more slowly toward zero."
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.semilogy(losses)
ax.axhline(3 * np.log(4), color="C4", ls="--", lw=1.2)
ax.text(len(losses) - 1, 3 * np.log(4) * 1.3,
        r"uniform guess, $3 \ln 4$", ha="right")
ax.set_xlabel("update")
ax.set_ylabel(r"loss $L$ (log scale)")
ax.set_title("loss during training")
fig.tight_layout()
plt.show()

# %% alt="Two panels, before and after training, each with three rows y_1, y_2, y_3 of four bars, one per symbol, the bar height being the probability; a box marks each row's target symbol, 1, 2 and 3. Before training the bars are all about a quarter; after, the boxed bar of each row is almost full and the others nearly empty."
_, _, _, y_before = forward(params, X)
P_before = np.hstack(y_before[1:]).T  # (T, k): row t-1 is y_t
P_after = np.hstack(y_after[1:]).T    # (T, k)

fig, axes = plt.subplots(1, 2, figsize=(6, 2.9), sharey=True)
panels = [(P_before, "before training"),
          (P_after, "after training")]
for ax, (P, title) in zip(axes, panels):
    # one bar per symbol and step, its height the probability
    for t in range(T):
        ax.bar(np.arange(k), P[t] * 0.8, bottom=T - 1 - t - 0.4,
               width=0.7, color="C0")
        box = plt.Rectangle((targets[t] - 0.5, T - 1 - t - 0.5), 1, 1,
                            fill=False, ec="C1", lw=2)
        ax.add_patch(box)
    ax.set_xlim(-0.5, k - 0.5)
    ax.set_ylim(-0.5, T - 0.5)
    ax.set_xticks(range(k))
    ax.set_yticks(range(T)[::-1], [f"$y_{t + 1}$" for t in range(T)])
    ax.set_xlabel("symbol")
    ax.set_title(title)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(length=0)
fig.tight_layout()
plt.show()

# %% [markdown]
# The loss falls from above the uniform guess to near zero (the log scale shows it keeps falling, ever more slowly).
# In the second figure each row is one step's $y_t$, one bar per symbol with the probability as its height, and a box marks the target.
# Before training every row is close to $\frac14$ everywhere; after, nearly all the probability sits on the target.
#
# The loss can approach 0 but never reach it: a softmax gives every symbol a positive probability, so $-\log y_{t,c_t} > 0$.
# Pushing it lower only makes the weights larger.

# %%
print("predicted symbols:", P_after.argmax(axis=1))
print("targets:          ", targets)
print("p(target) per step:", P_after[np.arange(T), targets])

# %% [markdown]
# ## 6. What the first step can and cannot know
#
# With $h_0 = 0$, the first prediction is $y_1 = \operatorname{softmax}\big(W_Y \tanh(W_X x_1 + b_h) + b_y\big)$: it depends on $x_1$ alone.
# There is no history yet, so no amount of training can make step 1 use one.
# From step 2 on, $h_{t-1}$ carries the past, and the same input can lead to a different prediction depending on what came before.
# The trained network shows both: feeding symbol 1 *first* gives a different $y$ than feeding it *after* symbol 0, while the prediction for symbol 0 at step 1 is the same whether or not anything follows it.

# %%
_, _, _, y_alone = forward(trained, X[:1])  # "0" alone
print("y_1 for '0', alone        :", y_alone[1].ravel())
print("y_1 for '0', in '0 1 2'   :", y_after[1].ravel())
_, _, _, y_1first = forward(trained, X[1:2])  # "1" alone
print("y for '1' read first      :", y_1first[1].ravel())
print("y for '1' read after '0'  :", y_after[2].ravel())

# %% [markdown]
# In this tiny task the network need not use its memory: each input symbol already determines the next one.
# Exercise 3 on the [assignment page](../../rnn/04-assignment/) gives it a task where it must.
