"""Every measured number a page states must be one the page itself prints.

The rules (what is a measured number, what is output, the ``<!-- given: … -->`` and
``<!-- cited: … -->`` markers) are in the docstring of ``tests/site/claims.py``.
"""

from __future__ import annotations

import pytest

from .claims import Page, claims_in_line, split_markdown, split_notebook, unsupported_claims
from .conftest import ROOT, notebook_page

PAGES = sorted((ROOT / "docs").rglob("*.md"))
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT / "docs").as_posix())
def test_every_measured_number_in_a_chapter_is_printed_on_it(page):
    problems = unsupported_claims(split_markdown(page, ROOT))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_every_measured_number_in_a_notebook_is_in_its_outputs(built_site, source):
    page = split_notebook(source, notebook_page(built_site, source))
    assert page.output.strip(), f"{source.name}: the built page shows no outputs"
    problems = unsupported_claims(page)
    assert not problems, "\n".join(problems)


# The guard itself: it must fail a page whose prose contradicts its output.

def planted(tmp_path, prose: str, output: str = ">>> round(0.6371, 2)\n0.64") -> list[str]:
    page = tmp_path / "page.md"
    page.write_text(f"# A page\n\n{prose}\n\n```pycon\n{output}\n```\n", encoding="utf-8")
    return unsupported_claims(split_markdown(page, tmp_path))


def test_a_planted_contradiction_fails(tmp_path):
    problems = planted(tmp_path, "The gate halves the gradient: 0.5 per step.")
    assert problems == ["page.md, line 3: '0.5' is printed nowhere on the page"]


@pytest.mark.parametrize("prose", [
    "About 0.64 per step.",
    "About 0.6 per step.",
    "It keeps 64% of it.",
    "It keeps 64 % of it.",
    "A factor of $0.64$ per step.",
    "A factor $\\approx 6.4 \\times 10^{-1}$.",
])
def test_a_claim_the_output_shows_passes(tmp_path, prose):
    assert planted(tmp_path, prose) == []


@pytest.mark.parametrize("prose", [
    "About 0.65 per step.",              # a different number
    "About 0.6372 per step.",            # more precise than anything printed
    "It keeps 73% of it.",
    "It is $3.4 \\times 10^{-13}$ after 60 steps.",
    "The fast path is 19.8 times faster.",
    "The fast path is 5 times faster.",
    "![a figure whose alt text says 0.52](figure.svg)",
])
def test_a_claim_the_output_does_not_show_fails(tmp_path, prose):
    assert len(planted(tmp_path, prose)) == 1


@pytest.mark.parametrize("prose", [
    "$k = 4$ symbols, $T = 60$ steps, chapter 8.",          # integers are definitions
    "A tolerance of $10^{-7}$ in float64.",                   # a bare power of ten
    "Use `eps=1e-5` here.",                                   # inline code
    "A learning rate of 0.5. <!-- given: 0.5 -->",           # the marker
    "Karpathy uses 0.1 and 1e-8. <!-- cited: 0.1 1e-8 -->",
])
def test_definitions_code_and_marked_numbers_pass(tmp_path, prose):
    assert planted(tmp_path, prose) == []


def test_a_marker_must_name_a_number_on_its_line(tmp_path):
    problems = planted(tmp_path, "A learning rate of 0.25. <!-- given: 0.5 -->")
    assert any("stale marker" in p and "0.5" in p for p in problems)
    assert any("'0.25'" in p for p in problems)


def test_output_of_an_included_record_counts(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "RESULTS-x.md").write_text("| run | 19.8 |\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text('It was 19.8 times faster:\n\n--8<-- "benchmarks/RESULTS-x.md"\n',
                    encoding="utf-8")
    assert unsupported_claims(split_markdown(page, tmp_path)) == []


def test_python_input_lines_are_not_output(tmp_path):
    problems = planted(tmp_path, "It is 0.25.", output=">>> x = 0.25\n>>> x * 2\n0.5")
    assert len(problems) == 1


def test_the_contradictions_the_issue_quoted_are_caught():
    line = ('"3.4e-13 left after 60 steps", and forget gates near $\\sigma(0) = 0.5$ '
            "keep about 73% of it.")
    claims = claims_in_line(1, line)
    assert [c.text for c in claims] == ["3.4e-13", "0.5", "73%"]
    page = Page(ROOT / "x.md", [(1, line)], "0.6371 9.3e-19")
    assert len(unsupported_claims(page)) == 3


def test_a_korean_times_claim_is_checked(tmp_path):
    assert planted(tmp_path, "약 64배 빠릅니다.") == ["page.md, line 3: '64배' is printed nowhere on the page"]
