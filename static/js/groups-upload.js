// Warn before sending a document that is larger than the site accepts.
// The server checks size and type again; this only saves a long, useless upload.
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-max-bytes]");
  var warning = document.getElementById("upload-warning");
  if (!input || !warning) return;
  var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (file && file.size > limit) {
      warning.textContent = warning.getAttribute("data-message");
      warning.hidden = false;
    } else {
      warning.textContent = "";
      warning.hidden = true;
    }
  });
})();
