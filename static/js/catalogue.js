// Progressive enhancement of the catalogue: every page works without it.
// With it, a change of facet or sort updates the facets and results in place (the URL
// follows, so permalinks and the back button keep working).
(function () {
  "use strict";
  var form = document.getElementById("catalogue");
  if (!form || !window.fetch || !window.DOMParser) return;

  var filters = form.querySelector(".catalogue__filters");
  if (filters && window.matchMedia("(max-width: 48rem)").matches) {
    filters.removeAttribute("open");
  }

  function urlFor(formElement) {
    var params = new URLSearchParams(new FormData(formElement));
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function swap(html, focusResults) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    ["#resultats", ".catalogue__filters-body"].forEach(function (selector) {
      var fresh = doc.querySelector(selector);
      var current = document.querySelector(selector);
      if (fresh && current) current.replaceWith(fresh);
    });
    document.title = doc.title;
    var count = document.getElementById("nombre-resultats");
    if (count && focusResults) {
      count.setAttribute("tabindex", "-1");
      count.focus();
    }
  }

  function load(url, push, focusResults) {
    form.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        swap(html, focusResults);
        if (push) window.history.pushState({ catalogue: true }, "", url);
      })
      .catch(function () {
        window.location.assign(url); // fall back to a normal page load
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
      });
  }

  // On a phone the filters sit above the results: after a change, fold them and bring
  // the results (and the keyboard focus, which would be lost in the folded panel) in view.
  function showResults() {
    if (!filters || !window.matchMedia("(max-width: 48rem)").matches) return false;
    filters.removeAttribute("open");
    var results = document.getElementById("resultats");
    if (results) results.scrollIntoView({ block: "start" });
    return true;
  }

  form.addEventListener("change", function (event) {
    if (event.target.matches('.facet input[type="checkbox"], select[name="tri"]')) {
      var facet = event.target.matches(".facet input");
      load(urlFor(form), true, false).then(function () {
        if (facet && showResults()) {
          var count = document.getElementById("nombre-resultats");
          count.setAttribute("tabindex", "-1");
          count.focus({ preventScroll: true });
        }
      });
    }
  });

  window.addEventListener("popstate", function () {
    load(window.location.pathname + window.location.search, false, false);
  });
})();
