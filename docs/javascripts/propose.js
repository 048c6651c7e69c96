/* "Propose a case": collects the form's answers into a case, checks it with the
   published JSON Schema (Ajv, draft 2020-12) and the catalogue's own rules, shows
   every error beside its field and in a summary, and writes the YAML file the way
   `casebook fmt` does. Answers are kept in localStorage; nothing is sent anywhere.

   The fields come from #cb-form-spec, which the build derives from the schema. */
(function () {
  "use strict";
  var root = document.getElementById("cb-propose");
  if (!root || !window.ajv2020) { return; }
  var form = document.getElementById("cb-case-form");
  var summary = root.querySelector(".cb-error-summary");
  var result = root.querySelector(".cb-result");
  var SPEC = JSON.parse(document.getElementById("cb-form-spec").textContent);
  var STORAGE = "casebook-propose-v1";
  var SCHEMA_LINE = "# yaml-language-server: $schema=";
  var validate = null;
  var schemaId = "";
  var existingIds = {};
  var touched = {};
  var idEdited = false;

  /* ---------- building the form ---------- */

  function byKey(container, key) {
    for (var i = 0; i < container.children.length; i++) {
      var child = container.children[i];
      if (child.getAttribute && child.getAttribute("data-key") === key) { return child; }
    }
    return null;
  }

  function itemsOf(repeat) { return repeat.querySelector(".cb-items"); }

  function addItem(repeat, focus) {
    var template = repeat.querySelector("template");
    var item = template.content.firstElementChild.cloneNode(true);
    itemsOf(repeat).appendChild(item);
    assignIds();
    if (focus) { var first = item.querySelector("input, select, textarea"); if (first) { first.focus(); } }
    return item;
  }

  function ensureMinimum() {
    form.querySelectorAll(".cb-repeat").forEach(function (repeat) {
      var min = Number(repeat.getAttribute("data-min") || 0);
      while (itemsOf(repeat).children.length < Math.max(min, 1)) { addItem(repeat, false); }
    });
  }

  /* Each control's id is its place in the case (f-councils-0-name), so labels,
     error links and the summary always point at the right control. */
  function assignIds() {
    function walk(container, fields, prefix) {
      fields.forEach(function (field) {
        var el = byKey(container, field.key);
        if (!el) { return; }
        var path = prefix.concat([field.key]);
        var id = "f-" + path.join("-");
        el.setAttribute("data-pointer", "/" + path.join("/"));
        if (field.kind === "object") { walk(el, field.fields, path); return; }
        if (field.kind === "list-object") {
          Array.prototype.forEach.call(itemsOf(el).children, function (item, index) {
            item.setAttribute("data-pointer", "/" + path.concat([index]).join("/"));
            item.querySelector(".cb-item-number").textContent = String(index + 1);
            walk(item, field.fields, path.concat([index]));
          });
          var add = el.querySelector(":scope > [data-action=add]");
          if (add) { add.id = id + "-add"; }
          return;
        }
        if (field.kind === "choices") {
          el.id = id;
          el.querySelectorAll("input[data-term]").forEach(function (box, index) {
            box.id = id + "-" + index;
            box.nextElementSibling.htmlFor = box.id;
          });
          return;
        }
        var control = el.querySelector("input, select, textarea");
        control.id = id;
        el.querySelector("label").htmlFor = id;
      });
    }
    walk(form, SPEC, []);
  }

  /* ---------- reading and writing answers ---------- */

  function readField(el, field) {
    if (field.kind === "choices") {
      return Array.prototype.filter.call(el.querySelectorAll("input[data-term]"), function (b) { return b.checked; })
        .map(function (b) { return termValue(field, b.value); });
    }
    var control = el.querySelector("input, select, textarea");
    var raw = wellFormed(control.value);
    /* A textarea's value already has LF line ends in browsers that follow the
       HTML standard; this makes sure of it, so a CR never reaches the checks. */
    if (control.tagName === "TEXTAREA") { raw = raw.replace(/\r\n?/g, "\n"); }
    if (field.kind === "lines") {
      return raw.split("\n").map(function (l) { return l.trim(); }).filter(function (l) { return l; });
    }
    if (field.kind === "text") { raw = raw.replace(/^\s+/, "").replace(/\s+$/, ""); return raw ? raw + "\n" : ""; }
    raw = raw.trim();
    if (raw === "") { return undefined; }
    if (field.kind === "integer" || field.kind === "number") { return Number(raw); }
    if (field.kind === "boolean") { return raw === "true"; }
    if (field.kind === "choice" || field.kind === "enum") { return termValue(field, raw); }
    return raw;
  }

  /* A lone half of a surrogate pair cannot be stored in a UTF-8 file; it becomes
     U+FFFD here, as it would when the file is saved, so that what is checked is
     what is written. */
  function wellFormed(text) {
    if (text.toWellFormed) { return text.toWellFormed(); }
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit >= 0xD800 && unit <= 0xDBFF && (text.charCodeAt(i + 1) & 0xFC00) === 0xDC00) { out += text.slice(i, i + 2); i++; }
      else { out += unit >= 0xD800 && unit <= 0xDFFF ? "\uFFFD" : text[i]; }
    }
    return out;
  }

  function termValue(field, raw) {
    for (var i = 0; i < (field.terms || []).length; i++) {
      if (String(field.terms[i].id) === raw) { return field.terms[i].id; }
    }
    return raw;
  }

  function empty(value) {
    return value === undefined || value === "" || (Array.isArray(value) && value.length === 0) ||
      (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  /* The case as typed. With keepEmpty (for saving), blank group items are kept
     so that a reload puts every answer back in the same place. */
  function collect(container, fields, keepEmpty) {
    var data = {};
    fields.forEach(function (field) {
      var el = byKey(container, field.key);
      if (!el) { return; }
      var value;
      if (field.kind === "object") { value = collect(el, field.fields, keepEmpty); }
      else if (field.kind === "list-object") {
        value = Array.prototype.map.call(itemsOf(el).children, function (item) { return collect(item, field.fields, keepEmpty); })
          .filter(function (item) { return keepEmpty || !empty(item); });
        if (keepEmpty && value.every(empty)) { value = []; }
      } else { value = readField(el, field); }
      if (!empty(value)) { data[field.key] = value; }
    });
    return data;
  }

  function fill(container, fields, data) {
    fields.forEach(function (field) {
      var el = byKey(container, field.key);
      if (!el || data[field.key] === undefined) { return; }
      var value = data[field.key];
      if (field.kind === "object") { fill(el, field.fields, value); return; }
      if (field.kind === "list-object") {
        var items = itemsOf(el);
        items.innerHTML = "";
        value.forEach(function (itemData) { fill(addItem(el, false), field.fields, itemData); });
        return;
      }
      if (field.kind === "choices") {
        el.querySelectorAll("input[data-term]").forEach(function (b) {
          b.checked = value.map(String).indexOf(b.value) !== -1;
        });
        return;
      }
      var control = el.querySelector("input, select, textarea");
      if (field.kind === "lines") { control.value = value.join("\n"); }
      else if (field.kind === "boolean") { control.value = value ? "true" : "false"; }
      else { control.value = String(value); }
    });
  }

  function save() {
    try { window.localStorage.setItem(STORAGE, JSON.stringify({ data: collect(form, SPEC, true), idEdited: idEdited })); }
    catch (e) { /* private browsing: nothing is kept, nothing breaks */ }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(STORAGE) || "null"); } catch (e) { saved = null; }
    if (saved && saved.data) { fill(form, SPEC, saved.data); idEdited = !!saved.idEdited; }
    ensureMinimum();
    var reviewed = form.querySelector("[data-key=last_reviewed] input");
    if (reviewed && !reviewed.value) { reviewed.value = today(); }
    assignIds();
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }

  /* ---------- checking ---------- */

  function fieldAt(pointer) {
    var parts = pointer.split("/").slice(1);
    var fields = SPEC, field = null;
    for (var i = 0; i < parts.length; i++) {
      if (/^\d+$/.test(parts[i])) { continue; }
      field = null;
      for (var j = 0; j < fields.length; j++) { if (fields[j].key === parts[i]) { field = fields[j]; } }
      if (!field) { return null; }
      fields = field.fields || [];
    }
    return field;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function message(error) {
    var pointer = error.instancePath;
    var p = error.params || {};
    if (error.keyword === "required") { pointer += "/" + p.missingProperty; }
    var field = fieldAt(pointer) || { title: "This", kind: "string" };
    var title = field.title;
    var lower = title.toLowerCase();
    var text;
    switch (error.keyword) {
      case "required":
        text = field.kind === "list-object" ? "Add at least one " + (field.item_title || title).toLowerCase()
          : field.kind === "choice" || field.kind === "choices" || field.kind === "enum" || field.kind === "boolean"
            ? "Choose " + lower : "Enter " + lower;
        break;
      case "minLength": text = title + " must be at least " + plural(p.limit, "character"); break;
      case "maxLength": text = title + " must be " + plural(p.limit, "character") + " or fewer"; break;
      case "minItems": text = "Choose or add at least " + p.limit + " for " + lower; break;
      case "maxItems": text = "Choose no more than " + p.limit + " for " + lower; break;
      case "uniqueItems": text = "Each entry in " + lower + " can appear only once"; break;
      case "minimum": text = title + " must be " + p.limit + " or more"; break;
      case "maximum": text = title + " must be " + p.limit + " or less"; break;
      case "type": text = title + " must be " + ({ integer: "a whole number", number: "a number", boolean: "yes or no" }[p.type] || "filled in"); break;
      case "enum": text = "Choose " + lower + " from the list"; break;
      case "pattern": text = title + " is not in the right form: " + (field.description || "check it"); break;
      default: text = title + ": " + error.message;
    }
    return { pointer: pointer, text: text };
  }

  function catalogueRules(data) {
    var found = [];
    if (data.id && existingIds[data.id]) {
      found.push({ pointer: "/id", text: "A case with the id \u201c" + data.id + "\u201d already exists; choose another id" });
    }
    if (data.last_reviewed && data.last_reviewed > today()) {
      found.push({ pointer: "/last_reviewed", text: "Last reviewed cannot be in the future" });
    }
    if (data.last_reviewed && isNaN(Date.parse(data.last_reviewed))) {
      found.push({ pointer: "/last_reviewed", text: "Last reviewed must be a real date" });
    }
    if (typeof data.year_started === "number" && data.year_started > new Date().getFullYear()) {
      found.push({ pointer: "/year_started", text: "Year started cannot be after this year" });
    }
    (data.related || []).forEach(function (other, index) {
      if (other === data.id) { found.push({ pointer: "/related", text: "A case cannot be related to itself" }); }
      else if (!existingIds[other]) { found.push({ pointer: "/related", text: "No case has the id \u201c" + other + "\u201d (line " + (index + 1) + ")" }); }
    });
    return found;
  }

  /* Case format 1.1, "The file": characters no text value may hold, in the words
     of the validator's text-character rule. Tab and line feed are allowed in
     Markdown fields only. Noncharacters are U+FDD0-U+FDEF and the last two code
     points of every plane. */
  function eachPlane(part, first) {
    var out = "";
    for (var plane = first; plane <= 16; plane++) { out += part(plane * 0x10000); }
    return out;
  }
  var NONCHARACTERS = "\\uFDD0-\\uFDEF" +
    eachPlane(function (start) { return "\\u{" + (start + 0xFFFE).toString(16) + "}-\\u{" + (start + 0xFFFF).toString(16) + "}"; }, 0);
  var REFUSED = "\\0-\\x08\\x0B-\\x1F\\x7F-\\x9F\\u2028\\u2029" + NONCHARACTERS;
  var REFUSED_IN_MARKDOWN = new RegExp("[" + REFUSED + "]", "u");
  var REFUSED_IN_TEXT = new RegExp("[\\t\\n" + REFUSED + "]", "u");
  var CHARACTER_KINDS = { 0x09: "tab", 0x0A: "line feed", 0x2028: "line separator", 0x2029: "paragraph separator" };

  function codePoint(code) { return "U+" + code.toString(16).toUpperCase().padStart(4, "0"); }

  /* The message for the first refused character in text, or "" if there is none. */
  function refusedCharacter(text, markdown) {
    var found = (markdown ? REFUSED_IN_MARKDOWN : REFUSED_IN_TEXT).exec(text);
    if (!found) { return ""; }
    var code = found[0].codePointAt(0);
    if (code === 0x09 || code === 0x0A) {
      return "holds " + codePoint(code) + " (" + CHARACTER_KINDS[code] + "), which only Markdown fields may contain; write it on one line";
    }
    var kind = CHARACTER_KINDS[code] || (code <= 0x9F ? "control character" : "noncharacter");
    return "holds " + codePoint(code) + " (" + kind + "), which case text may not contain; remove it";
  }

  /* One problem for each field whose text holds a refused character: the first
     such character, across every line of a one-per-line field. */
  function characterRules(data, fields, prefix) {
    var found = [];
    fields.forEach(function (field) {
      var value = data[field.key];
      var pointer = prefix + "/" + field.key;
      if (value === undefined) { return; }
      if (field.kind === "object") { found = found.concat(characterRules(value, field.fields, pointer)); return; }
      if (field.kind === "list-object") {
        value.forEach(function (item, index) { found = found.concat(characterRules(item, field.fields, pointer + "/" + index)); });
        return;
      }
      var texts = (Array.isArray(value) ? value : [value]).filter(function (v) { return typeof v === "string"; });
      for (var i = 0; i < texts.length; i++) {
        var text = refusedCharacter(texts[i], field.markdown);
        if (text) { found.push({ pointer: pointer, text: field.title + " " + text }); return; }
      }
    });
    return found;
  }

  function problems(data) {
    var found = [];
    if (!validate(data)) { found = validate.errors.map(message); }
    found = found.concat(characterRules(data, SPEC, ""), catalogueRules(data));
    var seen = {};
    return found.filter(function (p) { var k = p.pointer + p.text; if (seen[k]) { return false; } seen[k] = true; return true; });
  }

  function elementFor(pointer) {
    var parts = pointer.split("/");
    while (parts.length > 1) {
      var el = form.querySelector('[data-pointer="' + parts.join("/") + '"]');
      if (el) { return el; }
      parts.pop();
    }
    return form;
  }

  function focusTarget(el) {
    if (el.classList.contains("cb-repeat")) { return el.querySelector("[data-action=add]"); }
    if (el.classList.contains("cb-choices")) { return el.querySelector("input"); }
    return el.querySelector("input, select, textarea") || el;
  }

  function clearErrors() {
    form.querySelectorAll(".cb-field-error").forEach(function (el) { el.classList.remove("cb-field-error"); });
    form.querySelectorAll(".cb-error-message").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); });
  }

  function showErrors(list, all) {
    clearErrors();
    var shown = [];
    list.forEach(function (problem) {
      var el = elementFor(problem.pointer);
      var key = el.getAttribute("data-pointer");
      if (!all && !touched[key]) { return; }
      var box = el.querySelector(":scope > .cb-error-message");
      if (!box) { return; }
      el.classList.add("cb-field-error");
      box.hidden = false;
      box.id = (focusTarget(el).id || "f") + "-error";
      box.textContent = box.textContent ? box.textContent + ". " + problem.text : problem.text;
      var control = focusTarget(el);
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", box.id);
      shown.push({ text: problem.text, target: control.id });
    });
    return shown;
  }

  function showSummary(shown) {
    var list = summary.querySelector("ul");
    list.innerHTML = "";
    shown.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + item.target;
      a.textContent = item.text;
      a.addEventListener("click", function (event) {
        event.preventDefault();
        var target = document.getElementById(item.target);
        if (target) { target.focus(); target.scrollIntoView({ block: "center" }); }
      });
      li.appendChild(a);
      list.appendChild(li);
    });
    summary.hidden = shown.length === 0;
  }

  /* ---------- writing the YAML, as casebook fmt lays it out ---------- */

  /* Whatever the strings hold, the file must read back as exactly the data that
     was checked (YAML 1.1, as libyaml and PyYAML read it). Ordinary text is
     written as casebook fmt would write it; anything else is escaped. */

  /* Characters written as they are inside double quotes: YAML's printable
     characters, less the ones a reader takes as line breaks (U+0085, U+2028,
     U+2029), the byte order mark and the noncharacters. Everything else is
     escaped. */
  var RAW = "\\x20-\\x7E\\xA0-\\u2027\\u202A-\\uD7FF\\uE000-\\uFDCF\\uFDF0-\\uFEFE\\uFF00-\\uFFFD" +
    eachPlane(function (start) { return "\\u{" + start.toString(16) + "}-\\u{" + (start + 0xFFFD).toString(16) + "}"; }, 1);
  var ESCAPED = new RegExp('[\\\\"]|[^' + RAW + "]", "gu");
  var NAMED_ESCAPES = { "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n" };
  /* Text that a literal block (|) gives back unchanged: only raw characters and
     line feeds, a first line that does not start with a space (it would be taken
     as indentation) and exactly one line feed at the end (what | keeps). */
  var BLOCK_SAFE = new RegExp("^(?! )[" + RAW + "](?:[\\n" + RAW + "]*[" + RAW + "])?\\n$", "u");
  /* Plain words that YAML 1.1 reads as something other than text. */
  var NOT_TEXT = /^(?:y|n|yes|no|on|off|true|false|null|[0-9]+|0x[0-9a-f]+|0o[0-7]+|0b[01]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})$/i;

  function escapeCharacter(ch) {
    if (NAMED_ESCAPES[ch]) { return NAMED_ESCAPES[ch]; }
    var code = ch.codePointAt(0);
    if (code >= 0xD800 && code <= 0xDFFF) { code = 0xFFFD; } /* a lone surrogate: see wellFormed */
    var hex = code.toString(16).toUpperCase();
    if (code <= 0xFF) { return "\\x" + hex.padStart(2, "0"); }
    if (code <= 0xFFFF) { return "\\u" + hex.padStart(4, "0"); }
    return "\\U" + hex.padStart(8, "0");
  }

  function quote(text) { return '"' + text.replace(ESCAPED, escapeCharacter) + '"'; }

  function isPlainTerm(value) { return /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value) && !NOT_TEXT.test(value); }

  /* YYYY-MM-DD that names a real day, so a plain date reads back as itself. */
  function isRealDate(value) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) { return false; }
    var parts = value.split("-").map(Number);
    var date = new Date(0);
    date.setUTCFullYear(parts[0], parts[1] - 1, parts[2]);
    return parts[0] >= 1 && date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] - 1 && date.getUTCDate() === parts[2];
  }

  /* A number as YAML 1.1 reads it back exactly: whole numbers up to 2^53 as
     integers, anything else as a float, which needs a dot before its exponent. */
  function number(value) {
    if (!isFinite(value)) { return isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf"; }
    var text = Number.isInteger(value) && !Number.isSafeInteger(value) ? value.toExponential() : String(value);
    if (/e/.test(text) && !/\./.test(text)) { text = text.replace("e", ".0e"); }
    return text;
  }

  function scalar(value, field) {
    if (typeof value === "number") { return number(value); }
    if (typeof value === "boolean") { return String(value); }
    if ((field.kind === "choice" || field.kind === "choices" || field.kind === "enum") && isPlainTerm(String(value))) { return String(value); }
    if (field.key === "id" && isPlainTerm(value)) { return value; }
    if (field.key === "last_reviewed" && isRealDate(value)) { return value; }
    return quote(String(value));
  }

  function block(text, indent) {
    var lines = text.replace(/\n$/, "").split("\n");
    return " |\n" + lines.map(function (line) { return line ? indent + line : ""; }).join("\n") + "\n";
  }

  function emit(data, fields, indent) {
    var out = "";
    fields.forEach(function (field) {
      if (!(field.key in data)) { return; }
      var value = data[field.key];
      var head = indent + field.key + ":";
      if (field.kind === "object") {
        out += head + "\n" + emit(value, field.fields, indent + "  ");
      } else if (field.kind === "list-object") {
        out += head + "\n";
        value.forEach(function (item) {
          var body = emit(item, field.fields, indent + "    ");
          out += indent + "  - " + body.slice(indent.length + 4);
        });
      } else if (Array.isArray(value)) {
        out += head + "\n" + value.map(function (v) { return indent + "  - " + scalar(v, field) + "\n"; }).join("");
      } else if (field.kind === "text" && typeof value === "string" && BLOCK_SAFE.test(value)) {
        out += head + block(value, indent + "  ");
      } else {
        out += head + " " + scalar(value, field) + "\n";
      }
    });
    return out;
  }

  /* The case file for data, laid out in the schema's order. */
  function yamlFor(data) { return SCHEMA_LINE + schemaId + "\n" + emit(data, SPEC, ""); }

  /* ---------- wiring it together ---------- */

  var current = { data: {}, yaml: "" };

  function refresh(all) {
    assignIds();
    var data = collect(form, SPEC);
    var list = problems(data);
    var shown = showErrors(list, all);
    if (all) { showSummary(shown); } else if (!summary.hidden) { showSummary(shown); }
    current.data = data;
    if (list.length === 0) {
      current.yaml = yamlFor(data);
      result.querySelector(".cb-yaml code").textContent = current.yaml;
      result.querySelector(".cb-result-path").textContent = "cases/" + data.id + ".yaml";
      var repo = root.getAttribute("data-repo");
      var link = result.querySelector(".cb-pr-link");
      link.href = repo + "/" + root.getAttribute("data-new-file") + "?filename=" + encodeURIComponent(data.id + ".yaml") +
        "&value=" + encodeURIComponent(current.yaml);
      result.hidden = false;
    } else {
      current.yaml = "";
      result.hidden = true;
    }
    save();
    return list;
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(function () { refresh(false); }, 250); }

  form.addEventListener("input", function (event) {
    var field = event.target.closest("[data-pointer]");
    if (field) { touched[field.getAttribute("data-pointer")] = true; }
    var title = event.target.closest("[data-key=title]");
    var idInput = form.querySelector("[data-key=id] input");
    if (title && !idEdited && idInput && byKey(form, "title") === title) { idInput.value = slugify(event.target.value); }
    if (event.target === idInput) { idEdited = idInput.value !== ""; }
    later();
  });
  form.addEventListener("change", later);
  form.addEventListener("focusout", function (event) {
    var field = event.target.closest("[data-pointer]");
    if (field) { touched[field.getAttribute("data-pointer")] = true; later(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var list = refresh(true);
    if (list.length) { summary.focus(); } else { result.querySelector("h2").setAttribute("tabindex", "-1"); result.querySelector("h2").focus(); }
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var action = button.getAttribute("data-action");
    if (action === "add") { addItem(button.closest(".cb-repeat"), true); later(); }
    if (action === "start-again") {
      if (!window.confirm("Clear every answer and start again?")) { return; }
      try { window.localStorage.removeItem(STORAGE); } catch (e) { /* nothing kept */ }
      form.reset();
      form.querySelectorAll(".cb-items").forEach(function (items) { items.innerHTML = ""; });
      touched = {}; idEdited = false;
      ensureMinimum();
      form.querySelector("[data-key=last_reviewed] input").value = today();
      summary.hidden = true;
      refresh(false);
      form.querySelector("input, select, textarea").focus();
      return;
    }
    var item = button.closest(".cb-item");
    if (!item) { return; }
    var items = item.parentNode;
    if (action === "remove") {
      var next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      if (items.children.length === 0) { addItem(items.closest(".cb-repeat"), false); }
      assignIds();
      var focus = next ? next.querySelector("input, select, textarea") : items.closest(".cb-repeat").querySelector("[data-action=add]");
      if (focus) { focus.focus(); }
    }
    if (action === "up" && item.previousElementSibling) { items.insertBefore(item, item.previousElementSibling); button.focus(); }
    if (action === "down" && item.nextElementSibling) { items.insertBefore(item.nextElementSibling, item); button.focus(); }
    later();
  });
  result.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) { return; }
    var status = result.querySelector(".cb-copy-status");
    if (button.getAttribute("data-action") === "copy") {
      navigator.clipboard.writeText(current.yaml).then(function () { status.textContent = "Copied."; },
        function () { status.textContent = "Your browser did not allow copying; select the text below instead."; });
    }
    if (button.getAttribute("data-action") === "download") {
      var blob = new Blob([current.yaml], { type: "text/yaml;charset=utf-8" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = current.data.id + ".yaml";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
      status.textContent = "Downloaded " + a.download + ".";
    }
  });

  Promise.all([
    fetch(root.getAttribute("data-schema")).then(function (r) { return r.json(); }),
    fetch(root.getAttribute("data-ids")).then(function (r) { return r.json(); }),
  ]).then(function (loaded) {
    var schema = loaded[0];
    schemaId = schema.$id;
    var Ajv = window.ajv2020.default || window.ajv2020;
    var ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile(schema);
    loaded[1].rows.forEach(function (row) { existingIds[row[0]] = true; });
    root.hidden = false;
    restore();
    refresh(false);
    window.casebookForm = { refresh: refresh, data: function () { return current; } };
    /* The emitter the form writes its files with, for anyone (and the tests)
       to check: casebookYaml.emit(data) is the text of the case file for data. */
    window.casebookYaml = { emit: yamlFor };
  });
}());
