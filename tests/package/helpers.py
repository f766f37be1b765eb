"""Helpers shared by the package tests (the cells' gradient checks, the command line).

A plain module, not conftest.py: the torch parity tests also run with
``--noconftest`` in an environment without Sybil. tests/package has no
``__init__.py``, so pytest puts this folder on ``sys.path`` and the test
modules import it as ``helpers``.
"""

import contextlib
import importlib.util
import io
import sys
from pathlib import Path

import numpy as np

from rnn_book import cli
from rnn_book.gradcheck import numerical_gradient

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
FIXTURES = Path(__file__).parent / "fixtures"


def run_main(argv):
    """``cli.main(argv)`` in-process: (status, stdout, stderr); argparse's exit is a status too."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main([str(a) for a in argv])
        except SystemExit as exit_:
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


def load_script(name):
    """Import ``scripts/<name>.py``; scripts/ goes on sys.path for their shared ``_torch_fixtures``."""
    if str(SCRIPTS) not in sys.path:
        sys.path.append(str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def load_cases(fixture):
    """The saved PyTorch cases of a fixture file, one dict per case (keys ``case<i>/<name>``)."""
    with np.load(FIXTURES / fixture) as data:
        n = len(data["sizes"])
        return [{key.split("/", 1)[1]: data[key] for key in data.files
                 if key.startswith(f"case{i}/")} for i in range(n)]


def live_cases(script, n=5):
    """``(sizes, case)`` for n fresh random sizes (T, k, d, k_out, B), each run through PyTorch."""
    rng = np.random.default_rng()
    for _ in range(n):
        sizes = T, k, d, k_out, B = tuple(int(m) for m in rng.integers(1, 8, 5))
        case = script.random_case(rng, T, k, d, k_out, B)
        case.update(script.torch_reference(case))
        yield sizes, case


def one_hot(idx, k_out):
    """Class indices ``(T, B)`` as one-hot targets ``(T, k_out, B)``."""
    return np.moveaxis(np.eye(k_out)[idx], -1, 1)  # (T, k_out, B)


def signed_weights(rng, rows, cols):
    """Weights of magnitude 0.3 to 1 per unit fan-in (``cols``), with random signs.

    Magnitudes are kept away from 0 so that gradients rarely vanish below the
    finite differences' rounding noise.
    """
    magnitude = rng.uniform(0.3, 1.0, (rows, cols)) / np.sqrt(cols)
    return rng.choice([-1.0, 1.0], (rows, cols)) * magnitude


def richardson_gradient(f, x, eps):
    """Central differences at steps eps and 2 eps, combined: (4 D(eps) - D(2 eps)) / 3.

    A plain central difference is off by O(eps**2) (truncation) plus about
    1e-16 |f| / eps (rounding). Some random cases have gradients of norm 1e-5
    or less (vanished through saturated tanh or sigmoid steps, or cancelled),
    where the rounding noise at eps = 1e-5 alone is a relative error of 1e-6.
    The combination cancels the eps**2 term (it is exact up to eps**4), so a
    larger step can be taken and the rounding noise falls 50- to 100-fold.
    """
    return (4 * numerical_gradient(f, x, eps=eps) - numerical_gradient(f, x, eps=2 * eps)) / 3
