/* Wagtail's autosave of a page, held back while a field the database cannot store
   empty is still blank (the title; a report's city). A new report autosaved before
   its city is chosen would otherwise be refused with "There are validation errors"
   and autosave would pause, an error the officer did nothing to cause. Autosave
   resumes on the first change once those fields are filled. */
(function () {
  "use strict";
  var NEEDED = ["title", "city"];

  function gate(form) {
    var ready = NEEDED.every(function (name) {
      var field = form.elements.namedItem(name);
      return !field || !("value" in field) || field.value.trim() !== "";
    });
    form.setAttribute("data-w-autosave-active-value", ready ? "true" : "false");
  }

  function forms() {
    return document.querySelectorAll("form[data-controller~='w-autosave']");
  }

  document.addEventListener("DOMContentLoaded", function () {
    forms().forEach(gate);
  });
  // Capture phase on the document: decided before the form's own listeners ask for a save.
  ["w-unsaved:add", "input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target && event.target.closest ? event.target.closest("form[data-controller~='w-autosave']") : null;
      if (form) gate(form);
    }, true);
  });
})();
