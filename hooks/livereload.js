// Live reload for `make serve`: hooks/reload.py puts this into every page that
// `mkdocs serve` sends, in place of MkDocs' own script. It is never part of the
// built site.
//
// MkDocs' script reloads the whole page after every build: 1 to 2 s on a chapter
// full of equations, most of it MathJax typesetting again the equations that did
// not change. This one asks for the page again and, when only its article changed
// (the head, the navigation and our own style sheets and scripts are as they
// were), swaps the page's container as Material's instant navigation does,
// carrying over each equation already typeset whose source is unchanged: MathJax
// typesets the new ones only. Anything else, or any error, reloads the page.
// It waits for a new build exactly as MkDocs' script does (a long poll of
// /livereload/<epoch>/<request>).
function rnnBookLiveReload(epoch, requestId) {
  "use strict";
  const MATH = ".arithmatex, .jp-RenderedMarkdown"; // what docs/javascripts/mathjax-config.js typesets
  const CONTAINER = "[data-md-component=container]"; // what Material's instant navigation swaps
  let shown = null; // what is on screen: the page as served (without this script, whose epoch
  //                   and request differ every time), our style sheets and scripts
  const built = epoch; // the build this page is from
  let loaded = null; // the snapshot of the page on screen, once taken
  let request, timeout;

  async function served(url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.text();
  }

  async function snapshot() {
    const response = await served(location.href);
    const from = Number((response.match(/rnnBookLiveReload\((\d+),/) || [])[1]); // the build it is from
    const html = response.replace(/<script data-livereload>[\s\S]*?<\/script>/g, "");
    const doc = new DOMParser().parseFromString(html, "text/html");
    const assets = [];
    for (const element of doc.querySelectorAll("link[rel=stylesheet][href], script[src]")) {
      const url = new URL(element.getAttribute("href") || element.getAttribute("src"), location.href);
      if (url.origin === location.origin && !url.pathname.includes("/assets/")) {
        assets.push(url.href, await served(url)); // ours: docs/stylesheets, docs/javascripts, the palette
      }
    }
    return { from, html, doc, outside: outsideArticle(html), sources: topmost(doc).map((e) => e.outerHTML),
             assets: JSON.stringify(assets) };
  }

  function outsideArticle(html) {
    const start = html.indexOf("<article"), end = html.lastIndexOf("</article>");
    return start < 0 || end < start ? html : html.slice(0, start) + html.slice(end);
  }

  function topmost(root) {
    return [...root.querySelectorAll(`article ${MATH}`)].filter(
      (element) => !element.parentElement.closest(MATH));
  }

  async function update() {
    const start = performance.now();
    const next = await snapshot();
    const fetched = performance.now();
    if (next.html === shown.html && next.assets === shown.assets) return; // another page was built
    const after = next.doc;
    const whole = typeof document$ === "undefined" ? "no instant navigation"
      : next.assets !== shown.assets ? "a style sheet or script changed"
      : next.outside !== shown.outside ? "more than the article changed"
      : !after.querySelector(CONTAINER) ? "no container"
      : after.querySelector(`${CONTAINER} script[src]`) ? "the page loads scripts of its own" : "";
    if (whole) {
      console.info(`live reload: the whole page (${whole})`);
      location.reload();
      return;
    }
    const typeset = new Map(); // an equation's source -> the same equations on screen, typeset
    const onScreen = topmost(document);
    if (shown.sources.length === onScreen.length) {
      shown.sources.forEach((source, i) => {
        const same = typeset.get(source) || [];
        same.push(onScreen[i]);
        typeset.set(source, same);
      });
      for (const source of topmost(after)) {
        const same = typeset.get(source.outerHTML);
        if (same && same.length) source.replaceWith(same.shift());
      }
    }
    const x = window.scrollX, y = window.scrollY;
    document.title = after.title;
    document.querySelector(CONTAINER).replaceWith(document.adoptNode(after.querySelector(CONTAINER)));
    for (const script of document.querySelectorAll(`${CONTAINER} script`)) {
      const run = document.createElement("script"); // a parsed script does not run: Material's own
      for (const name of script.getAttributeNames()) run.setAttribute(name, script.getAttribute(name));
      run.textContent = script.textContent;
      script.replaceWith(run);
    }
    window.scrollTo(x, y);
    shown = { html: next.html, outside: next.outside, sources: next.sources, assets: next.assets };
    const swapped = performance.now();
    document$.next(document); // Material mounts its components, MathJax typesets the rest
    console.debug(`live reload: the article, in ${Math.round(performance.now() - start)} ms`
      + ` (fetched in ${Math.round(fetched - start)}, swapped in ${Math.round(swapped - fetched)})`);
  }

  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      const latest = parseFloat(this.responseText);
      if (latest > epoch) {
        epoch = latest;
        (loaded || Promise.reject(new Error("not loaded yet"))).then(update)
          .catch((error) => { console.info(`live reload: the whole page (${error})`); location.reload(); })
          .finally(() => { timeout = setTimeout(poll, 0); });
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", "/livereload/" + epoch + "/" + requestId);
    request.send();
  }

  function stop() {
    if (request) request.abort();
    if (timeout) clearTimeout(timeout);
    request = timeout = undefined;
  }

  window.addEventListener("load", function () {
    loaded = snapshot().then((page) => {
      if (page.from !== built) throw new Error("rebuilt while loading"); // the page on screen is older
      shown = page;
    });
    loaded.catch((error) => { console.info(`live reload: the whole page (${error})`); location.reload(); });
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    else stop();
  });
  window.addEventListener("beforeunload", stop);
}
