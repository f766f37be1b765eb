"""Reading on a phone and in the dark: the site's typography, measured in Chromium.

Every guard runs at 375 px (a phone) and 1280 px (a laptop), in the light and
the dark scheme, and each has a twin that plants the defect it guards against
(a stylesheet that brings the old behaviour back) and checks that the guard
fails on it, the way test_browser.py's blank-glyph check proves itself.
"""

from __future__ import annotations

import pytest

# Importing test_browser skips this module too where Chromium is missing.
from .test_browser import browser, site_pages  # noqa: F401 (browser is a fixture)

WIDTHS = [375, 1280]
SCHEMES = ["light", "dark"]
VIEWS = [(w, s) for w in WIDTHS for s in SCHEMES]
MIN_FIGURE_TEXT_PX = {375: 9.0, 1280: 11.0}
FIGURE_PAGES = ["", "rnn/02-forward/", "rnn/03-bptt/", "lstm/05-why/", "lstm/06-lstm-forward/",
                "lstm/08-gru/", "train/forecasting/", "perf/making-it-fast/"]
NOTEBOOKS = ["notebooks/assignment/", "notebooks/char_lm/"]


class Reader:
    """One page at one width, in one colour scheme, with its math typeset."""

    def __init__(self, chromium, url: str, width: int, scheme: str):
        self.context = chromium.new_context(viewport={"width": width, "height": 900},
                                           color_scheme=scheme)
        self.page = self.context.new_page()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        self.page.evaluate("() => MathJax.startup.promise")

    def plant(self, css: str) -> None:
        """Bring a defect back with a stylesheet of !important rules."""
        self.page.add_style_tag(content=css)
        self.page.wait_for_timeout(600)  # Material animates colours: let transitions end

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


def on_every_page(read, built_site, width: int, script: str) -> list[str]:
    """``script``'s findings (a list) on every page of the site at ``width``."""
    found = []
    for rel in site_pages(built_site):
        with read(rel, width) as reader:
            found += [f"{rel} {item}" for item in reader.page.evaluate(script)]
    return found


@pytest.fixture(scope="module")
def read(browser, site_url):  # noqa: F811 (the fixture imported above)
    def open_page(rel: str, width: int = 1280, scheme: str = "light") -> Reader:
        return Reader(browser, site_url + rel, width, scheme)
    return open_page


# ---------------------------------------------------------------- figures

# Every text of a figure (book figures and notebook plots) is a <g> scaled to
# font size / 100 (matplotlib draws glyphs 100 units to the em): its size on
# screen is 100 times its scale in screen pixels.
FIGURE_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.book-figure > svg, .jp-RenderedSVG svg')) {
    let smallest = Infinity, texts = 0;
    for (const g of svg.querySelectorAll('g[id*="text_"] > g[transform*="scale"]')) {
      const m = g.getScreenCTM();
      const px = 100 * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      if (g.getBoundingClientRect().width === 0) continue;
      texts += 1;
      smallest = Math.min(smallest, px);
    }
    const name = (svg.closest('figure') || {}).id || 'notebook plot';
    out.push({name, texts, smallest});
  }
  return out;
}"""


def figure_text_problems(reader: Reader, width: int) -> tuple[list, list]:
    figures = reader.page.evaluate(FIGURE_TEXT)
    small = [f for f in figures if f["texts"] and f["smallest"] < MIN_FIGURE_TEXT_PX[width]]
    return figures, small


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_text_is_readable(read, width):
    """Rendered figure text is at least 9 px on a phone and 11 px on a laptop."""
    seen, problems, smallest = 0, [], []
    for rel in FIGURE_PAGES + NOTEBOOKS:
        with read(rel, width) as reader:
            figures, small = figure_text_problems(reader, width)
        seen += len(figures)
        smallest += [f["smallest"] for f in figures if f["texts"]]
        problems += [f"{rel} {f['name']}: {f['smallest']:.1f} px" for f in small]
    assert seen >= 12, seen
    print(f"smallest figure text at {width} px: {min(smallest):.1f} px")
    assert not problems, problems


def test_the_figure_text_check_catches_a_shrunken_figure(read):
    with read("lstm/06-lstm-forward/", 375) as reader:
        assert not figure_text_problems(reader, 375)[1]
        reader.plant(".book-figure > svg { max-width: 60% !important; }")
        assert figure_text_problems(reader, 375)[1]


# Colours a figure draws lines and text with, against the page: patches' fills
# (box tints, bars' areas) are areas, not lines; their edges are lines.
FIGURE_CONTRAST = """() => {
  const rgb = s => { const m = s.match(/[\\d.]+/g); return m ? m.map(Number) : null; };
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  const over = (c, alpha) => c.slice(0, 3).map((x, i) => alpha * x + (1 - alpha) * page[i]);
  const ratio = c => { const a = lum(c) + 0.05, b = lum(page) + 0.05; return Math.max(a, b) / Math.min(a, b); };
  const low = [];
  let checked = 0;
  for (const svg of document.querySelectorAll('.book-figure > svg, .jp-RenderedSVG svg')) {
    const name = (svg.closest('figure') || {}).id || 'notebook plot';
    for (const el of svg.querySelectorAll('path, use')) {
      if (el.closest('defs') || el.closest('clipPath')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const cs = getComputedStyle(el);
      const inText = !!el.closest('g[id*="text_"]');
      const paints = [];
      if (cs.stroke !== 'none' && parseFloat(cs.strokeWidth) > 0 && !inText)
        paints.push([cs.stroke, parseFloat(cs.strokeOpacity)]);
      if (cs.fill !== 'none' && (inText || el.closest('g[id*="line2d_"]')))
        paints.push([cs.fill, parseFloat(cs.fillOpacity)]);
      for (const [paint, opacity] of paints) {
        const c = rgb(paint);
        if (!c) continue;
        const alpha = (c.length > 3 ? c[3] : 1) * opacity * parseFloat(cs.opacity);
        if (alpha < 0.05) continue;
        checked += 1;
        const r = ratio(over(c, alpha));
        if (r < 3) low.push(`${name}: ${paint} at ${r.toFixed(2)}:1`);
      }
    }
  }
  return {checked, low: [...new Set(low)]};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_figure_lines_and_text_contrast_with_the_page(read, scheme):
    """Every line and every text of every figure and notebook plot: 3:1 or better."""
    checked, low = 0, []
    for rel in FIGURE_PAGES + NOTEBOOKS:
        with read(rel, 1280, scheme) as reader:
            report = reader.page.evaluate(FIGURE_CONTRAST)
        checked += report["checked"]
        low += [f"{rel} {item}" for item in report["low"]]
    assert checked > 500, checked
    assert not low, low


def test_the_contrast_check_catches_a_pale_line(read):
    """The old figures: drawn on white, a light-grey line (and black ink in the dark)."""
    with read("lstm/05-why/", 1280, "dark") as reader:
        assert not reader.page.evaluate(FIGURE_CONTRAST)["low"]
        reader.plant("#figure-vanishing_exploding g[id*='text_'] > g { fill: #000 !important; }")
        assert reader.page.evaluate(FIGURE_CONTRAST)["low"]


def test_figures_are_numbered_with_captions_and_alt_text(read):
    for rel in FIGURE_PAGES:
        with read(rel) as reader:
            figures = reader.page.evaluate("""() => [...document.querySelectorAll('.book-figure')]
              .map(f => ({label: (f.querySelector('svg') || {getAttribute: () => ''}).getAttribute('aria-label') || '',
                          role: f.querySelector('svg') && f.querySelector('svg').getAttribute('role'),
                          caption: (f.querySelector('figcaption') || {}).textContent || ''}))""")
            pictures = reader.page.evaluate(
                "() => document.querySelectorAll('.md-content img[src*=\"figures/\"]').length")
        assert figures and not pictures, rel
        for number, figure in enumerate(figures, 1):
            assert figure["role"] == "img" and len(figure["label"]) >= 60, (rel, figure)
            assert figure["caption"].startswith("Figure ") and f"{number}." in figure["caption"].split()[1]


# ---------------------------------------------------------------- math

INLINE_MATH_SCALE = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.md-content mjx-container:not([display="true"]) > svg')) {
    const shown = svg.getBoundingClientRect().width;
    if (!shown) continue;
    svg.style.setProperty('max-width', 'none', 'important');
    const natural = svg.getBoundingClientRect().width;
    svg.style.removeProperty('max-width');
    if (natural > 0 && shown / natural < 0.9)
      out.push(`${(100 * shown / natural).toFixed(0)} %: ${svg.parentElement.textContent.slice(0, 40)}`);
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_inline_math_is_never_shrunk(read, width):
    problems = []
    for rel in ["notation/", "lstm/06-lstm-forward/", "notebooks/assignment/", "api/"]:
        with read(rel, width) as reader:
            problems += [f"{rel} {p}" for p in reader.page.evaluate(INLINE_MATH_SCALE)]
    assert not problems, problems


def test_the_inline_math_check_catches_a_squeezed_equation(read):
    with read("notation/", 375) as reader:
        assert not reader.page.evaluate(INLINE_MATH_SCALE)
        reader.plant(".md-typeset mjx-container > svg { max-width: 100% !important; }")
        assert reader.page.evaluate(INLINE_MATH_SCALE)


CUT_EQUATIONS = """() => [...document.querySelectorAll('.md-content div.arithmatex')]
  .filter(d => d.scrollWidth > d.clientWidth + 2).map(d => d.textContent.slice(0, 50))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_display_equations_fit_the_column(read, built_site, width):
    """No display equation hides its end behind a scrollbar, phone included."""
    problems = on_every_page(read, built_site, width, CUT_EQUATIONS)
    assert not problems, "\n".join(problems)


def test_the_equation_check_catches_an_equation_too_wide_for_a_phone(read):
    with read("rnn/03-bptt/", 375) as reader:
        assert not reader.page.evaluate(CUT_EQUATIONS)
        reader.plant(".md-typeset div.arithmatex { font-size: 160% !important; }")
        assert reader.page.evaluate(CUT_EQUATIONS)


# ---------------------------------------------------------------- code

# Text of a code line that shows (not scrolled away) under its block's copy button.
UNDER_COPY_BUTTON = """() => {
  const hits = [];
  for (const nav of document.querySelectorAll('.md-content pre > .md-code__nav')) {
    const button = nav.getBoundingClientRect();
    const code = nav.parentElement.querySelector('code');
    if (!code || !button.width) continue;
    const view = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let hit = null;
    while (!hit && walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent.trim()) continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, view.left), right = Math.min(r.right, view.right);
        if (right > button.left + 1 && left < button.right - 1 && r.bottom > button.top + 1
            && r.top < button.bottom - 1) { hit = node.textContent.trim().slice(0, 40); break; }
      }
    }
    if (hit) hits.push(hit);
  }
  return hits;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_code_runs_under_the_copy_button(read, built_site, width):
    problems = on_every_page(read, built_site, width, UNDER_COPY_BUTTON)
    assert not problems, "\n".join(problems)


def test_the_copy_button_check_catches_code_under_the_button(read):
    with read("perf/making-it-fast/", 1280) as reader:
        assert not reader.page.evaluate(UNDER_COPY_BUTTON)
        reader.plant(".md-typeset pre > .md-code__nav { position: absolute !important;"
                     " float: none !important; top: .25em !important; right: .25em !important; }")
        assert reader.page.evaluate(UNDER_COPY_BUTTON)


# ---------------------------------------------------------------- notebooks

WIDTHS_OF_TEXT = """() => ({
  column: document.querySelector('.md-content__inner').getBoundingClientRect().width,
  text: [...document.querySelectorAll('.md-content__inner > p, .jp-RenderedMarkdown > p')]
    .map(p => p.getBoundingClientRect().width).filter(w => w > 0),
})"""


def notebook_squeezed(reader: Reader, chapter_width: float) -> list[float]:
    widths = reader.page.evaluate(WIDTHS_OF_TEXT)["text"]
    return [w for w in widths if abs(w - chapter_width) > 2]


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_notebooks_are_as_wide_as_a_chapter(read, width, scheme):
    with read("rnn/04-assignment/", width, scheme) as reader:
        chapter = max(reader.page.evaluate(WIDTHS_OF_TEXT)["text"])
    for rel in NOTEBOOKS:
        with read(rel, width, scheme) as reader:
            assert not notebook_squeezed(reader, chapter), (rel, chapter)


def test_the_width_check_catches_a_squeezed_notebook(read):
    with read("rnn/04-assignment/", 375) as reader:
        chapter = max(reader.page.evaluate(WIDTHS_OF_TEXT)["text"])
    with read("notebooks/assignment/", 375) as reader:
        assert not notebook_squeezed(reader, chapter)
        reader.plant(".md-typeset .jupyter-wrapper .jp-Notebook { overflow: auto !important;"
                     " clear: none !important; padding: 10px !important; }")
        assert notebook_squeezed(reader, chapter)


# What a reader sees of code: background, plain text, keywords, strings, numbers.
CODE_LOOK = """(cell) => {
  const blocks = [...document.querySelectorAll(cell)];
  const code = blocks[0];
  const first = sel => { for (const b of blocks) { const e = b.querySelector(sel); if (e) return getComputedStyle(e).color; } return null; };
  return code && {background: getComputedStyle(code).backgroundColor,
    keyword: first('.k, .kn'), string: first('.s1, .s2'), number: first('.mi, .mf'),
    name: first('.n')};
}"""
CHAPTER_CODE = ".md-content .highlight pre > code"
NOTEBOOK_CODE = ".jp-CodeCell .highlight-ipynb pre"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_notebook_code_is_highlighted_like_the_chapters(read, scheme):
    with read("rnn/02-forward/", 1280, scheme) as reader:
        chapter = reader.page.evaluate(CODE_LOOK, CHAPTER_CODE)
    for rel in NOTEBOOKS:
        with read(rel, 1280, scheme) as reader:
            notebook = reader.page.evaluate(CODE_LOOK, NOTEBOOK_CODE)
            rasters = reader.page.evaluate("() => document.querySelectorAll('.jp-RenderedImage img').length")
            plots = reader.page.evaluate("() => document.querySelectorAll('.jp-RenderedSVG svg').length")
        assert notebook == chapter, (rel, notebook, chapter)
        assert plots >= 1 and rasters == 0, (rel, plots, rasters)


def test_the_highlight_check_catches_jupyters_colours(read):
    with read("notebooks/assignment/", 1280, "dark") as reader:
        before = reader.page.evaluate(CODE_LOOK, NOTEBOOK_CODE)
        reader.plant(".jupyter-wrapper .highlight-ipynb .k, .jupyter-wrapper .highlight-ipynb pre"
                     " { color: #008000 !important; background: #111 !important; }")
        assert reader.page.evaluate(CODE_LOOK, NOTEBOOK_CODE) != before


# ---------------------------------------------------------------- tables, words, home

BROKEN_CODE_NAMES = """() => [...document.querySelectorAll('.md-content td code')]
  .filter(c => c.getClientRects().length > 1).map(c => c.textContent)"""
# Material puts each table in a scroll box: one that scrolls must show it (a shadow).
TABLE_SCROLLERS = "[...document.querySelectorAll('.md-content .md-typeset__scrollwrap')]"
UNCUED_SCROLLS = f"""() => {TABLE_SCROLLERS}
  .filter(t => t.scrollWidth > t.clientWidth + 1 && !/gradient/.test(getComputedStyle(t).backgroundImage))
  .map(t => t.textContent.slice(0, 40))"""


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_tables_keep_code_names_whole_and_show_that_they_scroll(read, width, scheme):
    with read("notation/", width, scheme) as reader:
        assert not reader.page.evaluate(BROKEN_CODE_NAMES)
        assert not reader.page.evaluate(UNCUED_SCROLLS)
        scrolls = reader.page.evaluate(
            f"() => {TABLE_SCROLLERS}.some(t => t.scrollWidth > t.clientWidth + 1)")
    assert scrolls or width == 1280  # on a phone the notation table does scroll: the cue is tested


def test_the_table_check_catches_a_broken_name(read):
    with read("notation/", 375) as reader:
        reader.plant(".md-typeset td code { white-space: normal !important; word-break: break-all !important; }"
                     " .md-typeset .md-typeset__scrollwrap { background: none !important; }")
        assert reader.page.evaluate(BROKEN_CODE_NAMES)
        assert reader.page.evaluate(UNCUED_SCROLLS)


def test_korean_words_and_headings(read):
    with read("", 375) as reader:
        style = reader.page.evaluate("""() => {
          const p = [...document.querySelectorAll('.md-content p')].find(p => /[\\uac00-\\ud7a3]/.test(p.textContent));
          const h = document.querySelector('.md-content :is(h1, h2, h3) abbr');
          const body = document.querySelector('.md-content p abbr');
          return {korean: getComputedStyle(p).wordBreak,
                  heading: h ? getComputedStyle(h).borderBottomStyle : 'none',
                  text: getComputedStyle(body).borderBottomStyle};
        }""")
    assert style == {"korean": "keep-all", "heading": "none", "text": "dotted"}


@pytest.mark.parametrize("width,scheme", VIEWS)
def test_the_home_page_opens_on_the_unrolled_rnn_and_leads_to_chapter_1(read, width, scheme):
    with read("", width, scheme) as reader:
        home = reader.page.evaluate("""() => {
          const figure = document.querySelector('.md-content .book-figure#figure-unrolled_rnn');
          const start = [...document.querySelectorAll('.md-content a')].find(a => /start reading/i.test(a.textContent));
          const next = document.querySelector('.md-footer__link--next');
          const inner = document.querySelector('.md-content__inner');
          return {figure: figure ? figure.getBoundingClientRect().top : null,
                  // what comes before the figure: the title and at most one paragraph
                  before: figure ? [...inner.children].slice(0, [...inner.children].indexOf(figure))
                    .filter(e => !e.matches('a.md-content__button')).map(e => e.tagName).join(' ') : null,
                  start: start ? start.getAttribute('href') : null,
                  startTop: start ? start.getBoundingClientRect().top : null,
                  next: next ? next.getAttribute('href') : null};
        }""")
    assert home["before"] in ("H1", "H1 P"), home
    assert home["start"].rstrip("/").endswith("rnn/01-why-sequences"), home
    assert home["next"].rstrip("/").endswith("rnn/01-why-sequences"), home
    if width == 1280:
        assert home["startTop"] < 900, home  # the first step is on the first screen
