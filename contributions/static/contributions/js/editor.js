/* The contribution and reply editors (contributions/templates/contributions/includes/editor_labels.html).
   Progressive enhancement over a <textarea data-editor>: a small toolbar (bold, italic,
   bulleted and numbered lists, link) over an editable region whose HTML is copied back
   into the textarea, which is what the form sends. The server keeps only what
   contributions/sanitize.py allows (p, br, strong, em, ul, ol, li, a href), so this
   script writes exactly those tags. Without it, the textarea stays as it is.
   Hand-written rather than vendored: the small editors on npm (pell…) are unmaintained,
   write <b>/<i>/<div> and lack labelled buttons, so they would need the same code around them.
   A static file: the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var labels = document.getElementById("editor-labels");
  if (!labels || !document.execCommand) return;
  var text = function (key) { return labels.getAttribute("data-" + key) || key; };

  var RENAME = { B: "strong", I: "em", DIV: "p" };
  var KEEP = { P: 1, BR: 1, STRONG: 1, EM: 1, UL: 1, OL: 1, LI: 1, A: 1 };

  // The region's DOM rewritten with the allowed tags only (the server checks again).
  function clean(node, doc) {
    var out = doc.createDocumentFragment();
    node.childNodes.forEach(function (child) {
      if (child.nodeType === 3) { out.appendChild(doc.createTextNode(child.nodeValue)); return; }
      if (child.nodeType !== 1) return;
      var name = RENAME[child.tagName] ? RENAME[child.tagName].toUpperCase() : child.tagName;
      var inner = clean(child, doc);
      if (!KEEP[name]) { out.appendChild(inner); return; }
      var el = doc.createElement(name);
      if (name === "A" && child.getAttribute("href")) el.setAttribute("href", child.getAttribute("href"));
      el.appendChild(inner);
      out.appendChild(el);
    });
    return out;
  }

  var BLOCK = { P: 1, UL: 1, OL: 1 };

  // Top-level text and inline tags gathered into paragraphs; no block inside a paragraph
  // (what the browser's editing commands sometimes leave).
  function paragraphs(fragment) {
    var out = document.createDocumentFragment(), current = null;
    Array.prototype.slice.call(fragment.childNodes).forEach(function (node) {
      if (node.nodeType === 1 && node.tagName === "P" && node.querySelector("ul, ol, p")) {
        out.appendChild(paragraphs(node));  // unwrap <p><ul>…</ul></p>
        current = null;
      } else if (node.nodeType === 1 && BLOCK[node.tagName]) {
        out.appendChild(node);
        current = null;
      } else {
        if (!current) { current = document.createElement("p"); out.appendChild(current); }
        current.appendChild(node);
      }
    });
    return out;
  }

  function serialize(region) {
    var box = document.createElement("div");
    box.appendChild(paragraphs(clean(region, document)));
    return box.innerHTML.replace(/&nbsp;/g, " ").replace(/<p>(\s|<br>)*<\/p>/g, "").replace(/<br><\/p>/g, "</p>").trim();
  }

  function enhance(textarea) {
    var field = textarea.closest(".field") || textarea.parentNode;
    var label = field.querySelector("label[for='" + textarea.id + "']");
    var toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", text("toolbar"));
    toolbar.setAttribute("aria-controls", textarea.id + "-editor");

    var region = document.createElement("div");
    region.id = textarea.id + "-editor";
    region.className = "editor-region";
    region.contentEditable = "true";
    region.setAttribute("role", "textbox");
    region.setAttribute("aria-multiline", "true");
    if (label) { label.id = label.id || textarea.id + "-label"; region.setAttribute("aria-labelledby", label.id); }
    var described = textarea.getAttribute("aria-describedby");
    if (described) region.setAttribute("aria-describedby", described);
    var value = textarea.value.trim();
    // A body typed as plain text (no tags yet): its paragraphs and line breaks kept.
    if (value && !/<\s*(p|ul|ol|li|br)\b/i.test(value)) {
      value = value.split(/\n\s*\n/).map(function (p) {
        var d = document.createElement("div"); d.textContent = p; return "<p>" + d.innerHTML.replace(/\n/g, "<br>") + "</p>";
      }).join("");
    }
    region.innerHTML = value;
    region.innerHTML = serialize(region);  // only the allowed tags, even from a bound form
    if (label) label.addEventListener("click", function () { region.focus(); });

    function sync() { textarea.value = serialize(region); }

    function run(command) {
      region.focus();
      if (command === "createLink") {
        var url = window.prompt(text("link-prompt"), "https://");
        if (!url || !/^(https?:\/\/|mailto:)\S+$/i.test(url.trim())) return;
        document.execCommand("createLink", false, url.trim());
      } else {
        document.execCommand(command, false, null);
      }
      sync();
    }

    [["bold", "bold", "B"], ["italic", "italic", "I"], ["insertUnorderedList", "bulleted", "•"],
     ["insertOrderedList", "numbered", "1."], ["createLink", "link", text("link-short")]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "editor-button editor-" + spec[1];
      button.setAttribute("aria-label", text(spec[1]));
      button.title = text(spec[1]);
      button.textContent = spec[2];
      // mousedown would take the selection away from the region
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () { run(spec[0]); });
      toolbar.appendChild(button);
    });

    region.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      var key = event.key.toLowerCase();
      if (key === "b" || key === "i") { event.preventDefault(); run(key === "b" ? "bold" : "italic"); }
      if (key === "k") { event.preventDefault(); run("createLink"); }
    });
    region.addEventListener("input", sync);
    region.addEventListener("blur", sync);
    if (textarea.form) textarea.form.addEventListener("submit", sync);

    textarea.hidden = true;
    textarea.setAttribute("tabindex", "-1");
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(region, textarea);
    field.classList.add("has-editor");
    // A refused submission focuses its first field to correct (cooperation_hub/forms.py): the hidden
    // textarea cannot take it, the region does, and the browser scrolls it into view.
    if (textarea.autofocus) region.focus();
  }

  try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* older browsers: <div>, renamed */ }
  document.querySelectorAll("textarea[data-editor]").forEach(enhance);

  // Suggested tags: a click adds the tag to the field (once), like typing it.
  document.querySelectorAll("[data-tag-suggestions]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-tag-suggestions"));
    if (!input) return;
    box.querySelectorAll(".chip[data-tag]").forEach(function (chip) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip chip-button";
      button.textContent = "+ " + chip.getAttribute("data-tag");
      button.setAttribute("aria-label", text("add-tag").replace("%s", chip.getAttribute("data-tag")));
      button.addEventListener("click", function () {
        var tag = chip.getAttribute("data-tag");
        var tags = input.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
        if (tags.some(function (t) { return t.toLowerCase() === tag.toLowerCase(); })) return;
        tags.push(tag);
        input.value = tags.join(", ");
        input.dispatchEvent(new Event("input", { bubbles: true }));
        button.setAttribute("aria-pressed", "true");
        button.disabled = true;
      });
      chip.replaceWith(button);
    });
  });
})();
