// Suggestions while typing in the search box: fills the input's <datalist>
// (native, keyboard- and screen-reader-accessible) from /api/search/autocomplete/.
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete-url]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    var value = input.value.trim();
    if (value.length < 2 || value === last) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () {
      last = value;
      fetch(input.dataset.autocompleteUrl + "&q=" + encodeURIComponent(value), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (s) {
            var option = document.createElement("option");
            option.value = s.value;
            option.label = s.kind;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a convenience: ignore failures */ });
    }, 150);
  });
})();
