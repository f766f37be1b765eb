"""What `rnn-book` promises: bad requests refused before training, no model lost, signals save.

Real processes receive real signals here; the option space is explored with
hypothesis, in-process (a run of one or two updates on a tiny model).
"""

import functools
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import run_main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_book import cli
from rnn_book.train import bptt, checkpoint, loop

SCRIPT = Path(sys.executable).parent / "rnn-book"
TINY = ["--hidden", "4", "--batch", "2", "--seq-len", "8", "--sample-every", "0",
        "--no-progress-bar"]


def start(*args):
    return subprocess.Popen([str(SCRIPT), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def error_line(err):
    """The one line that says what is wrong; fails on a traceback or on several errors."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if "error:" in line]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A checkpoint that learned something: 80 updates on the Zen."""
    path = tmp_path_factory.mktemp("good") / "good.npz"
    status, _, err = run_main(["train", "--corpus", "zen", *TINY, "--hidden", "16",
                               "--updates", "80", "--checkpoint", path])
    assert status == 0, err
    return path


# --- Every option is checked when it is read ---

@pytest.mark.parametrize("args, message", [
    (["--lr", "inf"], "argument --lr: must be a finite number"),
    (["--lr", "nan"], "argument --lr: must be positive"),
    (["--lr", "1e-320"], "argument --lr: must be a finite number of at least 2.2e-308"),
    (["--clip", "inf"], "argument --clip: must be a finite number"),
    (["--temperature", "inf"], "argument --temperature: must be a finite number"),
    (["--temperature", "1e-320"], "argument --temperature: must be a finite number"),
    (["--seed", "-1"], "argument --seed: must be at least 0"),
    (["--sample-every", "-7"], "argument --sample-every: must be at least 0"),
    (["--hidden", "2.5"], "argument --hidden: not an integer: '2.5'"),
    (["--updates", "1e3"], "argument --updates: not an integer: '1e3'"),
    (["--sample-length", "100001"], "argument --sample-length: must be at most 100000"),
    (["--held-out", "nan"], "argument --held-out: must be in [0, 1)"),
    (["--checkpoint", ""], "argument --checkpoint: must be a file name"),
])
def test_options_are_refused_when_read(args, message):
    status, out, err = run_main(["train", "--corpus", "lecture", *args])
    assert status == 2 and message in error_line(err) and out == ""


@pytest.mark.parametrize("args, message", [
    (["--length", "2.5"], "argument --length: not an integer"),
    (["--length", "0"], "argument --length: must be positive"),
    (["--temperature", "1e-320"], "argument --temperature: must be a finite number"),
    (["--temperature", "hot"], "argument --temperature: not a number: 'hot'"),
    (["--seed", "-1"], "argument --seed: must be at least 0"),
])
def test_sample_options_are_refused_when_read(good, args, message):
    status, out, err = run_main(["sample", "--checkpoint", good, *args])
    assert status == 2 and message in error_line(err) and out == ""


def test_sizes_that_do_not_fit_in_memory_get_the_bytes_they_need(tmp_path):
    status, out, err = run_main(["train", "--corpus", "zen", "--hidden", "10000000",
                                 "--checkpoint", tmp_path / "m.npz"])
    line = error_line(err)
    assert status == 2 and "--hidden 10000000" in line and "TiB of memory" in line
    assert "available" in line and not (tmp_path / "m.npz").exists()


# --- The destination is checked before the first update ---

@pytest.mark.parametrize("destination, message", [
    (lambda d: d / "missing" / "m.npz", "the folder"),
    (lambda d: d, "is a folder"),
    (lambda d: d / "t.txt" / "m.npz", "is a file, not a folder"),
    (lambda d: "/proc/m.npz", "cannot write in /proc"),
    (lambda d: d / "t.txt", "also the training text"),
    (lambda d: d / "link.npz", "also the training text"),
    (lambda d: d / "notes.md", "is not an rnn-book checkpoint"),
])
def test_a_bad_checkpoint_path_costs_no_training(tmp_path, destination, message):
    (tmp_path / "t.txt").write_text("the cat sat on the mat. " * 20)
    (tmp_path / "link.npz").symlink_to(tmp_path / "t.txt")
    (tmp_path / "notes.md").write_text("my notes")
    before = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    status, out, err = run_main(["train", "--text", tmp_path / "t.txt", *TINY, "--updates", "3",
                                 "--checkpoint", destination(tmp_path)])
    assert status == 2 and "--checkpoint: " in error_line(err) and message in err
    assert out == "" and "update 1/3" not in err  # refused before the first update
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_replacing_a_checkpoint_keeps_its_mode_and_its_link(good, tmp_path):
    real = tmp_path / "real.npz"
    real.write_bytes(good.read_bytes())
    real.chmod(0o640)
    (tmp_path / "link.npz").symlink_to(real)
    status, _, err = run_main(["train", "--corpus", "zen", *TINY, "--updates", "3",
                               "--checkpoint", tmp_path / "link.npz"])
    assert status == 0, err
    assert (tmp_path / "link.npz").is_symlink() and real.stat().st_mode & 0o777 == 0o640
    assert checkpoint.load(real).hparams["updates"] == 3


# --- A run that diverges ---

def test_a_diverging_run_never_replaces_a_good_checkpoint(good, tmp_path):
    path = tmp_path / "good.npz"
    path.write_bytes(good.read_bytes())
    status, out, err = run_main(["train", "--corpus", "zen", *TINY, "--updates", "50",
                                 "--lr", "1e6", "--checkpoint", path])
    line = error_line(err)
    assert status == 1 and "training diverged" in line and "--lr below 1e+06" in line
    assert "nothing saved" in line and f"{path} is unchanged" in line
    assert path.read_bytes() == good.read_bytes()


def test_a_diverging_process_exits_non_zero_and_leaves_the_checkpoint(good, tmp_path):
    path = tmp_path / "good.npz"
    path.write_bytes(good.read_bytes())
    result = subprocess.run([str(SCRIPT), "train", "--corpus", "zen", *TINY, "--updates", "50",
                             "--optimizer", "sgd", "--lr", "1e6", "--clip", "1e300",
                             "--checkpoint", str(path)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 1 and "training diverged" in error_line(result.stderr)
    assert path.read_bytes() == good.read_bytes()


def test_a_run_that_diverges_after_learning_saves_its_last_good_state(tmp_path, monkeypatch):
    def nan_at_update_30(cell, params, X, Y, state, calls=[]):  # noqa: B006 (a counter)
        calls.append(1)
        loss, grads, state = bptt.chunk_step(cell, params, X, Y, state)
        return (float("nan") if len(calls) == 30 else loss), grads, state

    monkeypatch.setattr(cli, "train", functools.partial(loop.train, chunk_step=nan_at_update_30))
    path = tmp_path / "m.npz"
    status, _, err = run_main(["train", "--corpus", "zen", *TINY, "--hidden", "16",
                               "--updates", "100", "--checkpoint", path])
    line = error_line(err)
    assert status == 1 and "at update 30 the loss was nan" in line
    assert "(the state after 28 updates)" in line  # whose loss, at update 29, was fine
    saved = checkpoint.load(path)
    assert saved.hparams["updates"] == 28 and saved.hparams["loss"] < np.log(len(saved.vocab))


def test_a_second_interrupt_mid_update_saves_the_state_before_that_update(tmp_path, monkeypatch):
    clean = tmp_path / "clean.npz"
    assert run_main(["train", "--corpus", "zen", *TINY, "--updates", "4",
                     "--held-out", "0", "--checkpoint", clean])[0] == 0

    def interrupted_at_update_5(cell, params, X, Y, state, calls=[]):  # noqa: B006
        calls.append(1)
        if len(calls) == 5:
            params.W_Y[...] += 1.0  # half an update ...
            raise KeyboardInterrupt  # ... and a second Ctrl-C
        return bptt.chunk_step(cell, params, X, Y, state)

    monkeypatch.setattr(cli, "train", functools.partial(loop.train,
                                                        chunk_step=interrupted_at_update_5))
    path = tmp_path / "m.npz"
    status, out, err = run_main(["train", "--corpus", "zen", *TINY, "--updates", "100",
                                 "--held-out", "0", "--checkpoint", path])
    assert status == 130 and "interrupted after 4 updates by SIGINT" in out, err
    for (name, a), (_, b) in zip(checkpoint.load(path).params.items(),
                                 checkpoint.load(clean).params.items()):
        np.testing.assert_array_equal(a, b, err_msg=name)


# --- Signals sent to a real training process ---

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_training_saves_and_exits_128_plus_its_number(tmp_path, signum):
    path = tmp_path / "m.npz"
    proc = start("train", "--corpus", "zen", *TINY, "--updates", "1000000", "--sample-every", "2",
                 "--sample-length", "3", "--checkpoint", path)
    for line in proc.stdout:
        if line.startswith("--- sample after 4 updates"):
            break
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err and f"by {signal.Signals(signum).name}" in out
    assert 4 <= checkpoint.load(path).hparams["updates"] < 1000000


def test_ctrl_c_during_the_final_evaluation_still_saves(tmp_path):
    path = tmp_path / "m.npz"
    proc = start("train", "--corpus", "stdlib", "--held-out", "0.9", *TINY, "--updates", "3",
                 "--checkpoint", path)
    for line in proc.stdout:
        if line.startswith("evaluating on the"):
            break
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert "interrupted after 3 updates by SIGINT; checkpoint saved" in out
    saved = checkpoint.load(path)
    assert saved.hparams["updates"] == 3 and "held_out_perplexity" not in saved.hparams


def test_sample_streams_its_text_and_ctrl_c_keeps_what_was_written(good):
    proc = start("sample", "--checkpoint", good, "--length", str(10**9), "--seed", "0")
    first = proc.stdout.read(200)  # arrives long before 10**9 characters are drawn
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err, err
    whole = first + out
    assert len(whole) > 200 and whole.endswith("\n")
    again = subprocess.run([str(SCRIPT), "sample", "--checkpoint", str(good), "--length",
                            str(len(whole) - 1), "--seed", "0"], capture_output=True, text=True,
                           timeout=120, check=False)
    # the same seed draws the same text: what was printed is what the model wrote
    assert again.stdout.startswith(whole[: len(whole) - 1])


# --- The whole option space: success, or one line naming the problem ---

COUNTS = st.sampled_from(["1", "2", "3", "0", "-1", "2.5", "1e3", "x", "99999999999999"])
NUMBERS = st.sampled_from(["0.01", "0.5", "1e6", "0", "-1", "inf", "nan", "1e-320", "abc", ""])
OPTIONS = {
    "--cell": st.sampled_from(["rnn", "lstm", "gru", ""]),
    "--hidden": COUNTS, "--seq-len": COUNTS, "--batch": COUNTS,
    "--updates": st.sampled_from(["1", "2", "0", "-3", "1.5"]),
    "--optimizer": st.sampled_from(["sgd", "adagrad", "adam", "rmsprop"]),
    "--lr": NUMBERS, "--clip": NUMBERS, "--temperature": NUMBERS,
    "--held-out": st.sampled_from(["0", "0.3", "0.99", "1", "-0.1", "nan", "x"]),
    "--seed": st.sampled_from(["0", "7", "-1", "2.0", str(2**70)]),
    "--sample-every": st.sampled_from(["0", "1", "-7", "x"]),
    "--sample-length": st.sampled_from(["1", "5", "0", "100001"]),
}
DESTINATIONS = st.sampled_from(["m.npz", "m.npz", "m.npz", "missing/m.npz", ".", "text.txt", "text.txt/m.npz",
                                "notes.md"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from([["--corpus", "lecture"], ["--corpus", "zen"],
                               ["--text", "text.txt"], ["--text", "missing.txt"], ["--text", ""]]),
       options=st.dictionaries(st.sampled_from(sorted(OPTIONS)), st.just(None), max_size=6)
       .flatmap(lambda chosen: st.fixed_dictionaries({k: OPTIONS[k] for k in chosen})),
       destination=DESTINATIONS)
def test_any_train_request_succeeds_or_names_its_problem(tmp_path_factory, source, options,
                                                         destination):
    folder = tmp_path_factory.mktemp("run")
    (folder / "text.txt").write_text("the cat sat on the mat; the dog did not. " * 3)
    (folder / "notes.md").write_text("my notes")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    source = [s.replace("text.txt", str(folder / "text.txt"))
              .replace("missing.txt", str(folder / "missing.txt")) for s in source]
    argv = ["train", *source, "--no-progress-bar", "--updates", "2", "--hidden", "3",
            *[x for pair in options.items() for x in pair],
            "--checkpoint", "" if not destination else str(folder / destination)]
    status, out, err = run_main(argv)
    assert "Traceback" not in err
    if status == 0:
        saved = checkpoint.load(folder / destination)
        assert all(np.isfinite(a).all() for _, a in saved.params.items())
        assert "nan" not in out and "inf" not in out.replace("info", "")
    else:
        line = error_line(err)
        assert status in (1, 2), (status, err)
        assert line.startswith("rnn-book train: error: ") and len(line) > 30
        if status == 1:
            assert "diverged" in line or "worse than guessing" in line
    for name, data in before.items():  # the user's files are never replaced
        assert (folder / name).read_bytes() == data, name


@settings(max_examples=30, deadline=None)
@given(length=st.sampled_from(["1", "40", "0", "-2", "2.5", "x"]),
       temperature=st.sampled_from(["0.8", "1e-300", "50", "0", "inf", "1e-320", "hot"]),
       prompt=st.sampled_from(["", "The ", "라쿤", "\n"]),
       seed=st.sampled_from([None, "0", "-1", str(2**70)]))
def test_any_sample_request_succeeds_or_names_its_problem(good, length, temperature, prompt,
                                                          seed):
    argv = ["sample", "--checkpoint", good, "--length", length, "--temperature", temperature,
            "--prompt", prompt, *([] if seed is None else ["--seed", seed])]
    status, out, err = run_main(argv)
    assert "Traceback" not in err
    if status == 0:
        assert out.startswith(prompt) and len(out) == len(prompt) + int(length) + 1
    else:
        assert status == 2 and error_line(err).startswith("rnn-book sample: error: ")
        assert out == ""


def test_the_promises_in_the_help_and_the_readme_state_the_numbers_the_code_uses():
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    help_text = " ".join(cli.GUARANTEES.split())
    assert cli.WORSE_THAN_CHANCE == 1.1 and loop.Guard().explode == 2.0
    assert "no worse than 1.1 x log k" in help_text and "no worse than 1.1 × log k" in readme
    assert "above twice that of guessing" in help_text and "above twice that of guessing" in readme
    assert "exit status 1" in help_text and "exit status 1" in readme
    assert "128 + the signal's number (130, 143, 129)" in help_text
    status, out, _ = run_main(["train", "--help"])
    assert status == 0 and "a run that diverges:" in out and "signals:" in out


def test_a_checkpoint_that_cannot_be_written_at_the_end_is_rescued(tmp_path, monkeypatch):
    real_save = checkpoint.save
    path = tmp_path / "m.npz"

    def disk_full(where, *args, **kwargs):
        if Path(where) == path:
            raise OSError(28, "No space left on device")
        return real_save(where, *args, **kwargs)

    monkeypatch.setattr(checkpoint, "save", disk_full)
    monkeypatch.setattr(cli.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    status, _, err = run_main(["train", "--corpus", "zen", *TINY, "--updates", "3",
                               "--checkpoint", path])
    line = error_line(err)
    assert status == 1 and "No space left on device" in line and "saved in" in line
    rescued = list((tmp_path / "tmp").iterdir())
    assert len(rescued) == 1 and checkpoint.load(rescued[0]).hparams["updates"] == 3


def test_a_terminal_that_cannot_show_the_characters_costs_no_model(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    path = tmp_path / "m.npz"
    result = subprocess.run([str(SCRIPT), "train", "--corpus", "lecture", *TINY, "--batch", "1",
                             "--updates", "2", "--sample-every", "1", "--checkpoint", str(path)],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0 and "\\uc800" in result.stdout, result.stderr
    assert checkpoint.load(path).hparams["updates"] == 2
    result = subprocess.run([str(SCRIPT), "sample", "--checkpoint", str(path), "--prompt", "저"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 1 and "set PYTHONIOENCODING=utf-8" in error_line(result.stderr)
