// MathJax 3, served from this site (see hooks/mathjax.py), SVG output so that
// no web font is needed. It typesets only the elements below, passed to it
// explicitly (never the whole page, so a "$" in prose or code stays a "$"):
//  - .arithmatex: equations written in the Markdown chapters (pymdownx.arithmatex)
//  - .jp-RenderedMarkdown: Markdown cells of notebook pages (raw $…$)
//  - the table of contents (and the PDF's, #print-page-toc), whose entries
//    repeat headings that hold math.
// Inside them MathJax's defaults apply (it skips <pre> and <code>). Material's
// recipe (ignoreHtmlClass ".*|", processHtmlClass "arithmatex") would skip
// every descendant of a notebook cell and leave its $…$ raw.
// It re-typesets after every instant-navigation page change.
const MATH_ELEMENTS =
  ".arithmatex, .jp-RenderedMarkdown, .md-sidebar--secondary .md-nav__link, #print-page-toc .md-nav__link";

window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  svg: { fontCache: "local" },
  startup: {
    typeset: false,
    // Subscribe only once MathJax has loaded; document$ (Material's page
    // observable) replays the current page, then emits on every navigation.
    ready: function () {
      MathJax.startup.defaultReady();
      document$.subscribe(function () {
        MathJax.startup.promise = MathJax.startup.promise
          .then(function () {
            MathJax.typesetClear();
            return MathJax.typesetPromise(
              Array.from(document.querySelectorAll(MATH_ELEMENTS)));
          })
          .catch(function (err) {
            console.error("MathJax typesetting failed:", err);
          });
      });
    },
  },
};
