"""Checkpoints never lose a file: destinations checked first, links and modes kept, untrusted files read safely."""

import io
import json
import os
import stat
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_book.train import checkpoint
from rnn_book.train.cells import get_cell
from rnn_book.train.checkpoint import CheckpointError

VOCAB = list("abcd")


def model(name="rnn", seed=0):
    cell = get_cell(name)
    return cell, cell.init_params(len(VOCAB), 5, rng=seed)


def saved(path, name="rnn", seed=0):
    cell, params = model(name, seed)
    checkpoint.save(path, cell, params, VOCAB, {"hidden": 5})
    return path


def write_npz(path, arrays, compression=zipfile.ZIP_STORED):
    """An .npz written member by member, as anyone could: arrays, or any bytes."""
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, array in arrays.items():
            if not isinstance(array, bytes):
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
                array = buffer.getvalue()
            archive.writestr(f"{name}.npy", array)


def meta(**changes):
    base = {"format": checkpoint.FORMAT, "version": checkpoint.VERSION, "cell": "rnn",
            "vocab": VOCAB, "hparams": {}}
    return np.array(json.dumps({**base, **changes}))


def params_arrays(d=5):
    _, params = model()
    return {f"param/{name}": value for name, value in params.items()}


# --- The destination, checked before any training ---

def test_a_good_destination_passes_and_leaves_nothing_behind(tmp_path):
    checkpoint.check_destination(tmp_path / "new.npz")
    checkpoint.check_destination(saved(tmp_path / "old.npz"))  # an existing checkpoint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.npz"]


@pytest.mark.parametrize("make, message", [
    (lambda d: "", "must be a file name"),
    (lambda d: d, "is a folder"),
    (lambda d: d / "missing" / "m.npz", "does not exist"),
    (lambda d: (d / "file").write_text("x") and d / "file" / "m.npz", "is a file, not a folder"),
    (lambda d: (d / "notes.txt").write_text("my notes") and d / "notes.txt",
     "is not an rnn-book checkpoint"),
    (lambda d: "/proc/m.npz", "cannot write in /proc"),
])
def test_bad_destinations_are_refused_before_anything_is_written(tmp_path, make, message):
    path = make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(CheckpointError, match=message):
        checkpoint.check_destination(path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_the_training_text_is_protected_through_links(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("hello")
    (tmp_path / "link.npz").symlink_to(text)
    os.link(text, tmp_path / "hard.npz")
    for path in (text, tmp_path / "link.npz", tmp_path / "hard.npz"):
        with pytest.raises(CheckpointError, match="also the training text"):
            checkpoint.check_destination(path, protect=[text])


def test_a_read_only_checkpoint_is_refused(tmp_path):
    path = saved(tmp_path / "m.npz")
    path.chmod(0o444)
    with pytest.raises(CheckpointError, match="read-only"):
        checkpoint.check_destination(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_an_unwritable_folder_is_refused(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    with pytest.raises(CheckpointError, match="cannot write in"):
        checkpoint.check_destination(folder / "m.npz")


# --- Saving: atomic, keeps the mode, writes through links, refuses NaN ---

def test_replacing_keeps_the_mode_and_a_new_file_follows_the_umask(tmp_path):
    path = saved(tmp_path / "m.npz")
    path.chmod(0o640)
    saved(path, seed=1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    umask = os.umask(0o027)
    try:
        fresh = saved(tmp_path / "fresh.npz")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640  # 0666 minus the umask 027


def test_saving_writes_through_a_symbolic_link(tmp_path):
    real = saved(tmp_path / "real.npz")
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    cell, params = model(seed=7)
    checkpoint.save(link, cell, params, VOCAB)
    assert link.is_symlink() and os.readlink(link) == str(real)
    np.testing.assert_array_equal(checkpoint.load(real).params.W_H, params.W_H)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.npz", "real.npz"]


def test_non_finite_parameters_are_never_saved(tmp_path):
    path = saved(tmp_path / "m.npz")
    before = path.read_bytes()
    cell, params = model(seed=3)
    params.W_H[0, 0] = np.nan
    with pytest.raises(ValueError, match="W_H must be finite"):
        checkpoint.save(path, cell, params, VOCAB)
    params.W_H[0, 0] = 0.0
    with pytest.raises(ValueError, match="hparams"):
        checkpoint.save(path, cell, params, VOCAB, {"loss": float("inf")})
    assert path.read_bytes() == before and len(list(tmp_path.iterdir())) == 1


# --- Loading untrusted files ---

@pytest.mark.parametrize("bad_meta, message", [
    (np.array("[1, 2, 3]"), "does not say it is one"),
    (np.array('"a string"'), "does not say it is one"),
    (meta(vocab=[1, 2, 3, 4]), "vocab must hold strings; item 0 is 1"),
    (meta(vocab="abcd"), "vocab must be a non-empty list"),
    (meta(vocab=["a", "a", "b", "c"]), "holds a symbol twice"),
    (meta(hparams=[1, 2]), "hparams must be a dict"),
    (meta(cell=["rnn"]), "cell must be a name"),
    (meta(cell="gru-xl"), "cell must be one of"),
    (meta(version="1"), "version '1'"),
    (np.array(3.0), "no metadata string"),
    (np.zeros(3, dtype="U5"), "no metadata string"),
])
def test_metadata_of_the_wrong_type_is_refused(tmp_path, bad_meta, message):
    path = tmp_path / "m.npz"
    write_npz(path, {"meta": bad_meta, **params_arrays()})
    with pytest.raises(CheckpointError, match=message):
        checkpoint.load(path)


def test_a_zip_bomb_is_refused_before_any_array_is_read(tmp_path, monkeypatch):
    path = tmp_path / "bomb.npz"
    arrays = params_arrays()
    arrays["param/W_H"] = np.zeros((5, 2**19))  # 20 MiB of zeros, 20 KiB compressed
    write_npz(path, {"meta": meta(), **arrays}, compression=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 2**20

    def no_read(*args, **kwargs):
        raise AssertionError("an array was read")

    monkeypatch.setattr(np.lib.format, "read_array", no_read)
    with pytest.raises(CheckpointError, match="would inflate"):
        checkpoint.load(path)


def test_arrays_whose_headers_do_not_fit_the_model_are_refused_unread(tmp_path, monkeypatch):
    arrays = params_arrays()
    arrays["param/W_H"] = np.zeros((5, 6))
    write_npz(tmp_path / "shape.npz", {"meta": meta(), **arrays})
    arrays = params_arrays()
    arrays["param/W_H"] = np.zeros((5, 5), dtype=np.int64)
    write_npz(tmp_path / "dtype.npz", {"meta": meta(), **arrays})
    write_npz(tmp_path / "extra.npz", {"meta": meta(), **params_arrays(), "param/W_Z": np.zeros(2)})
    write_npz(tmp_path / "alien.npz", {"meta": meta(), **params_arrays(), "../evil": np.zeros(1)})
    real_read = np.lib.format.read_array
    monkeypatch.setattr(np.lib.format, "read_array",
                        lambda f, **kw: (_ for _ in ()).throw(AssertionError("read"))
                        if "param" in getattr(f, "name", "") else real_read(f, **kw))
    for name, message in [("shape", "inconsistent"), ("dtype", "inconsistent"),
                          ("extra", "has arrays"), ("alien", "has arrays")]:
        with pytest.raises(CheckpointError, match=message):
            checkpoint.load(tmp_path / f"{name}.npz")


def test_a_header_that_lies_about_its_size_is_refused(tmp_path):
    path = tmp_path / "m.npz"
    member = io.BytesIO()  # a header for (9, 5), the 25 numbers of a (5, 5) array
    np.lib.format.write_array_header_1_0(member, {"descr": "<f8", "fortran_order": False,
                                                  "shape": (9, 5)})
    member.write(np.zeros((5, 5)).tobytes())
    write_npz(path, {"meta": meta(), **params_arrays(), "param/W_H": member.getvalue()})
    with pytest.raises(CheckpointError, match="declares 360 bytes of data but stores 200"):
        checkpoint.load(path)


def test_parameters_larger_than_the_memory_are_refused(tmp_path, monkeypatch):
    path = saved(tmp_path / "m.npz")
    monkeypatch.setattr(checkpoint, "available_bytes", lambda: 100)
    with pytest.raises(CheckpointError, match=r"holds parameters of .* bytes; this machine has 100 bytes"):
        checkpoint.load(path)


@settings(max_examples=60, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1,
                      max_size=4),
       cut=st.one_of(st.none(), st.integers(0, 10**6)))
def test_a_damaged_file_loads_whole_or_raises_checkpoint_error(tmp_path_factory, edits, cut):
    path = saved(tmp_path_factory.mktemp("fuzz") / "m.npz", name="lstm")
    data = bytearray(path.read_bytes())
    for at, value in edits:
        data[at % len(data)] = value
    path.write_bytes(bytes(data[:None if cut is None else cut % len(data)]))
    try:
        loaded = checkpoint.load(path)
    except CheckpointError as error:
        assert "\n" not in str(error)
    else:
        assert loaded.vocab == VOCAB
        assert all(np.isfinite(a).all() for _, a in loaded.params.items())


def test_save_itself_never_replaces_a_file_that_is_not_a_checkpoint(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    cell, params = model()
    for path, message in [(notes, "is not an rnn-book checkpoint"), ("", "must be a file name"),
                          (tmp_path, "is a folder")]:
        with pytest.raises(CheckpointError, match=message):
            checkpoint.save(path, cell, params, VOCAB)
    assert notes.read_text() == "my notes" and sorted(tmp_path.iterdir()) == [notes]
