"""Run every runnable block of the book: docs/**/*.md and README.md.

* A ```` ```python ```` fence is code a reader pastes: it is executed.
* A ```` ```pycon ```` fence shows a session with its output: it is a doctest.
* A fence whose body is a snippet include (``--8<-- "src/…"``) is skipped here:
  the included code is the package's own, tested by tests/ and its doctests.

Blocks on one page share one namespace, top to bottom, as in a reader's session.
Notebook sources (docs/notebooks/) are executed by the strict site build.
"""

from __future__ import annotations

import doctest
import os

os.environ.setdefault("MPLBACKEND", "Agg")

from sybil import Sybil  # noqa: E402
from sybil.evaluators.doctest import NUMBER, DocTestEvaluator  # noqa: E402
from sybil.evaluators.python import PythonEvaluator  # noqa: E402
from sybil.parsers.abstract.doctest import DocTestStringParser  # noqa: E402
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer  # noqa: E402
from sybil.parsers.markdown.skip import SkipParser  # noqa: E402

OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
SNIPPET = "--8<--"

NUMPY_DEFAULT_PRINTOPTIONS = __import__("numpy").get_printoptions()

collect_ignore = ["docs/notebooks", "hooks", "figures", "site", "benchmarks", "scripts"]


class BookBlockParser:
    """``python`` and ``pycon`` fences, whatever attributes follow the language."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(
            language=r".+", mapping={"language": "arguments", "source": "source"}
        )
        self.doctests = DocTestStringParser(DocTestEvaluator(OPTIONFLAGS))
        self.run_code = PythonEvaluator()

    def __call__(self, document):
        for region in self.lexer(document):
            words = str(region.lexemes["arguments"]).split()
            language = words[0].lstrip("{.") if words else ""
            source = region.lexemes["source"]
            if language not in ("python", "pycon") or source.lstrip().startswith(SNIPPET):
                continue
            if language == "pycon" or source.lstrip().startswith(">>>"):
                for example in self.doctests(source, document.path):
                    example.adjust(region, source)
                    yield example
            else:
                region.parsed = source
                region.evaluator = self.run_code
                yield region


def fresh_session(namespace):
    """Each page starts as a reader's fresh session: numpy's default print options."""
    import numpy as np

    np.set_printoptions(**NUMPY_DEFAULT_PRINTOPTIONS)


pytest_collect_file = Sybil(
    parsers=[BookBlockParser(), SkipParser()],
    setup=fresh_session,
    patterns=["*.md"],
    excludes=["abbreviations.md"],
).pytest()
