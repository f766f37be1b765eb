"""The simple RNN's training step, one optimisation at a time, timed while the site builds.

The four rungs of rnn_book.fast.ladder (each proven equal to the readable
step by tests/package/test_fast_ladder.py) are timed at the char size
(B=1, T=25, k=65, d=100) and the small size (B=32, T=64, k=65, d=128), float64,
with the benchmark's own timer (median of repeated steps). It takes about two
seconds; the numbers are this build machine's, named in the title.
"""

import importlib.util
import os
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from _style import SMALL, WIDTH, C

from rnn_book import rnn
from rnn_book.fast import Workspace
from rnn_book.fast.ladder import LADDER


def _bench():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_step.py"
    spec = importlib.util.spec_from_file_location("rnn_book_bench_step", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(bench, size, seconds=0.15):
    """Median ms of each rung's step at ``size``, float64."""
    _, _, k, d = bench.SIZES[size]
    params = rnn.init_params(k, d, rng=np.random.default_rng(1))
    X, idx = bench.problem(size, "float64")
    ws = Workspace()
    times = []
    for label, step in LADDER:
        extra = (ws,) if label.startswith("4.") else ()
        times.append(1e3 * bench.median_time(lambda step=step, extra=extra: step(params, X, idx, *extra),
                                             seconds, 200))
    return times


def draw():
    bench = _bench()
    blas = bench.blas_info()
    sizes = {"char: B=1, T=25, k=65, d=100": "char", "small: B=32, T=64, k=65, d=128": "small"}
    fig, axes = plt.subplots(2, 1, figsize=(WIDTH, 6.6))
    labels = [textwrap.fill(label, 24) for label, _ in LADDER]  # two lines each: three overlapped
    for ax, (title, size) in zip(axes, sizes.items()):
        times = measure(bench, size)
        y = np.arange(len(times))[::-1]
        ax.barh(y, times, color=[C["faint"], C["blue"], C["blue"], C["green"]])
        for yi, ms in zip(y, times):
            ax.text(ms, yi, f" {ms:.3g} ms, {times[0] / ms:.1f}x", va="center", fontsize=SMALL)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 1.6 * max(times))
        ax.set_xlabel("ms per training step (median)")
        ax.set_title(title)
    forced = os.environ.get("OPENBLAS_CORETYPE")  # the build keeps it; the benchmark unsets it
    kernel = f"kernel {blas['kernel']}" + (" (set by OPENBLAS_CORETYPE)" if forced else "")
    threads = blas.get("threads")  # one, unless OPENBLAS_NUM_THREADS says otherwise (hooks/_pool.py)
    if threads:
        kernel += f", {threads} BLAS thread" + ("s" if threads > 1 else "")
    fig.suptitle(f"Simple RNN, float64, measured at build time:\n{bench.machine()};\n"
                 f"{blas['library']}, {kernel}", fontsize=SMALL, color=C["muted"])
    fig.tight_layout()
    return fig
