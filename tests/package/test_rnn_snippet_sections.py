"""Every public function of the simple-RNN modules sits in a snippet section of its name.

Chapters include code with pymdownx.snippets (``file.py:section``); a section
opened but never closed, or named twice, would include the wrong lines.
"""

import inspect
import re
from importlib import import_module
from pathlib import Path

import pytest

MODULES = ["activations", "losses", "gradcheck", "rnn_params", "rnn"]
MARKER = re.compile(r"^\s*# --8<-- \[(start|end):(\w+)\]\s*$")


def sections(path):
    """{name: (first line, last line)}, checking that markers pair up and nest."""
    found, open_ = {}, []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = MARKER.match(line)
        if not match:
            assert "--8<--" not in line, f"{path.name}:{number}: malformed marker"
            continue
        kind, name = match.groups()
        if kind == "start":
            assert name not in found and name not in open_, f"{path.name}: {name} opened twice"
            open_.append(name)
        else:
            assert open_ and open_[-1] == name, f"{path.name}:{number}: end:{name} does not close {open_}"
            open_.pop()
            found[name] = number
    assert not open_, f"{path.name}: never closed: {open_}"
    return found


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_sections(name):
    module = import_module(f"rnn_book.{name}")
    found = sections(Path(module.__file__))
    public = [n for n, obj in vars(module).items()
              if not n.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
              and obj.__module__ == module.__name__]
    assert public and all(n in found for n in public), (public, sorted(found))


def test_unclosed_or_repeated_sections_are_caught(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("# --8<-- [start:f]\ndef f():\n    pass\n")
    with pytest.raises(AssertionError, match="never closed"):
        sections(path)
    path.write_text("# --8<-- [start:f]\n# --8<-- [end:f]\n# --8<-- [start:f]\n# --8<-- [end:f]\n")
    with pytest.raises(AssertionError, match="opened twice"):
        sections(path)
