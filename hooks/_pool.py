"""Figures and notebooks computed in worker processes, two at a time, beside the build.

A fresh build used to draw every figure and then run both notebooks in the MkDocs
process, one after the other, while the second core idled. Here each is a *job*
for worker processes (``python hooks/_pool.py``), one more than there are cores
(a notebook's worker mostly waits for its kernel): the build submits them all when
it starts, the notebooks first (they take longest), then the figures in the order
the pages show them, and goes on rendering pages; a page waits only for the figure
or notebook it shows.

A worker imports what the jobs need from outside the book once (numpy, matplotlib,
jupytext, nbconvert: 1.5-2 s), and runs each job in a fork of itself that drops
every module not installed in Python (the book's ``src/``, ``figures/``, ``hooks/``)
and imports them anew: a result is never computed with stale modules, and an edit
of ``src/`` costs the next figure no new worker (the MkDocs process itself never
imports ``rnn_book`` for a figure or notebook). Only an edit of this file replaces
the workers. Where ``os.fork`` is missing (Windows), the job runs in the worker,
and a worker whose modules are older than a source it may have imported is
replaced before its next job.

Workers run numpy with one BLAS thread (``OPENBLAS_NUM_THREADS=1`` unless the
environment sets it): the matrices are small, and two BLAS threads per process on
two shared cores made the figures 2-4 times slower. Under ``mkdocs serve``,
recomputations in the background run in workers at a lower priority (``nice``), so
the rebuild that reloads the author's page keeps its core.

Protocol: a job is one JSON line on the worker's stdin, ``{"kind", "path",
"options"}``; the worker answers with one JSON line, ``{"text"}`` or ``{"error"}``.
Whatever the job prints goes to stderr.
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import os
import queue
import site
import subprocess
import sys
import sysconfig
import threading
from concurrent.futures import Future
from pathlib import Path

HOOKS = Path(__file__).resolve().parent
ROOT = HOOKS.parent
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


FORK = hasattr(os, "fork")
_JOB_MODULE = {"figure": "figures", "notebook": "notebooks"}  # in hooks/


def code_state() -> str:
    """Names and modification times of the modules a worker keeps from job to job."""
    h = hashlib.sha256()
    paths = [Path(__file__).resolve()] if FORK else [
        *(ROOT / "src").rglob("*.py"), *(ROOT / "figures").glob("_*.py"), *HOOKS.glob("*.py")]
    for path in sorted(paths):
        h.update(f"{path}\0{path.stat().st_mtime_ns}\0".encode())
    return h.hexdigest()


class Pool:
    """Worker processes fed from one priority queue; ``submit`` returns a Future of the text.

    ``keep``: workers wait for more jobs instead of exiting when the queue is empty
    (``mkdocs serve``: the next edit's figure needs no new process).
    """

    def __init__(self, workers: int | None = None, *, nice: int = 0, keep: bool = False):
        self.workers = workers or (os.cpu_count() or 1) + 1  # notebooks wait on their kernels
        self.nice = nice
        self.keep = keep
        self.jobs: queue.PriorityQueue = queue.PriorityQueue()
        self.count = itertools.count()
        self.feeders = 0
        self.lock = threading.Lock()

    def submit(self, kind: str, path: Path, options: dict | None = None, priority: int = 0) -> Future:
        """Queue a job; lower ``priority`` runs first."""
        future: Future = Future()
        job = {"kind": kind, "path": str(path), "options": options or {}}
        with self.lock:
            self.jobs.put((priority, next(self.count), job, future))
            self._grow()
        return future

    def warm(self) -> None:
        """Start the workers now, so the first job does not wait for their imports."""
        with self.lock:
            while self.feeders < self.workers:
                self._grow()

    def _grow(self) -> None:
        if self.feeders < self.workers:
            self.feeders += 1
            threading.Thread(target=self._feed, daemon=True, name="rnn-book-worker").start()

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ)
        for name in BLAS_THREADS:
            env.setdefault(name, "1")
        return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(self.nice)],
                                env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True, encoding="utf-8")

    def _next(self):
        with self.lock:
            try:
                return self.jobs.get(block=False)
            except queue.Empty:
                if not self.keep:
                    self.feeders -= 1
                    return None
        return self.jobs.get()  # keep: wait for the next edit

    def _feed(self) -> None:
        """One worker process: take the most urgent job, send it, wait for its answer."""
        process, state = None, None
        if self.keep:
            process, state = self._start(), code_state()
        try:
            while (item := self._next()) is not None:
                _, _, job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    if process is not None and state != code_state():
                        _stop(process)
                        process = None
                    if process is None:
                        process, state = self._start(), code_state()
                    process.stdin.write(json.dumps(job) + "\n")
                    process.stdin.flush()
                    line = process.stdout.readline()
                    if not line:
                        raise RuntimeError(f"the worker for {job['path']} exited "
                                           f"(code {process.wait()}); see the log above")
                    answer = json.loads(line)
                except BaseException as error:  # noqa: BLE001  (the page that waits for it reports it)
                    future.set_exception(error)
                    if process is not None:
                        process.kill()
                        process.wait()
                    process = None
                    continue
                if "error" in answer:
                    future.set_exception(RuntimeError(answer["error"]))
                else:
                    future.set_result(answer["text"])
        finally:
            if process is not None:
                _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.stdin.close()  # the worker's loop ends
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _run(job: dict) -> str:
    module = importlib.import_module(_JOB_MODULE[job["kind"]])
    if job["kind"] == "figure":
        return module.render_svg(Path(job["path"]))
    return module.compute(job["path"], job["options"])


def _answer(job: dict) -> dict:
    if job["kind"] not in _JOB_MODULE:
        return {"error": f"unknown job kind {job['kind']!r}"}
    try:
        return {"text": _run(job)}
    except Exception as error:  # noqa: BLE001  (the build reports it, naming the figure or notebook)
        return {"error": f"{Path(job['path']).name}: {type(error).__name__}: {error}"}


def _installed(module) -> bool:
    """Whether ``module`` comes with Python or from a site-packages folder (not from the book)."""
    file = getattr(module, "__file__", None)
    return file is None or file.startswith(_INSTALLED)  # None: built in, or a namespace package


def _installed_folders() -> tuple[str, ...]:
    """The standard library's folder (``lib-dynload`` is inside it) and every site-packages."""
    folders = {os.path.dirname(os.__file__), *site.getsitepackages(), site.getusersitepackages(),
               sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    return tuple({os.path.join(path, "") for folder in folders for path in (folder, os.path.realpath(folder))})


_INSTALLED = _installed_folders()


_PRELOADED: set[str] = set()


def _preload(kind: str) -> None:
    """Import the module for ``kind``'s jobs, and so what it imports, into the worker (once)."""
    if kind in _PRELOADED:
        return
    _PRELOADED.add(kind)
    try:
        module = importlib.import_module(_JOB_MODULE[kind])
        getattr(module, "warm", lambda: None)()
    except Exception:  # noqa: BLE001  (a broken module is the job's error: its fork imports it again)
        pass


def _forked(job: dict) -> dict:
    """Run ``job`` in a fork of this worker, with the book's modules imported anew."""
    if job["kind"] in _JOB_MODULE:
        _preload(job["kind"])
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the job's process
        code = 1
        try:
            os.close(read)
            for name in [name for name, module in sys.modules.items()
                         if not _installed(module) and name != "__main__"]:
                del sys.modules[name]
            answer = json.dumps(_answer(job))
            with os.fdopen(write, "w", encoding="utf-8") as out:
                out.write(answer)
            code = 0
        finally:
            sys.stderr.flush()
            os._exit(code)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as answer:
        text = answer.read()
    _, status = os.waitpid(pid, 0)
    if not text:
        return {"error": f"{Path(job['path']).name}: the process that ran it ended without an "
                         f"answer (exit code {os.waitstatus_to_exitcode(status)})"}
    return json.loads(text)


def main() -> None:
    """The worker: jobs in on stdin, answers out on the real stdout; argv[1] is its niceness."""
    if len(sys.argv) > 1 and int(sys.argv[1]) and hasattr(os, "nice"):
        os.nice(int(sys.argv[1]))  # before any kernel starts: they inherit it
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a job's prints (and its kernels') go to stderr
    sys.stdout = sys.stderr
    sys.path[:0] = [str(HOOKS)]
    _preload("figure")  # before the first job: numpy, matplotlib, the style

    for line in sys.stdin:
        job = json.loads(line)
        answer = _forked(job) if FORK else _answer(job)
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
