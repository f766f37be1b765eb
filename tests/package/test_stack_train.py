"""Stacks in training: the loop, checkpoints, sampling's refusal, and `rnn-book --layers` / `export`."""

import numpy as np
import pytest

from rnn_book import cli, stack, torch_io
from rnn_book.stack_params import CELL_PARAMS, StackParams
from rnn_book.train import checkpoint
from rnn_book.train.data import encode, streams
from rnn_book.train.loop import train
from rnn_book.train.optim import Adam
from rnn_book.train.sampling import perplexity, sample
from rnn_book.train.stacks import StackCell, stack_cell

TEXT = "the cat sat on the mat. the dog sat on the log. " * 8
VOCAB = sorted(set(TEXT))


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "readable"])
@pytest.mark.parametrize("cell", sorted(CELL_PARAMS))
def test_the_loop_trains_a_two_layer_stack(cell, fast):
    inputs, targets = streams(encode(TEXT, VOCAB), 4)
    model = stack_cell(cell, layers=2, fast=fast)
    params = model.init_params(len(VOCAB), 12, rng=0)
    history = train(model, params, inputs, targets, Adam(0.02), updates=40, seq_len=10, clip=5.0)
    assert np.mean(history.losses[-5:]) < 0.85 * np.mean(history.losses[:5])


def test_truncated_bptt_carries_the_forward_rows_and_restarts_the_reverse_rows():
    model = stack_cell("lstm", layers=2, bidirectional=True)
    params = model.init_params(3, 2, rng=0)
    X = np.eye(3)[[0, 1, 2, 1]][:, :, None]  # (T, k, 1)
    _, cache, (h, c) = model.forward(params, X, model.zero_state(2, 1))
    np.testing.assert_array_equal(h[0::2], cache.h_n[0::2])  # forward rows: where the chunk ends
    assert not h[1::2].any() and not c[1::2].any()  # reversed rows: zeros at the next chunk's end


def test_checkpoint_keeps_a_stack(tmp_path):
    model = stack_cell("rnn", layers=3, bidirectional=True)
    params = model.init_params(len(VOCAB), 5, rng=1)
    checkpoint.save(tmp_path / "s.npz", model, params, VOCAB, {"note": 1})
    saved = checkpoint.load(tmp_path / "s.npz", cell="rnn")
    assert isinstance(saved.cell, StackCell) and (saved.cell.layers, saved.cell.bidirectional) == (3, True)
    assert isinstance(saved.params, StackParams)
    for (name, a), (name_saved, b) in zip(params.items(), saved.params.items()):
        assert name == name_saved
        np.testing.assert_array_equal(a, b)


def test_checkpoint_whose_meta_and_arrays_disagree_is_refused(tmp_path):
    params = stack.init_params("rnn", len(VOCAB), 5, layers=2, rng=1)
    checkpoint.save(tmp_path / "s.npz", stack_cell("rnn", layers=3), params, VOCAB)
    with pytest.raises(checkpoint.CheckpointError, match="its meta says 3 rnn layer"):
        checkpoint.load(tmp_path / "s.npz")


def test_sampling_and_perplexity_refuse_a_bidirectional_model():
    model = stack_cell("gru" if "gru" in CELL_PARAMS else "lstm", layers=1, bidirectional=True)
    params = model.init_params(len(VOCAB), 4, rng=0)
    with pytest.raises(ValueError, match="sampling text needs a model that reads left to right; "
                                         "this one is bidirectional"):
        sample(model, params, VOCAB, 10, rng=0)
    with pytest.raises(ValueError, match="this one is bidirectional"):
        perplexity(model, params, encode(TEXT[:50], VOCAB))


def test_sampling_from_a_deep_model_works():
    model = stack_cell("lstm", layers=2)
    params = model.init_params(len(VOCAB), 4, rng=0)
    text = sample(model, params, VOCAB, 20, prompt="the ", rng=0)
    assert text.startswith("the ") and len(text) == 24


def test_cli_trains_samples_and_exports_a_deep_model(tmp_path, capsys):
    corpus = tmp_path / "t.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    ckpt, out = tmp_path / "m.npz", tmp_path / "m_torch.npz"
    assert cli.main(["train", "--text", str(corpus), "--cell", "lstm", "--layers", "2",
                     "--hidden", "6", "--updates", "4", "--batch", "2", "--seq-len", "8",
                     "--sample-every", "0", "--no-progress-bar", "--checkpoint", str(ckpt)]) == 0
    saved = checkpoint.load(ckpt)
    assert saved.params.n_layers == 2 and not saved.params.bidirectional
    assert cli.main(["sample", "--checkpoint", str(ckpt), "--length", "10", "--seed", "0"]) == 0
    capsys.readouterr()
    assert cli.main(["export", "--checkpoint", str(ckpt), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "torch.nn.LSTM(input_size=" in printed and "num_layers=2" in printed
    with np.load(out) as npz:
        state = {name: npz[name] for name in npz.files}
    assert "rnn.weight_hh_l1" in state and "linear.bias" in state
    for (_, a), (_, b) in zip(saved.params.items(), torch_io.from_torch(state).items()):
        np.testing.assert_array_equal(a, b)


def test_cli_refuses_bidirectional_training_and_sampling(tmp_path, capsys):
    assert cli.main(["train", "--corpus", "zen", "--bidirectional"]) == 2
    assert "--bidirectional: a language model predicts the next character" in capsys.readouterr().err
    model = stack_cell("rnn", layers=1, bidirectional=True)
    ckpt = tmp_path / "b.npz"
    checkpoint.save(ckpt, model, model.init_params(len(VOCAB), 3, rng=0), VOCAB)
    assert cli.main(["sample", "--checkpoint", str(ckpt)]) == 2
    assert "holds a bidirectional model" in capsys.readouterr().err


def test_cli_export_refuses_to_overwrite_the_checkpoint_or_write_nowhere(tmp_path, capsys):
    model = stack_cell("rnn", layers=2)
    ckpt = tmp_path / "m.npz"
    checkpoint.save(ckpt, model, model.init_params(len(VOCAB), 3, rng=0), VOCAB)
    before = ckpt.read_bytes()
    assert cli.main(["export", "--checkpoint", str(ckpt), "--out", str(ckpt)]) == 2
    assert "is the checkpoint itself" in capsys.readouterr().err
    assert ckpt.read_bytes() == before
    assert cli.main(["export", "--checkpoint", str(ckpt), "--out", str(tmp_path / "no" / "x.npz")]) == 2
    assert "no such directory" in capsys.readouterr().err
    assert cli.main(["export", "--checkpoint", str(tmp_path / "none.npz"), "--out", "x.npz"]) == 2
    assert "no checkpoint at" in capsys.readouterr().err


def test_exported_model_runs_in_pytorch_as_here(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    model = stack_cell("lstm", layers=2)
    params = model.init_params(len(VOCAB), 4, rng=2)
    ckpt, out = tmp_path / "m.npz", tmp_path / "t.npz"
    checkpoint.save(ckpt, model, params, VOCAB)
    assert cli.main(["export", "--checkpoint", str(ckpt), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    lines = [line.strip() for line in printed.splitlines() if line.startswith("    ")]
    namespace = {"torch": torch, "numpy": np}
    import os
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for line in lines:  # the very lines the command printed
            exec(line.replace(str(out), out.name), namespace)
    finally:
        os.chdir(cwd)
    X = np.eye(len(VOCAB))[encode("the cat", VOCAB)][:, :, None]  # (T, k, 1)
    Y, _ = stack.forward(params, X)
    with torch.no_grad():
        Z = namespace["model"].linear(namespace["model"].rnn(torch.from_numpy(X.transpose(0, 2, 1)))[0])
    np.testing.assert_allclose(torch.softmax(Z, 2).numpy().transpose(0, 2, 1), Y, atol=1e-12)


@pytest.mark.parametrize("cell, layers, bidirectional", [("lstm", 2, True), ("rnn", 3, False)])
def test_param_count_of_a_stack_is_what_init_params_makes(cell, layers, bidirectional):
    from rnn_book.train.memory import param_count

    model = stack_cell(cell, layers=layers, bidirectional=bidirectional)
    params = model.init_params(7, 4, rng=0)
    assert param_count(model, 7, 4) == sum(a.size for _, a in params.items())
