"""The worker processes that draw figures and run notebooks beside the build (hooks/_pool.py)."""

from __future__ import annotations

import os
import sys
import textwrap

import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))  # the hooks import each other by name, as MkDocs loads them
import _pool  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a job runs in a fork of its worker")

FIGURE = '''
import sys

sys.path.insert(0, {folder!r})
import probe


def draw():
    import matplotlib.pyplot as plt

    if probe.VALUE != {expected!r}:
        raise AssertionError(f"the job saw probe.VALUE = {{probe.VALUE!r}}: a module from an earlier job")
    {crash}
    return plt.figure(figsize=(1, 1))
'''


def figure(tmp_path, name: str, expected: str, crash: str = "") -> os.PathLike:
    script = tmp_path / f"{name}.py"
    script.write_text(textwrap.dedent(FIGURE.format(folder=str(tmp_path), expected=expected,
                                                    crash=crash)), encoding="utf-8")
    return script


@pytest.fixture
def pool(monkeypatch):
    """A pool with one worker kept between jobs, as under ``mkdocs serve``; counts its processes."""
    started = []
    start = _pool.Pool._start

    def counted(self):
        started.append(1)
        return start(self)

    monkeypatch.setattr(_pool.Pool, "_start", counted)
    pool = _pool.Pool(workers=1, keep=True)
    pool.started = started
    return pool


def test_a_job_imports_the_modules_as_they_are_now_without_a_new_worker(tmp_path, pool):
    """A source edit (here of a module a figure imports) reaches the next job at once.

    The worker imported numpy and matplotlib once; each job runs in a fork of it that
    imports the book's own modules anew. Before, a worker whose modules were older than
    ``src/`` was replaced before its next job: 1.5-2 s of imports, after every edit.
    """
    (tmp_path / "probe.py").write_text("VALUE = 'first'\n", encoding="utf-8")
    assert "<svg" in pool.submit("figure", figure(tmp_path, "one", "first")).result(timeout=120)
    (tmp_path / "probe.py").write_text("VALUE = 'second, edited'\n", encoding="utf-8")
    assert "<svg" in pool.submit("figure", figure(tmp_path, "two", "second, edited")).result(timeout=120)
    assert len(pool.started) == 1


def test_a_job_that_kills_its_process_is_reported_and_the_worker_goes_on(tmp_path, pool):
    (tmp_path / "probe.py").write_text("VALUE = 'v'\n", encoding="utf-8")
    crashed = pool.submit("figure", figure(tmp_path, "crash", "v", crash="import os; os._exit(3)"))
    with pytest.raises(RuntimeError, match=r"crash\.py: .*ended without an answer \(exit code 3\)"):
        crashed.result(timeout=120)
    assert "<svg" in pool.submit("figure", figure(tmp_path, "after", "v")).result(timeout=120)
    assert len(pool.started) == 1


def test_a_failing_job_names_its_figure_and_the_error(tmp_path, pool):
    (tmp_path / "probe.py").write_text("VALUE = 'v'\n", encoding="utf-8")
    failed = pool.submit("figure", figure(tmp_path, "wrong", "not v"))
    with pytest.raises(RuntimeError, match=r"^wrong\.py: AssertionError: the job saw probe\.VALUE = 'v'"):
        failed.result(timeout=120)
