"""Print the whole book (chapters and notebooks, with a table of contents) to one PDF.

    .venv/bin/python scripts/make_pdf.py [--output site/rnn-book.pdf] [--site DIR]

`make pdf` runs it. It builds the site strictly, fresh, with the one-page version of
the book (mkdocs-print-site-plugin, on with RNN_BOOK_PDF=1) into a temporary
folder, serves it on 127.0.0.1, opens that page in Debian's Chromium, waits for
MathJax to typeset every equation, opens every collapsed block (derivations,
solutions) and prints it: A4, figures as vectors, page numbers in the footer.
``--site`` prints an already built site instead of building one.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
PRINT_PAGE = "print_page/"
FOOTER = ('<div style="width:100%;font-size:8px;color:#555;text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def build(site_dir: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               RNN_BOOK_FRESH="1", RNN_BOOK_PDF="true")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(site_dir: Path, output: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not (site_dir / PRINT_PAGE / "index.html").is_file():
        sys.exit(f"{site_dir} has no {PRINT_PAGE}: build it with RNN_BOOK_PDF=1")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{PRINT_PAGE}",
                      wait_until="load", timeout=300_000)
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("() => MathJax.startup.promise")
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            # Typeset again: the table of contents is copied from the sidebar by the
            # plugin's script, and may be copied before MathJax had run.
            page.evaluate("""() => MathJax.typesetPromise([...document.querySelectorAll(
                '#print-page-toc, .arithmatex:not(:has(mjx-container)), .jp-RenderedMarkdown')])""")
            # Lazy images must load before printing; setting `loading` on the others
            # (the notebooks' inline PNGs) would drop them from the PDF.
            page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
            page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=120_000)
            output.parent.mkdir(parents=True, exist_ok=True)
            partial = output.with_suffix(".pdf.partial")
            page.pdf(path=str(partial), format="A4", print_background=True,
                     margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                     display_header_footer=True, header_template="<span></span>",
                     footer_template=FOOTER)
            partial.replace(output)  # a failed run leaves the previous PDF in place
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "site" / "rnn-book.pdf",
                        help="where to write the PDF (default: site/rnn-book.pdf)")
    parser.add_argument("--site", type=Path, help="a site already built with RNN_BOOK_PDF=1")
    args = parser.parse_args()
    if args.output.suffix != ".pdf":
        parser.error(f"--output expects a path ending in .pdf, got {args.output}")
    if not Path(CHROMIUM).exists():
        sys.exit("making the PDF needs Chromium: install Debian's `chromium` package")
    if args.site:
        print_pdf(args.site, args.output)
    else:
        with tempfile.TemporaryDirectory(prefix="rnn-book-pdf-") as tmp:
            build(Path(tmp))
            print_pdf(Path(tmp), args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
