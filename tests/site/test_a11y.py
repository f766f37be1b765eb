"""Every page is usable without sight and without a mouse.

* axe-core (bundled by the PyPI package axe-playwright-python, nothing fetched)
  audits every page in Chromium, in the light and the dark scheme: no serious or
  critical violation. No rule is disabled.
* Every figure and notebook plot has alt text that describes it.
* Every equation carries MathJax's assistive MathML, which screen readers read.
* Every link and button can be reached with the Tab key and shows where focus is.
"""

from __future__ import annotations

import pytest

from .test_browser import Visit, browser, site_pages  # noqa: F401  (browser is a fixture)

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

BLOCKING = ("serious", "critical")
PLACEHOLDER_ALT = "No description has been provided for this image"


def axe_violations(page) -> list[dict]:
    results = axe_sync.Axe().run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(browser, site_url, built_site, scheme):
    problems = []
    for rel in site_pages(built_site):
        with Visit(browser, site_url + rel, color_scheme=scheme) as visit:
            shown = visit.page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
            assert shown == ("slate" if scheme == "dark" else "default"), shown
            for v in axe_violations(visit.page):
                targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:3]]
                problems.append(f"{rel or '/'} [{scheme}] {v['id']} ({v['impact']}, "
                                f"{len(v['nodes'])}x): {v['help']} -- {targets}")
    assert not problems, "\n".join(problems)


def test_the_audit_catches_a_serious_violation(browser, site_url):
    """The audit is live: an image without alt text on the home page is reported."""
    with Visit(browser, site_url) as visit:
        visit.page.evaluate("""() => { const img = document.createElement('img');
            img.src = 'figures/tanh.svg'; document.querySelector('article').append(img); }""")
        assert "image-alt" in {v["id"] for v in axe_violations(visit.page)}


def test_every_image_says_what_it_shows(browser, site_url, built_site):
    missing = []
    for rel in site_pages(built_site):
        with Visit(browser, site_url + rel) as visit:
            alts = visit.page.evaluate(
                "() => [...document.querySelectorAll('.md-content img')].map(i => [i.src, i.alt])")
        for src, alt in alts:
            if len(alt.split()) < 4 or alt == PLACEHOLDER_ALT:
                missing.append(f"{rel}: {src.rsplit('/', 1)[-1][:40]} alt={alt!r}")
    assert not missing, "\n".join(missing)


def test_equations_carry_assistive_mathml(browser, site_url):
    """Screen readers read the hidden MathML MathJax puts beside each SVG equation."""
    with Visit(browser, site_url + "notation/") as visit:
        counts = visit.page.evaluate("""() => {
            const all = [...document.querySelectorAll('mjx-container')];
            return [all.length, all.filter(c => c.querySelector('mjx-assistive-mml math')).length];
        }""")
    assert counts[0] >= 10 and counts[1] == counts[0], counts


def test_keyboard_reaches_every_link_with_visible_focus(browser, site_url):
    """From the top of a chapter, Tab reaches the navigation, the content's links
    and the footer, and every stop shows a focus ring."""
    with Visit(browser, site_url + "rnn/02-forward/") as visit:
        page = visit.page
        expected = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href]')]
            .filter(a => a.offsetParent !== null && !a.closest('details:not([open])')).length""")
        stops, invisible = [], []
        for _ in range(400):
            page.keyboard.press("Tab")
            stop = page.evaluate("""() => {
              const active = document.activeElement;
              if (!active || active === document.body) return null;
              // Material's toggles are visually hidden inputs: their label shows the focus.
              const el = active.matches('input.md-option') ? active.nextElementSibling : active;
              const s = getComputedStyle(el);
              const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
              return {key: active.outerHTML.slice(0, 80), content: !!el.closest('.md-content'),
                      footer: !!el.closest('.md-footer'), ring};
            }""")
            if stop is None or (stops and stop["key"] == stops[0]["key"]):
                break
            stops.append(stop)
            if not stop["ring"]:
                invisible.append(stop["key"])
    in_content = sum(s["content"] for s in stops)
    assert in_content >= expected > 5, (in_content, expected)
    assert any(s["footer"] for s in stops), "Tab never reaches the footer"
    assert not invisible, "focus not visible on:\n" + "\n".join(invisible[:20])
