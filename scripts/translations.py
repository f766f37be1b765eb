"""Which English page each Korean page translates, and whether it still does.

Every Korean page sits beside its English page with ``.ko`` before the
extension (``docs/rnn/02-forward.ko.md`` translates ``docs/rnn/02-forward.md``,
``docs/notebooks/char_lm.ko.py`` translates ``docs/notebooks/char_lm.py``) and
records the SHA-256 of the English file it was translated from:

* a chapter in its front matter, ``english_sha256: <hex>``;
* a notebook in its jupytext header, ``#   english_sha256: <hex>`` under ``# jupyter:``.

When the English page changes, ``tests/site/test_translations.py`` fails and
names the page. To bring a translation up to date::

    git diff <commit of the recorded hash>.. -- docs/rnn/02-forward.md   # what changed
    # ... edit docs/rnn/02-forward.ko.md to match ...
    python scripts/translations.py stamp docs/rnn/02-forward.ko.md

``python scripts/translations.py check`` lists every stale or missing translation.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
LANGUAGE = "ko"
UNTRANSLATED = ("api/",)  # docstrings are code: the API reference stays English (api.ko.md says so)
_MD_HASH = re.compile(r"^english_sha256: *([0-9a-f]*) *$", re.MULTILINE)
_PY_HASH = re.compile(r"^#   english_sha256: *([0-9a-f]*) *$", re.MULTILINE)


def english_page(translation: Path) -> Path:
    """``x.ko.md`` -> ``x.md``; ``x.ko.py`` -> ``x.py``."""
    stem, language = translation.stem.rsplit(".", 1) if "." in translation.stem else (translation.stem, "")
    if language != LANGUAGE:
        raise ValueError(f"translation: expected a file named <page>.{LANGUAGE}<ext>, got {translation.name}")
    return translation.with_name(stem + translation.suffix)


def translation_of(english: Path) -> Path:
    return english.with_name(f"{english.stem}.{LANGUAGE}{english.suffix}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded_hash(translation: Path) -> str | None:
    """The English file's hash the translation records, or None if it records none."""
    text = translation.read_text(encoding="utf-8")
    if translation.suffix == ".md":
        front = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
        match = _MD_HASH.search(front.group(1)) if front else None
    else:
        header = re.match(r"# ---\n(.*?)\n# ---\n", text, re.DOTALL)
        match = _PY_HASH.search(header.group(1)) if header else None
    return match.group(1) if match else None


def english_pages() -> list[Path]:
    """Every English page that must have a Korean translation."""
    pages = [*DOCS.rglob("*.md"), *(DOCS / "notebooks").glob("*.py")]
    return sorted(p for p in pages
                  if not p.stem.endswith(f".{LANGUAGE}")
                  and not p.relative_to(DOCS).as_posix().startswith(UNTRANSLATED))


def translations() -> list[Path]:
    return sorted([*DOCS.rglob(f"*.{LANGUAGE}.md"), *(DOCS / "notebooks").glob(f"*.{LANGUAGE}.py")])


def problems() -> list[str]:
    """One line per missing, unstamped or stale translation (empty: all up to date)."""
    found = []
    for english in english_pages():
        if not translation_of(english).exists():
            found.append(f"{english.relative_to(ROOT)}: no Korean translation "
                         f"({translation_of(english).relative_to(ROOT)})")
    for translation in translations():
        name = translation.relative_to(ROOT)
        english = english_page(translation)
        if not english.exists():
            found.append(f"{name}: its English page {english.relative_to(ROOT)} does not exist")
            continue
        recorded = recorded_hash(translation)
        if recorded is None:
            found.append(f"{name}: records no english_sha256 (run: python scripts/translations.py stamp {name})")
        elif recorded != sha256(english):
            found.append(f"{name}: {english.relative_to(ROOT)} changed since it was translated "
                         f"(update the translation, then: python scripts/translations.py stamp {name})")
    return found


def stamp(translation: Path) -> None:
    """Record the English page's current hash in ``translation``."""
    value = sha256(english_page(translation))
    text = translation.read_text(encoding="utf-8")
    if translation.suffix == ".md":
        front = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
        if front is None:
            text = f"---\nenglish_sha256: {value}\n---\n\n" + text
        elif _MD_HASH.search(front.group(1)):
            body = _MD_HASH.sub(f"english_sha256: {value}", front.group(1))
            text = f"---\n{body}\n---\n" + text[front.end():]
        else:
            text = f"---\n{front.group(1)}\nenglish_sha256: {value}\n---\n" + text[front.end():]
    else:
        header = re.match(r"# ---\n(.*?)\n# ---\n", text, re.DOTALL)
        if header is None or "# jupyter:" not in header.group(1):
            raise ValueError(f"{translation}: expected a jupytext header (# ---, # jupyter:, ...) at the top")
        body = header.group(1)
        if _PY_HASH.search(body):
            body = _PY_HASH.sub(f"#   english_sha256: {value}", body)
        else:
            body = body.replace("# jupyter:", f"# jupyter:\n#   english_sha256: {value}", 1)
        text = f"# ---\n{body}\n# ---\n" + text[header.end():]
    translation.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    stamp_cmd = sub.add_parser("stamp", help="record the English page's hash in each translation")
    stamp_cmd.add_argument("translation", nargs="+", type=Path, help=f"a <page>.{LANGUAGE}.md or .{LANGUAGE}.py file")
    sub.add_parser("check", help="list missing and stale translations; exit 1 if any")
    args = parser.parse_args(argv)
    if args.command == "stamp":
        for path in args.translation:
            if not path.is_file():
                parser.error(f"translation: {path} is not a file")
            try:
                stamp(path)
            except ValueError as error:
                parser.error(str(error))
            print(f"stamped {path}")
        return 0
    found = problems()
    print("\n".join(found) if found else "every translation is up to date")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
