"""The ``rnn-book`` command: train a character-level model on a text, and sample from it.

    rnn-book train --cell lstm --text notes.txt --steps 2000 --checkpoint notes.npz
    rnn-book train --cell rnn --corpus zen
    rnn-book sample --checkpoint notes.npz --temperature 0.8 --prompt "The "

Training shows a progress bar (with the ``cli`` extra, which installs tqdm;
plain lines without it), prints samples as it goes, and saves the checkpoint
at the end, or when interrupted with Ctrl-C (between two updates).
"""

import argparse
import os
import signal
import sys
from pathlib import Path

# One BLAS thread unless the user says otherwise, set before numpy loads: the
# matrices here are small, and on a busy machine BLAS threads that wait for
# each other can make training ten times slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np

from rnn_book.train import checkpoint
from rnn_book.train.cells import get_cell
from rnn_book.train.corpora import CORPORA
from rnn_book.train.data import char_vocabulary, encode, split_text, streams
from rnn_book.train.loop import train
from rnn_book.train.optim import OPTIMIZERS, make_optimizer
from rnn_book.train.sampling import perplexity, sample

__all__ = ["main", "build_parser"]

DEFAULT_LR = {"sgd": 0.5, "adagrad": 0.1, "adam": 0.005}


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be positive; got {text}")
        return value
    parse.__name__ = kind.__name__
    return parse


def build_parser():
    """The argument parser of ``rnn-book`` and its two commands."""
    parser = argparse.ArgumentParser(
        prog="rnn-book",
        description="Train a character-level RNN or LSTM (numpy only) and sample text from it.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    t = commands.add_parser(
        "train", help="train a model on a text and save a checkpoint",
        description="Train a character-level language model with truncated BPTT on B parallel "
                    "streams of a text. Ctrl-C stops between two updates and saves the "
                    "checkpoint.")
    source = t.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", type=Path, metavar="FILE", help="a UTF-8 text file to learn")
    source.add_argument("--corpus", choices=sorted(CORPORA),
                        help="a built-in text: zen (PEP 20), stdlib (Python source from the "
                             "standard library), lecture (the lecture's Korean sentence)")
    t.add_argument("--cell", choices=["rnn", "lstm"], default="lstm",
                   help="simple RNN or LSTM (default: %(default)s)")
    t.add_argument("--hidden", type=_positive(int), default=64, metavar="D",
                   help="hidden units d (default: %(default)s)")
    t.add_argument("--seq-len", type=_positive(int), default=25, metavar="T",
                   help="chunk length T of truncated BPTT (default: %(default)s)")
    t.add_argument("--batch", type=_positive(int), default=16, metavar="B",
                   help="parallel streams B (default: %(default)s)")
    t.add_argument("--steps", type=_positive(int), default=2000,
                   help="number of updates (default: %(default)s)")
    t.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                   help="(default: %(default)s)")
    t.add_argument("--lr", type=_positive(float), default=None,
                   help="learning rate (default: sgd 0.5, adagrad 0.1, adam 0.005)")
    t.add_argument("--clip", type=_positive(float), default=5.0,
                   help="clip the gradient's global norm to this (default: %(default)s)")
    t.add_argument("--held-out", type=float, default=0.1, metavar="FRACTION",
                   help="fraction at the end of the text kept for perplexity "
                        "(default: %(default)s; 0 for none)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    t.add_argument("--checkpoint", type=Path, default=Path("model.npz"), metavar="PATH",
                   help="where to save the model (default: %(default)s)")
    t.add_argument("--sample-every", type=int, default=500, metavar="N",
                   help="print a sample every N updates; 0 for never (default: %(default)s)")
    t.add_argument("--sample-length", type=_positive(int), default=200, metavar="N",
                   help="characters per sample (default: %(default)s)")
    t.add_argument("--temperature", type=_positive(float), default=0.8,
                   help="temperature of the samples printed during training "
                        "(default: %(default)s)")
    t.add_argument("--no-progress-bar", action="store_true",
                   help="print plain progress lines instead of a progress bar")

    s = commands.add_parser(
        "sample", help="write text with a trained model",
        description="Load a checkpoint saved by `rnn-book train` and write text with it.")
    s.add_argument("--checkpoint", type=Path, required=True, metavar="PATH",
                   help="a checkpoint saved by `rnn-book train`")
    s.add_argument("--length", type=_positive(int), default=300,
                   help="characters to write after the prompt (default: %(default)s)")
    s.add_argument("--temperature", type=_positive(float), default=0.8,
                   help="below 1: safer text; above 1: wilder (default: %(default)s, "
                        "as for the samples that `rnn-book train` prints)")
    s.add_argument("--prompt", default="", help="text to start from (default: none)")
    s.add_argument("--seed", type=int, default=None, help="random seed (default: fresh)")
    return parser


def _read_text(args):
    if args.corpus is not None:
        return CORPORA[args.corpus](), args.corpus
    path = args.text
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a text file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    return text, str(path)


class _Progress:
    """A tqdm bar when tqdm is installed and wanted; plain lines otherwise."""

    def __init__(self, total, plain):
        self.total, self.bar = total, None
        if not plain:
            try:
                from tqdm import tqdm
            except ImportError:
                pass
            else:
                self.bar = tqdm(total=total, unit="step", dynamic_ncols=True)
        self.every = max(1, total // 20)

    def update(self, history):
        loss = float(np.mean(history.losses[-20:]))
        speed = history.chars / max(history.seconds, 1e-9)
        if self.bar is not None:
            self.bar.set_postfix_str(f"loss {loss:.3f}, {speed:,.0f} chars/s", refresh=False)
            self.bar.update(1)
        elif history.steps % self.every == 0 or history.steps == self.total:
            print(f"step {history.steps}/{self.total}  loss {loss:.3f}  {speed:,.0f} chars/s",
                  file=sys.stderr, flush=True)

    def write(self, text):
        if self.bar is not None:
            self.bar.write(text)
        else:
            print(text, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _train(args):
    text, source = _read_text(args)
    if len(text) < 2:
        raise UsageError(f"{source} has {len(text)} character{'s' * (len(text) != 1)}; "
                         "a language model needs at least 2 (one to read, one to predict)")
    if not 0 <= args.held_out < 1:
        raise UsageError(f"--held-out must be in [0, 1); got {args.held_out}")
    vocab = char_vocabulary(text)
    train_text, held_text = split_text(text, args.held_out)
    ids = encode(train_text, vocab)
    if (len(ids) - 1) // args.batch < 1:
        raise UsageError(f"the training text ({len(ids)} characters) is too short for "
                         f"{args.batch} streams; use a smaller --batch or a longer text")
    inputs, targets = streams(ids, args.batch)  # (n, B) each
    cell = get_cell(args.cell)
    params = cell.init_params(len(vocab), args.hidden, rng=args.seed)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    optimizer = make_optimizer(args.optimizer, lr)
    rng = np.random.default_rng(args.seed)
    print(f"{source}: {len(text):,} characters, {len(vocab)} distinct; {args.cell}, "
          f"d={args.hidden}, T={args.seq_len}, B={args.batch}, {args.optimizer} lr={lr}",
          flush=True)

    interrupted = []

    def on_sigint(signum, frame):
        interrupted.append(True)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: now

    previous = signal.signal(signal.SIGINT, on_sigint)
    progress = _Progress(args.steps, args.no_progress_bar)

    def callback(history):
        progress.update(history)
        if args.sample_every and history.steps % args.sample_every == 0:
            text = sample(cell, params, vocab, args.sample_length,
                          temperature=args.temperature, rng=rng)
            progress.write(f"--- sample after {history.steps} steps ---\n{text}\n---")

    try:
        history = train(cell, params, inputs, targets, optimizer, steps=args.steps,
                        seq_len=args.seq_len, clip=args.clip, callback=callback,
                        should_stop=lambda: bool(interrupted))
    finally:
        progress.close()
        signal.signal(signal.SIGINT, previous)
    hparams = {"source": source, "hidden": args.hidden, "seq_len": args.seq_len,
               "batch": args.batch, "optimizer": args.optimizer, "lr": lr, "clip": args.clip,
               "seed": args.seed, "steps": history.steps,
               "loss": float(np.mean(history.losses[-20:])) if history.losses else None}
    if held_text and len(held_text) >= 2 and set(held_text) <= set(vocab):
        hparams["held_out_perplexity"] = perplexity(cell, params, encode(held_text, vocab),
                                                    B=min(16, len(held_text) - 1))
    checkpoint.save(args.checkpoint, cell, params, vocab, hparams)
    if interrupted:
        print(f"interrupted after {history.steps} steps; checkpoint saved to "
              f"{args.checkpoint}", flush=True)
        return 130
    speed = history.chars / max(history.seconds, 1e-9)
    print(f"{history.steps} steps, {history.chars:,} characters in {history.seconds:.1f} s "
          f"({speed:,.0f} chars/s); final loss {hparams['loss']:.3f} nats/char", flush=True)
    if "held_out_perplexity" in hparams:
        print(f"held-out perplexity {hparams['held_out_perplexity']:.2f} "
              f"(guessing: {len(vocab)})", flush=True)
    print(f"checkpoint saved to {args.checkpoint}", flush=True)
    return 0


def _sample(args):
    try:
        saved = checkpoint.load(args.checkpoint)
    except checkpoint.CheckpointError as error:
        raise UsageError(str(error)) from None
    unknown = sorted(set(args.prompt) - set(saved.vocab))
    if unknown:
        raise UsageError(f"the prompt has characters the model never saw: {unknown}")
    print(sample(saved.cell, saved.params, saved.vocab, args.length,
                 temperature=args.temperature, prompt=args.prompt, rng=args.seed))
    return 0


def main(argv=None):
    """Run ``rnn-book`` with ``argv`` (``sys.argv[1:]`` if None); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _train(args) if args.command == "train" else _sample(args)
    except UsageError as error:
        print(f"rnn-book {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rnn-book: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
