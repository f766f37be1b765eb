"""Chapter 4's listing of the whole assignment stands alone: numpy only, the package's numbers.

The page runs it in the chapter's shared session (Sybil); here it runs in a fresh
interpreter, so it cannot lean on anything an earlier block defined.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import numpy as np

from rnn_book import rnn
from rnn_book.losses import cross_entropy

from .conftest import ROOT

FIRST_LINE = "# The lecture's assignment, numpy only: forward, loss and backward."


def listing() -> str:
    page = (ROOT / "docs" / "rnn" / "04-assignment.md").read_text(encoding="utf-8")
    match = re.search(rf"^```python\n(?P<code>{re.escape(FIRST_LINE)}\n.*?)^```$", page,
                      re.MULTILINE | re.DOTALL)
    assert match, f"chapter 4 has no listing starting {FIRST_LINE!r}"
    return match.group("code")


def test_the_listing_imports_numpy_only_and_is_short():
    code = listing()
    imported = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported == {"numpy"}
    lines = [line for line in code.splitlines() if line.strip()]
    assert len(lines) <= 40, len(lines)


def test_the_listing_alone_gives_the_package_numbers():
    code = listing() + (
        "\nimport json\n"
        "print(json.dumps({'L': L, 'Y': [y_t.ravel().tolist() for y_t in y[1:]],"
        " 'W_X': dW_X.tolist(), 'W_H': dW_H.tolist(), 'b_h': db_h.tolist(),"
        " 'W_Y': dW_Y.tolist(), 'b_y': db_y.tolist(), 'h0': dh_0.tolist()}))\n")
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                          timeout=120, cwd="/")
    assert done.returncode == 0, done.stderr
    import json

    ours = {name: np.array(value) for name, value in json.loads(done.stdout).items()}
    params = rnn.init_params(k=4, d=3, rng=0)
    X, Y_true = np.eye(4)[[0, 1, 2]], np.eye(4)[[1, 2, 3]]
    Y, cache = rnn.forward(params, X, np.zeros((3, 1)))
    grads, dh0 = rnn.backward(params, cache, Y_true)
    np.testing.assert_allclose(ours["L"], cross_entropy(Y, Y_true), rtol=1e-12)
    np.testing.assert_allclose(ours["Y"], Y, rtol=1e-12)
    for name, g in grads.items():
        np.testing.assert_allclose(ours[name], g, rtol=1e-10, atol=1e-14, err_msg=name)
    np.testing.assert_allclose(ours["h0"], dh0, rtol=1e-10, atol=1e-14)
