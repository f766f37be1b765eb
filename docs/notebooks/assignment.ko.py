# ---
# jupyter:
#   english_sha256: 1bd45c3fef855bbac6d91fc4d6b23524890e70fac6fa210630d9d5a6e8a17ecf
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
# # 4b. 과제 풀이
#
# 강의의 과제는 "과제: (numpy만 사용해서) simple rnn 순전파, 역전파 구현"입니다.
# 곧 numpy만 사용해서, 다음 데이터에 대해 단순 RNN의 순전파(forward pass)와 역전파(backward pass)를 구현하는 것입니다:
#
# ```
# input vector = [1,0,0,0],[0,1,0,0],[0,0,1,0]
# y_true       = [0,1,0,0],[0,0,1,0],[0,0,0,1]
# k = 4, d = 3, t = 3, activation: tanh
# ```
#
# 이 노트북은 사이트를 빌드할 때 실행되는 완전한 풀이 하나입니다: 아래의 모든 숫자는 그 위의 코드가 계산한 것입니다.
# 모델에는 **numpy만** 씁니다.
# 이 책의 패키지 `rnn_book`은 4절의 끝에서 단 한 번, 독립적인 심판으로만 등장합니다.
# 페이지 맨 위의 버튼으로 내려받아 직접 실행해 보십시오: 몇 초면 끝납니다.
#
# 식은 2장과 3장의 것이며, 열벡터를 씁니다:
# $a_t = W_H h_{t-1} + W_X x_t + b_h$, $h_t = \tanh(a_t)$, $y_t = \operatorname{softmax}(W_Y h_t + b_y)$이고, 손실은 $L = \sum_t L_t$, $L_t = -\log y_{t,c_t}$이며, $c_t$는 타임스텝 $t$의 목표 기호입니다.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %config InlineBackend.figure_formats = ["svg"]
np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. 데이터와 매개변수
#
# 입력은 세 개의 원-핫 벡터(one-hot vector), 곧 기호 0, 1, 2이고, 목표는 매번 그다음 기호인 1, 2, 3입니다.
# 강의는 이것들을 타임스텝(time step)마다 한 행씩 적습니다.
# 이 노트북도 시퀀스 전체는 이 배열 방식 그대로 두고, 각 타임스텝은 모양이 $(k, 1)$인 열벡터 $x_t$로 꺼내 씁니다.

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
# 실행을 재현할 수 있도록, 고정된 시드에서 분산이 $1/\text{fan-in}$인 무작위 가중치를 뽑고 편향은 0으로 둡니다.
# 모양은 강의의 차원 표를 따릅니다: $W_X \in d \times k$, $W_H \in d \times d$, $W_Y \in k \times d$, $b_h \in d \times 1$, $b_y \in k \times 1$.

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
# ## 2. 순전파, 모든 중간값
#
# 함수 하나가 시퀀스 전체를 계산하면서 모든 $a_t$, $h_t$, $y_t$를 수식과 같은 인덱스로 보관합니다: `h[0]`은 $h_0$(0 벡터), `h[1]`은 $h_1$, 이런 식입니다.
# 소프트맥스는 먼저 가장 큰 점수를 빼는데, 이는 수학적으로는 아무것도 바꾸지 않지만 `np.exp`가 오버플로하지 않게 해 줍니다.

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
# 모든 $h_t$는 $\tanh$가 보장하듯 $(-1, 1)$ 안에 있고, 모든 $y_t$는 네 기호에 대한 확률 분포입니다.
# 학습되지 않은 신경망은 확률을 거의 고르게 나누어 줍니다: 어떤 기호도 무작정 찍을 때의 $1/4$보다 훨씬 많이 받지는 못합니다.

# %% [markdown]
# ## 3. 손실
#
# 손실은 세 타임스텝의 교차 엔트로피(cross-entropy)를 합한 $L = -\log y_{1,1} - \log y_{2,2} - \log y_{3,3}$입니다.
# 쓸모 있는 기준은 모든 타임스텝에서 $y_t = (\frac14, \frac14, \frac14, \frac14)$로 두는 **균등 추측**(uniform guess)이며, 그 손실은 $3 \ln 4 \approx 4.16$입니다.
# 이보다 큰 손실은 아무것도 모르는 것보다 나쁘며, 학습된 신경망은 이보다 훨씬 아래로 내려가야 합니다.

# %%
L = loss_of(y, targets)
print(f"L at initialisation  = {L:.4f}")
print(f"uniform guess, 3 ln 4 = {3 * np.log(4):.4f}")

# %% [markdown]
# 이 무작위 시작점은 균등 추측보다 약간 나쁩니다: 가중치의 작은 선호들이 공교롭게도 맞는 쪽만큼이나 자주 틀린 쪽을 가리키기 때문입니다.
#
# ## 4. 역전파, 모든 기울기
#
# 3장에서 유도한 그대로의 시간에 따른 역전파(BPTT)를 $t = T$에서 $t = 1$까지 거꾸로 진행합니다:
#
# - $\partial L/\partial z_t = y_t - \hat y_t$ (소프트맥스와 교차 엔트로피를 함께 미분한 결과)
# - $\partial L/\partial h_t = W_Y^\top\, \partial L/\partial z_t + W_H^\top\, \partial L/\partial a_{t+1}$: 두 경로이며, 두 번째 경로는 $t = T$에서 0입니다.
# - $\partial L/\partial a_t = \partial L/\partial h_t \odot (1 - h_t^2)$
# - 같은 가중치가 모든 타임스텝에서 쓰이므로, 모든 가중치의 기울기는 **타임스텝에 걸친 합**입니다.
# - 타임스텝 1에서 흘러 나가는 것은 $\partial L/\partial h_0 = W_H^\top\, \partial L/\partial a_1$입니다.

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
# $t = 3$에서 "$h_{t+1}$에서 오는" 기울기는 0입니다: 마지막 타임스텝 뒤에는 아무것도 없습니다.
# $t = 2$와 $t = 1$에서는 0이 아니며, 직접 오는 부분 $W_Y^\top\, \partial L/\partial z_t$와 크기가 비슷합니다: 이 항을 빠뜨리는 것이 가장 흔한 BPTT 버그입니다.
#
# 다음은 매개변수마다 하나씩 구한 기울기의 합계이며, 각 기울기는 그 매개변수와 모양이 같습니다:

# %%
for name, value in grads.items():
    print(f"dL/d{name} {value.shape}\n{value}")
print(f"dL/dh_0 {dh0.shape}\n{dh0}")

# %% [markdown]
# ### $\partial L/\partial W_X$의 마지막 열이 정확히 0인 이유
#
# $\partial L/\partial W_X = \sum_t \partial L/\partial a_t\; x_t^\top$이고 $x_t$는 원-핫 벡터입니다: 외적은 $\partial L/\partial a_t$를 타임스텝 $t$에서 읽은 기호의 열에 넣고, 나머지는 모두 0으로 둡니다.
# 기호 3은 목표로는 나오지만 입력으로는 한 번도 나오지 않으므로, $W_X$에서 그 기호의 열은 순전파에서 전혀 쓰이지 않고, 손실을 바꿀 수 없으며, 기울기가 정확히 0입니다(작은 수가 아니라 0입니다: 어떤 연산도 그 열에 닿지 않습니다).
# 경사 하강법(gradient descent)은 그 열을 처음의 무작위 값 그대로 남겨 둡니다.

# %%
column_3 = grads["W_X"][:, 3]
print("column of symbol 3:", column_3)
print("all exactly zero:  ", bool(np.all(column_3 == 0)))

# %% [markdown]
# 마찬가지로, 타임스텝 1은 $\partial L/\partial W_H$에 아무것도 더하지 않습니다: 그 항은 $\partial L/\partial a_1\, h_0^\top$인데, $h_0 = 0$이기 때문입니다.
#
# ### 기울기 검사
#
# 유도가 틀렸을 수도 있으니, 측정해 봅니다.
# 각 매개변수의 각 원소 $\theta$에 대한 중앙 차분(central difference) $\big(L(\theta + \varepsilon) - L(\theta - \varepsilon)\big) / 2\varepsilon$에는 미적분이 필요 없으며, 그 오차는 $\varepsilon^2$ 정도입니다.
# 여기서는 $\varepsilon = 10^{-5}$을 씁니다: 이보다 작은 간격에서는 float64의 반올림 오차가 지배하게 됩니다(3장 9절에서 이를 측정합니다).
# float64에서 상대 오차(relative error)가 $10^{-7}$ 미만으로 일치하면 역전파가 옳다는 뜻입니다.

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
# 0은 버그를 숨길 수 있습니다: $b_h = 0$이면 순전파에서 $+\, b_h$를 빠뜨려도 아무것도 달라지지 않고, $h_0 = 0$이면 $\partial L/\partial W_H$의 타임스텝 1 항 $\partial L/\partial a_1\, h_0^\top$는 그 값이 무엇이든 사라집니다.
# 그래서 복사본에 0이 아닌 무작위 편향과 0이 아닌 무작위 $h_0$을 넣고 다시 검사합니다:

# %%
shaken_rng = np.random.default_rng(1)
shaken = {name: value.copy() for name, value in params.items()}
shaken["b_h"] = shaken_rng.standard_normal((d, 1))  # (d, 1)
shaken["b_y"] = shaken_rng.standard_normal((k, 1))  # (k, 1)
gradient_check(shaken, shaken_rng.standard_normal((d, 1)))

# %% [markdown]
# 그리고 독립적으로 작성된(그 자체도 PyTorch와 비교해 검증된) 이 책의 패키지도 같은 숫자를 계산합니다:

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
# ## 5. 학습: 단순한 경사 하강법
#
# 기울기가 옳다면, 학습은 매개변수마다 한 줄짜리 $\theta \leftarrow \theta - \eta\, \partial L/\partial\theta$를 되풀이하는 것일 뿐입니다.
# 학습률(learning rate) $\eta = 0.5$로 300번 업데이트합니다.

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

# %% alt="업데이트 횟수 0에서 300까지에 따른 손실 L을 로그 눈금으로 그린 그래프: 균등 추측 3 ln 4를 나타내는 점선 바로 위에서 시작해, 점점 느려지면서 0을 향해 떨어집니다."
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

# %% alt="학습 전과 학습 후의 두 패널. 각 패널에는 y_1, y_2, y_3의 세 행이 있고, 각 행에는 기호마다 하나씩 네 개의 막대가 있으며 막대 높이가 확률입니다. 상자는 각 행의 목표 기호 1, 2, 3을 표시합니다. 학습 전에는 막대가 모두 약 4분의 1 높이이고, 학습 후에는 각 행에서 상자 친 막대가 거의 꽉 차고 나머지는 거의 비어 있습니다."
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
# 손실은 균등 추측보다 위에서 시작해 0 가까이까지 떨어집니다(로그 눈금으로 보면 점점 느려지면서도 계속 떨어집니다).
# 두 번째 그림에서 각 행은 한 타임스텝의 $y_t$로, 기호마다 막대가 하나씩 있고 그 높이가 확률이며, 상자는 목표를 표시합니다.
# 학습 전에는 모든 행이 어디서나 $\frac14$에 가깝고, 학습 후에는 확률이 거의 모두 목표에 몰려 있습니다.
#
# 손실은 0에 다가갈 수는 있지만 0에 이를 수는 없습니다: 소프트맥스는 모든 기호에 양의 확률을 주므로 $-\log y_{t,c_t} > 0$입니다.
# 손실을 더 낮추려 하면 가중치만 커질 뿐입니다.

# %%
print("predicted symbols:", P_after.argmax(axis=1))
print("targets:          ", targets)
print("p(target) per step:", P_after[np.arange(T), targets])

# %% [markdown]
# ## 6. 첫 타임스텝이 알 수 있는 것과 알 수 없는 것
#
# $h_0 = 0$이면 첫 예측은 $y_1 = \operatorname{softmax}\big(W_Y \tanh(W_X x_1 + b_h) + b_y\big)$로, $x_1$에만 의존합니다.
# 아직 과거가 없으므로, 아무리 학습해도 타임스텝 1이 과거를 쓰게 만들 수는 없습니다.
# 타임스텝 2부터는 $h_{t-1}$이 과거를 전하므로, 같은 입력이라도 앞에 무엇이 왔는지에 따라 다른 예측으로 이어질 수 있습니다.
# 학습된 신경망은 두 가지를 모두 보여 줍니다: 기호 1을 *처음에* 넣으면 기호 0 *다음에* 넣을 때와 다른 $y$가 나오는 반면, 타임스텝 1에서 기호 0에 대한 예측은 뒤에 무엇이 오든 오지 않든 같습니다.

# %%
_, _, _, y_alone = forward(trained, X[:1])  # "0" alone
print("y_1 for '0', alone        :", y_alone[1].ravel())
print("y_1 for '0', in '0 1 2'   :", y_after[1].ravel())
_, _, _, y_1first = forward(trained, X[1:2])  # "1" alone
print("y for '1' read first      :", y_1first[1].ravel())
print("y for '1' read after '0'  :", y_after[2].ravel())

# %% [markdown]
# 이 작은 과제에서는 신경망이 기억을 쓸 필요가 없습니다: 각 입력 기호가 이미 다음 기호를 결정하기 때문입니다.
# [과제 페이지](../../rnn/04-assignment/)의 연습 문제 3은 신경망이 기억을 써야만 하는 작업을 줍니다.
