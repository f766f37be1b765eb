"""Keep only the notebook CSS a page uses.

mkdocs-jupyter writes JupyterLab's whole stylesheet (about 0.57 MB) into every
notebook page. Most of it styles widgets, editors and menus that a static page
never has. ``trim_styles`` keeps, in each ``<style>`` block of the notebook HTML:

* every rule with at least one selector whose JupyterLab class names (``jp-*``,
  ``lm-*``, ``bp3-*``, ``CodeMirror``, ...) all occur in the notebook's HTML
  (other selectors, such as ``pre`` or ``.highlight``, are kept);
* ``@media``/``@supports`` blocks, trimmed the same way, if anything is left;
* custom properties (``--name``) that a kept declaration uses, directly or through
  other custom properties. JupyterLab's theme properties (``--jp-*``) are kept
  whole, so the book's own stylesheet may restyle cells with them; its icons
  (``--jp-icon-*``, 80 kB of inline SVG for toolbars a static page lacks) are not.

The page's HTML, and its ``jp-*`` class names, are left as they are.
"""

from __future__ import annotations

import re

import tinycss2

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)
_CLASS_ATTR = re.compile(r'class="([^"]*)"')
_CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")
_JUPYTER_CLASS = re.compile(r"^(jp-|lm-|p-|bp3-|cm-|CodeMirror|ansi-|jupyter-|celltoolbar|zeroclipboard)")
KEEP_PROPERTIES = "--jp-"
UNLESS_USED = "--jp-icon-"


def page_classes(html: str) -> set[str]:
    return {name for attr in _CLASS_ATTR.findall(html) for name in attr.split()}


def _split_selectors(prelude: str) -> list[str]:
    """Split ``a, b:not(.c, .d)`` at top-level commas only."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _used(selector: str, classes: set[str]) -> bool:
    # Class names inside :not(...) need not be present for the selector to match.
    positive = re.sub(r":not\([^)]*\)", "", selector)
    return all(name in classes for name in _CLASS_IN_SELECTOR.findall(positive)
               if _JUPYTER_CLASS.match(name))


def _filter_rules(rules, classes: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in _split_selectors(tinycss2.serialize(rule.prelude))
                         if _used(s, classes)]
            if selectors:
                kept.append([", ".join(selectors), rule.content])
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = _filter_rules(tinycss2.parse_rule_list(rule.content or [], True, True), classes)
            if inner:
                kept.append([f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}", inner])
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue
        elif rule.type == "at-rule":  # @keyframes and the like: kept whole
            kept.append(tinycss2.serialize([rule]))
    return kept


def _declarations(content) -> list[tuple[str, str]]:
    out = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            value = tinycss2.serialize(item.value).strip()
            out.append((item.name, value + (" !important" if item.important else "")))
    return out


def _walk(kept, visit) -> None:
    for entry in kept:
        if isinstance(entry, list) and isinstance(entry[1], list) and entry[1] and isinstance(entry[1][0], (list, str)):
            _walk(entry[1], visit)
        elif isinstance(entry, list):
            visit(entry)


def trim_css(css: str, classes: set[str]) -> str:
    kept = _filter_rules(tinycss2.parse_stylesheet(css, True, True), classes)

    def parse(entry):
        entry[1] = _declarations(entry[1])
    _walk(kept, parse)

    definitions: dict[str, list[str]] = {}
    uses: set[str] = set()

    def scan(entry):
        for name, value in entry[1]:
            if name.startswith("--"):
                definitions.setdefault(name, []).append(value)
            else:
                uses.update(_VAR_USE.findall(value))
    _walk(kept, scan)
    for css_text in (e for e in kept if isinstance(e, str)):
        uses.update(_VAR_USE.findall(css_text))
    theme = [n for n in definitions if n.startswith(KEEP_PROPERTIES) and not n.startswith(UNLESS_USED)]
    needed, todo = set(), theme + list(uses)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(v for value in definitions.get(name, []) for v in _VAR_USE.findall(value))

    def render(entries) -> str:
        out = []
        for entry in entries:
            if isinstance(entry, str):
                out.append(entry)
            elif entry[1] and isinstance(entry[1][0], (list, str)) and entry[0].startswith("@"):
                inner = render(entry[1])
                if inner:
                    out.append(f"{entry[0]}{{{inner}}}")
            else:
                body = ";".join(f"{n}:{v}" for n, v in entry[1]
                                if not n.startswith("--") or n in needed)
                if body:
                    out.append(f"{entry[0]}{{{body}}}")
        return "".join(out)

    return render(kept)


def trim_styles(html: str) -> str:
    """``html`` with each ``<style>`` block cut down to the rules its page uses."""
    classes = page_classes(html)
    return _STYLE.sub(lambda m: m.group(1) + trim_css(m.group(2), classes) + m.group(3), html)
