"""Which code a recorded benchmark measured: the commit and a hash of its source files.

A benchmark record (benchmarks/RESULTS*.md) is a run of the code as it was. Each
record carries one stamp per run, written by the benchmark itself::

    - Code measured: commit 3725e58; sha256 1f2e3d4c5b6a of the 14 source files it ran
      <!-- sources: src/rnn_book/rnn.py=9a8b7c6d5e4f ... -->

The files are those whose code the benchmark really ran (:func:`files_run`: a
short run of the same steps under a profiler notes every function called), plus
the benchmark script. ``tests/package/test_benchmark_records.py`` recomputes the hashes
and fails, naming the record and the files, as soon as one of them changes: a stale
record cannot stay on the site. Rerun the benchmark it names to fix it.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "rnn_book"
STAMP = re.compile(r"^- Code measured: commit (?P<commit>\S+?);[^\n]*"
                   r"<!-- sources: (?P<files>[^>\n]*?) -->", re.MULTILINE)
SHORT = 12  # hex digits of each hash kept in a record


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:SHORT]


def files_run(*calls, script: str | Path) -> list[str]:
    """The package's source files whose code runs in ``calls``, and the benchmark script.

    Each call runs once under ``sys.setprofile``, which notes the file of every Python
    function called: what a benchmark really measures, not every module it imported.
    Paths are relative to the repository root, sorted.
    """
    seen = {str(Path(script).resolve())}

    def note(frame, event, arg):
        if event == "call":
            seen.add(frame.f_code.co_filename)

    previous = sys.getprofile()
    sys.setprofile(note)
    try:
        for call in calls:
            call()
    finally:
        sys.setprofile(previous)
    files = {Path(name).resolve() for name in seen if Path(name).is_file()}
    ours = {p for p in files if p.is_relative_to(PACKAGE)} | {Path(script).resolve()}
    return sorted(p.relative_to(ROOT).as_posix() for p in ours)


def commit() -> str:
    """The commit checked out, with ``+changes`` if a tracked file differs from it."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=False)
    head = git("rev-parse", "--short", "HEAD")
    if head.returncode != 0:
        return "unknown"
    dirty = git("diff", "--quiet", "HEAD", "--", "src", "benchmarks").returncode != 0
    return head.stdout.strip() + ("+changes" if dirty else "")


def combined_hash(hashes: dict[str, str]) -> str:
    text = "\n".join(f"{name}={value}" for name, value in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:SHORT]


def snapshot() -> dict[str, str]:
    """The hash of every file a benchmark could run, taken when the run starts.

    A record must name the code as it was measured: if a file is edited while a
    long run is under way, the stamp keeps the hash from the start (and the test
    then reports the record stale), not the edited file's.
    """
    paths = [*PACKAGE.rglob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
    return {p.relative_to(ROOT).as_posix(): file_hash(p) for p in paths}


def stamp(files: list[str], commit_id: str | None = None,
          hashes_at_start: dict[str, str] | None = None) -> str:
    """The Markdown line that says which code a run measured.

    ``hashes_at_start`` (from :func:`snapshot`) gives each file's hash as the run
    began; without it the files are hashed now.
    """
    known = hashes_at_start or {}
    hashes = {name: known.get(name) or file_hash(ROOT / name) for name in files}
    listed = " ".join(f"{name}={value}" for name, value in sorted(hashes.items()))
    return (f"- Code measured: commit {commit_id or commit()}; sha256 {combined_hash(hashes)} "
            f"of the {len(files)} source files it ran (listed in this line's comment; "
            f"tests fail when one changes) <!-- sources: {listed} -->")


def stale_files(record_text: str, root: Path = ROOT) -> list[list[str]]:
    """For each stamp in a record, the listed files that changed or are gone since."""
    result = []
    for match in STAMP.finditer(record_text):
        changed = []
        for entry in match.group("files").split():
            name, _, recorded = entry.rpartition("=")
            path = root / name
            if not path.is_file():
                changed.append(f"{name} (gone)")
            elif file_hash(path) != recorded:
                changed.append(name)
        result.append(changed)
    return result
