// Tender builder: keep the "Criteria chosen" count up to date while ticking criteria.
// The page works without this script; it only saves counting by hand.
(function () {
  "use strict";

  function updateCount() {
    var counter = document.getElementById("criteria-count");
    if (!counter) {
      return;
    }
    var chosen = document.querySelectorAll('input[name="criteria"]:checked').length;
    counter.textContent = counter.dataset.template.replace("%s", String(chosen));
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "criteria") {
      updateCount();
    }
  });
  document.addEventListener("htmx:afterSwap", updateCount);
})();
