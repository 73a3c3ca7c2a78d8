// Shows the directorate and section a category goes to, as the agent picks it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("category-sections").textContent);
  var category = document.getElementById("id_category");
  var out = document.getElementById("suggestion");
  var template = document.getElementById("suggested-template").textContent;
  if (!category || !out) return;
  function show() {
    var hit = data[category.value];
    out.textContent = hit ? template.replace("%s", hit) : "";
  }
  category.addEventListener("change", show);
  show();
})();
