"""`make pdf`: the whole book as one PDF, read back with poppler's pdftotext.

It has a table of contents, page numbers, every chapter and notebook title, its
equations typeset (no raw TeX left), and its figures as vectors.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT
from .test_browser import site_pages

if not shutil.which("pdftotext"):
    pytest.skip("the PDF tests need poppler-utils (apt-get install poppler-utils); .ci/run installs it",
                allow_module_level=True)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    output = tmp_path_factory.mktemp("pdf") / "rnn-book.pdf"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_pdf.py"), "--output", str(output)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return output


def pdf_text(pdf, *args) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def book_titles(built_site) -> dict[str, str]:
    """Each non-API page's title (its h1), from the built site (the PDF is the English book)."""
    titles = {}
    for rel in site_pages(built_site):
        if rel.startswith(("api", "ko/")):
            continue
        page = (built_site / rel / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
        if h1:
            titles[rel] = flat(html.unescape(re.sub(r"<[^>]+>", "", h1.group(1))).replace("¶", ""))
    return titles


def test_pdf_has_pages_numbers_and_contents(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 60, pages
    first_pages = flat(pdf_text(pdf, "-f", "1", "-l", "4"))
    assert "Contents" in first_pages
    last = pdf_text(pdf, "-f", str(pages), "-l", str(pages))
    assert re.search(rf"\b{pages} / {pages}\b|Page {pages}\b", last), "no page number in the footer"


def test_every_chapter_title_is_in_the_pdf(pdf, built_site):
    text = flat(pdf_text(pdf))
    titles = book_titles(built_site)
    assert len(titles) >= 12
    missing = [t for t in titles.values() if t not in text]
    assert not missing, missing


def in_raw_string(text: str, at: int) -> bool:
    """Whether position ``at`` of a line lies inside a Python raw string opened
    earlier on that line (``label=r"uniform guess, $3 \\ln 4$"``)."""
    line = text[text.rfind("\n", 0, at) + 1:at]
    return bool(re.search(r"""\br(["'])(?:(?!\1).)*$""", line))


def test_in_raw_string_tells_code_from_prose():
    assert in_raw_string('plt.plot(x, label=r"uniform, $3 \\ln 4$")', 24)
    assert not in_raw_string('it scores $3 \\ln 4$ nats', 10)
    assert not in_raw_string('r"done" and then $3 \\ln 4$', 17)


def test_no_raw_tex_in_the_pdf(pdf):
    """No TeX command, and no $…$ span holding one, outside Python strings (a
    notebook labels a plot r"$\\log k$", which is code the reader should see)."""
    text = pdf_text(pdf)
    commands = re.findall(r".{0,30}\\(?:frac|mathbf|begin\{|left|sum_|partial|odot|tanh|top)\b.{0,30}", text)
    spans = [m.group(0) for m in re.finditer(r'\$[^$\n]{1,80}\$', text)
             if "\\" in m.group(0) and not in_raw_string(text, m.start())]
    assert not [c for c in commands if 'r"$' not in c] and not spans, (commands[:5], spans[:5])


def test_figures_are_vectors_and_code_is_not_cut(pdf):
    """The book's figures stay vector outlines (no raster image per figure), and the
    widest code line of the book is printed whole, wrapped rather than cut."""
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    # The book's figures and the notebooks' plots are all SVG: none becomes a bitmap.
    assert not images, f"{len(images)} raster images in the PDF:\n" + "\n".join(images[:5])
    text = flat(pdf_text(pdf))
    assert "a_t = W_H @ h_prev + W_X @ x_t + b_h" in text
