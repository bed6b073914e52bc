/* Officer workspace enhancements only; every form works without this file.
   - choosing a canned answer fills the answer box at once (without JS the
     "Pakai jawaban baku" button re-renders the form with the text filled) */
(function () {
  "use strict";

  var source = document.getElementById("canned-answers");
  if (!source) { return; }
  var bodies;
  try { bodies = JSON.parse(source.textContent); } catch (e) { return; }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-canned-for]"), function (select) {
    var target = document.getElementById(select.getAttribute("data-canned-for"));
    if (!target) { return; }
    select.addEventListener("change", function () {
      var body = bodies[select.value];
      if (!body) { return; }
      if (target.value.trim() && target.value !== body &&
          !window.confirm(select.getAttribute("data-confirm") || "Ganti isi jawaban?")) { return; }
      target.value = body;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });
  });
})();
