// MathJax 3, served from this site (see hooks/mathjax.py), SVG output so that
// no web font is needed. It typesets two kinds of element only:
//  - .arithmatex: equations written in the Markdown chapters (pymdownx.arithmatex)
//  - .jp-RenderedMarkdown: Markdown cells of notebook pages (raw $…$)
// and it re-typesets after every instant-navigation page change.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
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
            return MathJax.typesetPromise();
          })
          .catch(function (err) {
            console.error("MathJax typesetting failed:", err);
          });
      });
    },
  },
};
