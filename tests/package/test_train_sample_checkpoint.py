"""Sampling, perplexity, and checkpoints that load whole or not at all."""

import json
import zipfile

import numpy as np
import pytest

from rnn_book.train import checkpoint
from rnn_book.train.cells import get_cell
from rnn_book.train.checkpoint import CheckpointError
from rnn_book.train.data import char_vocabulary, encode
from rnn_book.train.sampling import apply_temperature, mean_loss, perplexity, sample

VOCAB = list("abcd")


def model(name="rnn", d=5, seed=0):
    cell = get_cell(name)
    return cell, cell.init_params(len(VOCAB), d, rng=seed)


def test_temperature_is_softmax_of_scaled_logits():
    z = np.array([1.0, -0.5, 2.0, 0.0])
    y = np.exp(z) / np.exp(z).sum()
    for tau in (0.3, 1.0, 2.5):
        expected = np.exp(z / tau) / np.exp(z / tau).sum()
        np.testing.assert_allclose(apply_temperature(y, tau), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        apply_temperature(y, 0.0)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_sample_starts_with_the_prompt_and_is_seeded(name):
    cell, params = model(name)
    a = sample(cell, params, VOCAB, 30, prompt="abca", rng=1)
    assert a.startswith("abca") and len(a) == 34 and set(a) <= set(VOCAB)
    assert a == sample(cell, params, VOCAB, 30, prompt="abca", rng=1)
    assert len(sample(cell, params, VOCAB, 30, rng=1)) == 30


def test_sample_follows_the_model_and_a_low_temperature_sharpens_it():
    cell, params = model()
    params.W_Y[...] = 0
    params.b_y[:, 0] = [0.0, 0.0, 3.0, 0.0]  # y_t favours "c" whatever the state
    text = sample(cell, params, VOCAB, 2000, prompt="a", rng=0)[1:]
    p_c = np.exp(3) / (np.exp(3) + 3)
    assert text.count("c") / 2000 == pytest.approx(p_c, abs=0.03)
    cold = sample(cell, params, VOCAB, 200, prompt="a", temperature=0.2, rng=0)[1:]
    assert cold.count("c") >= 199


def test_sample_refuses_a_foreign_vocabulary_and_a_bad_temperature():
    cell, params = model()
    with pytest.raises(ValueError, match="the vocabulary has 3"):
        sample(cell, params, list("abc"), 5)
    with pytest.raises(ValueError, match="temperature"):
        sample(cell, params, VOCAB, 5, temperature=-1)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        sample(cell, params, VOCAB, 5, prompt="z")


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_perplexity_is_exp_of_the_mean_loss_of_one_long_pass(name):
    cell, params = model(name)
    ids = encode("abcdabdcbadc" * 3, VOCAB)
    X = np.eye(4)[ids[:-1]]  # (N - 1, k): one sequence
    Y, _ = cell.module.forward(params, X)
    expected = -np.mean(np.log(Y[np.arange(len(ids) - 1), ids[1:]]))
    assert mean_loss(cell, params, ids, seq_len=5) == pytest.approx(expected, rel=1e-12)
    assert perplexity(cell, params, ids, seq_len=7) == pytest.approx(np.exp(expected))


def test_perplexity_of_a_model_that_knows_nothing_is_k():
    cell, params = model()
    params.W_Y[...] = 0
    assert perplexity(cell, params, encode("abcdcba", VOCAB), B=2) == pytest.approx(4.0)


@pytest.mark.parametrize("name", ["rnn", "lstm"])
def test_checkpoint_round_trip(tmp_path, name):
    cell, params = model(name)
    path = tmp_path / "m.npz"
    checkpoint.save(path, cell, params, VOCAB, {"hidden": 5, "lr": 0.1})
    loaded = checkpoint.load(path, cell=name, vocab=VOCAB)
    assert loaded.cell is cell and loaded.vocab == VOCAB and loaded.hparams["lr"] == 0.1
    for (n, a), (m, b) in zip(params.items(), loaded.params.items()):
        assert n == m
        np.testing.assert_array_equal(a, b)
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_checkpoint_keeps_a_korean_vocabulary(tmp_path):
    vocab = char_vocabulary("저는 라쿤 입니다")
    cell = get_cell("lstm")
    checkpoint.save(tmp_path / "k.npz", cell, cell.init_params(len(vocab), 3, rng=0), vocab)
    assert checkpoint.load(tmp_path / "k.npz").vocab == vocab


def saved(tmp_path, name="rnn"):
    cell, params = model(name)
    path = tmp_path / "m.npz"
    checkpoint.save(path, cell, params, VOCAB)
    return path


def rewrite(path, change):
    """Rewrite the checkpoint's arrays through ``change(dict)``."""
    with np.load(path) as npz:
        arrays = {n: npz[n] for n in npz.files}
    change(arrays)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def test_mismatched_cell_or_vocabulary_is_refused(tmp_path):
    path = saved(tmp_path)
    with pytest.raises(CheckpointError, match="holds a rnn model, not a lstm model"):
        checkpoint.load(path, cell="lstm")
    with pytest.raises(CheckpointError, match="another vocabulary"):
        checkpoint.load(path, vocab=list("abce"))


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "not a readable"),
    (lambda p: p.write_bytes(b"hello, not a zip file"), "not a readable"),
    (lambda p: p.write_bytes(b""), "not a readable"),
    (lambda p: rewrite(p, lambda a: a.pop("param/W_H")), "has arrays"),
    (lambda p: rewrite(p, lambda a: a.pop("meta")), "not a valid"),
    (lambda p: rewrite(p, lambda a: a.update(meta=np.array("{not json"))), "not a valid"),
    (lambda p: rewrite(p, lambda a: a.update(meta=np.array(json.dumps({"format": "x"})))),
     "not a valid"),
    (lambda p: rewrite(p, lambda a: a.update({"param/W_H": np.zeros((5, 4))})), "inconsistent"),
    (lambda p: rewrite(p, lambda a: a.update({"param/b_h": np.full((5, 1), np.nan)})),
     "inconsistent"),
    (lambda p: rewrite(p, lambda a: a.update({"param/W_X": np.zeros((5, 3)),
                                                "param/W_Y": np.zeros((3, 5)),
                                                "param/b_y": np.zeros((3, 1))})), "vocabulary has 4"),
])
def test_damaged_checkpoints_raise_a_clear_error(tmp_path, damage, message):
    path = saved(tmp_path)
    damage(path)
    with pytest.raises(CheckpointError, match=message):
        checkpoint.load(path)


def test_a_flipped_byte_is_caught(tmp_path):
    path = saved(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("param/W_X.npy")
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF  # inside W_X's bytes
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="not a readable"):
        checkpoint.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint at"):
        checkpoint.load(tmp_path / "nothing.npz")


def test_an_interrupted_save_leaves_the_old_checkpoint_whole(tmp_path, monkeypatch):
    path = saved(tmp_path)
    before = path.read_bytes()

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", explode)
    cell, params = model(seed=9)
    with pytest.raises(KeyboardInterrupt):
        checkpoint.save(path, cell, params, VOCAB)
    assert path.read_bytes() == before and list(tmp_path.iterdir()) == [path]
