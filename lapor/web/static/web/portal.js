/* Enhancements only: every form works without this file.
   - region pickers fill from /api/v1/regions instead of a round trip
   - "use my location" fills the map point
   - similar reports appear while typing
   - the error summary takes focus so screen readers and keyboards start there */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }

  var LEVELS = ["id_province", "id_regency", "id_district", "id_village"];
  var selects = LEVELS.map($).filter(Boolean);
  function clear(select) {
    var first = select.options[0];
    select.innerHTML = "";
    if (first) { select.appendChild(first); first.selected = true; }
  }
  function fill(select, parent) {
    clear(select);
    if (!parent) { return Promise.resolve(); }
    return fetch("/api/v1/regions?parent=" + encodeURIComponent(parent), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (rows) {
        rows.forEach(function (row) {
          var o = document.createElement("option");
          o.value = row.code; o.textContent = row.name; select.appendChild(o);
        });
      });
  }
  if (selects.length > 1) {
    var refresh = $("refresh-region");
    if (refresh) { refresh.hidden = true; }
    selects.forEach(function (select, i) {
      select.addEventListener("change", function () {
        for (var j = i + 2; j < selects.length; j++) { clear(selects[j]); }
        if (i + 1 < selects.length) {
          fill(selects[i + 1], select.value).catch(function () { if (refresh) { refresh.hidden = false; } });
        }
      });
    });
  }

  var locate = $("use-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        $("id_latitude").value = pos.coords.latitude.toFixed(6);
        $("id_longitude").value = pos.coords.longitude.toFixed(6);
      });
    });
  }

  var live = $("similar-live"), text = $("id_text");
  if (live && text && !document.querySelector(".similar")) {
    var timer = null, last = "";
    var ask = function () {
      var value = text.value.trim();
      if (value.length < 20 || value === last) { return; }
      last = value;
      var params = new URLSearchParams({ text: value.slice(0, 2000) });
      ["id_category", "id_province", "id_regency", "id_district", "id_village"].forEach(function (id) {
        var el = $(id);
        if (el && el.value) { params.set(el.name, el.value); }
      });
      fetch(live.getAttribute("data-url") + "?" + params.toString())
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { live.innerHTML = html; })
        .catch(function () {});
    };
    text.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 900); });
  }
})();
