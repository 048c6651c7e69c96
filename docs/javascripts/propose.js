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
      if (child.classList && child.classList.contains("cb-step")) {  // the form's top-level fields sit in steps
        var found = byKey(child, key);
        if (found) { return found; }
      }
    }
    return null;
  }

  function itemsOf(repeat) { return repeat.querySelector(".cb-items"); }

  /* An optional group (a mapping the case may leave out, such as impact.evaluation)
     has a tick box; unticked, its fields are hidden and nothing of it is written. */
  function toggleOf(group) { return group.querySelector(":scope > .cb-group-toggle > input"); }
  function fieldsOf(group) { return group.querySelector(":scope > .cb-group-fields") || group; }

  function syncGroups() {
    form.querySelectorAll(".cb-group-toggle > input").forEach(function (toggle) {
      fieldsOf(toggle.closest(".cb-group")).hidden = !toggle.checked;
    });
  }

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
        if (field.kind === "object") {
          var toggle = toggleOf(el);
          if (toggle) {
            toggle.id = id;
            toggle.nextElementSibling.htmlFor = id;
            fieldsOf(el).id = id + "-fields";
            toggle.setAttribute("aria-controls", fieldsOf(el).id);
          }
          walk(fieldsOf(el), field.fields, path);
          return;
        }
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
        var picker = el.querySelector("[data-pick]");
        if (picker) {  // the title search beside a list of ids
          picker.id = id + "-pick";
          el.querySelector("[data-pick-label]").htmlFor = picker.id;
        }
      });
    }
    walk(form, SPEC, []);
  }

  /* ---------- council names from the register ---------- */

  /* #cb-councils is the register the build ships (current councils first):
     { types: [...], regions: [...], rows: [[code, name, Welsh name, type, region, suffix]] }.
     Its names, with the suffix in brackets ("Allerdale (ended 2023)"), fill the
     datalist every council name input points at (added entries too, as they are
     cloned from the same template); a name that is exactly one of them, or a
     current council's name or Welsh name, fills in that council's code, type and
     region and puts the register's name in place of the suggestion. Anything else is left as typed and fills nothing. */
  var REGISTER = (function () {
    var el = document.getElementById("cb-councils");
    var register = el ? JSON.parse(el.textContent) : { types: [], regions: [], rows: [] };
    var byName = {};
    var list = document.getElementById("cb-council-names");
    register.rows.forEach(function (row) {
      var shown = row[5] ? row[1] + " (" + row[5] + ")" : row[1];
      var council = { code: row[0], name: row[1], type: register.types[row[3]], region: register.regions[row[4]] };
      if (list) {
        var option = document.createElement("option");
        option.value = shown;
        option.label = row[2] ? row[2] + " \u00b7 " + row[0] : row[0];
        list.appendChild(option);
      }
      if (!byName[nameKey(shown)]) { byName[nameKey(shown)] = council; }
      if (!row[5] && !byName[nameKey(row[1])]) { byName[nameKey(row[1])] = council; }
      if (row[2] && !byName[nameKey(row[2])]) { byName[nameKey(row[2])] = { code: row[0], name: row[2], type: council.type, region: council.region }; }
    });
    return byName;
  }());

  function nameKey(text) { return text.trim().replace(/\s+/g, " ").toLowerCase(); }

  function optionFor(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  /* Fills the code, type and region beside a council name input from the register. */
  function fillFromRegister(input) {
    var council = Object.prototype.hasOwnProperty.call(REGISTER, nameKey(input.value)) ? REGISTER[nameKey(input.value)] : null;
    if (!council) { return; }
    var group = input.closest("[data-key]").parentElement;
    if (input.value !== council.name) { input.value = council.name; }
    var code = byKey(group, "gss_code");
    if (code) { code.querySelector("input").value = council.code; }
    [["type", council.type], ["region", council.region]].forEach(function (pair) {
      var el = byKey(group, pair[0]);
      var select = el && el.querySelector("select");
      if (select && optionFor(select, pair[1])) { select.value = pair[1]; }
    });
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

  function isObject(value) { return value !== null && typeof value === "object" && !Array.isArray(value); }

  /* Where each list item of the collected case is in the form: blank items are
     left out of the case, so /councils/0 of the data may be the form's second
     council. Filled by collect(), used to show each problem at its own field. */
  var places = {};

  /* The case as typed. A required group (impact, replication) is always there,
     so that its empty fields are reported one by one; an optional group is
     written only when it is ticked and something in it is filled in. With
     keepEmpty (for saving), blank items and ticked but empty groups are kept so
     that a reload puts every answer back in the same place. */
  function collect(container, fields, keepEmpty, dataPath, formPath) {
    dataPath = dataPath || "";
    formPath = formPath || "";
    var data = {};
    fields.forEach(function (field) {
      var el = byKey(container, field.key);
      if (!el) { return; }
      var dataAt = dataPath + "/" + field.key, formAt = formPath + "/" + field.key;
      var value;
      if (field.kind === "object") {
        var toggle = toggleOf(el);
        if (toggle && !toggle.checked) { return; }
        value = collect(fieldsOf(el), field.fields, keepEmpty, dataAt, formAt);
        if (field.required || (toggle && keepEmpty)) { data[field.key] = value; return; }
      } else if (field.kind === "list-object") {
        value = [];
        Array.prototype.forEach.call(itemsOf(el).children, function (item, index) {
          var itemData = collect(item, field.fields, keepEmpty, dataAt + "/" + value.length, formAt + "/" + index);
          if (!keepEmpty && empty(itemData)) { return; }
          if (!keepEmpty) { places[dataAt + "/" + value.length] = formAt + "/" + index; }
          value.push(itemData);
        });
        if (keepEmpty && value.every(empty)) { value = []; }
      } else { value = readField(el, field); }
      if (!empty(value)) { data[field.key] = value; }
    });
    return data;
  }

  /* The form's place for a pointer into the collected case. */
  function formPointer(pointer) {
    var dataAt = "", formAt = "";
    pointer.split("/").slice(1).forEach(function (part) {
      dataAt += "/" + part;
      formAt = places[dataAt] || formAt + "/" + part;
    });
    return formAt;
  }

  /* A value the form does not offer (a term from an older vocabulary, say) is
     kept and shown as a choice of its own, so that the check reports it rather
     than the form dropping it unseen. */
  var UNKNOWN = " (not one of the choices)";

  function selectValue(select, value) {
    var text = String(value);
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === text; })) {
      var option = document.createElement("option");
      option.value = text;
      option.textContent = text + UNKNOWN;
      option.setAttribute("data-unknown", "");
      select.appendChild(option);
    }
    select.value = text;
  }

  function tickValues(el, values) {
    var wanted = values.map(String);
    var boxes = Array.prototype.slice.call(el.querySelectorAll("input[data-term]"));
    boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) !== -1; });
    wanted.forEach(function (text) {
      if (boxes.some(function (b) { return b.value === text; })) { return; }
      var row = document.createElement("div");
      row.className = "cb-check";
      row.setAttribute("data-unknown", "");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = text;
      box.checked = true;
      box.setAttribute("data-term", "");
      var label = document.createElement("label");
      label.textContent = text + UNKNOWN;
      row.appendChild(box);
      row.appendChild(label);
      el.appendChild(row);
      boxes.push(box);
    });
  }

  function fill(container, fields, data) {
    fields.forEach(function (field) {
      var el = byKey(container, field.key);
      if (!el || !isObject(data) || data[field.key] === undefined || data[field.key] === null) { return; }
      var value = data[field.key];
      if (field.kind === "object") {
        if (!isObject(value)) { return; }
        var toggle = toggleOf(el);
        if (toggle) { toggle.checked = true; }
        fill(fieldsOf(el), field.fields, value);
        return;
      }
      if (field.kind === "list-object") {
        if (!Array.isArray(value)) { return; }
        var items = itemsOf(el);
        items.innerHTML = "";
        value.forEach(function (itemData) { fill(addItem(el, false), field.fields, itemData); });
        return;
      }
      if (field.kind === "choices") { tickValues(el, Array.isArray(value) ? value : [value]); return; }
      var control = el.querySelector("input, select, textarea");
      if (field.kind === "lines") { control.value = (Array.isArray(value) ? value : [value]).join("\n"); }
      else if (field.kind === "boolean") { control.value = value === true ? "true" : value === false ? "false" : ""; }
      else if (control.tagName === "SELECT") { selectValue(control, value); }
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
    syncGroups();
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

  function valueAt(data, pointer) {
    return pointer.split("/").slice(1).reduce(function (node, part) {
      return node !== null && typeof node === "object" ? node[part] : undefined;
    }, data);
  }

  function bound(field, keyword, limit) {
    return (field.bounds && field.bounds[keyword]) || keyword + " " + limit;
  }

  function message(error, data) {
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
            ? "Choose " + lower : field.kind === "object" ? "Fill in " + lower : "Enter " + lower;
        break;
      /* Bounds in the words generator/schema.py's bound_in_words gives them (the spec
         carries them), so the form and casebook validate say a limit the same way. */
      case "minLength": case "maxLength":
        text = title + " must be " + bound(field, error.keyword, p.limit); break;
      case "minItems": case "maxItems":
        text = "Choose or add " + bound(field, error.keyword, p.limit) + " for " + lower; break;
      case "minProperties": text = "Fill in at least one field of " + lower + ", or untick it"; break;
      case "uniqueItems": text = "Each entry in " + lower + " can appear only once"; break;
      case "minimum": case "maximum": case "exclusiveMinimum": case "exclusiveMaximum":
        text = title + " must be " + bound(field, error.keyword, p.limit); break;
      case "type": text = title + " must be " + ({ integer: "a whole number", number: "a number", boolean: "yes or no" }[p.type] || "filled in"); break;
      case "enum":
        text = "Choose " + lower + " from the list: \u201c" + String(valueAt(data, error.instancePath)) + "\u201d is not one of the choices";
        break;
      case "pattern": text = title + " is not in the right form: " + (field.description || "check it"); break;
      case "not":
        text = error.schema && error.schema.enum
          ? title + " " + pyRepr(valueAt(data, error.instancePath)) + " is a name the site uses for its own pages; choose another (reserved: " + error.schema.enum.join(", ") + ")"
          : title + ": " + error.message;
        break;
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
      var pointer = "/related/" + index;
      if (other === data.id) { found.push({ pointer: pointer, text: "A case cannot be related to itself" }); }
      else if (!existingIds[other]) { found.push({ pointer: pointer, text: "No case has the id \u201c" + other + "\u201d (line " + (index + 1) + ")" }); }
    });
    return found;
  }

  /* Case format 1.1: the evidence level against its evaluation, and source
     numbers that exist. These are generator/validate.py's evidence_problems and
     _level_problems, rule for rule and word for word (Python's repr() included),
     so the form and casebook validate say the same thing; the shared cases in
     tests/fixtures/rules/vectors.yaml run through both. */
  var COMPARISON_DESIGNS = ["comparison-group", "randomised-trial"];
  var NOT_POSITIVE = ["null", "negative", "too-early"];
  var NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

  function hex(code, width) { return code.toString(16).padStart(width, "0"); }

  /* Python's repr() of what a case may hold here: None, a bool, a whole number
     or a string (quoted and escaped as Python does; which characters count as
     printable follows the browser's Unicode tables, which may be newer than
     Python's for characters assigned in the last few years). */
  function pyRepr(value) {
    if (value === undefined || value === null) { return "None"; }
    if (typeof value === "boolean") { return value ? "True" : "False"; }
    if (typeof value !== "string") { return String(value); }
    var quote = value.indexOf("'") !== -1 && value.indexOf('"') === -1 ? '"' : "'";
    var out = quote;
    Array.from(value).forEach(function (ch) {
      var code = ch.codePointAt(0);
      if (ch === quote || ch === "\\") { out += "\\" + ch; }
      else if (ch === "\t") { out += "\\t"; }
      else if (ch === "\n") { out += "\\n"; }
      else if (ch === "\r") { out += "\\r"; }
      else if (code < 0x20 || code === 0x7F) { out += "\\x" + hex(code, 2); }
      else if (code < 0x7F || !NOT_PRINTABLE.test(ch)) { out += ch; }
      else if (code <= 0xFF) { out += "\\x" + hex(code, 2); }
      else if (code <= 0xFFFF) { out += "\\u" + hex(code, 4); }
      else { out += "\\U" + hex(code, 8); }
    });
    return out + quote;
  }

  /* validate.py's _short: the repr, cut to 60 characters with "..." before its closing quote. */
  function shortRepr(value) {
    var text = Array.from(pyRepr(value));
    if (text.length <= 60) { return text.join(""); }
    var last = text[text.length - 1];
    var quote = last === "'" || last === '"' ? last : "";
    return text.slice(0, 60 - 3 - quote.length).join("") + "..." + quote;
  }

  function isWhole(value) { return typeof value === "number" && Number.isInteger(value); }
  function outOf(source, count) { return isWhole(source) && source > count; }
  function sourcesText(count) { return count + " source" + (count !== 1 ? "s" : ""); }

  function evidenceRules(data) {
    var found = [];
    var impact = isObject(data.impact) ? data.impact : {};
    var level = impact.evidence_level;
    var evaluation = isObject(impact.evaluation) ? impact.evaluation : null;
    var count = Array.isArray(data.sources) ? data.sources.length : 0;
    var levels = (fieldAt("/impact/evidence_level") || { terms: [] }).terms.map(function (t) { return t.id; });
    if (isWhole(level) && levels.indexOf(level) !== -1) { found = found.concat(levelRules(level, evaluation)); }
    var measures = Array.isArray(impact.measures) ? impact.measures : [];
    measures.forEach(function (measure, i) {
      var source = isObject(measure) ? measure.source : undefined;
      if (outOf(source, count)) {
        var metric = Object.prototype.hasOwnProperty.call(measure, "metric") ? measure.metric : "number " + (i + 1);
        found.push({
          pointer: "/impact/measures/" + i + "/source",
          text: "the measure " + shortRepr(metric) + " cites source " + source + ", but the case lists " + sourcesText(count),
        });
      }
    });
    if (evaluation !== null && outOf(evaluation.source, count)) {
      found.push({
        pointer: "/impact/evaluation/source",
        text: "the evaluation cites source " + evaluation.source + ", but the case lists " + sourcesText(count),
      });
    }
    return found;
  }

  function levelRules(level, evaluation) {
    var found = [];
    var where = "/impact/evidence_level";
    var given = evaluation !== null && Object.keys(evaluation).length > 0; /* Python: a non-empty dict is true */
    var design = given ? evaluation.design : null;
    var by = given ? evaluation.by : null;
    var result = given ? evaluation.result : null;
    if (level >= 3 && COMPARISON_DESIGNS.indexOf(design) === -1) {
      var what = given ? "the evaluation's design is " + pyRepr(design) : "the case has no impact.evaluation";
      found.push({
        pointer: where,
        text: "evidence level " + level + " needs an evaluation against a comparison group or a randomised trial, " +
          "but " + what + "; use level 2 at most, or add the evaluation",
      });
    }
    if (level >= 4 && given && by !== "independent") {
      found.push({
        pointer: where,
        text: "evidence level " + level + " needs an independent evaluation, but it was evaluated by " + pyRepr(by) +
          "; use level 3 at most",
      });
    }
    if (level > 2 && by === "supplier") {
      found.push({
        pointer: where,
        text: "evidence level " + level + " rests on the supplier's own evaluation, which allows level 2 at most",
      });
    }
    if (level > 1 && NOT_POSITIVE.indexOf(result) !== -1) {
      found.push({
        pointer: where,
        text: "evidence level " + level + " rates evidence of positive impact, but the evaluation's result is " +
          pyRepr(result) + "; use level 1 (the site shows the result plainly)",
      });
    }
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
  /* Case format 1.2.1: bidirectional controls only in Markdown fields. */
  var BIDI_CONTROLS = "\\u202A-\\u202E\\u2066-\\u2069";
  var REFUSED_IN_MARKDOWN = new RegExp("[" + REFUSED + "]", "u");
  var REFUSED_IN_TEXT = new RegExp("[\\t\\n" + BIDI_CONTROLS + REFUSED + "]", "u");
  var IS_BIDI_CONTROL = new RegExp("^[" + BIDI_CONTROLS + "]$", "u");
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
    if (IS_BIDI_CONTROL.test(found[0])) {
      return "holds " + codePoint(code) + " (bidirectional control), which only Markdown fields may contain; remove it";
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

  /* Every problem with the case, each at the form's own place for it. */
  function problems(data) {
    var found = [];
    if (!validate(data)) { found = validate.errors.map(function (error) { return message(error, data); }); }
    found = found.concat(characterRules(data, SPEC, ""), catalogueRules(data), evidenceRules(data));
    var seen = {};
    return found.map(function (p) { return { pointer: formPointer(p.pointer), text: p.text }; })
      .filter(function (p) { var k = p.pointer + "\n" + p.text; if (seen[k]) { return false; } seen[k] = true; return true; });
  }

  /* The field at pointer, or the nearest field or group that holds it. */
  function elementFor(pointer) {
    var parts = pointer.split("/");
    while (parts.length > 1) {
      var el = form.querySelector('[data-pointer="' + parts.join("/") + '"]');
      if (el) { return el; }
      parts.pop();
    }
    return form;
  }

  function errorBox(el) { return el.querySelector(":scope > .cb-error-message"); }

  /* Where a problem is shown: its field, or failing that the nearest group around
     it that has room for a message, or the top of the form. Never nowhere. */
  function placeFor(pointer) {
    var el = elementFor(pointer);
    while (el !== form && !errorBox(el)) { el = el.parentElement.closest("[data-pointer]") || form; }
    return el;
  }

  function focusTarget(el) {
    if (el === form) { return errorBox(form); }
    if (el.classList.contains("cb-repeat")) { return el.querySelector("[data-action=add]"); }
    if (el.classList.contains("cb-choices")) { return el.querySelector("input"); }
    return el.querySelector("input, select, textarea") || el;
  }

  /* The controls showErrors marked invalid. clearErrors unmarks these and no others: a control
     with a message of its own (the related-case title search) keeps it. */
  var marked = [];

  function clearErrors() {
    form.querySelectorAll(".cb-field-error").forEach(function (el) { el.classList.remove("cb-field-error"); });
    form.querySelectorAll(".cb-error-message").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    marked.forEach(function (el) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); });
    marked = [];
  }

  function inFormOrder(a, b) {
    if (a === b) { return 0; }
    if (a === form) { return -1; }
    if (b === form) { return 1; }
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  /* Shows each problem beside its field (all: every one; otherwise only those of
     fields already visited) and returns what the summary lists, in form order. */
  function showErrors(list, all) {
    clearErrors();
    var shown = [];
    list.forEach(function (problem, index) {
      var field = elementFor(problem.pointer);
      if (!all && !touched[field.getAttribute("data-pointer")]) { return; }
      var el = placeFor(problem.pointer);
      var box = errorBox(el);
      el.classList.add("cb-field-error");
      box.hidden = false;
      box.id = el === form ? "f-error" : "f" + el.getAttribute("data-pointer").replace(/\//g, "-") + "-error";
      box.textContent = box.textContent ? box.textContent + ". " + problem.text : problem.text;
      var control = focusTarget(el);
      if (control !== box) {
        marked.push(control);
        control.setAttribute("aria-invalid", "true");
        var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (described.indexOf(box.id) === -1) { described.push(box.id); }
        control.setAttribute("aria-describedby", described.join(" "));
      }
      shown.push({ text: problem.text, target: control.id, place: el, index: index });
    });
    return shown.sort(function (a, b) { return inFormOrder(a.place, b.place) || a.index - b.index; });
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

  var current = { data: {}, yaml: "", shown: [] };  // shown: the problems in view since the last refresh

  /* Once the check button has been pressed, every problem stays in view (until
     "Start again"), not only those of the fields visited since. */
  var checked = false;

  function refresh(all) {
    assignIds();
    places = {};
    var data = collect(form, SPEC);
    var list = problems(data);
    var shown = showErrors(list, all || checked);
    current.shown = shown;
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
      offerEmail(data);
      result.hidden = !(checked || finalStep());  // the file is offered once the answers are checked
    } else {
      current.yaml = "";
      result.hidden = true;
    }
    save();
    return list;
  }

  /* "Email it to the maintainers": the file in the e-mail's body when it fits in a mailto
     link (mail programs cut long ones), otherwise a request to attach the downloaded file. */
  var MAILTO_LIMIT = 1800;
  function offerEmail(data) {
    var email = result.querySelector(".cb-email-link");
    if (!email) { return; }
    var address = "mailto:" + encodeURIComponent(email.getAttribute("data-email")).replace("%40", "@");
    var subject = "?subject=" + encodeURIComponent("Proposed case: " + data.title);
    var href = address + subject + "&body=" + encodeURIComponent(current.yaml);
    var note = result.querySelector(".cb-email-note");
    note.hidden = href.length <= MAILTO_LIMIT;
    if (href.length > MAILTO_LIMIT) {
      href = address + subject + "&body=" + encodeURIComponent(
        "The case file " + data.id + ".yaml is attached (downloaded from the Propose a case form).\n");
      note.textContent = "The file is too long to go in the e-mail itself: download it first, then attach " +
        data.id + ".yaml to the e-mail.";
    }
    email.href = href;
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(function () { refresh(false); }, 250); }

  form.addEventListener("input", function (event) {
    /* A name picked from the suggestions (not a keystroke) fills its council at once. */
    if (event.target.matches("[data-register=name]") && (!event.inputType || event.inputType === "insertReplacementText")) {
      fillFromRegister(event.target);
    }
    var field = event.target.closest("[data-pointer]");
    if (field) { touched[field.getAttribute("data-pointer")] = true; }
    var title = event.target.closest("[data-key=title]");
    var idInput = form.querySelector("[data-key=id] input");
    if (title && !idEdited && idInput && byKey(form, "title") === title) { idInput.value = slugify(event.target.value); }
    if (event.target === idInput) { idEdited = idInput.value !== ""; }
    later();
  });
  form.addEventListener("change", function (event) {
    if (event.target.matches("[data-register=name]")) { fillFromRegister(event.target); }
    if (event.target.closest(".cb-group-toggle")) { syncGroups(); }
    later();
  });
  form.addEventListener("focusout", function (event) {
    var field = event.target.closest("[data-pointer]");
    if (field) { touched[field.getAttribute("data-pointer")] = true; later(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    checked = true;
    var list = refresh(true);
    if (list.length) { summary.focus(); } else { result.querySelector("h2").setAttribute("tabindex", "-1"); result.querySelector("h2").focus(); }
    if (!list.length) { renderAnswers(); }
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
      form.querySelectorAll("[data-unknown]").forEach(function (el) { el.remove(); });
      syncGroups();
      touched = {}; idEdited = false; checked = false;
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

  /* ---------- related cases, picked by their titles ---------- */

  var TITLES = {};  // case id -> title, and title -> id, from the page's list of the catalogue's cases
  var IDS = {};
  Array.prototype.forEach.call(document.querySelectorAll("#cb-case-titles option"), function (option) {
    TITLES[option.getAttribute("data-id")] = option.value;
    IDS[option.value] = option.getAttribute("data-id");
  });

  function renderPicked(field) {
    var list = field.querySelector(".cb-picked");
    if (!list) { return; }
    var ids = field.querySelector("textarea").value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    list.textContent = "";
    ids.forEach(function (id) {
      var item = document.createElement("li");
      item.textContent = TITLES[id] ? TITLES[id] + " " : id + " (not a case in the catalogue) ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "cb-link-button";
      remove.setAttribute("data-action", "unpick");
      remove.setAttribute("data-id", id);
      remove.append("Remove");
      var which = document.createElement("span");
      which.className = "cb-visually-hidden";
      which.textContent = " " + (TITLES[id] || id);
      remove.appendChild(which);
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  function setPicked(field, ids) {
    var area = field.querySelector("textarea");
    area.value = ids.join("\n");
    area.dispatchEvent(new Event("input", { bubbles: true }));
    renderPicked(field);
  }

  /* Says beside the title search why nothing was added (no text: clears it). */
  function pickError(field, text) {
    var input = field.querySelector("[data-pick]");
    var box = field.querySelector("[data-pick-error]");
    box.id = input.id + "-error";
    box.textContent = text;
    box.hidden = !text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", box.id);
    } else {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  function pick(field) {
    var input = field.querySelector("[data-pick]");
    var typed = input.value.trim();
    var id = IDS[typed];
    if (!id) {
      pickError(field, typed ? "No case in the catalogue has this title: choose one of the titles suggested as you type"
        : "Type a few words of the case's title, then choose it from the suggestions");
      input.focus();
      return;
    }
    pickError(field, "");
    var ids = field.querySelector("textarea").value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    if (ids.indexOf(id) === -1) { ids.push(id); }
    input.value = "";
    setPicked(field, ids);
    input.focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action=pick], button[data-action=unpick]");
    if (!button) { return; }
    var field = button.closest("[data-key]");
    if (button.getAttribute("data-action") === "pick") { pick(field); return; }
    var id = button.getAttribute("data-id");
    var left = field.querySelector("textarea").value.split("\n").map(function (l) { return l.trim(); })
      .filter(function (l) { return l && l !== id; });
    setPicked(field, left);
    field.querySelector("[data-pick]").focus();
  });
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-pick]")) {
      event.preventDefault();  // Enter adds the case, it does not send the form
      pick(event.target.closest("[data-key]"));
    }
  });
  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-lines]")) { renderPicked(event.target.closest("[data-key]")); }
    if (event.target.matches("[data-pick]")) { pickError(event.target.closest("[data-key]"), ""); }
  });

  /* ---------- one step at a time, then "Check your answers" ---------- */

  var steps = Array.prototype.slice.call(form.querySelectorAll(".cb-step"));
  var progress = document.getElementById("cb-progress");
  var allButton = root.querySelector("[data-action=all-questions]");
  var answers = form.querySelector(".cb-answers");
  var at = 0;
  var STEP_KEY = "casebook-propose-step";

  function showingAll() { return allButton.getAttribute("aria-pressed") === "true"; }
  function finalStep() { return showingAll() || at === steps.length - 1; }

  function goTo(n, focus) {
    at = Math.max(0, Math.min(n, steps.length - 1));
    var all = showingAll();
    steps.forEach(function (step, i) { step.hidden = !all && i !== at; });
    progress.textContent = all ? "All questions on one page" :
      "Step " + (at + 1) + " of " + steps.length + ": " + steps[at].getAttribute("data-title");
    if (all || at === steps.length - 1) { renderAnswers(); }
    if (current.yaml) { result.hidden = !(checked || finalStep()); }
    try { window.sessionStorage.setItem(STEP_KEY, String(at)); } catch (e) { /* not kept */ }
    if (focus) {
      var heading = steps[at].querySelector("h2");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  }

  function stepOf(el) { return steps.indexOf(el.closest(".cb-step")); }

  /* Continue checks this step's answers only, as GOV.UK's forms do: its problems show
     beside their fields and in the summary, and the next step waits until they are fixed. */
  function next() {
    steps[at].querySelectorAll("[data-pointer]").forEach(function (el) { touched[el.getAttribute("data-pointer")] = true; });
    clearTimeout(timer);
    refresh(false);
    var here = current.shown.filter(function (item) { return stepOf(item.place) === at; });
    if (here.length) {
      showSummary(here);
      summary.focus();
      return;
    }
    summary.hidden = true;
    goTo(at + 1, true);
  }

  function leaf(field, value) {
    if (field.terms) {
      var term = field.terms.filter(function (t) { return String(t.id) === String(value); })[0];
      if (term) { return term.label; }
    }
    if (typeof value === "boolean") { return value ? "Yes" : "No"; }
    return String(value);
  }

  /* An answer in a few words: a list of terms as their labels, a list of groups as each
     group's first answer, a long text cut short. */
  function answerText(field, value) {
    if (empty(value)) { return ""; }
    if (Array.isArray(value)) {
      return value.map(function (item) {
        if (isObject(item)) { return answerText(field, item); }
        return leaf(field, item);
      }).filter(Boolean).join("; ");
    }
    if (isObject(value)) {
      return (field.fields || []).map(function (sub) {
        var text = answerText(sub, value[sub.key]);
        return text && (field.kind === "list-object" && sub === field.fields[0] ? text : sub.title + ": " + text);
      }).filter(Boolean).join(", ");
    }
    var text = leaf(field, value);
    return text.length > 160 ? text.slice(0, 157) + "\u2026" : text;
  }

  function renderAnswers() {
    var data = collect(form, SPEC);
    answers.textContent = "";
    steps.slice(0, -1).forEach(function (step, index) {
      var heading = document.createElement("h3");
      heading.textContent = step.getAttribute("data-title");
      var list = document.createElement("dl");
      list.className = "cb-answers__list";
      SPEC.forEach(function (field) {
        var el = byKey(step, field.key);
        if (!el || el.parentNode !== step) { return; }
        var row = document.createElement("div");
        var dt = document.createElement("dt");
        dt.textContent = field.title;
        var dd = document.createElement("dd");
        var text = answerText(field, data[field.key]);
        dd.textContent = text || (field.required ? "Not answered yet" : "Not given (optional)");
        var change = document.createElement("dd");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "cb-link-button";
        button.append("Change");
        var hidden = document.createElement("span");
        hidden.className = "cb-visually-hidden";
        hidden.textContent = " " + field.title.toLowerCase();
        button.appendChild(hidden);
        button.addEventListener("click", function () {
          setAll(false);
          goTo(index, false);
          var control = focusTarget(el);
          if (control) { control.focus(); control.scrollIntoView({ block: "center" }); }
        });
        change.appendChild(button);
        row.append(dt, dd, change);
        list.appendChild(row);
      });
      answers.append(heading, list);
    });
  }

  function setAll(all) {
    allButton.setAttribute("aria-pressed", all ? "true" : "false");
    allButton.textContent = all ? "Show one step at a time" : "Show all questions on one page";
  }

  allButton.addEventListener("click", function () { setAll(!showingAll()); goTo(at, false); });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action=continue], button[data-action=back]");
    if (!button) { return; }
    if (button.getAttribute("data-action") === "continue") { next(); } else { goTo(at - 1, true); }
  });

  /* A problem's link in the summary opens the step that holds its field first. */
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target && stepOf(target) !== -1 && stepOf(target) !== at && !showingAll()) { goTo(stepOf(target), false); }
  }, true);

  function startSteps() {
    var params = new URLSearchParams(window.location.search);
    setAll(params.get("view") === "all");
    var kept = 0;
    try { kept = Number(window.sessionStorage.getItem(STEP_KEY)) || 0; } catch (e) { kept = 0; }
    goTo(kept, false);
  }

  Promise.all([
    fetch(root.getAttribute("data-schema")).then(function (r) { return r.json(); }),
    fetch(root.getAttribute("data-ids")).then(function (r) { return r.json(); }),
  ]).then(function (loaded) {
    var schema = loaded[0];
    schemaId = schema.$id;
    var Ajv = window.ajv2020.default || window.ajv2020;
    var ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true });
    validate = ajv.compile(schema);
    loaded[1].rows.forEach(function (row) { existingIds[row[0]] = true; });
    root.hidden = false;
    restore();
    refresh(false);
    form.querySelectorAll(".cb-picked").forEach(function (list) { renderPicked(list.closest("[data-key]")); });
    startSteps();
    window.casebookForm = { refresh: refresh, data: function () { return current; }, step: function () { return at; } };
    /* The emitter the form writes its files with, for anyone (and the tests)
       to check: casebookYaml.emit(data) is the text of the case file for data. */
    window.casebookYaml = { emit: yamlFor };
  });
}());
