"""`make serve --dirty` renders a page again when a file it shows changes (hooks/reload.py)."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

from .conftest import ROOT


def load_reload_hook():
    import sys

    sys.path.insert(0, str(ROOT / "hooks"))  # the hooks import each other by name, as MkDocs loads them
    spec = importlib.util.spec_from_file_location("rnn_book_reload_hook", ROOT / "hooks" / "reload.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_depends_on_the_glossary_tooltips_appended_to_it():
    hook = load_reload_hook()
    config = {"config_file_path": str(ROOT / "mkdocs.yml"), "mdx_configs": {}}
    for page in ("rnn/02-forward.md", "rnn/02-forward.ko.md"):
        file = SimpleNamespace(abs_src_path=str(ROOT / "docs" / page), src_uri=page)
        sources = hook.page_sources(file, config)
        assert ROOT / "includes" / "abbreviations.md" in sources
        assert ROOT / "includes" / "abbreviations.ko.md" in sources
        assert ROOT / "src" / "rnn_book" / "rnn.py" in sources  # and the code it includes
