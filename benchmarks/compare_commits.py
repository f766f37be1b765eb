"""Time the fast path of two commits in one run: is a change a regression?

Usage::

    python benchmarks/compare_commits.py [--base main] [--rounds 5] [--sizes tiny,char,small]

The package of ``--base`` (a git revision) is exported to a temporary folder;
then numpy processes of the base and of the working tree alternate, round after
round (A B A B ...), each timing the fast training step (``loss_and_grads``:
forward, cross-entropy, backward) and the public pair ``forward`` + ``backward``
for every cell, dtype and size. The report gives, per row, the median over
rounds of each side's per-process median, and their ratio (working tree / base):
below 1 is faster. Both sides run in the same minutes on the same machine, so
the ratio is what a noisy, shared machine can tell; a ratio within the spread
of the rounds is noise.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {  # (B, T, k, d), as in bench_step.py
    "tiny": (1, 3, 4, 3),
    "char": (1, 25, 65, 100),
    "small": (32, 64, 65, 128),
    "large": (64, 128, 256, 512),
}

WORKER = r'''
import json, sys, time
import numpy as np
from rnn_book.fast import Workspace, lstm, rnn

def median_time(step, seconds=0.4, max_reps=2000):
    step()
    times = []
    start = time.perf_counter()
    while (time.perf_counter() - start < seconds or len(times) < 5) and len(times) < max_reps:
        t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
    return float(np.median(times))

out = {}
for size, (B, T, k, d) in json.loads(sys.argv[1]).items():
    for name, module in (("rnn", rnn), ("lstm", lstm)):
        for dtype in ("float32", "float64"):
            rng = np.random.default_rng(0)
            params = module.init_params(k, d, rng=rng, dtype=np.dtype(dtype))
            X = np.moveaxis(np.eye(k, dtype=dtype)[rng.integers(0, k, (T, B))], -1, 1)  # (T, k, B)
            idx = rng.integers(0, k, (T, B))
            ws = Workspace()
            def train_step():
                return module.loss_and_grads(params, X, idx, workspace=ws)
            def public_pair():
                _, cache = module.forward(params, X, workspace=ws)
                return module.backward(params, cache, idx)
            key = f"{name} {dtype} {size}"
            out[key + " loss_and_grads"] = median_time(train_step)
            out[key + " forward+backward"] = median_time(public_pair)
print(json.dumps(out))
'''


def export(rev, folder):
    """The package's source at ``rev``, as files under ``folder``."""
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def run(src, sizes, threads):
    env = dict(os.environ, PYTHONPATH=str(src))
    if threads:
        env["OPENBLAS_NUM_THREADS"] = str(threads)
    result = subprocess.run([sys.executable, "-c", WORKER, json.dumps(sizes)], env=env,
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the git revision to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="tiny,char,small")
    parser.add_argument("--numpy-threads", type=int, default=1,
                        help="OpenBLAS threads per process (1: least sensitive to a busy machine)")
    args = parser.parse_args(argv)
    sizes = {s: SIZES[s] for s in args.sizes.split(",")}
    with tempfile.TemporaryDirectory() as tmp:
        base_src = export(args.base, Path(tmp))
        sides = {"base": [], "head": []}
        for _ in range(args.rounds):
            sides["base"].append(run(base_src, sizes, args.numpy_threads))
            sides["head"].append(run(ROOT / "src", sizes, args.numpy_threads))
    load = os.getloadavg()
    print(f"base {args.base} vs working tree; {args.rounds} rounds, interleaved; "
          f"{args.numpy_threads} BLAS thread(s); load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'row':40} {'base ms':>9} {'head ms':>9} {'ratio':>6} {'spread':>13}")
    for key in sides["head"][0]:
        base = [r[key] for r in sides["base"]]
        head = [r[key] for r in sides["head"]]
        ratios = sorted(h / b for h, b in zip(head, base))
        print(f"{key:40} {statistics.median(base) * 1e3:9.3f} {statistics.median(head) * 1e3:9.3f} "
              f"{statistics.median(head) / statistics.median(base):6.2f} "
              f"{ratios[0]:5.2f} - {ratios[-1]:4.2f}")


if __name__ == "__main__":
    main()
