"""Find the measured numbers a page states in its prose, and what the page prints.

A page of the book may state a number in its prose only if its own output shows it.
This module splits a page into its prose and its output, finds the numbers in the
prose that read as measurements, and says which of them nothing on the page printed.

What counts as **output** (the numbers a claim may quote):

* the expected output of every ``pycon`` session (the doctests check it is what the
  code prints), the lines that do not start with ``>>>`` or ``...``;
* every file a page includes with ``--8<--`` that is not the package's source,
  such as ``benchmarks/RESULTS*.md`` (a recorded report, guarded by its own hash);
* for a notebook, the outputs of its code cells as the build executed them (read
  from the built page).

What counts as a **measured number** in the prose (outside code fences and inline
code, inside ``$…$`` math too):

* a number with a decimal point or an exponent: ``0.94``, ``1e-7``, ``3.4 \\times 10^{-13}``;
* a percentage: ``36 %``, ``73%``;
* a number followed by the word ``times``: ``19.8 times``, ``5 times`` (Korean ``19.8배``).

Plain integers (``k = 4``, ``60 steps``, ``chapter 8``) and bare powers of ten
(``$10^{-7}$``, a tolerance or a scale) are read as definitions.

**The marker convention.** A number the text gives rather than measures (a setting,
an exact value such as $\\sigma(0) = 0.5$, a figure quoted from elsewhere) is listed
in an HTML comment on the same line, which the reader never sees:

    With the learning rate 0.5 the loss falls to 0.05 ... <!-- given: 0.5 -->
    Karpathy's script uses a learning rate of 0.1. <!-- cited: 0.1 -->

``given:`` is for definitions, settings and exact arithmetic; ``cited:`` for numbers
from another source. Each listed number must occur on that line, so a marker cannot
outlive the number it excuses.

A claim **matches** an output number when they agree to the claim's own precision:
``0.73`` matches a printed ``0.7311``, ``3.4 \\times 10^{-13}`` matches ``3.41e-13``,
and a percentage matches a printed fraction (``73%`` matches ``0.7311``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
INCLUDE = re.compile(r'--8<--\s+"(?P<path>[^"]+)"')
MARKER = re.compile(r"<!--\s*(?:given|cited)\s*:(?P<numbers>[^>]*?)-->")
COMMENT = re.compile(r"<!--.*?-->")
INLINE_CODE = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")

_SIGNED = r"(?<![\w.])(?P<number>\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_POWER = r"(?:\s*(?:\\times|\\cdot|×|·)\s*10\^\{?(?P<power>[-−]?\d+)\}?)"
_KIND = r"(?P<kind>\s*(?:\\%|%|times\b|배))"  # 배: "times" on the Korean pages
CLAIM = re.compile(_SIGNED + _POWER + "?" + _KIND + "?")
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Claim:
    """A measured number stated in prose: its value and the precision it is stated to."""

    line: int
    text: str
    value: float
    half_unit: float   # the claim is any value within this of `value`
    percent: bool

    def matches(self, printed: float) -> bool:
        candidates = [abs(printed)]
        if self.percent:
            candidates.append(abs(printed) * 100)
        slack = self.half_unit * (1 + 1e-9) + 1e-15
        return any(abs(candidate - self.value) <= slack for candidate in candidates)


def _half_unit(number: str, power: int) -> float:
    mantissa = number.replace(",", "").lower().split("e")
    decimals = len(mantissa[0].split(".")[1]) if "." in mantissa[0] else 0
    exponent = int(mantissa[1]) if len(mantissa) > 1 else 0
    return 0.5 * 10.0 ** (exponent + power - decimals)


def claims_in_line(number: int, line: str) -> list[Claim]:
    """The measured numbers of one line of prose, less those its marker excuses."""
    excused = []
    for marker in MARKER.finditer(line):
        excused += marker.group("numbers").split()
    text = COMMENT.sub(" ", line)
    text = INLINE_CODE.sub(" ", text)
    text = LINK_TARGET.sub("]", text)
    found = []
    for match in CLAIM.finditer(text):
        raw, power, kind = match.group("number"), match.group("power"), match.group("kind")
        is_claim = bool(power) or bool(kind) or "." in raw or "e" in raw.lower()
        if not is_claim:
            continue
        if raw in excused:
            excused.remove(raw)
            continue
        power_value = int(power.replace("−", "-")) if power else 0
        value = float(raw.replace(",", "")) * 10.0 ** power_value
        found.append(Claim(number, match.group(0).strip(), value, _half_unit(raw, power_value),
                           percent="%" in (kind or "")))
    return found


def unused_markers(number: int, line: str) -> list[str]:
    """Numbers a marker lists that the line itself does not state (a marker gone stale)."""
    stated = COMMENT.sub(" ", line)
    stale = []
    for marker in MARKER.finditer(line):
        for listed in marker.group("numbers").split():
            if not re.search(r"(?<![\w.])" + re.escape(listed) + r"(?![\d])", stated):
                stale.append(f"line {number}: {listed}")
    return stale


def printed_numbers(text: str) -> list[float]:
    values = []
    for match in NUMBER.finditer(text):
        try:
            values.append(float(match.group(0).replace(",", "").replace("−", "-")))
        except ValueError:
            continue
    return values


@dataclass
class Page:
    """A page split into prose lines and the text of its output."""

    path: Path
    prose: list[tuple[int, str]]
    output: str


def _section(text: str, name: str) -> str:
    start = re.search(rf"--8<-- \[start:{re.escape(name)}\]", text)
    end = re.search(rf"--8<-- \[end:{re.escape(name)}\]", text)
    if not start or not end:
        raise ValueError(f"no section {name!r}")
    return text[start.end():end.start()]


def included_output(include: str, root: Path) -> str:
    """The text of an included file, if it is a generated record rather than our source."""
    path, _, section = include.partition(":")
    if path.startswith("src/"):
        return ""
    text = (root / path).read_text(encoding="utf-8")
    return _section(text, section) if section else text


def split_markdown(path: Path, root: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    prose, output = [], []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        fence = opening.group("fence")
        info = opening.group("info").split()
        language = info[0].lstrip("{.") if info else ""
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        body = []
        i += 1
        while i < len(lines) and not closing.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        for included in INCLUDE.finditer("\n".join(body)):
            output.append(included_output(included.group("path"), root))
        if language == "pycon" or (body and body[0].lstrip().startswith(">>>")):
            output += [b for b in body if not b.lstrip().startswith((">>>", "..."))]
    for number, line in prose:
        for included in INCLUDE.finditer(line):
            output.append(included_output(included.group("path"), root))
    return Page(path, prose, "\n".join(output))


def split_notebook(source: Path, built_page: Path) -> Page:
    """A notebook: its Markdown cells (from the jupytext source) are prose, and the
    outputs its code cells printed when the build executed it are output."""
    import jupytext
    from bs4 import BeautifulSoup

    notebook = jupytext.read(source)
    prose = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            prose += [(0, line) for line in cell.source.splitlines()]
    html = BeautifulSoup(built_page.read_text(encoding="utf-8"), "html.parser")
    outputs = html.select(".jp-OutputArea-output")
    return Page(source, prose, "\n".join(out.get_text(" ") for out in outputs))


def unsupported_claims(page: Page) -> list[str]:
    """Every measured number in the prose that no output of the page shows."""
    printed = printed_numbers(page.output)
    problems = []
    for number, line in page.prose:
        for claim in claims_in_line(number, line):
            if not any(claim.matches(value) for value in printed):
                where = f"line {number}" if number else "a Markdown cell"
                problems.append(f"{page.path.name}, {where}: {claim.text!r} "
                                f"is printed nowhere on the page")
        problems += [f"{page.path.name}, stale marker at {stale}"
                     for stale in unused_markers(number, line)]
    return problems

