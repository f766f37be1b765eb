"""The command line on both implementations: the fast cells (default) and the readable ones.

`rnn-book` asks :func:`rnn_book.train.cells.get_cell` for its cell; with the
table of cells switched to the readable modules, the same run must give the
same checkpoint, to rounding, and both checkpoints must sample.
"""

import numpy as np
import pytest

from rnn_book import cli
from rnn_book.train import cells, checkpoint

SMALL = ["--corpus", "zen", "--hidden", "8", "--batch", "2", "--seq-len", "10", "--updates", "5",
         "--sample-every", "0", "--no-progress-bar", "--seed", "3"]


@pytest.mark.parametrize("name", ["rnn", "lstm", "gru"])
def test_train_and_sample_agree_on_the_fast_and_the_readable_cells(name, tmp_path, monkeypatch, capsys):
    paths = {}
    for impl in ("fast", "readable"):
        if impl == "readable":
            monkeypatch.setattr(cells, "CELLS", cells.READABLE_CELLS)
        assert cells.get_cell(name).module.__name__ == (
            f"rnn_book.fast.{name}" if impl == "fast" else f"rnn_book.{name}")
        paths[impl] = tmp_path / f"{impl}.npz"
        assert cli.main(["train", "--cell", name, "--checkpoint", str(paths[impl]), *SMALL]) in (0, None)
        assert cli.main(["sample", "--checkpoint", str(paths[impl]), "--length", "20", "--seed", "1"]) in (0, None)
    fast, readable = (checkpoint.load(paths[impl], cell=name) for impl in ("fast", "readable"))
    for (field, a), (_, b) in zip(fast.params.items(), readable.params.items()):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=field)
    out = capsys.readouterr().out
    assert out.count("held-out perplexity") == 2
