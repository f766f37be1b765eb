"""Every docstring example runs alone, as a reader pastes it into a fresh Python.

The API page shows each Examples section on its own, so an example may not lean
on its module's globals (``np``, the module's own functions), which pytest's
``--doctest-modules`` quietly provides.
Here each example runs in an empty namespace: it must import what it uses.
"""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import rnn_book

MODULES = ["rnn_book"] + sorted(
    m.name for m in pkgutil.walk_packages(rnn_book.__path__, "rnn_book.")
)


OPTIONFLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS  # as pytest's doctests
NUMPY_DEFAULT_PRINTOPTIONS = np.get_printoptions()


def examples(module_name):
    """The module's docstrings that hold examples, each given an empty namespace."""
    module = importlib.import_module(module_name)
    tests = doctest.DocTestFinder().find(module, module_name, globs={})
    return [test for test in tests if test.examples]


def run_alone(test):
    """Run one docstring's examples in a fresh namespace; return the failure report."""
    test.globs = {}
    report = []
    runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
    saved = np.get_printoptions()
    np.set_printoptions(**NUMPY_DEFAULT_PRINTOPTIONS)  # a fresh session's
    try:
        runner.run(test, out=report.append)
    finally:
        np.set_printoptions(**saved)
    return "".join(report)


@pytest.mark.parametrize("module_name", MODULES)
def test_examples_run_in_a_fresh_namespace(module_name):
    failures = [report for report in map(run_alone, examples(module_name)) if report]
    assert not failures, "\n".join(failures)


def test_an_example_that_leans_on_module_globals_fails():
    """The check bites: np and softmax are globals of the module, not of the example."""
    test = doctest.DocTestParser().get_doctest(
        ">>> softmax(np.zeros(2))\narray([0.5, 0.5])\n", {}, "leaning", None, 0
    )
    assert "NameError" in run_alone(test)
    test = doctest.DocTestParser().get_doctest(
        ">>> import numpy as np\n>>> from rnn_book.activations import softmax\n"
        ">>> softmax(np.zeros(2))\narray([0.5, 0.5])\n", {}, "alone", None, 0
    )
    assert run_alone(test) == ""
