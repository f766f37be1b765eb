"""The `rnn-book` command: help, training, sampling, Ctrl-C, and clear errors without tracebacks."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_book import cli
from rnn_book.train import checkpoint

SCRIPT = Path(sys.executable).parent / "rnn-book"  # the console script pip installed
SMALL = ["--hidden", "8", "--batch", "2", "--seq-len", "10", "--updates", "6",
         "--sample-every", "3", "--sample-length", "20"]


def run(*args, cwd=None):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, check=False,
                          timeout=120, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_the_console_script_is_installed():
    assert SCRIPT.is_file(), "pip install -e . creates it from [project.scripts]"


def test_help_lists_every_command_and_option():
    top = run("--help")
    assert top.returncode == 0 and "train" in top.stdout and "sample" in top.stdout
    train = run("train", "--help").stdout
    for option in ("--text", "--corpus", "--cell", "--hidden", "--seq-len", "--batch", "--updates",
                   "--optimizer", "--lr", "--clip", "--held-out", "--seed", "--checkpoint",
                   "--sample-every", "--sample-length", "--temperature", "--no-progress-bar"):
        assert option in train, option
    sample = run("sample", "--help").stdout
    for option in ("--checkpoint", "--length", "--temperature", "--prompt", "--seed"):
        assert option in sample, option
    # sampling and the samples printed while training use the same default temperature
    sample, train = " ".join(sample.split()), " ".join(train.split())  # undo line wrapping
    assert "(default: 0.8," in sample and "training (default: 0.8)" in train


def test_train_then_sample(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("저는 라쿤 입니다. the cat sat on the mat.\n" * 10, encoding="utf-8")
    ckpt = tmp_path / "m.npz"
    result = run("train", "--cell", "rnn", "--text", str(text), "--checkpoint", str(ckpt), *SMALL)
    assert result.returncode == 0, result.stderr
    assert "--- sample after 3 updates ---" in result.stdout
    assert "chars/s" in result.stderr and "loss" in result.stderr  # the progress bar
    assert "held-out perplexity" in result.stdout
    k = len(set(text.read_text(encoding="utf-8")))
    assert f"(guessing: {k})" in result.stdout  # the perplexity of uniform guessing is k
    saved = checkpoint.load(ckpt, cell="rnn")
    assert saved.hparams["updates"] == 6 and "쿤" in saved.vocab
    out = run("sample", "--checkpoint", str(ckpt), "--prompt", "저는", "--length", "30",
              "--temperature", "0.5", "--seed", "1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("저는") and len(out.stdout.rstrip("\n")) >= 30
    again = run("sample", "--checkpoint", str(ckpt), "--prompt", "저는", "--length", "30",
                "--temperature", "0.5", "--seed", "1")
    assert again.stdout == out.stdout


def test_plain_progress_lines_without_tqdm(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    status = cli.main(["train", "--corpus", "zen", "--checkpoint", str(tmp_path / "z.npz"),
                       "--cell", "lstm", *SMALL])
    err = capsys.readouterr().err
    assert status == 0
    assert "update 6/6  loss " in err and "chars/s" in err


def test_ctrl_c_saves_a_checkpoint_and_exits_130(tmp_path):
    ckpt = tmp_path / "m.npz"
    proc = subprocess.Popen(
        [str(SCRIPT), "train", "--corpus", "zen", "--cell", "lstm", "--hidden", "8",
         "--updates", "1000000", "--sample-every", "1", "--sample-length", "3",
         "--no-progress-bar", "--checkpoint", str(ckpt)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in proc.stdout:  # wait until the loop runs
        if line.startswith("--- sample after 2 updates"):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "interrupted after" in out and "checkpoint saved" in out
    saved = checkpoint.load(ckpt, cell="lstm")
    assert 2 <= saved.hparams["updates"] < 1000000


@pytest.mark.parametrize("args, message", [
    (["train", "--corpus", "zen", "--cell", "gpt"], "invalid choice: 'gpt'"),
    (["train", "--cell", "rnn"], "one of the arguments --text --corpus is required"),
    (["train", "--corpus", "zen", "--hidden", "0"], "must be positive"),
    (["train", "--corpus", "zen", "--lr", "fast"], "not a number"),
    (["train", "--corpus", "zen", "--held-out", "1.5"], "argument --held-out: must be in [0, 1)"),
    (["train", "--corpus", "lecture", "--batch", "64"], "too short for 64 streams"),
    (["train", "--text", "no-such-file.txt"], "no such file: no-such-file.txt"),
    (["sample", "--checkpoint", "no-such.npz"], "no checkpoint at no-such.npz"),
    (["fly"], "invalid choice: 'fly'"),
    ([], "the following arguments are required: COMMAND"),
])
def test_bad_requests_get_a_clear_message_and_no_traceback(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, message", [
    ("", "has 0 characters; a language model needs at least 2"),
    ("a", "has 1 character; a language model needs at least 2"),
    (b"\xff\xfe\x00bad", "is not UTF-8 text"),
])
def test_empty_short_or_binary_text_is_refused(tmp_path, content, message):
    path = tmp_path / "t.txt"
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    result = run("train", "--text", str(path), cwd=tmp_path)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "model.npz").exists()


def test_a_corrupt_checkpoint_or_a_foreign_prompt_is_refused(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a checkpoint")
    result = run("sample", "--checkpoint", str(bad))
    assert result.returncode == 2 and "not a readable rnn-book checkpoint" in result.stderr
    assert "Traceback" not in result.stderr
    good = tmp_path / "m.npz"
    assert run("train", "--corpus", "zen", "--checkpoint", str(good), *SMALL).returncode == 0
    result = run("sample", "--checkpoint", str(good), "--prompt", "라쿤")
    assert result.returncode == 2 and "never saw" in result.stderr
    assert "Traceback" not in result.stderr
