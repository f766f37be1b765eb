"""The API reference, one page per part of the package, documents all of it."""

from __future__ import annotations

import ast
import re

from .conftest import ROOT

SRC = ROOT / "src"


def public_names(path) -> list[str]:
    """The module's public functions and classes (its ``__all__`` if it has one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = [n.name for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            listed = set(ast.literal_eval(node.value))
            return [name for name in defined if name in listed]
    return defined


def test_every_public_function_and_class_is_on_an_api_page(built_site):
    ids = set()
    for page in (built_site / "api").rglob("index.html"):
        ids |= set(re.findall(r'id="(rnn_book\.[\w.]+)"', page.read_text(encoding="utf-8")))
    assert ids, "no API page documents anything"
    missing = []
    for path in sorted((SRC / "rnn_book").rglob("*.py")):
        for name in public_names(path):
            if not any(i.endswith("." + name) for i in ids):
                missing.append(f"{path.relative_to(SRC)}: {name}")
    assert not missing, ("not on any API page (add `::: rnn_book.<module>` or the name to a "
                         "`members:` list in docs/api/):\n" + "\n".join(missing))


def test_no_api_page_is_left_out_of_the_nav():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs" / "api").glob("*.md")):
        assert f"api/{page.name}" in nav, page


_SUBSCRIPT = re.compile(r"\b\w+_\{[^}]*\}")
_VERBATIM = re.compile(r"<(code|pre|script|style)\b.*?</\1>", re.DOTALL)
_MATH = re.compile(r'<(span|div) class="arithmatex">.*?</\1>', re.DOTALL)


def raw_subscripts(html: str) -> list[str]:
    """TeX-style subscripts (``h_{t-1}``) shown as running text: outside code and math."""
    text = re.sub(r"<[^>]+>", " ", _MATH.sub(" ", _VERBATIM.sub(" ", html)))
    return _SUBSCRIPT.findall(text)


def test_raw_subscripts_are_found_outside_code_only():
    assert raw_subscripts("<p>Previous state h_{t-1}.</p>") == ["h_{t-1}"]
    assert raw_subscripts("<p>Previous state <code>h_{t-1}</code>.</p>") == []


def test_api_pages_show_no_raw_tex_subscripts(built_site):
    """A docstring's ASCII maths is set as code (``h_{t-1}``) or as a block, so
    that the page never shows braces in running text."""
    found = {}
    for page in sorted((built_site / "api").rglob("index.html")):
        raw = raw_subscripts(page.read_text(encoding="utf-8"))
        if raw:
            found[str(page.relative_to(built_site))] = sorted(set(raw))[:6]
    assert not found, found
