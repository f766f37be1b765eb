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
