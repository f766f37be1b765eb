// MathJax 3, served from this site (see hooks/mathjax.py), SVG output so that
// no web font is needed. It typesets two kinds of element only, passed to it
// explicitly (never the whole page, so a "$" in prose or code stays a "$"):
//  - .arithmatex: equations written in the Markdown chapters (pymdownx.arithmatex)
//  - .jp-RenderedMarkdown: Markdown cells of notebook pages (raw $…$), whose
//    math sits in child <p> and <li> elements; that is why this does not use
//    the ignoreHtmlClass ".*|" recipe, which skips every child without a class.
// It re-typesets after every instant-navigation page change.
const MATH_ELEMENTS = ".arithmatex, .jp-RenderedMarkdown";

window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // Skip every element that has a class, unless it is one of the two below.
    // Not ".*|": that also matches an empty class, so the class-less <p> inside
    // a notebook's .jp-RenderedMarkdown would be skipped and its $…$ left raw.
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
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
