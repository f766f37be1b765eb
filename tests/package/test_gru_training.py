"""The GRU as a cell: the trainer, sampling, checkpoints and the CLI take it, fast and readable."""

import numpy as np
import pytest

from rnn_book import cli, fast, gru
from rnn_book.train import checkpoint
from rnn_book.train.cells import get_cell
from rnn_book.train.checkpoint import CheckpointError
from rnn_book.train.data import char_vocabulary, encode, streams
from rnn_book.train.loop import train
from rnn_book.train.optim import Adam
from rnn_book.train.sampling import sample

TEXT = "the cat sat on the mat. " * 20


def test_get_cell_gives_the_fast_and_the_readable_gru():
    assert get_cell("gru").module is fast.gru
    assert get_cell("gru", fast=False).module is gru
    assert get_cell("gru").n_states == 1 and get_cell("gru").params_type is gru.GRUParams


@pytest.mark.parametrize("use_fast", [True, False])
def test_training_lowers_the_loss_and_both_paths_agree(use_fast):
    vocab = char_vocabulary(TEXT)
    inputs, targets = streams(encode(TEXT, vocab), B=4)
    runs = {}
    for fast_path in (True, False):
        cell = get_cell("gru", fast=fast_path)
        params = cell.init_params(len(vocab), 16, rng=0)
        history = train(cell, params, inputs, targets, Adam(lr=0.01), updates=30, seq_len=10)
        runs[fast_path] = np.array(history.losses)
    losses = runs[use_fast]
    assert losses[-5:].mean() < 0.7 * losses[:5].mean()
    np.testing.assert_allclose(runs[True], runs[False], rtol=1e-9)


def test_sampling_and_a_checkpoint_round_trip(tmp_path):
    vocab = list("abcd")
    cell = get_cell("gru")
    params = cell.init_params(len(vocab), 5, rng=0)
    text = sample(cell, params, vocab, 30, prompt="ab", rng=1)
    assert text.startswith("ab") and len(text) == 32  # the prompt, then 30 more
    path = tmp_path / "g.npz"
    checkpoint.save(path, cell, params, vocab, {"hidden": 5})
    loaded = checkpoint.load(path, cell="gru", vocab=vocab)
    assert loaded.cell is cell and isinstance(loaded.params, gru.GRUParams)
    for name, value in params.items():
        np.testing.assert_array_equal(getattr(loaded.params, name), value)
    assert sample(loaded.cell, loaded.params, vocab, 30, prompt="ab", rng=1) == text
    with pytest.raises(CheckpointError, match="holds a gru model, not a lstm model"):
        checkpoint.load(path, cell="lstm")


def test_the_cli_trains_and_samples_a_gru(tmp_path, capsys):
    ckpt = tmp_path / "g.npz"
    status = cli.main(["train", "--cell", "gru", "--corpus", "zen", "--checkpoint", str(ckpt),
                       "--hidden", "8", "--batch", "2", "--seq-len", "10", "--updates", "6",
                       "--sample-every", "3", "--sample-length", "20", "--no-progress-bar"])
    assert status == 0, capsys.readouterr().err
    assert checkpoint.load(ckpt, cell="gru").hparams["updates"] == 6
    capsys.readouterr()
    assert cli.main(["sample", "--checkpoint", str(ckpt), "--length", "30", "--seed", "1"]) == 0
    assert len(capsys.readouterr().out.rstrip("\n")) >= 30
