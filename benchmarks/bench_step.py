"""Time one training step (forward + loss + backward): readable, fast, PyTorch.

Run from the README's environment (torch is optional):

    .venv/bin/python benchmarks/bench_step.py [--torch-python /work/torchenv/bin/python]

One run prints a table for the simple RNN, the LSTM and the GRU, float32 and
float64, at four sizes (tiny, char, small, large): the median wall time of one
step of the readable per-step code (rnn_book.rnn / .lstm / .gru), of the fast path
(rnn_book.fast, one Workspace reused as a training loop does) and of PyTorch on
the CPU (nn.RNN / nn.LSTM / nn.GRU + nn.Linear + cross-entropy + backward, threads =
cores) when a Python with torch is given or importable; the ratios
fast/torch and readable/fast; the fast path's GFLOP/s against this machine's
numpy matrix-multiply peak, measured in the same run (one 2048 x 2048 product
per dtype); and the peak extra memory of a step (tracemalloc) against the
activations backward must keep.

How it measures. numpy and torch never share a process: their thread pools
slow each other. Each round starts one numpy process and then one torch
process (A B A B ...); each process reports per-case medians, and the table
shows the median over processes. The readable and fast columns come from the
same processes. Times are wall-clock, so other work on the machine shows up
in them: the report prints the load average.

OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE. Some machines set these for old
OpenBLAS builds; they make a current numpy pick a slower kernel. Unless
``--keep-openblas-env`` is given, this script re-executes itself once without
them (its own process and its children only; nothing else changes) and says
so in the report, which also names the BLAS kernel in use.

``--update FILE`` replaces the block between the ``generated`` markers of FILE
(benchmarks/RESULTS.md) with this run's report in Markdown; ``--block NAME``
picks a named block (RESULTS.md keeps the one-BLAS-thread run in
``--block one-thread``, made with ``--numpy-threads 1``).
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

SIZES = {  # name: (B, T, vocabulary k = k_out, d)
    "tiny": (1, 3, 4, 3),
    "char": (1, 25, 65, 100),
    "small": (32, 64, 65, 128),
    "large": (64, 128, 256, 512),
}
CELLS = ("rnn", "lstm", "gru")
GATE_ROWS = {"rnn": 1, "lstm": 4, "gru": 3}  # rows of the stacked gates, in units of d
DTYPES = ("float32", "float64")
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
TARGETS = {"torch_small": 0.5, "torch_large": 1.0, "peak": 0.75, "speedup_char": 5.0, "memory": 1.5}


# ---------------------------------------------------------------- timing


def median_time(step, min_seconds, max_reps, warmup=1, min_reps=3):
    """Median wall time of ``step()`` after ``warmup`` calls."""
    for _ in range(warmup):
        step()
    times, start = [], time.perf_counter()
    while len(times) < min_reps or (time.perf_counter() - start < min_seconds and len(times) < max_reps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
        if len(times) >= max_reps:
            break
    return statistics.median(times)


def budget(size):
    """(min_seconds, max_reps) per case: fewer repetitions where one step is long."""
    return (0.0, 2) if size == "large" else (0.2, 400)


def problem(size, dtype_name, seed=0):
    """One-hot inputs (T, k, B) and target indices (T, B), as numpy arrays."""
    import numpy as np

    B, T, k, _ = SIZES[size]
    rng = np.random.default_rng(seed)
    idx_in = rng.integers(0, k, (T, B))
    X = np.moveaxis(np.eye(k, dtype=dtype_name)[idx_in], -1, 1)  # (T, k, B)
    return X, rng.integers(0, k, (T, B))


def flops(cell, size):
    """Floating-point operations of the matrix products of one step (elementwise work not counted).

    Forward: input, recurrent and output products; backward: the output
    layer's two products, the recurrent one, and the two weight-gradient ones.
    """
    B, T, k, d = SIZES[size]
    rows = GATE_ROWS[cell] * d  # the LSTM's four gates are 4d rows, the GRU's three 3d
    N = T * B
    return 2 * N * (2 * rows * k + 3 * rows * d + 3 * k * d)


def activation_bytes(cell, size, itemsize):
    """What backward must keep: hidden states (and the gates, the LSTM's cells and tanh(c),
    the GRU's reset operands), outputs."""
    B, T, k, d = SIZES[size]
    per_column = {"rnn": d, "lstm": 4 * d + 3 * d, "gru": 3 * d + 2 * d}[cell] + k  # ... + Y
    return (per_column * T * B + (2 if cell == "lstm" else 1) * d * B) * itemsize


def gradient_bytes(cell, size, itemsize):
    """The gradients a step returns, one number per parameter: a floor under any step's memory."""
    B, T, k, d = SIZES[size]
    rows = GATE_ROWS[cell] * d
    extra = d if cell == "gru" else 0  # the GRU's candidate has a second bias, b_hh_g
    return (rows * (k + d + 1) + extra + k * (d + 1)) * itemsize


# ---------------------------------------------------------------- numpy worker


def blas_info():
    """The BLAS numpy uses and the kernel it picked (threadpoolctl, else OpenBLAS directly)."""
    try:
        from threadpoolctl import threadpool_info

        for lib in threadpool_info():
            if lib.get("user_api") == "blas":
                return {"library": f"{lib.get('internal_api')} {lib.get('version')}",
                        "kernel": lib.get("architecture"), "threads": lib.get("num_threads"),
                        "via": "threadpoolctl"}
    except ImportError:
        pass
    info = {"library": "unknown", "kernel": "unknown", "threads": None, "via": "OpenBLAS symbols"}
    try:
        import numpy as np

        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["library"] = f"{config.get('name')} {config.get('version')}"
        path = next(line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines()
                    if "openblas" in line.lower() and line.split()[-1].startswith("/"))
        lib = ctypes.CDLL(path)
        for prefix, suffix in [("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")]:
            name = getattr(lib, f"{prefix}_get_corename{suffix}", None)
            if name is not None:
                name.restype = ctypes.c_char_p
                info["kernel"] = name().decode()
                info["threads"] = getattr(lib, f"{prefix}_get_num_threads{suffix}")()
                break
    except Exception as error:  # noqa: BLE001  (report what is known; the benchmark still runs)
        info["error"] = repr(error)
    return info


def matmul_peak(dtype_name, n=2048):
    """GFLOP/s of numpy's best of five n x n products."""
    import numpy as np

    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n)).astype(dtype_name) for _ in range(2))
    c = np.empty((n, n), dtype_name)
    best = min(timed(lambda: np.matmul(a, b, out=c)) for _ in range(5))
    return 2 * n**3 / best / 1e9


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def numpy_steps(cell, size, dtype_name):
    """The readable and the fast training step, as zero-argument functions."""
    import numpy as np

    from rnn_book import fast as fast_path
    from rnn_book import gru, lstm, rnn
    from rnn_book.fast import Workspace
    from rnn_book.losses import cross_entropy

    readable = {"rnn": rnn, "lstm": lstm, "gru": gru}[cell]
    fast = getattr(fast_path, cell)
    _, _, k, d = SIZES[size]
    params = readable.init_params(k, d, rng=np.random.default_rng(1), dtype=np.dtype(dtype_name))
    X, idx = problem(size, dtype_name)
    ws = Workspace()

    def readable_step():
        Y, cache = readable.forward(params, X)
        cross_entropy(Y, idx)
        return readable.backward(params, cache, idx)

    def fast_step():
        return fast.loss_and_grads(params, X, idx, workspace=ws)

    def fast_cold_step():  # a fresh workspace: every buffer allocated inside the step
        return fast.loss_and_grads(params, X, idx, workspace=Workspace())

    return readable_step, fast_step, fast_cold_step


def peak_extra_bytes(step):
    """Peak bytes allocated while ``step()`` runs, over what was allocated before."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        step()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def numpy_worker(sizes, memory, readable_large):
    import numpy as np

    out = {"numpy": np.__version__, "blas": blas_info(), "peak": {}, "cases": {}}
    for dtype_name in DTYPES:
        out["peak"][dtype_name] = matmul_peak(dtype_name)
    for size in sizes:
        min_seconds, max_reps = budget(size)
        for cell in CELLS:
            for dtype_name in DTYPES:
                started = time.perf_counter()
                readable_step, fast_step, fast_cold_step = numpy_steps(cell, size, dtype_name)
                case = {"fast": median_time(fast_step, min_seconds, max_reps,
                                            min_reps=2 if size == "large" else 3)}
                if size != "large":
                    case["readable"] = median_time(readable_step, min_seconds, max_reps)
                elif readable_large:  # seconds per step: once per benchmark, one step
                    case["readable"] = median_time(readable_step, 0, 1, warmup=0, min_reps=1)
                if memory:
                    case["memory_cold"] = peak_extra_bytes(fast_cold_step)
                    case["memory_warm"] = peak_extra_bytes(fast_step)
                case["elapsed"] = time.perf_counter() - started
                out["cases"][f"{cell}/{dtype_name}/{size}"] = case
    if memory:  # the first worker: which source files the timed steps run
        out["sources"] = measured_files()
    return out


def measured_files():
    """The package's files whose code one readable and one fast step of each cell run."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from provenance import files_run

    calls = [step for cell in CELLS for dtype_name in DTYPES
             for step in numpy_steps(cell, "tiny", dtype_name)]
    return files_run(*calls, script=__file__)


# ---------------------------------------------------------------- torch worker


def torch_worker(sizes):
    import torch

    threads = os.cpu_count()
    torch.set_num_threads(threads)
    out = {"torch": torch.__version__, "threads": threads, "cases": {}}
    for size in sizes:
        B, _, k, d = SIZES[size]
        min_seconds, max_reps = budget(size)
        for cell in CELLS:
            for dtype_name in DTYPES:
                dtype = getattr(torch, dtype_name)
                torch.manual_seed(0)
                net = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell](k, d).to(dtype)
                head = torch.nn.Linear(d, k).to(dtype)
                X, idx = problem(size, dtype_name)  # numpy (T, k, B), (T, B)
                x = torch.from_numpy(X.transpose(0, 2, 1).copy())  # (T, B, k): PyTorch's layout
                y = torch.from_numpy(idx.reshape(-1))
                parameters = list(net.parameters()) + list(head.parameters())

                def step(net=net, head=head, x=x, y=y, parameters=parameters, B=B, d=d):
                    for p in parameters:
                        p.grad = None
                    H, _ = net(x)  # (T, B, d)
                    Z = head(H.reshape(-1, d))  # (T*B, k)
                    loss = torch.nn.functional.cross_entropy(Z, y, reduction="sum") / B
                    loss.backward()

                out["cases"][f"{cell}/{dtype_name}/{size}"] = {
                    "torch": median_time(step, min_seconds, max_reps,
                                         min_reps=1 if size == "large" else 3)}
    return out


# ---------------------------------------------------------------- driver


def run_worker(python, side, sizes, first=False, blas_threads=None):
    """One worker process; the first numpy one also measures memory and the readable large steps."""
    command = [python, str(Path(__file__).resolve()), "--worker", side, "--sizes", ",".join(sizes)]
    if first:
        command.append("--first")
    env = dict(os.environ)
    if blas_threads:
        env["OPENBLAS_NUM_THREADS"] = str(blas_threads)
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{side} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def find_torch_python(option):
    """The interpreter for the torch column: the option, $RNN_BOOK_TORCH_PYTHON, or this one."""
    for candidate in (option, os.environ.get("RNN_BOOK_TORCH_PYTHON")):
        if candidate:
            return candidate if Path(candidate).exists() else None
    try:
        import importlib.util

        return sys.executable if importlib.util.find_spec("torch") else None
    except ValueError:
        return None


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def combine(runs, key):
    """Median over processes of each case's per-process median."""
    cases = {}
    for run in runs:
        for name, case in run["cases"].items():
            if key in case:
                cases.setdefault(name, []).append(case[key])
    return {name: statistics.median(values) for name, values in cases.items()}


def fmt_ms(seconds):
    if seconds is None:
        return "—"
    ms = seconds * 1e3
    return f"{ms:.3g}" if ms < 100 else f"{ms:.0f}"


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}"


def report(result):
    """The report as Markdown (readable as plain text too)."""
    rows, lines = result["rows"], []
    lines.append(f"- Run {result['date']} on {result['machine']}; load average (1, 5, 15 min) "
                 f"when it started: {result['load']}.")
    blas = result["blas"]
    lines.append(f"- numpy {result['numpy']} with {blas['library']}, kernel {blas['kernel']}, "
                 f"{blas['threads']} threads (read via {blas['via']}). {result['openblas_note']}")
    lines.append(f"- PyTorch: {result['torch']}.")
    lines.append(result["code"])
    lines.append("- numpy matmul peak in this run (2048 x 2048): "
                 + ", ".join(f"{dt} {result['peak'][dt]:.0f} GFLOP/s" for dt in DTYPES) + ".")
    lines.append(f"- {result['rounds']} rounds of one numpy process and one torch process each, "
                 f"interleaved; times are medians over processes of per-process medians "
                 f"(the readable step at the large size, seconds long, is timed once, in the "
                 f"first round).")
    lines.append("")
    # two narrow tables rather than one of 11 columns, so that each fits a page's width
    lines.append("| cell, dtype, size | readable ms | fast ms | torch ms | fast/torch | readable/fast |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        lines.append(
            f"| {row['cell']} {row['dtype']} {row['size']} | {fmt_ms(row['readable'])} | "
            f"{fmt_ms(row['fast'])} | {fmt_ms(row['torch'])} | {fmt_ratio(row['fast_torch'])} | "
            f"{row['readable_fast']:.1f} |")
    lines.append("")
    lines.append("| cell, dtype, size | fast GFLOP/s | % of peak | memory / activations |")
    lines.append("|---|---:|---:|---:|")
    for row in rows:
        lines.append(
            f"| {row['cell']} {row['dtype']} {row['size']} | {row['gflops']:.3g} | "
            f"{100 * row['of_peak']:.2g}% | "
            + ("—" if row["memory"] is None else f"{row['memory']:.2f}") + " |")
    lines.append("")
    lines.append("Memory: peak bytes allocated during one fast step with a fresh workspace "
                 "(tracemalloc), over the bytes of the activations backward keeps; "
                 "with the workspace reused, a step allocates "
                 + f"at most {result['warm_max'] / 1024:.0f} KiB. Where the target is missed, "
                 "the gradients' own size over the activations is shown too: a step keeps the "
                 "activations and returns the gradients, so no step goes below 1 + that.")
    lines.append("")
    lines.append("| target | met where | missed where |")
    lines.append("|---|---|---|")
    for target in result["targets"]:
        lines.append(f"| {target['name']} | {target['met'] or '—'} | {target['missed'] or '—'} |")
    return "\n".join(lines)


def evaluate(rows):
    """Each target of issue 7: which rows meet it, which miss it and by how much."""

    def where(rows, ok, show):
        met = [f"{r['cell']} {r['dtype']} {r['size']}" for r in rows if ok(r)]
        missed = [f"{r['cell']} {r['dtype']} {r['size']} ({show(r)})" for r in rows if not ok(r)]
        return "; ".join(met), "; ".join(missed)

    targets = []
    with_torch = [r for r in rows if r["fast_torch"] is not None and r["dtype"] == "float32"]
    for sizes, limit in [(("tiny", "char"), TARGETS["torch_small"]), (("small", "large"), TARGETS["torch_large"])]:
        chosen = [r for r in with_torch if r["size"] in sizes]
        if chosen:
            met, missed = where(chosen, lambda r, limit=limit: r["fast_torch"] <= limit,
                                lambda r: f"{r['fast_torch']:.2f}")
            targets.append({"name": f"fast/torch <= {limit} at {' and '.join(sizes)}, float32",
                            "met": met, "missed": missed})
    large = [r for r in rows if r["size"] == "large"]
    if large:
        met, missed = where(large, lambda r: r["of_peak"] >= TARGETS["peak"],
                            lambda r: f"{100 * r['of_peak']:.0f}%")
        targets.append({"name": ">= 75% of the numpy matmul peak at large", "met": met, "missed": missed})
    char = [r for r in rows if r["size"] == "char"]
    if char:
        met, missed = where(char, lambda r: r["readable_fast"] >= TARGETS["speedup_char"],
                            lambda r: f"{r['readable_fast']:.1f}x")
        targets.append({"name": "fast >= 5x readable at char", "met": met, "missed": missed})
    with_memory = [r for r in rows if r["memory"] is not None]
    if with_memory:
        met, missed = where(with_memory, lambda r: r["memory"] <= TARGETS["memory"],
                            lambda r: f"{r['memory']:.2f}" + (
                                f"; the gradients alone {r['gradients']:.1f}" if "gradients" in r else ""))
        targets.append({"name": "peak extra memory <= 1.5x activations", "met": met, "missed": missed})
    return targets


def drive(args):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from provenance import commit, snapshot

    code_commit, code_hashes = commit(), snapshot()  # the code as the run starts
    sizes = args.sizes.split(",")
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    torch_python = None if args.no_torch else find_torch_python(args.torch_python)
    numpy_runs, torch_runs = [], []
    for round_ in range(args.rounds):
        numpy_runs.append(run_worker(sys.executable, "numpy", sizes, first=round_ == 0,
                                     blas_threads=args.numpy_threads))
        if torch_python:
            torch_runs.append(run_worker(torch_python, "torch", sizes))
    readable, fast = combine(numpy_runs, "readable"), combine(numpy_runs, "fast")
    torch_times = combine(torch_runs, "torch")
    peak = {dt: statistics.median(run["peak"][dt] for run in numpy_runs) for dt in DTYPES}
    first = numpy_runs[0]["cases"]
    rows = []
    for cell in CELLS:
        for dtype_name in DTYPES:
            for size in sizes:
                name = f"{cell}/{dtype_name}/{size}"
                itemsize = 4 if dtype_name == "float32" else 8
                torch_time = torch_times.get(name)
                gflops = flops(cell, size) / fast[name] / 1e9
                memory = first[name].get("memory_cold")
                rows.append({
                    "cell": cell, "dtype": dtype_name, "size": size, "readable": readable[name],
                    "fast": fast[name], "torch": torch_time,
                    "fast_torch": None if torch_time is None else fast[name] / torch_time,
                    "readable_fast": readable[name] / fast[name], "gflops": gflops,
                    "of_peak": gflops / peak[dtype_name],
                    "memory": None if memory is None else memory / activation_bytes(cell, size, itemsize),
                    "gradients": gradient_bytes(cell, size, itemsize) / activation_bytes(cell, size, itemsize),
                    "memory_warm": first[name].get("memory_warm"),
                })
    removed = os.environ.get("RNN_BOOK_BENCH_UNSET")
    note = (f"This machine's environment sets {removed}, which the site build keeps (the chapter's "
            "ladder figure names that kernel); the benchmark unsets them for its own processes, so "
            "OpenBLAS picks the kernel it detects for this CPU." if removed
            else "OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: " + ", ".join(
                f"{v}={os.environ[v]}" for v in OPENBLAS_VARS if v in os.environ) or "not set.")
    torch_label = "not measured (no interpreter with torch)"
    if torch_runs:
        torch_label = (f"torch {torch_runs[0]['torch']} on the CPU, {torch_runs[0]['threads']} threads, "
                       "in a separate Python interpreter with torch installed")
    result = {
        "date": date, "machine": machine(), "load": load,
        "numpy": numpy_runs[0]["numpy"], "blas": numpy_runs[0]["blas"], "openblas_note": note,
        "torch": torch_label, "peak": peak, "rounds": args.rounds, "rows": rows,
        "warm_max": max((r["memory_warm"] or 0) for r in rows), "targets": evaluate(rows),
        "code": code_stamp(numpy_runs[0]["sources"], code_commit, code_hashes),
    }
    return result


def code_stamp(files, commit_id, hashes_at_start):
    """The report's line naming the commit and the hashes of the files measured."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from provenance import stamp

    return stamp(files, commit_id, hashes_at_start)


def profile(cell, dtype_name, size, steps=50):
    """Print where the fast step's time goes: cProfile's top functions by own time."""
    import cProfile
    import pstats

    steps = 3 if size == "large" else steps
    _, fast_step, _ = numpy_steps(cell, size, dtype_name)
    fast_step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        fast_step()
    profiler.disable()
    print(f"cProfile of {steps} fast steps, {cell} {dtype_name} {size}; numpy's calls run inside "
          "the Python functions that make them, so their time is those functions' own time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(8)


def update(path, text, block=None):
    """Replace the block between the generated markers of ``path`` with ``text``.

    The markers are ``<!-- generated by benchmarks/bench_step.py: begin -->`` and
    ``<!-- generated: end -->``, with `` (block)`` after ``bench_step.py`` and after
    ``generated`` for a named block.
    """
    name = f" ({block})" if block else ""
    begin = f"<!-- generated by benchmarks/bench_step.py{name}: begin -->"
    end = f"<!-- generated{name}: end -->"
    content = Path(path).read_text()
    head, rest = content.split(begin, 1)
    _, tail = rest.split(end, 1)
    Path(path).write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated: tiny,char,small,large")
    parser.add_argument("--rounds", type=int, default=3, help="numpy/torch process pairs (default 3)")
    parser.add_argument("--torch-python", help="a Python with torch (or set RNN_BOOK_TORCH_PYTHON)")
    parser.add_argument("--no-torch", action="store_true", help="skip the torch column")
    parser.add_argument("--numpy-threads", type=int,
                        help="OpenBLAS threads for the numpy processes (default: OpenBLAS's, the cores)")
    parser.add_argument("--keep-openblas-env", action="store_true",
                        help="do not unset OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--update", help="rewrite the generated block of this Markdown file")
    parser.add_argument("--block", help="with --update: the name of the block to rewrite")
    parser.add_argument("--profile", metavar="CELL/DTYPE/SIZE",
                        help="instead: cProfile 50 fast steps, e.g. lstm/float32/char")
    parser.add_argument("--worker", choices=["numpy", "torch"], help=argparse.SUPPRESS)
    parser.add_argument("--first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "numpy":
        print(json.dumps(numpy_worker(args.sizes.split(","), args.first, args.first)))
        return
    if args.worker == "torch":
        print(json.dumps(torch_worker(args.sizes.split(","))))
        return
    present = [v for v in OPENBLAS_VARS if v in os.environ]
    if present and not args.keep_openblas_env:
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_VARS}
        env["RNN_BOOK_BENCH_UNSET"] = " and ".join(f"{v}={os.environ[v]}" for v in present)
        print(f"bench_step: re-running without {', '.join(present)} (this process and its "
              "workers only)", file=sys.stderr)
        os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]], env)
    if args.profile:
        profile(*args.profile.split("/"))
        return
    started = time.perf_counter()
    result = drive(args)
    text = report(result)
    print(text)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    if args.update:
        update(args.update, text, args.block)


if __name__ == "__main__":
    main()
