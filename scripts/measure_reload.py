"""How long `make serve` takes to show an edit: from saving a file to the page,
reloaded in Chromium, showing the new content. Prints each time and the median.

    .venv/bin/python scripts/measure_reload.py [--runs 5] [--case chapter src figure]

It works on a copy of the book in a temporary folder (your files are never
edited), with the cache of .cache/rnn-book/ copied along if there is one (else
the first build runs the notebooks, a minute or more). It serves the copy as
`make serve` does (`mkdocs serve --dirty`), opens the page in Debian's Chromium
and, for each run, saves one file with a new marker (the page updates in place, or
reloads; tests/site/test_serve.py checks that a page updated in place is the page as
loaded anew):

* chapter: a sentence appended to docs/rnn/02-forward.md, looked for in its text;
* src: a comment inside the `step_forward` section of src/rnn_book/rnn.py, which
  chapter 2 includes, looked for in the page's code;
* figure: figures/tanh.py tags its figure with the marker, looked for in the SVG
  that chapter 3 shows inline.

The 2-core machine is shared: the load average is printed with the times.

Measured on 2026-12-03 on the 2-core machine, shared with other jobs (medians of 5;
the 1-minute load average, from `uptime`, during the runs):

| what | before (136268d) | after (workers, hooks/_pool.py) |
|---|---|---|
| chapter edit | 2.12 s (load 1.8-2.0) | 2.48 s (load 4.8-5.0) |
| src/ edit | 9.24 s (3.7-13.8; load 2.2-2.4) | 7.06 s (2.5-10.1; load 4.6-5.7) |
| figure-script edit | never shown: the page kept the old inline SVG | 5.52 s (3.6-5.6; load 4.7-5.6) |
| fresh strict build, quiet machine | 38.6 s (load 0.8) | 28.6 s (load 0.7); final: 24.9 s (load 1.3-2.0), 29.7 s (load 4.0-4.3) |
| fresh strict build, A/B interleaved | 82.0, 92.7 s (load 3.0-4.5) | 40.0, 33.5 s (load 3.0-3.7) |

(build times as MkDocs reports them; add ~2.7 s of start-up for the wall time.)
2026-12-03, 21:15 (load 2.4-3.1): chapter edit 0.96 s (0.93-1.14), src/ edit 1.21 s
(1.00-1.34), figure-script edit 1.52 s (1.40-1.78). What changed: a figure worker no
longer starts anew after a src/ edit; it runs each figure in a fork of itself that
imports the book's modules anew (hooks/_pool.py), so the figure case no longer waits
1.5-2 s for numpy and matplotlib after the src/ case (at 21:01, with the check below
as it was: 1.17, 1.33, 1.74 s). And the check that the equations are typeset looks at
the page each time (every equation of the article holds MathJax's output), where it
left a flag in the page, which a page reloading itself took away: a page opened while
serve is still building (the Korean pages and the redrawn figures follow an edit by a
second or more) reloads once that build is done, and the wait for the flag then ran
into its 60 s timeout; that is what looked like a hang in Playwright before.
2026-12-03, 19:23 (load 1.3-2.4; each case starts once serve is idle, this script waits
for it; the time runs until the page shows the marker with every equation typeset):
chapter edit 1.32 s (1.01-1.56), src/ edit 1.62 s (1.42-1.74), figure-script edit
2.42 s (1.50-4.14: the first two edits after the src/ case wait for a figure worker
renewed because src/ changed, 1.5-2 s of imports; then 1.50-1.69 s). What changed: the
search index no longer doubles on every save (mkdocs-static-i18n on top of Material's
dirty index: 17 s by the fifth save); saves are heard by inotify (MkDocs polled every
0.5 s); the theme is listed without its hidden icons (0.25 s a build); a page is
rendered again only when the part it shows changed (hooks/_shown.py); the Korean pages
follow the English ones in a second build a second later; and the page swaps in its
new article without reloading (hooks/livereload.js), keeping the typeset equations: a
full reload of chapter 3 alone took 2 s in Chromium here, most of it MathJax.
Before that, with the Korean edition (2026-12-03, 16:36, load 2.0-2.6): every save rebuilds both
editions; chapter edit 4.14 s (3.0-22.4: the slowest run overlapped the rebuild
before it); with `RNN_BOOK_ONLY_LANGUAGE=en` (English alone) 2.29 s (1.95-3.33).
Fresh strict build of both editions, quiet machine: 28.5 s (load 0.3-1.1).
Where a fresh build's time went before, on a quiet machine: the MkDocs process's
own work (pages, API pages, search index, with every figure and notebook cached)
10.8 s; the figures, drawn in the MkDocs process with two BLAS threads, 25-50 s
depending on the load (clipping_cliff 5.1 s, gru_compared 6.9-19.1 s,
vanishing_exploding 7.5-12.5 s, lstm_gradient_norms 4.5-11.2 s, fast_ladder
2.6-4.0 s, the other five under 1 s each); with one BLAS thread 5.0, 4.5, 2.7,
2.6, 1.7 s (clipping_cliff 2.8 s once its curve came from the forward pass
alone); then the two notebooks, one after the other (~13 s, and 3.4 s more
of trimming their CSS, under cProfile). The PDF hook only adds a link. Not yet at
the issue's 2 s: a src/ edit's reload is 2.5-3.2 s when the serve process is
idle, 7-10 s when the edit lands while the build before it is still running (the
API pages' second build, or a rebuild for figures and notebooks recomputed in the
background: every one depends on src/); this script edits every ~2 s, which makes
that likely. A figure-script edit waits for the drawing (then, a worker whose imports
were older than src/ was restarted first) and for chapter 3, a long page. A chapter
edit's reload is MkDocs reloading its configuration and rendering the page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["mkdocs.yml", "docs", "src", "includes", "hooks", "figures", "overrides", "benchmarks"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
SECTION = "# --8<-- [start:step_forward]\n"


def edit_chapter(book: Path, marker: str) -> None:
    page = book / "docs" / "rnn" / "02-forward.md"
    page.write_text(ORIGINAL[page] + f"\nReload probe {marker}.\n", encoding="utf-8")


def edit_src(book: Path, marker: str) -> None:
    module = book / "src" / "rnn_book" / "rnn.py"
    text = ORIGINAL[module]
    if SECTION not in text:
        sys.exit(f"{module} has no line {SECTION.strip()!r}: update this script")
    module.write_text(text.replace(SECTION, f"{SECTION}# reload probe {marker}\n", 1), encoding="utf-8")


def edit_figure(book: Path, marker: str) -> None:
    script = book / "figures" / "tanh.py"
    script.write_text(ORIGINAL[script] + (
        f"\n\n_draw = draw\n\n\ndef draw():\n    fig = _draw()\n"
        f"    fig.set_gid('reload-probe-{marker}')\n    return fig\n"), encoding="utf-8")


CASES = {  # edit, page, JavaScript that is true once the page shows `marker`
    "chapter": (edit_chapter, "rnn/02-forward/",
                "m => document.body.textContent.includes('Reload probe ' + m)"),
    "src": (edit_src, "rnn/02-forward/",
            "m => document.body.textContent.includes('reload probe ' + m)"),
    "figure": (edit_figure, "rnn/03-bptt/",  # the hook inlines the SVG in a <figure>
               "m => { const fig = document.querySelector('#figure-tanh');"
               " return !!fig && fig.innerHTML.includes('reload-probe-' + m); }"),
}
ORIGINAL: dict[Path, str] = {}


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and every process below it (Linux /proc)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
        ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    tree, grew = {pid}, True
    while grew:
        below = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, limit: float = 300) -> float:
    """Wait until `mkdocs serve` and its workers are idle (the previous case's figures and
    notebooks recomputed in the background): each case starts as an author's next edit
    would, a while after the last. Returns the seconds waited."""
    start = time.monotonic()
    quiet = 0
    before = _tree_cpu(pid)
    while quiet < 3 and time.monotonic() - start < limit:
        time.sleep(1)
        now = _tree_cpu(pid)
        quiet = quiet + 1 if now - before < 0.1 else 0
        before = now
    return time.monotonic() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_book(target: Path) -> None:
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    if (ROOT / ".cache" / "rnn-book").is_dir():
        shutil.copytree(ROOT / ".cache" / "rnn-book", target / ".cache" / "rnn-book",
                        ignore=shutil.ignore_patterns("done"))
    for rel in ("docs/rnn/02-forward.md", "src/rnn_book/rnn.py", "figures/tanh.py"):
        ORIGINAL[target / rel] = (target / rel).read_text(encoding="utf-8")


def wait_for_server(url: str, server: subprocess.Popen, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if server.poll() is not None:
                sys.exit("mkdocs serve exited; see its log above")
            time.sleep(1)
    sys.exit(f"mkdocs serve did not answer within {timeout:.0f} s")


def measure(page, edit, shows: str, book: Path, marker: str, timeout: float = 120) -> float:
    """Seconds from saving the edit to the page showing the marker, its equations typeset
    (the page is updated in place by hooks/livereload.js, or reloaded whole)."""
    start = time.monotonic()
    edit(book, marker)
    while time.monotonic() - start < timeout:
        try:
            left = (timeout - (time.monotonic() - start)) * 1000
            page.wait_for_function(f"m => document.readyState === 'complete' && ({shows})(m)",
                                   arg=marker, timeout=max(left, 1), polling=10)
            typeset(page)
            return time.monotonic() - start
        except Exception as error:  # a reload in the middle of the wait: look again
            if "Timeout" in type(error).__name__:
                break
    raise SystemExit(f"the page did not show {marker!r} within {timeout:.0f} s")


def typeset(page, timeout: float = 60) -> None:
    """Wait for MathJax to have typeset every equation of the page's article. Looked at
    afresh each time (no flag left in the page): a page opened while serve is still
    building reloads itself once that build is done, and a flag would go with it."""
    page.wait_for_function(
        "() => document.readyState === 'complete' && !!window.MathJax?.startup?.document"
        " && [...document.querySelectorAll('article .arithmatex')]"
        ".every((e) => e.querySelector('mjx-container'))", timeout=timeout * 1000, polling=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="edits per case (default 5)")
    parser.add_argument("--case", nargs="+", choices=list(CASES), default=list(CASES),
                        help="what to edit (default: all three)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs expects a positive number of edits")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="rnn-book-reload-") as tmp:
        book = Path(tmp)
        copy_book(book)
        port = free_port()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
                   PYTHONPATH=str(book / "src"))
        env.pop("RNN_BOOK_FRESH", None)
        log = open(book / "serve.log", "w")
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=book, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/rnn-book/"
        try:
            print(f"serving a copy of the book at {url} (first build) ...", flush=True)
            wait_for_server(url, server)
            results = {}
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                for case in args.case:
                    print(f"waited {settle(server.pid):.0f} s for serve to be idle", flush=True)
                    edit, rel, shows = CASES[case]
                    page = browser.new_page()
                    page.on("console", lambda message: message.text.startswith("live reload: the whole")
                            and print(f"  ({message.text})", flush=True))
                    page.goto(url + rel, wait_until="load")
                    times = []
                    for run in range(args.runs):
                        time.sleep(2)  # let the previous build settle
                        times.append(measure(page, edit, shows, book, f"{case}{run}x{time.time_ns()}"))
                        print(f"{case:8s} run {run + 1}: {times[-1]:.2f} s  "
                              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
                    results[case] = statistics.median(times)
                    page.close()
                browser.close()
        except BaseException:
            log.flush()
            print("last lines of the mkdocs serve log:\n"
                  + "\n".join((book / "serve.log").read_text().splitlines()[-30:]), file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    for case, median in results.items():
        print(f"median reload after editing {case}: {median:.2f} s")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores")


if __name__ == "__main__":
    main()
