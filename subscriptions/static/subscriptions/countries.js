// Country choice on the subscription forms, enhanced: a filter box above the
// native <select multiple>, a click toggles one country without losing the
// others, and the chosen countries are listed with a button to remove each.
// Without this script the plain <select multiple> still works.
(function () {
  "use strict";

  function fold(text) {
    // "cote" finds "Côte d'Ivoire": compare without accents or case.
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(box) {
    var select = box.querySelector("select[multiple]");
    if (!select) { return; }
    var d = box.dataset;
    var options = Array.prototype.slice.call(select.options);
    options.forEach(function (o) { o.dataset.folded = fold(o.text + " " + o.value); });

    box.querySelectorAll(".no-js-only").forEach(function (el) { el.hidden = true; });

    var filterId = select.id + "_filter";
    var label = document.createElement("label");
    label.htmlFor = filterId;
    label.className = "country-filter-label";
    label.textContent = d.filterLabel;
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = filterId;
    filter.className = "country-filter";
    filter.setAttribute("autocomplete", "off");
    filter.setAttribute("aria-controls", select.id);
    var help = document.createElement("p");
    help.className = "meta";
    help.id = filterId + "_help";
    help.textContent = d.filterHelp;
    var status = document.createElement("p");
    status.className = "meta country-filter-status";
    status.setAttribute("role", "status");
    status.id = filterId + "_status";
    filter.setAttribute("aria-describedby", help.id + " " + status.id);
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(filter, select);
    select.parentNode.insertBefore(help, select);
    select.parentNode.insertBefore(status, select);

    var chosen = document.createElement("div");
    chosen.className = "country-chosen";
    var chosenTitle = document.createElement("p");
    chosenTitle.className = "country-chosen-title";
    var chosenList = document.createElement("ul");
    chosenList.className = "chips country-chosen-list";
    chosen.appendChild(chosenTitle);
    chosen.appendChild(chosenList);
    select.parentNode.insertBefore(chosen, select.nextSibling);

    function renderChosen() {
      chosenList.textContent = "";
      var picked = options.filter(function (o) { return o.selected; });
      chosenTitle.textContent = d.chosenLabel + (picked.length ? "" : " " + d.noneLabel);
      picked.forEach(function (o) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip chip-remove";
        button.textContent = o.text + " \u00d7";
        button.setAttribute("aria-label", d.removeLabel + " " + o.text);
        button.addEventListener("click", function () {
          o.selected = false;
          renderChosen();
          filter.focus();
        });
        li.appendChild(button);
        chosenList.appendChild(li);
      });
    }

    function applyFilter() {
      var q = fold(filter.value.trim());
      var shown = 0;
      options.forEach(function (o) {
        var match = !q || o.dataset.folded.indexOf(q) !== -1;
        o.hidden = !match;
        o.disabled = false;
        if (match) { shown += 1; }
      });
      status.textContent = q ? shown + " " + (shown === 1 ? d.matchOneLabel : d.matchesLabel) : "";
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (e) {
      // Enter picks the first match instead of submitting the whole form;
      // Down moves into the list.
      var first = options.filter(function (o) { return !o.hidden; })[0];
      if (e.key === "Enter") {
        e.preventDefault();
        if (first) {
          first.selected = true;
          filter.value = "";
          applyFilter();
          renderChosen();
        }
      } else if (e.key === "ArrowDown" && first) {
        e.preventDefault();
        select.focus();
      }
    });
    // A plain click in a multiple select forgets the other choices: toggle instead.
    select.addEventListener("mousedown", function (e) {
      if (e.target.tagName !== "OPTION" || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      e.preventDefault();
      var scroll = select.scrollTop;
      e.target.selected = !e.target.selected;
      select.focus();
      select.scrollTop = scroll;
      renderChosen();
    });
    select.addEventListener("change", renderChosen);
    renderChosen();
  }

  document.querySelectorAll("[data-country-picker]").forEach(enhance);
})();
