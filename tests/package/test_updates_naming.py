"""'Update' for an optimizer's update, 'step' for a time step: trainer, CLI, old checkpoints.

An optimizer's update used to be called a step (``train(steps=...)``,
``History.steps``, ``--steps``, ``hparams["steps"]``); the new names are
exercised here, the old option is refused as any unknown option is, and a
checkpoint written under the old name still loads, its count renamed.
"""

import json

import numpy as np
import pytest
from helpers import run_main

from rnn_book.train import checkpoint, loop, optim, series
from rnn_book.train.cells import get_cell
from rnn_book.train.compare import echo_streams, train_cells
from rnn_book.train.data import char_vocabulary, encode, streams

TINY = ["--corpus", "zen", "--hidden", "4", "--batch", "2", "--seq-len", "8",
        "--sample-every", "0", "--no-progress-bar"]


def zen_streams(B=2):
    text = "Beautiful is better than ugly. Explicit is better than implicit.\n" * 4
    vocab = char_vocabulary(text)
    return vocab, *streams(encode(text, vocab), B)


# --- the trainer ---

@pytest.mark.parametrize("name", ["rnn", "lstm", "gru", "rnn-readable"])
def test_train_makes_the_updates_it_is_asked_for(name):
    cell = get_cell(name.removesuffix("-readable"), fast=not name.endswith("-readable"))
    vocab, inputs, targets = zen_streams()
    params = cell.init_params(len(vocab), 6, rng=0)
    seen = []
    history = loop.train(cell, params, inputs, targets, optim.Adam(0.01), updates=7, seq_len=9,
                         callback=lambda h: seen.append(h.updates))
    assert history.updates == 7 == len(history.losses) and seen == list(range(1, 8))
    assert history.chars == 7 * 9 * 2


def test_train_names_updates_in_its_errors_and_has_no_steps_keyword():
    cell = get_cell("rnn")
    vocab, inputs, targets = zen_streams()
    params = cell.init_params(len(vocab), 4, rng=0)
    with pytest.raises(ValueError, match="^updates must be an integer of at least 0"):
        loop.train(cell, params, inputs, targets, optim.SGD(0.1), updates=-1, seq_len=4)
    with pytest.raises(TypeError, match="steps"):
        loop.train(cell, params, inputs, targets, optim.SGD(0.1), steps=3, seq_len=4)


def test_every_optimizer_has_update_and_no_step():
    cell = get_cell("rnn")
    for make in (optim.SGD, optim.Adagrad, optim.Adam):
        params = cell.init_params(3, 2, rng=0)
        grads = params.zeros_like()
        grads.b_h += 1.0
        opt = make(lr=0.1)
        opt.update(params, grads)
        assert np.all(params.b_h < 0), make.__name__
        assert not hasattr(opt, "step"), make.__name__


def test_diverged_and_the_guard_count_updates():
    cell = get_cell("rnn")
    vocab, inputs, targets = zen_streams()
    params = cell.init_params(len(vocab), 4, rng=0)
    calls = []

    def nan_at_update_3(cell, params, X, Y, state):
        calls.append(None)
        loss, grads, state = loop.bptt.chunk_step(cell, params, X, Y, state)
        return (np.nan if len(calls) == 3 else loss), grads, state

    guard = loop.Guard(np.log(len(vocab)), keep=True)
    with pytest.raises(loop.Diverged, match="^at update 3 the loss was nan") as info:
        loop.train(cell, params, inputs, targets, optim.SGD(0.1), updates=10, seq_len=8,
                   chunk_step=nan_at_update_3, guard=guard)
    assert info.value.update == 3
    assert guard.latest_update == 2 and guard.last_good_update == 1
    for old in ("latest_step", "last_good_step"):
        assert not hasattr(guard, old), old


def test_the_forecaster_and_the_comparison_take_updates():
    x = series.seasonal_series(24 * 6, rng=0)
    _, _, history = series.fit_forecaster("rnn", x, 24 * 4, hidden=4, updates=5)
    assert history.updates == 5
    inputs, targets = echo_streams(60, 2, delay=2, k=3, rng=0)
    runs = train_cells(["rnn", "lstm"], 3, inputs, targets, d=4, updates=4, seq_len=10)
    assert [h.updates for _, h in runs.values()] == [4, 4]


# --- the command line ---

def test_the_cli_counts_updates(tmp_path):
    path = tmp_path / "m.npz"
    status, out, err = run_main(["train", *TINY, "--updates", "3", "--checkpoint", path])
    assert status == 0, err
    assert "3 updates, " in out and " steps" not in out
    assert checkpoint.load(path).hparams["updates"] == 3
    assert "steps" not in checkpoint.load(path).hparams


def test_the_plain_progress_lines_and_samples_say_update(tmp_path):
    argv = ["train", *TINY[:-3], "--sample-every", "2", "--sample-length", "5",
            "--no-progress-bar", "--updates", "4", "--checkpoint", tmp_path / "m.npz"]
    status, out, err = run_main(argv)
    assert status == 0, err
    assert "--- sample after 2 updates ---" in out and "--- sample after 4 updates ---" in out
    assert "update 4/4  loss" in err and "step" not in err


def test_the_old_option_is_an_unknown_option(tmp_path):
    path = tmp_path / "m.npz"
    status, out, err = run_main(["train", *TINY, "--steps", "3", "--checkpoint", path])
    assert status == 2 and out == "" and not path.exists()
    assert err.splitlines()[-1] == "rnn-book: error: unrecognized arguments: --steps 3"


def test_an_error_about_the_count_names_the_new_option(tmp_path):
    status, _, err = run_main(["train", *TINY, "--updates", "-1", "--checkpoint",
                               tmp_path / "m.npz"])
    assert status == 2
    assert "argument --updates: must be positive; got -1" in err and "steps" not in err


# --- checkpoints written before the rename ---

def old_checkpoint(path, hparams):
    """A checkpoint as ``rnn-book train`` wrote it before the rename: the count under "steps"."""
    cell = get_cell("lstm")
    vocab = list("abc ")
    params = cell.init_params(len(vocab), 5, rng=1)
    checkpoint.save(path, cell, params, vocab, hparams)
    meta = json.loads(str(np.load(path)["meta"]))  # what the file itself holds
    assert meta["hparams"] == hparams
    return params


def test_a_checkpoint_with_the_old_key_loads_and_reports_updates(tmp_path):
    path = tmp_path / "old.npz"
    old = {"source": "notes.txt", "cell": "lstm", "hidden": 5, "seq_len": 25, "batch": 16,
           "optimizer": "adam", "lr": 0.005, "clip": 5.0, "seed": 0, "steps": 7, "loss": 1.25}
    params = old_checkpoint(path, old)
    saved = checkpoint.load(path, cell="lstm")
    assert saved.hparams == {**{k: v for k, v in old.items() if k != "steps"}, "updates": 7}
    for (name, a), (_, b) in zip(saved.params.items(), params.items()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    status, out, err = run_main(["sample", "--checkpoint", path, "--length", "12", "--seed", "3"])
    assert status == 0, err
    assert len(out.rstrip("\n")) == 12 and set(out.rstrip("\n")) <= set("abc ")


def test_a_checkpoint_with_both_keys_is_left_as_it_is(tmp_path):
    path = tmp_path / "both.npz"
    old_checkpoint(path, {"steps": "my own", "updates": 9})
    assert checkpoint.load(path).hparams == {"steps": "my own", "updates": 9}
