"""Smoke test of benchmarks/min_char_rnn.py's functions (the benchmark itself is not run here)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rnn_book import rnn
from rnn_book.train.cells import get_cell
from rnn_book.train.data import streams
from rnn_book.train.loop import train
from rnn_book.train.optim import Adagrad

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "min_char_rnn.py"
spec = importlib.util.spec_from_file_location("min_char_rnn", PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_the_one_sequence_loop_is_the_book_trainer_with_one_stream():
    """Same updates, to rounding: the baseline is min-char-rnn's algorithm, and so is B = 1."""
    ids = np.random.default_rng(0).integers(0, 6, 130)
    a = rnn.init_params(6, 5, rng=1)
    b = a.copy()
    bench.one_sequence(a, ids, updates=12, seq_len=10)  # 12 full chunks: neither wraps around
    inputs, targets = streams(ids, 1)
    train(get_cell("rnn"), b, inputs, targets, Adagrad(0.1), updates=12, seq_len=10, clip=5.0)
    for (name, x), (_, y) in zip(a.items(), b.items()):
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12, err_msg=name)


def test_book_until_stops_at_the_target_and_reports_its_curve(tmp_path):
    ids = np.tile(np.arange(5), 60)
    params = rnn.init_params(5, 8, rng=0)
    times, updates, curve = bench.book_until(params, ids, ids[:80], target=1.0, B=4,
                                             max_updates=400, eval_every=10)
    assert times is not None and updates == curve[-1][0] and curve[-1][3] <= 1.0
    assert all(loss > 1.0 for *_, loss in curve[:-1])  # it stopped at the first success
    runs = [{"seed": seed, "base": (100, 2500, wall, 9.0, 1.0),
             "book": (updates, 1000, 0.5, 0.4, 0.9)} for seed, wall in [(0, 10.0), (1, 5.0), (2, 20.0)]]
    bench.record(tmp_path / "r.md", machine="m", cell="c", k=5, B=4, runs=runs,
                 load=(1.0, 1.0, 1.0), code="- Code measured: commit x; <!-- sources: a=b -->")
    text = (tmp_path / "r.md").read_text()
    assert "| 0 | one sequence (min-char-rnn) | 100 | 2,500 | 1.000 | 10.0 s |" in text
    # wall ratios 0.5/20, 0.5/10, 0.5/5: min / median / max, and the speed-ups likewise
    assert "in 0.025 / 0.050 / 0.100 of its wall time (10.0 / 20.0 / 40.0" in text
    assert "- Code measured: commit x;" in text


def test_a_record_needs_three_seeds(capsys):
    with pytest.raises(SystemExit):
        bench.main(["--seeds", "0", "1", "--record", "never-written.md"])
    assert "at least three --seeds" in capsys.readouterr().err
    assert not Path("never-written.md").exists()
