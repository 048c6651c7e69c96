/* The catalogue as a finder (in the manner of GOV.UK's finders): filters in a column,
   a live count, the active filters as removable chips, results as a list, sorting,
   "copy link", advice when nothing matches, and "download these results" as CSV.

   Each filter option shows how many results choosing it would give, given the other
   active filters; an option that would give none is shown disabled, not hidden.
   Within one filter the options combine with "or" (two councils, two themes); across
   filters with "and". The state lives in the address, so a filtered view can be shared.

   The list is in the page already (it works without JavaScript); this script reads a
   compact facet index the build writes beside the page (catalogue-data.json), so no
   text is sent twice. It runs in old browsers too: no build step, ES2017. */
(function () {
  "use strict";
  var root = document.getElementById("cb-catalogue");
  if (!root) { return; }
  var list = document.getElementById("cb-results");
  var form = document.getElementById("cb-filters");
  var count = document.getElementById("cb-count");
  var textInput = document.getElementById("cb-filter-text");
  var download = document.getElementById("cb-download");
  var more = document.getElementById("cb-more");
  var chips = document.getElementById("cb-chips");
  var chipList = chips.querySelector("ul");
  var clearAll = document.getElementById("cb-chips-clear");
  var toggle = document.getElementById("cb-filter-toggle");
  var toggleCount = document.getElementById("cb-filter-count");
  var done = document.getElementById("cb-filter-done");
  var tools = document.getElementById("cb-tools");
  var sortSelect = document.getElementById("cb-sort");
  var copy = document.getElementById("cb-copy");
  var copyDone = document.getElementById("cb-copy-done");
  var empty = document.getElementById("cb-empty");
  var emptyList = document.getElementById("cb-empty-list");
  var SORTS = ["relevance", "title", "newest", "year", "evidence"];
  var terms = {};       // "name=value" -> {one: "Theme", label: "Housing"}
  var options = [];     // {name, value, el (input or option), label: text node or option, base: its label}
  var FACETS = [];
  var rows = [];        // {el, id, facets: {name: [values]}, title, summary, text, year, evidence, added, index}
  var state = { filters: {}, q: "", sort: "" };

  // A council is filtered by its register code in lower case (councils/e09000007/ is its page);
  // an address may spell the code in capitals, as the register does.
  function canonical(name, value) {
    return name === "council" && /^[A-Za-z][0-9]{8}$/.test(value) ? value.toLowerCase() : value;
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.forEach(function (name) {
      var values = [];
      params.getAll(name).forEach(function (raw) {
        raw.split(",").forEach(function (value) {  // ?council=a,b is a list too
          value = canonical(name, value.trim());
          if (value && values.indexOf(value) === -1) { values.push(value); }
        });
      });
      if (values.length) { filters[name] = values; }
    });
    var sort = (params.get("sort") || "").replace(/^-/, "");
    return { filters: filters, q: params.get("q") || "", sort: SORTS.indexOf(sort) === -1 ? "" : sort };
  }

  function address() {
    var params = new URLSearchParams();
    Object.keys(state.filters).forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.q) { params.set("q", state.q); }
    if (state.sort) { params.set("sort", state.sort); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function writeUrl(push) {
    var url = address();
    if (url === window.location.pathname + window.location.search) { return; }
    if (push) { window.history.pushState(null, "", url); } else { window.history.replaceState(null, "", url); }
  }

  function sortKey() {
    return state.sort || (state.q ? "relevance" : "title");
  }

  function syncControls() {
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = (state.filters[box.name] || []).indexOf(box.value) !== -1;
    });
    form.querySelectorAll("select").forEach(function (select) { select.value = ""; });
    textInput.value = state.q;
    sortSelect.value = sortKey();
    // open every panel that holds an active filter (others stay as the reader left them)
    form.querySelectorAll("details.cb-filter").forEach(function (panel) {
      if ((state.filters[panel.getAttribute("data-facet")] || []).length) { panel.open = true; }
    });
  }

  function update(push) {
    syncControls();
    writeUrl(push);
    apply();
  }

  function chip(facet, text, remove) {
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cb-chip";
    var hidden = document.createElement("span");
    hidden.className = "cb-visually-hidden";
    hidden.textContent = "Remove filter: ";
    var kind = document.createElement("span");
    kind.className = "cb-chip__facet";
    kind.textContent = facet;
    var value = document.createElement("bdi");
    value.textContent = text;
    var cross = document.createElement("span");
    cross.className = "cb-chip__x";
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "\u00d7";
    button.append(hidden, kind, " ", value, cross);
    button.addEventListener("click", function () {
      var buttons = Array.prototype.slice.call(chipList.querySelectorAll("button"));
      var at = buttons.indexOf(button);
      remove();
      update(true);
      var left = chipList.querySelectorAll("button");
      (left[Math.min(at, left.length - 1)] || textInput).focus();
    });
    item.appendChild(button);
    return item;
  }

  // Every active filter once: its kind and label, and the state without it.
  function activeFilters() {
    var found = [];
    Object.keys(state.filters).forEach(function (name) {
      state.filters[name].forEach(function (value) {
        var term = terms[name + "=" + value];
        if (!term) { return; }
        found.push({ one: term.one, label: term.label, without: function (filters) {
          var left = (filters[name] || []).filter(function (v) { return v !== value; });
          if (left.length) { filters[name] = left; } else { delete filters[name]; }
        } });
      });
    });
    if (state.q) {
      found.push({ one: "Words", label: state.q, words: true });
    }
    return found;
  }

  function renderChips(active) {
    chipList.textContent = "";
    active.forEach(function (filter) {
      chipList.appendChild(chip(filter.one, filter.label, function () {
        if (filter.words) { state.q = ""; } else { filter.without(state.filters); }
      }));
    });
    var facets = active.filter(function (filter) { return !filter.words; }).length;
    chips.hidden = active.length === 0;
    toggleCount.hidden = facets === 0;
    toggleCount.textContent = "";
    if (facets) {
      var hidden = document.createElement("span");
      hidden.className = "cb-visually-hidden";
      hidden.textContent = " active";
      toggleCount.append(String(facets), hidden);
    }
  }

  function openFilters(open) {
    form.classList.toggle("cb-filters--open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function readControls() {
    var filters = {};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    // a list to choose from (councils) adds its choice to those already chosen
    form.querySelectorAll("select").forEach(function (select) {
      var chosen = (state.filters[select.name] || []).slice();
      if (select.value && chosen.indexOf(select.value) === -1) { chosen.push(select.value); }
      if (chosen.length) { filters[select.name] = chosen; }
    });
    state.filters = filters;
    state.q = textInput.value.trim();
  }

  function wordsOf(q) {
    return q.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function hasAny(have, wanted) {
    for (var i = 0; i < wanted.length; i++) { if (have.indexOf(wanted[i]) !== -1) { return true; } }
    return false;
  }

  // The names of the filters a row fails (at most two are needed), or null when the words miss it.
  function failures(row, filters, names, words) {
    for (var j = 0; j < words.length; j++) { if (row.text.indexOf(words[j]) === -1) { return null; } }
    var failed = [];
    for (var i = 0; i < names.length && failed.length < 2; i++) {
      if (!hasAny(row.facets[names[i]] || [], filters[names[i]])) { failed.push(names[i]); }
    }
    return failed;
  }

  function countMatches(filters, q) {
    var names = Object.keys(filters);
    var words = wordsOf(q);
    var n = 0;
    rows.forEach(function (row) {
      var failed = failures(row, filters, names, words);
      if (failed && failed.length === 0) { n += 1; }
    });
    return n;
  }

  function relevance(row, words) {
    var score = 0;
    words.forEach(function (word) {
      if (row.title.indexOf(word) !== -1) { score += 3; }
      if (row.summary.indexOf(word) !== -1) { score += 2; }
      score += 1;
    });
    return score;
  }

  function ordered(matched, words) {
    var key = sortKey();
    var scores = new Map();  // each result's relevance, worked out once, not in every comparison
    if (key === "relevance") {
      matched.forEach(function (row) { scores.set(row, relevance(row, words)); });
    }
    var by = {
      relevance: function (a, b) { return scores.get(b) - scores.get(a); },
      newest: function (a, b) { return a.added - b.added; },
      year: function (a, b) { return b.year - a.year; },
      evidence: function (a, b) { return b.evidence - a.evidence; },
      title: function () { return 0; }
    }[key];
    return matched.slice().sort(function (a, b) { return by(a, b) || a.index - b.index; });
  }

  function setCount(option, n, chosen) {
    if (option.n === n && option.chosen === chosen) { return; }
    option.n = n;
    option.chosen = chosen;
    var text = (option.base ? option.base + " " : "") + "(" + n + ")";  // a box's count span holds "(n)" alone
    if (option.label.textContent !== text) { option.label.textContent = text; }
    var off = n === 0 && !chosen;
    if (option.el.disabled !== off) { option.el.disabled = off; }
    if (option.wrap) { option.wrap.classList.toggle("cb-check--none", off); }
  }

  // For each option: the results choosing it would give, given the other filters.
  // An option already chosen shows the results it brings in now.
  function renderCounts(matchedCount, hit, extra) {
    options.forEach(function (option) {
      var chosen = state.filters[option.name] || [];
      var isChosen = chosen.indexOf(option.value) !== -1;
      var here = (hit[option.name] && hit[option.name][option.value]) || 0;
      var n = isChosen || !chosen.length ? here : matchedCount + ((extra[option.name] && extra[option.name][option.value]) || 0);
      setCount(option, n, isChosen);
    });
  }

  function renderEmpty(active) {
    emptyList.textContent = "";
    active.forEach(function (filter) {
      var filters = {};
      Object.keys(state.filters).forEach(function (name) { filters[name] = state.filters[name].slice(); });
      var q = state.q;
      if (filter.words) { q = ""; } else { filter.without(filters); }
      var n = countMatches(filters, q);
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cb-link-button";
      var value = document.createElement("bdi");
      value.textContent = filter.label;
      button.append("Remove " + filter.one.toLowerCase() + " \u201c", value, "\u201d");
      button.addEventListener("click", function () {
        if (filter.words) { state.q = ""; } else { filter.without(state.filters); }
        update(true);
        count.focus();
      });
      item.append(button, " (" + n + (n === 1 ? " case)" : " cases)"));
      emptyList.appendChild(item);
    });
  }

  var PAGE = 50;        // results shown at once: GOV.UK's finders show a page of 20
  var limit = PAGE;
  var matched = [];     // every matching row, in the order shown (what the download holds)

  function apply(keepLimit) {
    if (!keepLimit) { limit = PAGE; }
    var names = Object.keys(state.filters);
    var words = wordsOf(state.q);
    var hit = {};       // facet -> value -> rows passing every filter, with that value
    var extra = {};     // facet -> value -> rows failing only this facet, with that value
    matched = [];
    rows.forEach(function (row) {
      var failed = failures(row, state.filters, names, words);
      if (!failed || failed.length > 1) { return; }
      var into = failed.length ? extra : hit;
      var facets = failed.length ? failed : FACETS;
      if (!failed.length) { matched.push(row); }
      facets.forEach(function (name) {
        var values = row.facets[name];
        if (!values) { return; }
        var counts = into[name] || (into[name] = {});
        for (var i = 0; i < values.length; i++) { counts[values[i]] = (counts[values[i]] || 0) + 1; }
      });
    });
    matched = ordered(matched, words);
    // The list holds only the results shown: the other items wait outside the document, where
    // they cost the browser nothing to restyle or lay out (thousands of hidden items would).
    var shown = matched.slice(0, limit).map(function (row) { return row.el; });
    var same = shown.length === list.children.length && shown.every(function (el, i) { return list.children[i] === el; });
    if (!same) { list.replaceChildren.apply(list, shown); }
    var active = activeFilters();
    renderChips(active);
    renderCounts(matched.length, hit, extra);
    var n = matched.length;
    count.textContent = (n === 1 ? "1 case" : n + " cases") + (n > limit ? ", showing the first " + limit : "");
    empty.hidden = n > 0;
    if (n === 0) { renderEmpty(active); }
    more.hidden = n <= limit;
    more.textContent = "Show " + Math.min(PAGE, n - limit) + " more (" + (n - limit) + " not shown)";
    download.disabled = n === 0;
    return n;
  }

  function downloadCsv() {
    fetch(download.getAttribute("data-src")).then(function (response) { return response.json(); }).then(function (csv) {
      var lines = [csv.header];
      matched.forEach(function (row) { if (csv.rows[row.id] !== undefined) { lines.push(csv.rows[row.id]); } });
      // a byte-order mark first, so Excel reads the file as UTF-8 ("£", not "Â£")
      var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "cases-filtered.csv";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    });
  }

  function copyLink() {
    var url = window.location.origin + address();
    var said = function (text) { copyDone.textContent = text; setTimeout(function () { copyDone.textContent = ""; }, 4000); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { said("Link copied"); }, function () { window.prompt("Copy this link", url); });
    } else {
      window.prompt("Copy this link", url);
    }
  }

  function init(data) {
    FACETS = Object.keys(data.facets);
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var label = form.querySelector("label[for='" + box.id + "']");
      var base = label.firstChild.textContent.trim();
      terms[box.name + "=" + box.value] = { one: box.closest("details").getAttribute("data-one"), label: base };
      options.push({
        name: box.name, value: box.value, el: box, label: label.querySelector(".cb-count"), base: "",
        wrap: box.closest(".cb-check")
      });
    });
    form.querySelectorAll("select option[data-label]").forEach(function (option) {
      var select = option.parentNode;
      var label = option.getAttribute("data-label");
      terms[select.name + "=" + option.value] = { one: select.closest("details").getAttribute("data-one"), label: label };
      options.push({ name: select.name, value: option.value, el: option, label: option, base: label });
    });
    var byId = {};
    data.rows.forEach(function (entry) { byId[entry[0]] = entry[1]; });
    var items = Array.prototype.slice.call(list.children);
    items.forEach(function (li, index) {
      var id = li.getAttribute("data-id");
      var coded = byId[id] || {};
      var facets = {};
      var labels = [];
      FACETS.forEach(function (name) {
        var values = (coded[name] || []).map(function (i) { return String(data.facets[name][i]); });
        if (values.length) { facets[name] = values; }
        values.forEach(function (value) {
          var term = terms[name + "=" + value];
          if (term) { labels.push(term.label); }
        });
      });
      var title = li.querySelector(".cb-result__title");
      var summary = li.querySelector(".cb-result__summary");
      rows.push({
        el: li, id: id, facets: facets, index: index,
        title: title ? title.textContent.toLowerCase() : "",
        summary: summary ? summary.textContent.toLowerCase() : "",
        text: (li.textContent + " " + labels.join(" ")).toLowerCase(),
        year: Number(li.getAttribute("data-year")) || 0,
        evidence: Number(li.getAttribute("data-evidence")) || 0,
        added: Number(li.getAttribute("data-new")) || 0
      });
    });
    state = readUrl();
    syncControls();
    form.hidden = false;
    tools.hidden = false;
    download.hidden = false;
    apply();

    form.addEventListener("change", function (event) {
      if (event.target === textInput) { return; }
      readControls();
      update(true);
    });
    var typing;
    textInput.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { readControls(); writeUrl(false); sortSelect.value = sortKey(); apply(); }, 150);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(typing); readControls(); update(true); });
    form.addEventListener("reset", function () {
      setTimeout(function () { state.filters = {}; state.q = ""; update(true); }, 0);
    });
    sortSelect.addEventListener("change", function () {
      state.sort = sortSelect.value === (state.q ? "relevance" : "title") ? "" : sortSelect.value;
      update(true);
    });
    window.addEventListener("popstate", function () { state = readUrl(); syncControls(); apply(); });
    download.addEventListener("click", downloadCsv);
    copy.addEventListener("click", copyLink);
    clearAll.addEventListener("click", function () {
      state.filters = {};
      state.q = "";
      update(true);
      textInput.focus();
    });
    toggle.addEventListener("click", function () { openFilters(toggle.getAttribute("aria-expanded") !== "true"); });
    done.addEventListener("click", function () { openFilters(false); toggle.focus(); });
    more.addEventListener("click", function () { limit += PAGE; apply(true); });
    window.casebookCatalogue = { apply: apply, state: function () { return state; } };
  }

  fetch(root.getAttribute("data-src")).then(function (response) { return response.json(); }).then(init);
}());
