"""min-char-rnn's algorithm against the book's trainer, on the same text and settings.

Karpathy's min-char-rnn trains a simple RNN one sequence at a time: hidden
size 100, chunks of 25 characters, Adagrad with learning rate 0.1, gradients
clipped, the hidden state carried from chunk to chunk. ``one_sequence`` is that
algorithm, written here with the book's readable ``rnn_book.rnn`` (nothing is
copied). The book's trainer, ``rnn_book.train.loop.train``, runs the same
cell with the same settings on B parallel streams of the same text.

The baseline trains for a fixed number of updates; its loss per character on
held-out text is the target. The book's trainer trains until its held-out loss
reaches that target. Only training is timed (the held-out evaluations are
not), and the script prints both times and their ratio.

Clipping: min-char-rnn clips every entry to [-5, 5]; both sides here clip the
global norm to 5 (``rnn_book.gradient_flow.clip_by_global_norm``), which keeps
the direction of the update.

    python benchmarks/min_char_rnn.py --record benchmarks/RESULTS-training.md  # the record
    python benchmarks/min_char_rnn.py --updates 2000 --seeds 0   # a quick look

Each seed draws other initial weights; the record reports every seed and the
spread (min / median / max) over at least three, and which code it measured
(benchmarks/provenance.py).
"""

import os

# One BLAS thread for both sides: on a small shared machine, threads fight.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import datetime
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance import commit, files_run, snapshot, stamp  # noqa: E402  (benchmarks/provenance.py)

from rnn_book import rnn
from rnn_book.gradient_flow import clip_by_global_norm
from rnn_book.train.cells import get_cell
from rnn_book.train.corpora import stdlib_source
from rnn_book.train.data import char_vocabulary, encode, split_text, streams
from rnn_book.train.loop import train
from rnn_book.train.optim import Adagrad
from rnn_book.train.sampling import mean_loss

HIDDEN, SEQ_LEN, LR, CLIP = 100, 25, 0.1, 5.0  # min-char-rnn's settings


def load_text(held_out_chars=10_000):
    """The standard library's source: training ids, held-out ids, vocabulary size."""
    text = stdlib_source()
    vocab = char_vocabulary(text)
    train_text, held_text = split_text(text, held_out_chars / len(text))
    return encode(train_text, vocab), encode(held_text, vocab), len(vocab)


def one_sequence(params, ids, updates, *, seq_len=SEQ_LEN, lr=LR, clip=CLIP):
    """min-char-rnn's loop: one sequence, a pointer p, h carried, Adagrad, clipping.

    Trains ``params`` in place; returns the wall time and the CPU time in seconds.
    """
    k, d = params.k, params.d
    optimizer = Adagrad(lr)
    eye = np.eye(k)
    p, h = 0, np.zeros((d, 1))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(updates):
        if p + seq_len + 1 > len(ids):  # the end of the text: start again from zeros
            p, h = 0, np.zeros((d, 1))
        X = eye[ids[p:p + seq_len]]  # (T, k)
        _, cache = rnn.forward(params, X, h)
        grads, _ = rnn.backward(params, cache, ids[p + 1:p + seq_len + 1])
        grads, _ = clip_by_global_norm(grads, clip)
        optimizer.update(params, grads)
        h = cache.H[-1][:, None]  # (d, 1)  the next chunk starts here
        p += seq_len
    return time.perf_counter() - start, time.process_time() - cpu


def book_until(params, ids, held_ids, target, *, B, max_updates, eval_every, cell=None):
    """The book's trainer on B streams until the held-out loss is at most ``target``.

    Returns
    -------
    seconds : (float, float) or None
        Wall and CPU time of training (evaluations excluded) when the target
        was first met; None if ``max_updates`` ran out first.
    updates : int
    curve : list of (updates, wall seconds, CPU seconds, held-out loss)
    """
    cell = get_cell("rnn") if cell is None else cell
    inputs, targets = streams(ids, B)
    curve = []
    start, cpu = time.perf_counter(), time.process_time()
    evaluating = [0.0, 0.0]  # wall and CPU time spent evaluating

    def callback(history):
        if history.updates % eval_every:
            return
        wall0, cpu0 = time.perf_counter(), time.process_time()
        loss = mean_loss(cell, params, held_ids, B=16)
        curve.append((history.updates, wall0 - start - evaluating[0],
                      cpu0 - cpu - evaluating[1], loss))
        evaluating[0] += time.perf_counter() - wall0
        evaluating[1] += time.process_time() - cpu0

    train(cell, params, inputs, targets, Adagrad(LR), updates=max_updates, seq_len=SEQ_LEN,
          clip=CLIP, callback=callback, should_stop=lambda: bool(curve) and curve[-1][3] <= target)
    if curve and curve[-1][3] <= target:
        return curve[-1][1:3], curve[-1][0], curve
    return None, max_updates, curve


def run_seed(seed, ids, held_ids, k, cell, args):
    """One seed: the baseline for ``args.updates`` updates, then the book's trainer to its loss."""
    params = rnn.init_params(k, HIDDEN, rng=seed)
    base_seconds, base_cpu = one_sequence(params, ids, args.updates)
    target = mean_loss(cell, params, held_ids, B=16)
    base_chars = args.updates * SEQ_LEN
    print(f"seed {seed}, one sequence at a time: {args.updates:,} updates, {base_chars:,} "
          f"characters in {base_seconds:.1f} s, CPU {base_cpu:.1f} s; held-out loss "
          f"{target:.3f} nats/char", flush=True)
    params = rnn.init_params(k, HIDDEN, rng=seed)
    times, updates, curve = book_until(params, ids, held_ids, target, B=args.batch,
                                       max_updates=args.updates, eval_every=args.eval_every,
                                       cell=cell)
    if times is None:
        print(f"seed {seed}: the book's trainer did not reach {target:.3f} in {updates:,} "
              f"updates; best {min(c[3] for c in curve):.3f}")
        return None
    seconds, cpu = times
    chars = updates * SEQ_LEN * args.batch
    print(f"seed {seed}, book's trainer, B = {args.batch}: {updates:,} updates, {chars:,} "
          f"characters in {seconds:.1f} s, CPU {cpu:.1f} s; held-out loss {curve[-1][3]:.3f}; "
          f"wall-time ratio {seconds / base_seconds:.3f}", flush=True)
    return {"seed": seed, "base": (args.updates, base_chars, base_seconds, base_cpu, target),
            "book": (updates, chars, seconds, cpu, curve[-1][3])}


def measured_files(ids, held_ids, k, cell):
    """The source files whose code both trainers run: a few updates of each, profiled."""
    def baseline():
        one_sequence(rnn.init_params(k, HIDDEN, rng=0), ids, 2)

    def book():
        book_until(rnn.init_params(k, HIDDEN, rng=0), ids, held_ids[:500], target=0.0, B=4,
                   max_updates=2, eval_every=1, cell=cell)
    return files_run(load_text, baseline, book, script=__file__)


def spread(values):
    """min / median / max of a few numbers."""
    return min(values), statistics.median(values), max(values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=30_000,
                        help="updates of the one-sequence baseline (default: %(default)s)")
    parser.add_argument("--batch", type=int, default=32, help="the book's streams B")
    parser.add_argument("--eval-every", type=int, default=25,
                        help="evaluate the book's trainer every N updates (default: %(default)s)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="one run of both trainers per seed, at least three for a spread "
                             "(default: 0 1 2)")
    parser.add_argument("--record", metavar="PATH",
                        help="also write the result as Markdown (benchmarks/RESULTS-training.md)")
    args = parser.parse_args(argv)
    if args.record and len(args.seeds) < 3:
        parser.error("--record needs at least three --seeds: the record reports their spread")

    code_commit, code_hashes = commit(), snapshot()  # the code as the run starts
    ids, held_ids, k = load_text()
    cell = get_cell("rnn")
    print(f"text: the standard library's source, {len(ids):,} training and {len(held_ids):,} "
          f"held-out characters, k = {k}; d = {HIDDEN}, T = {SEQ_LEN}, Adagrad lr = {LR}, "
          f"clip {CLIP}; book cell: {cell.module.__name__}", flush=True)
    runs = [run_seed(seed, ids, held_ids, k, cell, args) for seed in args.seeds]
    if any(run is None for run in runs):
        return 1
    wall = [run["book"][2] / run["base"][2] for run in runs]
    cpu = [run["book"][3] / run["base"][3] for run in runs]
    print(f"wall-time ratio (book / one sequence), min / median / max over seeds: "
          f"{_spread(wall, 3)}; times faster: {_spread([1 / x for x in wall], 1)}"
          + f"; target ratio <= 0.1 met by {sum(x <= 0.1 for x in wall)} of {len(wall)} seeds")
    print(f"CPU-time ratio, min / median / max: {_spread(cpu, 3)}"
          + "; load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, numpy {np.__version__}, one BLAS thread")
    print(f"measured {datetime.date.today()} on {machine}")
    if args.record:
        record(args.record, machine=machine, cell=cell.module.__name__, k=k, B=args.batch,
               runs=runs, load=os.getloadavg(), code=stamp(measured_files(ids, held_ids, k, cell), code_commit,
                          code_hashes))
    return 0


def record(path, *, machine, cell, k, B, runs, load, code):
    """Write the result as the Markdown the chapter includes: a row per seed and trainer."""
    rows = []
    for run in runs:
        for name, (updates, chars, wall, cpu, loss) in [
                ("one sequence (min-char-rnn)", run["base"]), (f"book, B = {B}", run["book"])]:
            rows.append(f"| {run['seed']} | {name} | {updates:,} | {chars:,} | {loss:.3f} | "
                        f"{wall:.1f} s | {cpu:.1f} s | {1000 * wall / updates:.2f} |")
    wall = [run["book"][2] / run["base"][2] for run in runs]
    cpu = [run["book"][3] / run["base"][3] for run in runs]
    per_update = [(run["book"][2] / run["book"][0]) / (run["base"][2] / run["base"][0])
                  for run in runs]
    table = "\n".join(rows)
    text = f"""Measured on {datetime.date.today()} with `python benchmarks/min_char_rnn.py \
--record benchmarks/RESULTS-training.md` ({machine}; load average {load[0]:.1f} at the end:
the machine is shared with other work, so wall times are noisy and the CPU times steadier).
Text: the standard library's source, k = {k}; d = 100, T = 25, Adagrad with learning rate
0.1, global-norm clipping at 5; the book's trainer used `{cell}`. One run of both trainers
per seed (the seed draws the initial weights). Held-out loss in nats per character.

{code}

| seed | trainer | updates | characters | held-out loss | wall time | CPU time | ms per update |
|---:|---|---:|---:|---:|---:|---:|---:|
{table}

Over the {len(runs)} seeds (min / median / max), **the book's trainer reached the one-sequence
loop's held-out loss in {_spread(wall, 3)} of its wall time ({_spread([1 / x for x in wall], 1)}
times faster) and {_spread(cpu, 3)} of its CPU time**; one of its updates took
{_spread(per_update, 1)} times as long as one of the one-sequence loop.
"""
    Path(path).write_text(text, encoding="utf-8")


def _spread(values, digits):
    return " / ".join(f"{x:.{digits}f}" for x in spread(values))


if __name__ == "__main__":
    raise SystemExit(main())
