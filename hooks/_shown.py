"""What a page shows besides its own Markdown, for ``make serve`` to know which pages a
save changes (``hooks/reload.py``).

A chapter includes *sections* of package modules (``--8<-- "src/rnn_book/rnn.py:
step_forward"``), an API page the *interface* of a module (signatures, docstrings,
class fields: ``show_source`` is off), every page the glossary tooltips, some pages
drawn figures, a notebook page its cached run. :func:`page_sources` lists the files;
:func:`shown` digests the parts of them the page shows, so that a page is rendered
again when what it shows changed, not whenever a file it draws from was saved:
a comment in ``step_forward`` renders chapter 2 again, not every chapter that
includes some other part of ``rnn.py``, and no API page.
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

from _cache import cache_root

_SNIPPET = re.compile(r"""--8<--\s+["']([^"':]+)(?::([^"']+))?["']""")
_FIGURE = re.compile(r"figures/([\w-]+)\.svg")
API = re.compile(r"^:::\s+(rnn_book[\w.]*)", re.MULTILINE)
_IMPORT = re.compile(r"^\s*from\s+(rnn_book[\w.]*)\s+import\s+([\w, ()]+)", re.MULTILINE)
_READ: dict[Path, tuple[int, str]] = {}  # path -> (mtime_ns, text): one read per save
_INTERFACE: dict[Path, tuple[str, str]] = {}  # path -> (text, digest of its interface)
_LISTED: dict[Path, tuple[int, list[Path]]] = {}  # a cache folder -> (mtime_ns, its files)


def _text(path: Path) -> str:
    mtime = path.stat().st_mtime_ns
    if path not in _READ or _READ[path][0] != mtime:
        _READ[path] = (mtime, path.read_text(encoding="utf-8"))
    return _READ[path][1]


def page_sources(file, config) -> list[Path]:
    """Every file whose content the page shows, besides its own source."""
    return [path for path, _ in _parts(file, config)]


def shown(file, config) -> str:
    """A digest of what the page shows from the files :func:`page_sources` lists."""
    h = hashlib.sha256()
    for path, part in _parts(file, config):
        h.update(f"{path}\0{part}\0".encode())
        if part == "file":
            h.update(_text(path).encode())
        elif part == "interface":
            h.update(_interface(path).encode())
        elif part == "drawing":  # named after its hash: a new one is a new name
            h.update(str(path.stat().st_mtime_ns).encode())
        else:
            h.update(section(_text(path), part).encode())
    return h.hexdigest()


def _interface(path: Path) -> str:
    text = _text(path)
    if path not in _INTERFACE or _INTERFACE[path][0] is not text:
        _INTERFACE[path] = (text, hashlib.sha256(interface(text).encode()).hexdigest())
    return _INTERFACE[path][1]


def _parts(file, config) -> list[tuple[Path, str]]:
    """(file, what of it the page shows): ``file``, ``interface``, ``drawing`` or a
    snippet section's name."""
    config_dir = Path(config["config_file_path"]).parent
    src = Path(file.abs_src_path)
    if file.src_uri.endswith(".py"):  # a notebook page: its latest cached run
        return [(p, "drawing") for p in _cached(cache_root(config) / "notebooks", src.stem, ".html")]
    text = _text(src)
    snippets = config["mdx_configs"].get("pymdownx.snippets", {})
    parts = [(config_dir / name, part or "file") for name, part in _SNIPPET.findall(text)]
    parts += [(config_dir / name, "file") for name in snippets.get("auto_append", [])]
    language = ".ko" if ".ko." in file.src_uri else ""  # the glossary tooltips hooks/i18n.py appends
    parts.append((config_dir / "includes" / f"abbreviations{language}.md", "file"))
    for module in API.findall(text):
        parts += [(p, "interface") for p in module_files(module, config_dir)]
    for name in sorted(set(_FIGURE.findall(text))):  # drawn inline: its script, its latest drawing
        parts.append((config_dir / "figures" / f"{name}.py", "file"))
        parts += [(p, "drawing") for p in _cached(cache_root(config) / "figures", name, ".svg")]
    return list(dict.fromkeys((p, part) for p, part in parts if p.is_file()))


def _cached(folder: Path, name: str, suffix: str) -> list[Path]:
    """The cached results of one figure or notebook, ``<name>-<own>-<deps><suffix>``."""
    try:
        mtime = folder.stat().st_mtime_ns
    except FileNotFoundError:
        return []
    if folder not in _LISTED or _LISTED[folder][0] != mtime:  # a result added or pruned
        _LISTED[folder] = (mtime, sorted(folder.iterdir()))
    return [p for p in _LISTED[folder][1] if p.name.startswith(f"{name}-") and p.name.endswith(suffix)
            and p.name.count("-") == name.count("-") + 2]


def section(text: str, name: str) -> str:
    """The lines of a snippet section, ``--8<-- [start:name]`` to ``--8<-- [end:name]``
    (the whole text if it has no such section: the build then says what is wrong)."""
    start, end = f"--8<-- [start:{name}]", f"--8<-- [end:{name}]"
    begin = text.find(start)
    stop = text.find(end, begin)
    return text[begin:stop] if begin >= 0 and stop >= 0 else text


def interface(text: str) -> str:
    """What an API page shows of a module: the module with each function's body
    reduced to its docstring (signatures, decorators, classes and their fields,
    module constants stay; comments are not in the syntax tree)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            node.body = [ast.Expr(ast.Constant(doc))] if doc is not None else [ast.Pass()]
    return ast.dump(tree)


def module_file(module: str, config_dir: Path) -> Path:
    base = config_dir / "src" / Path(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def module_files(module: str, config_dir: Path) -> list[Path]:
    """A documented module's file and the package modules it imports from (its
    signatures and inherited members come from there)."""
    own = module_file(module, config_dir)
    if not own.is_file():
        return []
    found = [own]
    for source, names in _IMPORT.findall(_text(own)):
        found.append(module_file(source, config_dir))
        found += [module_file(f"{source}.{n.strip()}", config_dir)
                  for n in names.strip("()").split(",") if n.strip()]
    return found
