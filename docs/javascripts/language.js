// The language selector leads to this page in the other language (hooks/i18n.py).
// Instant navigation swaps the page but not the header: after every navigation the
// selector's links are taken from the page's own hidden list of its translations.
document$.subscribe(function () {
  document.querySelectorAll("[data-alternates] a[hreflang]").forEach(function (alternate) {
    var lang = alternate.getAttribute("hreflang");
    document.querySelectorAll('.md-select__link[hreflang="' + lang + '"]').forEach(function (link) {
      link.href = alternate.href;
    });
  });
});
