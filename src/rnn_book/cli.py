"""The ``rnn-book`` command: train a character-level model on a text, and sample from it.

    rnn-book train --cell lstm --text notes.txt --updates 2000 --checkpoint notes.npz
    rnn-book train --cell rnn --corpus zen
    rnn-book export --checkpoint notes.npz --out notes_torch.npz   # for PyTorch
    rnn-book sample --checkpoint notes.npz --temperature 0.8 --prompt "The "

Training shows a progress bar (with the ``cli`` extra, which installs tqdm;
plain lines without it), prints samples as it goes, and saves the checkpoint
at the end, or when stopped (Ctrl-C, SIGTERM, SIGHUP). What is checked, and
when a checkpoint is written, is the epilogue of ``rnn-book train --help``
(:data:`GUARANTEES`).
"""

import argparse
import contextlib
import math
import os
import signal
import sys
import tempfile
from pathlib import Path

# One BLAS thread unless the user says otherwise, set before numpy loads: the
# matrices here are small, and on a busy machine BLAS threads that wait for
# each other can make training ten times slower.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np

from rnn_book import torch_io
from rnn_book.train import checkpoint, memory
from rnn_book.train.cells import CELLS, get_cell
from rnn_book.train.corpora import CORPORA
from rnn_book.train.data import char_vocabulary, encode, split_text, streams
from rnn_book.train.loop import Diverged, Guard, train
from rnn_book.train.optim import OPTIMIZERS, make_optimizer
from rnn_book.train.sampling import generate, perplexity, sample
from rnn_book.train.stacks import stack_cell

__all__ = ["main", "build_parser", "GUARANTEES"]

DEFAULT_LR = {"sgd": 0.5, "adagrad": 0.1, "adam": 0.005}
MAX_SAMPLE_LENGTH = 100_000  # per sample printed while training; `rnn-book sample` streams any length
WORSE_THAN_CHANCE = 1.1  # a loss above 1.1 log k (guessing's) is not a model worth a checkpoint
EXIT_DIVERGED = 1

GUARANTEES = """\
what is checked before any training:
  every option, when it is read: whole numbers where counts are asked for,
  finite positive numbers (not NaN, inf or below 2.2e-308) for --lr, --clip and
  --temperature, a seed of 0 or more; the text (readable UTF-8, 2 characters
  or more, enough for --batch streams); the checkpoint's destination (a file
  in an existing, writable folder, not the --text file, not a file that is
  not an rnn-book checkpoint); and the memory the sizes need.

when the checkpoint is written:
  at the end of the run, or when it is stopped, and only from parameters that
  are all finite numbers with a recent loss no worse than 1.1 x log k (k
  characters; log k is the loss of guessing). It is written to a temporary
  file and renamed over the old one (never half a file), keeping the old
  file's permissions and writing through a symbolic link. If it cannot be
  written then (a full disk, a folder removed), the model is saved in the
  temporary folder instead, and the message says where (exit status 1).

a run that diverges:
  (a NaN or infinite loss, gradient or parameter, or a loss above twice that
  of guessing) stops at once with exit status 1 and says what to change. It
  saves its last good state only if that state had learned something (a loss
  below log k after at least one update); otherwise the checkpoint is left
  as it was.

signals:
  Ctrl-C (SIGINT), SIGTERM or SIGHUP stop the run between two updates, or
  abandon the sample being printed or the final held-out evaluation, then
  save the checkpoint and exit with 128 + the signal's number (130, 143, 129).
  A second signal stops at once, and the state from before the unfinished
  update is saved. A signal that arrives while the file is written waits
  until it is complete.
"""


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit status 2."""


class RunFailed(Exception):
    """A run that cannot give a model worth saving: reported in one line, exit status 1."""


# --- Reading each option: one function per kind, so a new option picks its kind. ---

def _count(minimum=1, maximum=None):
    """A whole number in ``minimum .. maximum``: ``2.5``, ``1e3`` and ``-1`` are refused."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if value < minimum:
            word = "positive" if minimum == 1 else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"must be {word}; got {text}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}; got {text}")
        return value
    parse.__name__ = "integer"
    return parse


def _positive(text):
    """A finite positive number, not denormal: NaN, inf, 0 and 1e-320 are refused."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive; got {text}")
    if not (math.isfinite(value) and value >= np.finfo(np.float64).tiny):
        raise argparse.ArgumentTypeError(f"must be a finite number of at least 2.2e-308; "
                                         f"got {text}")
    return value


_positive.__name__ = "number"


def _fraction(text):
    """A number in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1); got {text}")
    return value


_fraction.__name__ = "fraction"


def _file(text):
    """A path that is not empty."""
    if not text:
        raise argparse.ArgumentTypeError("must be a file name; got an empty string")
    return Path(text)


_file.__name__ = "path"


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
                    "checkpoint.",
        epilog=GUARANTEES, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = t.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", type=_file, metavar="FILE", help="a UTF-8 text file to learn")
    source.add_argument("--corpus", choices=sorted(CORPORA),
                        help="a built-in text: zen (PEP 20), stdlib (Python source from the "
                             "standard library), lecture (the lecture's Korean sentence)")
    t.add_argument("--cell", choices=sorted(CELLS), default="lstm",
                   help="simple RNN, LSTM or GRU (default: %(default)s)")
    t.add_argument("--hidden", type=_count(), default=64, metavar="D",
                   help="hidden units d (default: %(default)s)")
    t.add_argument("--seq-len", type=_count(), default=25, metavar="T",
                   help="chunk length T of truncated BPTT (default: %(default)s)")
    t.add_argument("--batch", type=_count(), default=16, metavar="B",
                   help="parallel streams B (default: %(default)s)")
    t.add_argument("--updates", type=_count(), default=2000,
                   help="number of updates (default: %(default)s)")
    t.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                   help="(default: %(default)s)")
    t.add_argument("--lr", type=_positive, default=None,
                   help="learning rate (default: sgd 0.5, adagrad 0.1, adam 0.005)")
    t.add_argument("--clip", type=_positive, default=5.0,
                   help="clip the gradient's global norm to this (default: %(default)s)")
    t.add_argument("--held-out", type=_fraction, default=0.1, metavar="FRACTION",
                   help="fraction at the end of the text kept for perplexity "
                        "(default: %(default)s; 0 for none)")
    t.add_argument("--seed", type=_count(minimum=0), default=0,
                   help="random seed, 0 or more (default: %(default)s)")
    t.add_argument("--checkpoint", type=_file, default=Path("model.npz"), metavar="PATH",
                   help="where to save the model (default: %(default)s)")
    t.add_argument("--sample-every", type=_count(minimum=0), default=500, metavar="N",
                   help="print a sample every N updates; 0 for never (default: %(default)s)")
    t.add_argument("--sample-length", type=_count(maximum=MAX_SAMPLE_LENGTH), default=200,
                   metavar="N", help="characters per sample (default: %(default)s)")
    t.add_argument("--temperature", type=_positive, default=0.8,
                   help="temperature of the samples printed during training "
                        "(default: %(default)s)")
    t.add_argument("--no-progress-bar", action="store_true",
                   help="print plain progress lines instead of a progress bar")
    _add_stack_options(t)

    s = commands.add_parser(
        "sample", help="write text with a trained model",
        description="Load a checkpoint saved by `rnn-book train` and write text with it, "
                    "character by character as it is drawn (Ctrl-C keeps what is written).")
    s.add_argument("--checkpoint", type=_file, required=True, metavar="PATH",
                   help="a checkpoint saved by `rnn-book train`")
    s.add_argument("--length", type=_count(), default=300,
                   help="characters to write after the prompt (default: %(default)s)")
    s.add_argument("--temperature", type=_positive, default=0.8,
                   help="below 1: safer text; above 1: wilder (default: %(default)s, "
                        "as for the samples that `rnn-book train` prints)")
    s.add_argument("--prompt", default="", help="text to start from (default: none)")
    s.add_argument("--seed", type=_count(minimum=0), default=None,
                   help="random seed, 0 or more (default: fresh)")
    _add_export_command(commands)
    return parser


def _add_stack_options(t):
    """``train``'s options for a deep network (and the refusal of a bidirectional one)."""
    t.add_argument("--layers", type=_count(), default=1, metavar="L",
                   help="stacked layers, each reading the hidden states of the one below "
                        "(default: %(default)s)")
    t.add_argument("--bidirectional", action="store_true",
                   help="refused: a character model that also reads right to left has "
                        "already read the character it must predict")


def _train_cell(args):
    """The cell ``train`` asks for: one layer, or a stack of ``--layers``."""
    if args.bidirectional:
        raise UsageError("--bidirectional: a language model predicts the next character, which "
                         "a bidirectional model has already read (its reversed pass starts at "
                         "the end of the chunk); it could not write text either. Use --layers "
                         "for depth; bidirectional models are for labelling a whole sequence "
                         "(rnn_book.stack)")
    return get_cell(args.cell) if args.layers == 1 else stack_cell(args.cell, args.layers)


def _add_export_command(commands):
    """The ``export`` command: a checkpoint as a PyTorch state dict."""
    e = commands.add_parser(
        "export", help="write a checkpoint's model as a PyTorch state dict (.npz)",
        description="Write the model of a checkpoint saved by `rnn-book train` as the state "
                    "dict of a PyTorch model with parts rnn (nn.RNN, nn.LSTM or nn.GRU) and "
                    "linear (nn.Linear): one array per entry, in an .npz file. It prints the "
                    "lines that build the model and load the file.")
    e.add_argument("--checkpoint", type=Path, required=True, metavar="PATH",
                   help="a checkpoint saved by `rnn-book train`")
    e.add_argument("--out", type=Path, required=True, metavar="PATH",
                   help="the .npz file to write")


def _export(args):
    try:
        saved = checkpoint.load(args.checkpoint)
    except checkpoint.CheckpointError as error:
        raise UsageError(str(error)) from None
    out = args.out
    if out.exists() and out.resolve() == args.checkpoint.resolve():
        raise UsageError(f"--out {out} is the checkpoint itself; name another file")
    if not out.parent.is_dir():
        raise UsageError(f"--out: no such directory: {out.parent}")
    state = torch_io.to_torch(saved.params)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **state)
        os.replace(tmp, out)  # the old file or the whole new one, never half
    except BaseException:
        os.unlink(tmp)
        raise
    config = torch_io.torch_config(saved.params)
    double = ".double()" if saved.params.dtype == np.float64 else ""
    rnn_args = ", ".join(f"{key}={value!r}" for key, value in config["rnn"].items())
    linear_args = ", ".join(f"{key}={value!r}" for key, value in config["linear"].items())
    print(f"wrote {len(state)} arrays to {out}; in PyTorch:\n"
          f"    model = torch.nn.Module()\n"
          f"    model.rnn = torch.nn.{config['module']}({rnn_args}){double}\n"
          f"    model.linear = torch.nn.Linear({linear_args}){double}\n"
          f"    model.load_state_dict({{k: torch.from_numpy(v) for k, v in "
          f"numpy.load({str(out)!r}).items()}})\n"
          f"inputs are one-hot over the {len(saved.vocab)} characters of the checkpoint's "
          f"vocabulary, shaped (T, B, {len(saved.vocab)}); outputs are logits", flush=True)
    return 0


def _read_text(args):
    if args.corpus is not None:
        try:
            return CORPORA[args.corpus](), args.corpus
        except OSError as error:
            raise UsageError(f"cannot read the {args.corpus} corpus: {error}") from None
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
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
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
                self.bar = tqdm(total=total, unit="update", dynamic_ncols=True)
        self.every = max(1, total // 20)

    def update(self, history):
        loss = float(np.mean(history.losses[-20:]))
        speed = history.chars / max(history.seconds, 1e-9)
        if self.bar is not None:
            self.bar.set_postfix_str(f"loss {loss:.3f}, {speed:,.0f} chars/s", refresh=False)
            self.bar.update(1)
        elif history.updates % self.every == 0 or history.updates == self.total:
            print(f"update {history.updates}/{self.total}  loss {loss:.3f}  {speed:,.0f} chars/s",
                  file=sys.stderr, flush=True)

    def write(self, text):
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        text = text.encode(encoding, "backslashreplace").decode(encoding)  # never fails a run
        if self.bar is not None:
            self.bar.write(text)
        else:
            print(text, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


class _Stops:
    """SIGINT, SIGTERM and SIGHUP while a command runs.

    The first signal is recorded; the loop asks :meth:`requested` between two
    updates. In :meth:`urgently` (a sample being printed, the final
    evaluation) and at a second signal, it raises KeyboardInterrupt at once.
    Inside :meth:`deferred` (the checkpoint being written) they are only recorded.
    """

    SIGNALS = [s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP"))
               if s is not None]

    def __init__(self):
        self.signum, self._urgent, self._held, self._previous = None, False, False, {}

    def __enter__(self):
        for signum in self.SIGNALS:
            try:
                self._previous[signum] = signal.signal(signum, self._handle)
            except ValueError:  # not the main thread: leave the signals alone
                break
        return self

    def __exit__(self, *exc):
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)

    def _handle(self, signum, frame):
        again, self.signum = self.signum is not None, self.signum or signum
        if (again or self._urgent) and not self._held:
            raise KeyboardInterrupt

    def requested(self):
        return self.signum is not None

    @property
    def exit_status(self):
        return 128 + int(self.signum)

    @property
    def name(self):
        return signal.Signals(self.signum).name

    def urgently(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)``, abandoned at the first signal: ``(True, result)`` or ``(False, None)``.

        A signal that came before the call abandons it too.
        """
        self._urgent = True
        try:
            if self.signum is None:
                return True, fn(*args, **kwargs)
        except KeyboardInterrupt:
            if self.signum is None:  # a KeyboardInterrupt of another origin
                raise
        finally:
            self._urgent = False
        return False, None

    @contextlib.contextmanager
    def deferred(self):
        """Record signals but act on none until the block is done."""
        self._held = True
        try:
            yield
        finally:
            self._held = False


def _check_request(args, text, source, cell, vocab):
    """Everything that depends on more than one option, before any training."""
    if len(text) < 2:
        raise UsageError(f"{source} has {len(text)} character{'s' * (len(text) != 1)}; "
                         "a language model needs at least 2 (one to read, one to predict)")
    try:
        checkpoint.check_destination(args.checkpoint, protect=[args.text])
    except checkpoint.CheckpointError as error:
        raise UsageError(f"--checkpoint: {error}") from None
    n_train = len(split_text(text, args.held_out)[0])
    if (n_train - 1) // args.batch < 1:
        raise UsageError(f"the training text ({n_train} characters) is too short for "
                         f"{args.batch} streams; use a smaller --batch or a longer text")
    T = min(args.seq_len, (n_train - 1) // args.batch)
    needed = memory.training_bytes(cell, len(vocab), args.hidden, T, args.batch, args.optimizer)
    try:
        memory.check_fits(needed, f"--hidden {args.hidden} with {len(vocab)} characters, "
                                  f"--batch {args.batch} and --seq-len {T}")
    except MemoryError as error:
        raise UsageError(f"{error}; choose smaller sizes") from None


def _verdict(loss, chance):
    """None if a model with this recent loss is worth saving; else why not."""
    if loss is None:
        return "no update was made"
    if loss > WORSE_THAN_CHANCE * chance:
        return (f"its loss, {loss:.3f} nats/char, is worse than guessing's "
                f"(log k = {chance:.3f})")
    return None


def _advice(args, lr):
    default = DEFAULT_LR[args.optimizer]
    lower = f"a --lr below {lr:g}" + (f" (the default for {args.optimizer} is {default:g})"
                                      if lr > default else "")
    return f"Try {lower}, or a smaller --clip (now {args.clip:g})"


def _train(args):
    text, source = _read_text(args)
    cell = _train_cell(args)
    vocab = char_vocabulary(text)
    _check_request(args, text, source, cell, vocab)
    train_text, held_text = split_text(text, args.held_out)
    inputs, targets = streams(encode(train_text, vocab), args.batch)  # (n, B) each
    params = cell.init_params(len(vocab), args.hidden, rng=args.seed)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    optimizer = make_optimizer(args.optimizer, lr)
    rng = np.random.default_rng(args.seed)
    chance = math.log(len(vocab)) if len(vocab) > 1 else 1.0
    guard = Guard(chance, keep=True)
    print(f"{source}: {len(text):,} characters, {len(vocab)} distinct; {args.cell}, "
          f"d={args.hidden}, T={args.seq_len}, B={args.batch}, {args.optimizer} lr={lr}",
          flush=True)

    with _Stops() as stops:
        progress = _Progress(args.updates, args.no_progress_bar)

        def callback(history):
            progress.update(history)
            if args.sample_every and history.updates % args.sample_every == 0:
                try:
                    done, text = stops.urgently(sample, cell, params, vocab, args.sample_length,
                                                temperature=args.temperature, rng=rng)
                except ValueError as error:  # outputs NaN: the next update's guard says why
                    done, text = True, f"(none: {error})"
                if done:  # else a signal abandoned it
                    progress.write(f"--- sample after {_updates(history.updates)} ---\n{text}\n---")

        # --- train; then choose the state to save: the parameters, or the last good copy ---
        history, diverged = None, None
        try:
            history = train(cell, params, inputs, targets, optimizer, updates=args.updates,
                            seq_len=args.seq_len, clip=args.clip, callback=callback,
                            should_stop=stops.requested, guard=guard)
            state, n_updates, loss = params, history.updates, guard.mean_loss()
            why_not = _verdict(loss, chance)
            if n_updates and why_not is not None:  # worse than guessing: as good as diverged
                diverged = why_not
        except Diverged as error:
            diverged = str(error)
        except KeyboardInterrupt:  # a second signal, in the middle of an update
            stops.signum = stops.signum or signal.SIGINT
            state, n_updates, loss = guard.latest, guard.latest_update, guard.mean_loss()
            why_not = _verdict(loss if n_updates else None, chance)
        finally:
            progress.close()
        if diverged is not None:  # save the last good state only if it had learned something
            state, n_updates, loss = guard.last_good, guard.last_good_update, guard.last_good_loss
            learned = state is not None and n_updates >= 1 and loss < chance
            why_not = None if learned else "it had learned nothing before that"

        hparams = {}
        if why_not is None:
            hparams = {"source": source, "cell": args.cell, "hidden": args.hidden,
                       "seq_len": args.seq_len, "batch": args.batch,
                       "optimizer": args.optimizer, "lr": lr, "clip": args.clip,
                       "seed": args.seed, "updates": n_updates, "loss": loss}
            if held_text and len(held_text) >= 2 and set(held_text) <= set(vocab):
                done, value = stops.urgently(_held_out_perplexity, cell, state, held_text, vocab)
                if done:  # else a signal abandoned the evaluation (not the model)
                    hparams["held_out_perplexity"] = value
            with stops.deferred():  # a signal now waits until the file is whole
                try:
                    checkpoint.save(args.checkpoint, cell, state, vocab, hparams)
                except (OSError, checkpoint.CheckpointError) as error:  # disk full, folder gone
                    why = error.strerror if isinstance(error, OSError) and error.strerror else error
                    raise RunFailed(f"could not write {args.checkpoint} ({why}); "
                                    f"the old file, if any, is "
                                    f"unchanged; {_rescue(cell, state, vocab, hparams)}") from None
        saved = (f"checkpoint saved to {args.checkpoint}" if why_not is None
                 else f"nothing saved ({why_not}); {args.checkpoint} is unchanged")

    if diverged is not None:
        after = f" (the state after {_updates(n_updates)})" if why_not is None else ""
        raise RunFailed(f"training diverged: {diverged}. {_advice(args, lr)}. {saved}{after}")
    if stops.signum is not None:
        print(f"interrupted after {_updates(n_updates)} by {stops.name}; {saved}", flush=True)
        return stops.exit_status
    if why_not is not None:
        raise RunFailed(saved)
    speed = history.chars / max(history.seconds, 1e-9)
    print(f"{_updates(history.updates)}, {history.chars:,} characters in {history.seconds:.1f} s "
          f"({speed:,.0f} chars/s); final loss {loss:.3f} nats/char", flush=True)
    if "held_out_perplexity" in hparams:
        print(f"held-out perplexity {hparams['held_out_perplexity']:.2f} "
              f"(guessing: {len(vocab)})", flush=True)
    print(saved, flush=True)
    return 0


def _rescue(cell, params, vocab, hparams):
    """Save a model whose checkpoint could not be written in the temporary folder; say where."""
    rescue = Path(tempfile.gettempdir()) / f"rnn-book-rescued-{os.getpid()}.npz"
    try:
        checkpoint.save(rescue, cell, params, vocab, hparams)
    except (OSError, checkpoint.CheckpointError) as error:
        return f"nor {rescue} ({error}): the model is lost"
    return f"the model is saved in {rescue} instead"


def _held_out_perplexity(cell, params, held_text, vocab):
    print(f"evaluating on the {len(held_text):,} held-out characters ...", flush=True)
    return perplexity(cell, params, encode(held_text, vocab), B=min(16, len(held_text) - 1))


def _updates(n):
    return f"{n} update{'s' * (n != 1)}"


def _sample(args):
    try:
        saved = checkpoint.load(args.checkpoint)
    except checkpoint.CheckpointError as error:
        raise UsageError(str(error)) from None
    if getattr(saved.params, "bidirectional", False):
        raise UsageError(f"{args.checkpoint} holds a bidirectional model, which reads each text "
                         "from both ends: it cannot write text left to right")
    unknown = sorted(set(args.prompt) - set(saved.vocab))
    if unknown:
        raise UsageError(f"the prompt has characters the model never saw: {unknown}")
    chars = generate(saved.cell, saved.params, saved.vocab, args.length,
                     temperature=args.temperature, prompt=args.prompt, rng=args.seed)
    out = sys.stdout

    def write():
        for char in chars:  # each character as it is drawn: a signal keeps what is written
            out.write(char)
            out.flush()

    with _Stops() as stops:
        try:
            stops.urgently(write)
        except UnicodeEncodeError:
            raise  # main says which encoding
        except ValueError as error:  # parameters whose outputs are not finite numbers
            out.write("\n")
            raise RunFailed(f"{args.checkpoint} cannot write: {error}") from None
        out.write("\n")
        out.flush()
    return 0 if stops.signum is None else stops.exit_status


def main(argv=None):
    """Run ``rnn-book`` with ``argv`` (``sys.argv[1:]`` if None); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return {"train": _train, "sample": _sample, "export": _export}[args.command](args)
    except UsageError as error:
        print(f"rnn-book {args.command}: error: {error}", file=sys.stderr)
        return 2
    except RunFailed as error:
        print(f"rnn-book {args.command}: error: {error}", file=sys.stderr)
        return EXIT_DIVERGED
    except MemoryError as error:
        print(f"rnn-book {args.command}: error: out of memory ({error or 'no details'}); "
              "choose smaller sizes", file=sys.stderr)
        return 1
    except UnicodeEncodeError as error:  # a terminal that cannot show the model's characters
        print(f"rnn-book {args.command}: error: the output's encoding ({error.encoding}) cannot "
              f"show {error.object[error.start:error.end]!r}; set PYTHONIOENCODING=utf-8",
              file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("rnn-book: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
