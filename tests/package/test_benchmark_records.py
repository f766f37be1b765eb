"""Every recorded benchmark states the code it measured, and is not stale.

A record (benchmarks/RESULTS*.md) carries one stamp per run, written by the
benchmark: the commit and a hash of each source file whose code the run executed
(benchmarks/provenance.py). When one of those files changes, the record no longer
describes the code, and this test names the record, the files, and the command
that rewrites it.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("provenance", ROOT / "benchmarks" / "provenance.py")
provenance = importlib.util.module_from_spec(spec)
spec.loader.exec_module(provenance)

RECORDS = sorted((ROOT / "benchmarks").glob("RESULTS*.md"))
RERUN = {
    "RESULTS.md": "python benchmarks/bench_step.py --update benchmarks/RESULTS.md, then the "
                  "same with --numpy-threads 1 --block one-thread",
    "RESULTS-training.md": "python benchmarks/min_char_rnn.py --record "
                           "benchmarks/RESULTS-training.md",
}
RUNS = {"RESULTS.md": 2, "RESULTS-training.md": 1}  # generated blocks in each record


def test_every_record_is_known():
    assert [r.name for r in RECORDS] and {r.name for r in RECORDS} <= set(RUNS)


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_a_record_states_the_code_of_each_run(record):
    text = record.read_text(encoding="utf-8")
    stamps = list(provenance.STAMP.finditer(text))
    assert len(stamps) == RUNS[record.name], (
        f"{record.name}: {len(stamps)} 'Code measured' stamps, expected one per run "
        f"({RUNS[record.name]}); rerun: {RERUN[record.name]}")
    for stamp in stamps:
        files = stamp.group("files").split()
        assert stamp.group("commit") and files
        assert any(f.startswith("src/rnn_book/") for f in files)


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_a_record_is_not_stale(record):
    changed = provenance.stale_files(record.read_text(encoding="utf-8"))
    stale = sorted({name for run in changed for name in run})
    assert not stale, (f"benchmarks/{record.name} is stale: {', '.join(stale)} changed since "
                       f"it was measured; rerun: {RERUN[record.name]}")


def test_a_changed_source_file_makes_its_record_stale(tmp_path):
    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "step.py"
    source.write_text("def step():\n    return 1\n")
    line = (f"- Code measured: commit abc1234; sha256 0 of the 1 source files it ran "
            f"<!-- sources: src/step.py={provenance.file_hash(source)} -->")
    record = f"Some run.\n\n{line}\n\n| a | b |\n"
    assert provenance.stale_files(record, tmp_path) == [[]]
    source.write_text("def step():\n    return 2\n")  # the planted change
    assert provenance.stale_files(record, tmp_path) == [["src/step.py"]]
    source.unlink()
    assert provenance.stale_files(record, tmp_path) == [["src/step.py (gone)"]]


def test_the_stamp_lists_only_the_files_whose_code_ran(tmp_path):
    from rnn_book import losses, rnn

    def call():
        rnn.init_params(4, 3, rng=0)

    files = provenance.files_run(call, script=ROOT / "benchmarks" / "min_char_rnn.py")
    assert "src/rnn_book/rnn_params.py" in files and "benchmarks/min_char_rnn.py" in files
    assert "src/rnn_book/lstm.py" not in files  # imported by the package, never called
    assert losses  # imported, not called: not listed
    assert "src/rnn_book/losses.py" not in files
    line = provenance.stamp(files, commit_id="abc1234")
    match = provenance.STAMP.search(line)
    assert match and match.group("commit") == "abc1234"
    assert provenance.stale_files(line) == [[]]


def test_the_stamp_keeps_the_hashes_from_the_start_of_the_run(tmp_path):
    """A file edited during a run must not be stamped as if it had been measured."""
    name = "src/rnn_book/rnn.py"
    line = provenance.stamp([name], commit_id="abc1234", hashes_at_start={name: "0" * 12})
    assert f"{name}={'0' * 12}" in line
    assert provenance.stale_files(line) == [[name]]
    assert name in provenance.snapshot()
