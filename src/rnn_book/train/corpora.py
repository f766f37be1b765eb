"""Texts to train on that every Python installation has: nothing is downloaded.

``zen_of_python`` is PEP 20, which the standard library's ``this`` module
stores rot13-encoded; ``stdlib_source`` is the source of a few standard
library modules ("a char-RNN that writes Python"); ``lecture_sentence`` is the
lecture's Korean example. None of them is copied into this repository.
"""

import codecs
import contextlib
import importlib
import io
import sysconfig
from pathlib import Path

from rnn_book.checks import as_count

__all__ = ["zen_of_python", "stdlib_source", "lecture_sentence", "CORPORA"]

# Modules of plain, well-commented Python; together about 260 000 characters.
STDLIB_MODULES = ("textwrap", "string", "bisect", "heapq", "fractions", "calendar",
                  "colorsys", "difflib", "statistics", "queue", "sched")


def zen_of_python():
    """The Zen of Python (PEP 20), decoded from the ``this`` module.

    Examples
    --------
    >>> from rnn_book.train.corpora import zen_of_python
    >>> zen_of_python().splitlines()[0]
    'The Zen of Python, by Tim Peters'
    """
    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints it
        this = importlib.import_module("this")
    return codecs.decode(this.s, "rot13") + "\n"


def stdlib_source(modules=STDLIB_MODULES, max_chars=None):
    """The source code of some standard library modules, one after another.

    Parameters
    ----------
    modules : sequence of str
        Names of pure-Python standard library modules.
    max_chars : int, optional
        Keep at most this many characters.

    Returns
    -------
    text : str

    Examples
    --------
    >>> from rnn_book.train.corpora import stdlib_source
    >>> "def bisect_left" in stdlib_source(["bisect"])
    True
    """
    if isinstance(modules, str) or not all(isinstance(m, str) for m in modules):
        raise TypeError(f"modules must be a list of module names; got {modules!r:.60}")
    if max_chars is not None:
        max_chars = as_count("max_chars", max_chars, minimum=0)
    root = Path(sysconfig.get_paths()["stdlib"])
    missing = [name for name in modules if not (root / f"{name}.py").is_file()]
    if missing:
        raise ValueError(f"no pure-Python standard library module {missing[0]!r} in {root}")
    text = "".join((root / f"{name}.py").read_text(encoding="utf-8") for name in modules)
    return text if max_chars is None else text[:max_chars]


def lecture_sentence():
    """The lecture's example sentence, "I am a raccoon".

    Examples
    --------
    >>> from rnn_book.train.corpora import lecture_sentence
    >>> lecture_sentence()
    '저는 라쿤 입니다'
    """
    return "저는 라쿤 입니다"


CORPORA = {"zen": zen_of_python, "stdlib": stdlib_source, "lecture": lecture_sentence}
