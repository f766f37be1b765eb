# ---
# jupyter:
#   english_sha256: d78fa66496184c1335ba4671909db6654d876b4d649cab921eccc71355ed2e40
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
# # 8b. 같은 텍스트로 학습한 RNN과 LSTM
#
# 이 노트북은 앞 장들의 단순 RNN과 LSTM을 같은 설정으로, 같은 텍스트로 학습시킵니다: 텍스트는 파이썬 표준 라이브러리의 두 모듈(`textwrap`과 `string`)의 소스 코드이며, 지금 이 파이썬 설치본에서 읽어 오므로 아무것도 내려받지 않습니다.
# 이 노트북은 사이트를 빌드할 때마다 실행되므로, 아래의 모든 수치, 곡선, 샘플은 그 위에 있는 코드에서 나온 것입니다. 몇 초 만에 돌도록 작게 유지했습니다(은닉 노드 32개, 각각 업데이트 400번).
# 각 부분은 [문자 수준 언어 모델 학습하기](../../train/char-lm/) 장에서 설명합니다.

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
# ## 스트림과 설정
#
# 학습 텍스트는 $B = 16$개의 나란한 스트림이 되고, $T = 25$ 타임스텝짜리 청크로 읽힙니다: 업데이트 한 번이 $16 \times 25 = 400$개의 문자를 봅니다.
# 두 셀 모두 은닉 노드 $d = 32$개, 학습률 0.01의 Adam, 그리고 기울기의 전역 노름을 5로 자르는 클리핑을 씁니다. <!-- given: 0.01 -->

# %%
B, T, d, UPDATES = 16, 25, 32, 400
train_ids = data.encode(train_text, vocab)
inputs, targets = data.streams(train_ids, B)  # (n, B) each
held_ids = data.encode(held_text, vocab)
passes = -(-len(inputs) // T)  # updates per pass over the text
print("streams:", inputs.shape, "-> one pass is", passes, "updates")

# %% [markdown]
# ## 둘 다 학습시키며, 도중에 샘플 보기
#
# 업데이트 100번마다 콜백이 프롬프트 `def `에서 시작해 온도 0.8로 120개의 문자를 써 내므로, 텍스트가 모양을 갖춰 가는 모습을 지켜볼 수 있습니다.

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
# ## 손실 곡선
#
# 각 업데이트가 본 청크의 손실을 문자당 내트(nat) 단위로 나타내고, 업데이트 20번에 걸친 이동 평균으로 매끄럽게 한 곡선입니다.
# 아무것도 모르는 모델은 $\log k$(점선)에서 출발합니다: 모든 문자가 똑같이 그럴듯한 상태입니다.

# %% alt="RNN과 LSTM의 매끄럽게 한 문자당 손실(내트)을 업데이트 번호 20부터 400까지에 대해 그린 그래프: 둘 다 찍기 수준인 log k의 점선 근처에서 출발해, 처음 100번의 업데이트 동안 가파르게 떨어지고 그 뒤로는 천천히 떨어집니다."
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
# ## 검증 텍스트에서의 퍼플렉서티
#
# 퍼플렉서티(perplexity)는 모델이 한 번도 학습하지 않은 텍스트에서 잰 문자당 평균 손실의 $\exp$입니다: 모델이 평균적으로 몇 개의 문자 사이에서 망설이는지를 나타냅니다.
# 균등하게 찍으면 $k$가 나옵니다.

# %%
for name, (cell, params, history, _) in runs.items():
    ppl = perplexity(cell, params, held_ids, B=8)
    n_params = sum(W.size for _, W in params.items())
    train_loss = np.mean(history.losses[-20:])
    print(f"{name}: {n_params:,} parameters,",
          f"training loss {train_loss:.3f} nats/char,")
    print(f"      held-out perplexity {ppl:.2f} (guessing: {k})")

# %% [markdown]
# 두 모델 모두 $k$개의 문자 전부 가운데서 찍던 상태에서, 몇 개의 문자 사이에서만 망설이는 상태로 나아갑니다.
# [왜 LSTM인가](../../lstm/05-why/)를 막 읽은 독자라면 LSTM이 확실히 이기리라 기대할지도 모릅니다. 하지만 이 설정에서는 둘이 비슷하게 나오며, 단순 RNN의 학습 손실과 곡선이 오히려 더 낮을 수도 있습니다.
# 이것은 5장과 모순되지 않습니다.
# $d = 32$에 업데이트 400번으로 두 모델이 배운 것은 대부분 짧은 범위의 구조입니다: 어떤 글자 뒤에 어떤 글자가 오는지, 줄바꿈 뒤의 공백, 흔한 단어와 이름 같은 것들입니다.
# 그러려면 몇 글자의 문맥이면 충분하고, 단순 RNN은 같은 업데이트 횟수 안에 맞춰야 할 매개변수가 더 적으므로(위에서 센 개수) LSTM만큼 잘 배웁니다.
# LSTM의 장점은 여러 타임스텝에 걸쳐 정보를 나르는 것(오래전에 열린 괄호, 블록의 들여쓰기)인데, 짧게 학습한 작은 모델은 이 장점을 이제 겨우 쓰기 시작했을 뿐입니다. `rnn-book train`은 같은 코드를 더 많은 은닉 노드와 업데이트로 돌립니다.

# %% [markdown]
# ## 온도
#
# 같은 LSTM, 같은 프롬프트, 같은 난수에 온도 $\tau$만 바꿉니다.
# $\tau = 0.3$에서는 가장 그럴듯한 패턴을 되풀이하고, $\tau = 1.5$에서는 잡음에 더 가까워집니다.
# 파이썬 소스에서 들여쓰기 공백 몇 개 뒤에 올 가장 그럴듯한 문자는 또 하나의 공백이므로, 낮은 온도에서는 샘플이 끝날 때까지 공백만 쓰는 상태에 갇힐 수 있습니다: $\tau = 0.3$의 샘플은 짧은 한 줄 뒤에 긴 공백이 이어지는 모습일 수 있는데, 이것이 탐욕적 디코딩(greedy decoding)이 빠지는 루프입니다(8장의 연습 문제 3).
# 아래의 각 샘플은 끝의 공백을 빼고 출력하며, 그 공백의 개수는 대신 샘플 제목 줄에 적습니다.

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
