// Shows the directorate and section a category goes to, as the agent picks it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("category-sections").textContent);
  var category = document.getElementById("id_category");
  var out = document.getElementById("suggestion");
  if (!category || !out) return;
  function show() {
    var hit = data[category.value];
    out.textContent = hit ? (window.NIDAA_SUGGESTED || "%s").replace("%s", hit) : "";
  }
  category.addEventListener("change", show);
  show();
})();
