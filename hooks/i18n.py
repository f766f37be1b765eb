"""The Korean edition, built by mkdocs-static-i18n: what this hook mends.

mkdocs-static-i18n 1.3 builds the English site, then builds it again for each other
language into ``site/<locale>/``, taking ``<page>.ko.md`` where it exists. Its own
Material integration (``reconfigure_material``) is off, and this hook does instead:

* **Notebook pages.** The plugin re-creates every file as a plain MkDocs file, which
  drops mkdocs-jupyter's wrapper, so a notebook would be copied raw, silently, even
  with ``--strict`` (upstream issue #198): each notebook is wrapped again, keeping the
  plugin's destination (``ko/notebooks/<name>/``).
* **The API reference** is the package's docstrings, in English, and is built once:
  on the Korean site its nav entries lead to the English pages (the Korean
  ``api.ko.md`` says so). Building it twice would also give every documented object
  two primary URLs (mkdocs-autorefs warns, and ``--strict`` aborts).
* **The language selector lands on the same page in the other language.** Each link
  of Material's selector points at the current page's translation. Material puts
  those links into the head as ``<link rel="alternate" hreflang>`` too, and its script
  fetches ``sitemap.xml`` under each of them: 404s and console errors on every page
  with per-page links, so they are taken out of the head. Instant navigation does not
  replace the header, so the page carries its alternates in a hidden element that
  ``docs/javascripts/language.js`` copies into the selector after every navigation
  (the plugin refuses instant navigation with its own integration for that reason).
"""

from __future__ import annotations

import gzip
import html
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link
from mkdocs.utils import get_relative_url

ABBREVIATIONS = Path(__file__).resolve().parent.parent / "includes"

API_PAGES = re.compile(r"^api/.+\.md$")  # the per-module reference pages (api.md is the index)
_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def i18n(config):
    return config.plugins["i18n"]


def translating(config) -> bool:
    plugin = i18n(config)
    return plugin.current_language != plugin.default_language


def _english_links(nav, root: str):
    """The nav with every API reference page (``api/<x>.md``) as a link to its English page."""
    if isinstance(nav, list):
        return [_english_links(item, root) for item in nav]
    if isinstance(nav, dict):
        return {title: _english_links(item, root) for title, item in nav.items()}
    if isinstance(nav, str) and API_PAGES.match(nav):
        return root + nav[: -len(".md")] + "/"
    return nav


@event_priority(-110)  # after mkdocs-static-i18n's on_config (-100): it sets the language
def on_config(config):
    """On a translated site the API entries of the nav become links (MkDocs accepts an
    absolute path without a file behind it; ``on_nav`` makes them relative again)."""
    if translating(config):
        config.nav = _english_links(config.nav, _root(config))
        printer = config.plugins.get("print-site")
        if printer is not None:  # the PDF is the English book: a translated build would overwrite it
            printer.config["enabled"] = False
    return config


def _root(config) -> str:
    return urlsplit(config.site_url or "/").path  # /rnn-book/


@event_priority(-110)
def on_nav(nav, config, files):
    """The API links relative to the site's root, like every other link, so that they work
    wherever the site is served."""
    root = _root(config)

    def visit(items):
        for item in items:
            if isinstance(item, Link) and item.url.startswith(root + "api/"):
                item.url = item.url[len(root):]
            visit(getattr(item, "children", None) or [])

    if translating(config):
        visit(nav.items)
    return nav


_API_LINK = re.compile(r"\]\((?:\.\./)*(api/[\w-]+)\.md(#[^)\s]*)?\)")


def abbreviations(config) -> Path:
    """The glossary tooltips of the language being built: ``includes/abbreviations[.<locale>].md``."""
    plugin = i18n(config)
    suffix = f".{plugin.current_language}" if translating(config) else ""
    return ABBREVIATIONS / f"abbreviations{suffix}.md"


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Every page gets its language's glossary tooltips; on a translated page, a link
    into the API reference leads to its English page."""
    markdown += "\n\n" + abbreviations(config).read_text(encoding="utf-8")
    if not translating(config):
        return markdown
    return _API_LINK.sub(
        lambda m: f"]({get_relative_url(m.group(1) + '/', page.url)}{m.group(2) or ''})", markdown)


@event_priority(-110)  # after mkdocs-static-i18n's on_files (-100), which re-creates every file
def on_files(files: Files, config) -> Files:
    jupyter = config.plugins.get("mkdocs-jupyter")
    kept = []
    for file in files:
        if translating(config) and API_PAGES.match(file.src_uri):
            continue
        if jupyter is not None and jupyter.should_include(file) and not file.is_documentation_page():
            file = _notebook(file, config)
        kept.append(file)
    return type(files)(i18n(config), kept) if hasattr(files, "plugin") else Files(kept)


def _notebook(file: File, config) -> File:
    from mkdocs_jupyter.plugin import NotebookFile

    dest_uri, url = file.dest_uri, file.url
    wrapped = NotebookFile(file, **config)
    wrapped.dest_uri, wrapped.url = dest_uri, url  # where the plugin put it: ko/notebooks/<name>/
    wrapped.abs_dest_path = file.abs_dest_path
    return wrapped


def on_page_context(context, page, config, nav):
    """The selector's links: this page in each language (that language's home if the
    page has no translation). Every edition has the English one's paths under its
    own prefix (``rnn/02-forward/``, ``ko/rnn/02-forward/``)."""
    plugin = i18n(config)
    prefix = f"{plugin.current_language}/" if translating(config) else ""
    path = page.file.url[len(prefix):] if page.file.url.startswith(prefix) else page.file.url
    english_src = re.sub(rf"\.{re.escape(plugin.current_language)}(\.\w+)$", r"\1", page.file.src_uri)
    links = []
    for language in plugin.config.languages:
        if not language.build:
            continue
        home = language.link.lstrip("/")
        if language.default:
            target = path
        elif _translated(config, english_src, language.locale):
            target = home + path
        elif API_PAGES.match(english_src):  # the reference is English: its translated index says so
            target = home + "api/"
        else:
            target = home
        links.append({"name": language.name, "link": target or "./", "lang": language.locale})
    config.extra["alternate"] = links
    return context


def _translated(config, english_src: str, locale: str) -> bool:
    source = Path(config.docs_dir) / english_src
    return source.with_name(f"{source.stem}.{locale}{source.suffix}").is_file()


def on_post_page(output: str, page, config) -> str:
    """No hreflang links in the head (Material would fetch sitemap.xml under each); the
    alternates ride along at the end of the page's article for ``language.js``; a
    translated page's scripts take its edition's root as their base."""
    head_end = output.find("</head>")
    output = _HEAD_ALTERNATE.sub("", output[:head_end]) + output[head_end:]
    links = "".join(
        f'<a hreflang="{html.escape(item["lang"])}" href="{html.escape(_relative(item["link"], page))}"></a>'
        for item in config.extra.get("alternate", []))
    output = output.replace("</article>", f"<div hidden data-alternates>{links}</div></article>", 1)
    if translating(config):
        edition = i18n(config).current_language
        base = posixpath.relpath(edition, page.url.rstrip("/") or ".")
        output = _CONFIG_BASE.sub(lambda m: m.group(1) + json.dumps(base), output, count=1)
    return output


_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{"annotate": [^,]*, "base": )"[^"]*"')


@event_priority(-110)  # after mkdocs-static-i18n's on_post_build (-100), which builds the other editions
def on_post_build(config) -> None:
    """Each edition searches and navigates within itself: the plugin's one search index and
    one sitemap are split per language (``ko/search/search_index.json``, ``ko/sitemap.xml``).
    A Korean page's base is ``ko/`` (``on_post_page``), so Material loads the Korean index
    (half the bytes), lists Korean results only, and navigates instantly only among Korean
    pages; a link to the other edition loads it whole, with its own header and language."""
    plugin = i18n(config)
    if plugin.building:
        return  # an edition's own build, inside the default one's: the index is not final yet
    site = Path(config.site_dir)
    prefixes = {lang.locale: "" if lang.default else f"{lang.locale}/" for lang in plugin.config.languages}

    def edition(path: str) -> str:
        """The language a site path (``ko/rnn/02-forward/``, ``rnn/02-forward/``) belongs to."""
        return next((locale for locale, prefix in prefixes.items() if prefix and path.startswith(prefix)),
                    plugin.default_language)

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    index["docs"] = _one_entry_per_section(index["docs"])
    search = config.plugins.get("material/search")
    if search is not None and search.search_index is not None:  # kept for the next dirty build
        search.search_index.entries[:] = _one_entry_per_section(search.search_index.entries)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    entries = re.findall(r"\s*<url>.*?</url>", sitemap, re.DOTALL)
    head, tail = sitemap.split("<url>", 1)[0].rstrip(), "\n</urlset>\n"
    site_url = config.site_url or "/"
    for language in plugin.config.languages:
        if not language.build:
            continue
        prefix = prefixes[language.locale]
        docs = [dict(doc, location=doc["location"][len(prefix):]) for doc in index["docs"]
                if edition(doc["location"]) == language.locale]
        own = dict(index, docs=docs)
        if language.default:
            own["config"] = dict(index["config"], lang=[language.locale])
        target = site / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        urls = [e for e in entries
                if edition(re.search(r"<loc>([^<]*)</loc>", e).group(1)[len(site_url):]) == language.locale]
        text = head + "".join(urls) + tail
        (site / prefix / "sitemap.xml").write_text(text, encoding="utf-8")
        (site / prefix / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _one_entry_per_section(entries: list[dict]) -> list[dict]:
    """The search entries, each location once, its last entry kept.

    Under ``mkdocs serve --dirty`` Material keeps the index from one build to the next
    (replacing the entries of the pages it renders again, at the end), and the plugin
    gathers every edition's entries on top of that, so without this each save doubled
    the index (five saves: 16 times the entries, a 17 s rebuild). A fresh build has
    each location once, and is unchanged."""
    last = {}
    for entry in entries:
        last.pop(entry["location"], None)
        last[entry["location"]] = entry
    return list(last.values())


def _relative(link: str, page) -> str:
    return get_relative_url(link, page.url) if not link.startswith(("http:", "https:", "/")) else link
