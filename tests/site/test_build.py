"""The strict build passes, and its guards really fail a broken book."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT, copy_book, mkdocs_build, notebook_page


def test_strict_build_has_no_warning(build):
    output = build.stdout + build.stderr
    assert build.returncode == 0, output
    # MkDocs' own warnings (the notebook kernel's log lines are not MkDocs').
    assert not re.search(r"^WARNING\s+-", output, re.MULTILINE), output


def test_every_nav_page_is_built(built_site):
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")
                   if "assets" not in p.parts)
    assert "index.html" in pages and "notation/index.html" in pages and "api/index.html" in pages


def test_mathjax_is_served_by_the_site(built_site):
    assert (built_site / "assets" / "mathjax" / "tex-svg.js").is_file()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "assets/mathjax/tex-svg.js" in home
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for host in ("cdnjs", "cdn.jsdelivr", "unpkg.com", "fonts.googleapis", "fonts.gstatic"):
            assert host not in html, (page, host)


def test_figures_are_drawn_at_build_time(built_site):
    scripts = sorted(p.stem for p in (ROOT / "figures").glob("*.py") if not p.name.startswith("_"))
    for name in scripts:
        svg = built_site / "figures" / f"{name}.svg"
        assert svg.is_file(), name
        assert "<path" in svg.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("include, named", [
    ("src/rnn_book/__init__.py:no_such_section", "no_such_section"),  # a misspelt section
    ("src/rnn_book/no_such_module.py", "no_such_module"),             # a missing file
])
def test_broken_snippet_include_fails_the_build(tmp_path, include, named):
    book = copy_book(tmp_path / "book")
    page = book / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f'\n```python\n--8<-- "{include}"\n```\n',
                    encoding="utf-8")
    result = mkdocs_build(book, tmp_path / "site", notebooks=False)
    assert result.returncode != 0
    assert named in result.stdout + result.stderr


def test_raising_notebook_fails_the_build(tmp_path):
    book = copy_book(tmp_path / "book")
    notebook = book / "docs" / "notebooks" / "raises.py"
    notebook.parent.mkdir(exist_ok=True)
    notebook.write_text(
        "# %% [markdown]\n# # A notebook that raises\n\n"
        "# %%\nraise RuntimeError('this notebook must break the build')\n",
        encoding="utf-8",
    )
    result = mkdocs_build(book, tmp_path / "site")
    assert result.returncode != 0
    assert "this notebook must break the build" in result.stdout + result.stderr


def test_every_notebook_offers_its_ipynb(built_site):
    import nbformat

    sources = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
    assert sources, "the book has notebooks"
    for source in sources:
        page_dir = notebook_page(built_site, source).parent
        notebook = nbformat.read(page_dir / f"{source.stem}.ipynb", as_version=4)
        nbformat.validate(notebook)
        assert any(cell.cell_type == "code" for cell in notebook.cells)
        html = (page_dir / "index.html").read_text(encoding="utf-8")
        assert f'href="{source.stem}.ipynb" download' in html
