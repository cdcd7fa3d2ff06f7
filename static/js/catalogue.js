// Progressive enhancement of the catalogue form: every page works without it.
(function () {
  "use strict";
  var form = document.getElementById("catalogue");
  if (!form) return;
  // On small screens the filters start folded under "Filtrer".
  var filters = form.querySelector(".catalogue__filters");
  if (filters && window.matchMedia("(max-width: 48rem)").matches) {
    filters.removeAttribute("open");
  }
  // A change of facet or sort applies at once; the submit buttons remain for keyboards.
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches('.facet input[type="checkbox"], select[name="tri"]')) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
