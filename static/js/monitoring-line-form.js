// Purchase line form: changing the product group shows its approved criteria (the
// "Show the criteria" button, which also works without JavaScript).
// Planned tender form: list only the criteria of the chosen product group. Without
// JavaScript every criterion is listed and the server checks the choice.
(function () {
  "use strict";
  var group = document.getElementById("id_product_group");
  // The purchase line form asks the server for the chosen group's approved criteria.
  var show = document.querySelector("[data-show-criteria]");
  if (group && show) {
    group.addEventListener("change", function () {
      show.click();
    });
    return;
  }
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
