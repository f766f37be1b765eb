"""The commands that README.md and the home page give for doctesting one chapter or module work.

The commands are read from the two pages, so a test of what they say, not of a copy.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from .conftest import ROOT

SECTION = "## Doctesting one chapter or one module"


def commands(page: str) -> list[str]:
    text = (ROOT / page).read_text(encoding="utf-8")
    assert SECTION in text, f"{page} has no section {SECTION!r}"
    block = re.search(r"^```(?:sh|text)\n(?P<body>.*?)^```$", text.split(SECTION, 1)[1],
                      re.MULTILINE | re.DOTALL)
    assert block, f"{page}: no command block under {SECTION!r}"
    return [line.split("#")[0].strip() for line in block.group("body").splitlines()
            if line.strip()]


def run(command: str) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    assert words[0] == ".venv/bin/python", command
    return subprocess.run([sys.executable, *words[1:]], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_readme_and_home_page_give_the_same_commands():
    assert commands("README.md") == commands("docs/index.md")
    assert len(commands("README.md")) == 3


@pytest.mark.parametrize("command", commands("README.md"))
def test_a_documented_doctest_command_passes(command):
    done = run(command)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    if " pytest " in f" {command} ":
        assert re.search(r"\b\d+ passed\b", output) and "failed" not in output, output
    else:  # python -m doctest -v
        assert re.search(r"\b[1-9]\d* passed and 0 failed\.", output), output


def test_plain_doctest_on_a_chapter_fails_as_the_pages_say():
    """Why the pages send a chapter to pytest: the standard doctest cannot run one."""
    chapter = next(c.split()[-1] for c in commands("README.md") if c.split()[-1].endswith(".md"))
    done = run(f".venv/bin/python -m doctest {chapter}")
    assert done.returncode != 0
