// (The purchase line form asks the server for the chosen group's criteria with htmx.)
// Planned tender form: list only the criteria of the chosen product group. Without
// JavaScript every criterion is listed and the server checks the choice.
(function () {
  "use strict";
  var group = document.getElementById("id_product_group");
  var boxes = document.querySelectorAll("input[name='criteria'][data-product-groups]");
  if (!group || !boxes.length) {
    return;
  }
  function update() {
    var chosen = group.value;
    boxes.forEach(function (box) {
      var groups = box.getAttribute("data-product-groups").split(" ");
      var fits = !chosen || groups.indexOf(chosen) !== -1;
      // A ticked criterion stays visible, so that nothing chosen is hidden.
      var wrapper = box.closest("div") || box.parentElement;
      wrapper.hidden = !fits && !box.checked;
    });
  }
  group.addEventListener("change", update);
  update();
})();
