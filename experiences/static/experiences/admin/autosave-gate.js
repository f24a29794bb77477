/* Wagtail's autosave of a page, held back while a field the database cannot store
   empty is still blank (the title; a report's city). A new report autosaved before
   its city is chosen would otherwise be refused with "There are validation errors"
   and autosave would pause, an error the officer did nothing to cause. Autosave
   resumes on the first change once those fields are filled.

   The same for a row of an inline panel (a partner city, a key figure, a consultation's
   section) while a field the database needs is blank: the server marks those fields
   data-autosave-needs (cooperation_hub/panels.py). A row marked for deletion does not count;
   the add button's <template> is not part of the form's elements.

   A save clicked while an autosave is on its way waits for it. On a new report that
   first autosave creates the page and moves the form to its edit URL: posted at once,
   "Save draft" went to the "add" URL too and left a second, "-2" copy of the report.
   And no autosave follows a save that has left: due while the next page loaded (a slow
   link), it posted the same form to the "add" URL again, for the same "-2" copy. */
(function () {
  "use strict";
  var NEEDED = ["title", "city"];

  function deleted(form, field) {
    // "indicators-2-value" belongs to the row whose "indicators-2-DELETE" is "1" once removed.
    var marker = form.elements.namedItem(field.name.replace(/-[^-]+$/, "-DELETE"));
    return marker && "value" in marker && (marker.value === "1" || marker.value === "on");
  }

  function gate(form) {
    var ready = NEEDED.every(function (name) {
      var field = form.elements.namedItem(name);
      return !field || !("value" in field) || field.value.trim() !== "";
    });
    ready = ready && Array.prototype.every.call(form.elements, function (field) {
      if (!field.hasAttribute || !field.hasAttribute("data-autosave-needs") || !field.name) return true;
      return deleted(form, field) || String(field.value || "").trim() !== "";
    });
    form.setAttribute("data-w-autosave-active-value", ready ? "true" : "false");
  }

  function forms() {
    return document.querySelectorAll("form[data-controller~='w-autosave']");
  }

  document.addEventListener("DOMContentLoaded", function () {
    forms().forEach(gate);
  });
  var saving = new WeakMap(); // form -> true while its autosave request is out
  var waiting = new WeakMap(); // form -> the button of a submit held back meanwhile

  var submitted = new WeakSet(); // forms whose save/submit has left: autosave must not follow it
  document.addEventListener("w-autosave:save", function (event) {
    // An autosave after a submit would post the same form to the "add" URL again: a second page.
    if (submitted.has(event.target)) event.preventDefault();
  }, true);
  document.addEventListener("w-autosave:save", function (event) {
    if (!event.defaultPrevented) saving.set(event.target, true);
  });
  ["w-autosave:success", "w-autosave:error"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target;
      saving.delete(form);
      if (!waiting.has(form)) return;
      var button = waiting.get(form);
      waiting.delete(form);
      // The form's action now names the page the autosave created.
      if (button && button.form === form) form.requestSubmit(button);
      else form.requestSubmit();
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!saving.get(form)) {
      submitted.add(form);
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting.set(form, event.submitter || null);
  }, true);

  // Capture phase on the document: decided before the form's own listeners ask for a save.
  ["w-unsaved:add", "w-formset:added", "w-formset:removed", "input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target && event.target.closest ? event.target.closest("form[data-controller~='w-autosave']") : null;
      if (form) gate(form);
    }, true);
  });
})();
