"""The Korean edition translates the English pages, on exactly the same code.

Each Korean page (``<page>.ko.md`` beside ``<page>.md``, ``<notebook>.ko.py``
beside ``<notebook>.py``) must

* exist for every English page but the API reference (``scripts/translations.py``);
* record the hash of the English page it translates, and that page must not have
  changed since (no silent drift: update the translation, then ``stamp`` it);
* keep every code block, equation, figure, link target, HTML comment and heading
  anchor of its English page, so that the same doctests run on it and every link
  into it lands where the English one does.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import markdown
import pytest

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import translations  # noqa: E402

ENGLISH = translations.english_pages()
KOREAN = translations.translations()

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
                   re.DOTALL | re.MULTILINE)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
TEXT_IN_MATH = re.compile(r"\\(?:text|mathrm|textrm|operatorname)\{[^{}]*\}")
FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
LINK = re.compile(r"(?<!!)\]\(([^)\s]+)")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*$", re.MULTILINE)
EXPLICIT_ID = re.compile(r"\s*\{\s*#([\w-]+)\s*\}\s*$")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def page_id(path: Path) -> str:
    return path.relative_to(ROOT / "docs").as_posix()


def markdown_text(path: Path) -> str:
    """A page's Markdown: a chapter without its front matter; a notebook's Markdown
    cells and code cells, as jupytext reads them."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return FRONT_MATTER.sub("", text)
    import jupytext
    parts = []
    for cell in jupytext.reads(text, fmt="py:percent").cells:
        source = cell.source if cell.cell_type == "markdown" else f"```python\n{cell.source}\n```"
        parts.append(source)
    return "\n\n".join(parts)


def code_blocks(text: str) -> list[str]:
    return [f"{m.group('info').strip()}\n{m.group('body')}" for m in FENCE.finditer(text)]


def prose(text: str) -> str:
    """Everything outside code blocks and inline code."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def math_of(text: str) -> tuple[list[str], Counter]:
    """Display equations in order; inline math as a multiset (Korean word order differs).
    Words set in ``\\text{…}`` may be translated, so they are left out."""
    body = prose(text)
    display = [" ".join(TEXT_IN_MATH.sub("", m).split()) for m in DISPLAY_MATH.findall(body)]
    inline = Counter(" ".join(TEXT_IN_MATH.sub("", m).split())
                     for m in INLINE_MATH.findall(DISPLAY_MATH.sub("", body)))
    return display, inline


def heading_ids(text: str, *, explicit: bool) -> list[tuple[int, str]]:
    """(level, id) of every ``##``-and-deeper heading: the English ids as Python-Markdown's
    toc makes them (headings rendered together, so repeats get ``_1``), the Korean ids as
    written with ``{ #id }``."""
    headings = HEADING.findall(prose(text))
    if explicit:
        return [(len(h), (EXPLICIT_ID.search(title) or [None, None])[1]) for h, title in headings]
    source = "\n\n".join(f"{h} {title}" for h, title in headings)
    md = markdown.Markdown(extensions=["toc", "attr_list", "pymdownx.arithmatex"],
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    html = md.convert(source)
    return [(int(level), id_) for level, id_ in re.findall(r'<h(\d) id="([^"]+)"', html)]


def pairs():
    return [pytest.param(translations.english_page(k), k, id=page_id(k)) for k in KOREAN]


@pytest.mark.parametrize("english", ENGLISH, ids=page_id)
def test_every_english_page_has_an_up_to_date_translation(english):
    korean = translations.translation_of(english)
    name = page_id(korean)
    assert korean.exists(), f"{page_id(english)} has no Korean translation: write {name}"
    recorded = translations.recorded_hash(korean)
    assert recorded, f"{name} records no english_sha256: python scripts/translations.py stamp docs/{name}"
    assert recorded == translations.sha256(english), (
        f"{page_id(english)} changed since {name} was translated: update {name}, "
        f"then python scripts/translations.py stamp docs/{name}")


@pytest.mark.parametrize(("english", "korean"), pairs())
def test_a_translation_keeps_every_code_block(english, korean):
    en, ko = code_blocks(markdown_text(english)), code_blocks(markdown_text(korean))
    assert len(ko) == len(en), f"{page_id(korean)}: {len(ko)} code blocks, the English page has {len(en)}"
    for number, (a, b) in enumerate(zip(en, ko), 1):
        assert a == b, f"{page_id(korean)}: code block {number} differs from the English page's:\n{b[:300]}"


@pytest.mark.parametrize(("english", "korean"), pairs())
def test_a_translation_keeps_every_equation(english, korean):
    (en_display, en_inline), (ko_display, ko_inline) = math_of(markdown_text(english)), math_of(markdown_text(korean))
    assert ko_display == en_display, f"{page_id(korean)}: its display equations differ from the English page's"
    missing, extra = en_inline - ko_inline, ko_inline - en_inline
    assert not missing and not extra, (f"{page_id(korean)}: inline math missing {sorted(missing)[:8]}, "
                                       f"not in the English page {sorted(extra)[:8]}")


@pytest.mark.parametrize(("english", "korean"), pairs())
def test_a_translation_keeps_figures_links_and_comments(english, korean):
    en, ko = prose(markdown_text(english)), prose(markdown_text(korean))
    assert FIGURE.findall(ko) == FIGURE.findall(en), f"{page_id(korean)}: its figures differ from the English page's"
    assert Counter(LINK.findall(ko)) == Counter(LINK.findall(en)), (
        f"{page_id(korean)}: link targets differ: missing {sorted(Counter(LINK.findall(en)) - Counter(LINK.findall(ko)))}, "
        f"extra {sorted(Counter(LINK.findall(ko)) - Counter(LINK.findall(en)))}")
    assert Counter(COMMENT.findall(ko)) == Counter(COMMENT.findall(en)), (
        f"{page_id(korean)}: its HTML comments (skip and claims markers) differ from the English page's")


@pytest.mark.parametrize(("english", "korean"), [p for p in pairs() if p.values[1].suffix == ".md"])
def test_a_translation_keeps_every_heading_anchor(english, korean):
    en = heading_ids(markdown_text(english), explicit=False)
    ko = heading_ids(markdown_text(korean), explicit=True)
    assert [level for level, _ in ko] == [level for level, _ in en], (
        f"{page_id(korean)}: its headings' levels {[lv for lv, _ in ko]} differ from the English page's {[lv for lv, _ in en]}")
    for (_, want), (_, got) in zip(en, ko):
        assert got == want, f"{page_id(korean)}: the heading for #{want} needs {{ #{want} }} (has {got})"


# The guard itself.

def test_a_changed_english_page_names_its_translation(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "rnn").mkdir(parents=True)
    english = docs / "rnn" / "02-forward.md"
    english.write_text("# 2. Forward\n", encoding="utf-8")
    korean = docs / "rnn" / "02-forward.ko.md"
    korean.write_text("# 2. 순전파\n", encoding="utf-8")
    monkeypatch.setattr(translations, "DOCS", docs)
    monkeypatch.setattr(translations, "ROOT", tmp_path)
    assert translations.problems() == [
        "docs/rnn/02-forward.ko.md: records no english_sha256 "
        "(run: python scripts/translations.py stamp docs/rnn/02-forward.ko.md)"]
    translations.stamp(korean)
    assert translations.problems() == []
    english.write_text("# 2. Forward, revised\n", encoding="utf-8")
    assert translations.problems() == [
        "docs/rnn/02-forward.ko.md: docs/rnn/02-forward.md changed since it was translated "
        "(update the translation, then: python scripts/translations.py stamp docs/rnn/02-forward.ko.md)"]


def test_a_notebook_translation_is_stamped_in_its_jupytext_header(tmp_path):
    english = tmp_path / "nb.py"
    english.write_text("# %%\nx = 1\n", encoding="utf-8")
    korean = tmp_path / "nb.ko.py"
    korean.write_text("# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n#     name: python3\n# ---\n\n# %%\nx = 1\n",
                      encoding="utf-8")
    translations.stamp(korean)
    assert translations.recorded_hash(korean) == translations.sha256(english)
    import jupytext
    assert jupytext.read(korean).metadata["english_sha256"] == translations.sha256(english)


def test_a_changed_code_block_is_caught():
    en = "# A\n\n```pycon\n>>> 1 + 1\n2\n```\n"
    ko = "# 가\n\n```pycon\n>>> 1 + 1\n3\n```\n"
    assert code_blocks(en) != code_blocks(ko)


def test_english_heading_ids_are_those_the_site_uses():
    text = "## Step 1: the pre-activation\n\n## What $h_t$ holds, and why carry it\n\n## Summary\n\n## Summary\n"
    assert heading_ids(text, explicit=False) == [
        (2, "step-1-the-pre-activation"), (2, "what-h_t-holds-and-why-carry-it"), (2, "summary"), (2, "summary_1")]
