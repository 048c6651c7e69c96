/* The catalogue view: filters (a box per term; councils in one list), text search,
   sorting, a live count, the state in the URL, the active filters as removable
   chips, and "download these results" as CSV. On narrow screens the filter
   panels fold behind one "Filter" button.

   The table is in the page already (it works without JavaScript); this script
   reads a compact facet index the build writes beside the page (catalogue-data.json),
   so no text is sent twice. It runs in old browsers too: no build step, ES2017. */
(function () {
  "use strict";
  var root = document.getElementById("cb-catalogue");
  if (!root) { return; }
  var table = document.getElementById("cb-catalogue-table");
  var tbody = table.tBodies[0];
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
  var terms = {};       // "name=value" -> {one: "Theme", label: "Housing"}
  var FACETS = [];
  var rows = [];        // {el, id, facets: {name: Set}, text}
  var state = { filters: {}, q: "", sort: "", dir: "asc" };

  // A council is filtered by its register code in lower case (councils/e09000007/ is its page);
  // an address may spell the code in capitals, as the register does.
  function canonical(name, value) {
    return name === "council" && /^[A-Za-z][0-9]{8}$/.test(value) ? value.toLowerCase() : value;
  }

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    FACETS.forEach(function (name) {
      var values = params.getAll(name).map(function (value) { return canonical(name, value); });
      if (values.length) { filters[name] = values; }
    });
    var sort = params.get("sort") || "";
    var dir = "asc";
    if (sort.charAt(0) === "-") { dir = "desc"; sort = sort.slice(1); }
    return { filters: filters, q: params.get("q") || "", sort: sort, dir: dir };
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    Object.keys(state.filters).forEach(function (name) {
      state.filters[name].forEach(function (value) { params.append(name, value); });
    });
    if (state.q) { params.set("q", state.q); }
    if (state.sort) { params.set("sort", (state.dir === "desc" ? "-" : "") + state.sort); }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (url === window.location.pathname + window.location.search) { return; }
    if (push) { window.history.pushState(null, "", url); } else { window.history.replaceState(null, "", url); }
  }

  function syncControls() {
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var chosen = state.filters[box.name] || [];
      box.checked = chosen.indexOf(box.value) !== -1;
    });
    form.querySelectorAll("select").forEach(function (select) {
      var chosen = state.filters[select.name] || [];
      var known = Array.prototype.some.call(select.options, function (o) { return o.value && o.value === chosen[0]; });
      select.value = known ? chosen[0] : "";
    });
    textInput.value = state.q;
    // open every panel that holds an active filter (others stay as the reader left them)
    form.querySelectorAll("details.cb-filter").forEach(function (panel) {
      var select = panel.querySelector("select");
      if (panel.querySelector("input:checked") || (select && select.value)) { panel.open = true; }
    });
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
    var cross = document.createElement("span");
    cross.className = "cb-chip__x";
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "\u00d7";
    button.append(hidden, kind, " " + text, cross);
    button.addEventListener("click", function () {
      var buttons = Array.prototype.slice.call(chipList.querySelectorAll("button"));
      var at = buttons.indexOf(button);
      remove();
      syncControls();
      writeUrl(true);
      apply();
      var left = chipList.querySelectorAll("button");
      (left[Math.min(at, left.length - 1)] || textInput).focus();
    });
    item.appendChild(button);
    return item;
  }

  function renderChips() {
    var items = [];
    var active = 0;
    Object.keys(state.filters).forEach(function (name) {
      state.filters[name].forEach(function (value) {
        var term = terms[name + "=" + value];
        if (!term) { return; }
        active += 1;
        items.push(chip(term.one, term.label, function () {
          var left = (state.filters[name] || []).filter(function (v) { return v !== value; });
          if (left.length) { state.filters[name] = left; } else { delete state.filters[name]; }
        }));
      });
    });
    if (state.q) {
      items.push(chip("Words", state.q, function () { state.q = ""; }));
    }
    chipList.textContent = "";
    items.forEach(function (item) { chipList.appendChild(item); });
    chips.hidden = items.length === 0;
    toggleCount.hidden = active === 0;
    toggleCount.innerHTML = "";
    if (active) {
      var hidden = document.createElement("span");
      hidden.className = "cb-visually-hidden";
      hidden.textContent = " active";
      toggleCount.append(String(active), hidden);
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
    form.querySelectorAll("select").forEach(function (select) {
      if (select.value) { filters[select.name] = [select.value]; }
    });
    state.filters = filters;
    state.q = textInput.value.trim();
  }

  function matches(row) {
    for (var name in state.filters) {
      var wanted = state.filters[name];
      var have = row.facets[name];
      var any = false;
      for (var i = 0; i < wanted.length; i++) { if (have && have.has(wanted[i])) { any = true; break; } }
      if (!any) { return false; }
    }
    if (state.q) {
      var words = state.q.toLowerCase().split(/\s+/);
      for (var j = 0; j < words.length; j++) { if (row.text.indexOf(words[j]) === -1) { return false; } }
    }
    return true;
  }

  function sortRows() {
    var headers = table.tHead.rows[0].cells;
    for (var h = 0; h < headers.length; h++) {
      var key = headers[h].getAttribute("data-sort");
      if (key === state.sort) {
        headers[h].setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else {
        headers[h].removeAttribute("aria-sort");
      }
    }
    var order = rows.slice();
    if (state.sort) {
      var column = -1;
      for (var c = 0; c < headers.length; c++) { if (headers[c].getAttribute("data-sort") === state.sort) { column = c; } }
      var numeric = headers[column] && headers[column].getAttribute("data-type") === "number";
      var sign = state.dir === "desc" ? -1 : 1;
      order.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        var diff = numeric ? (Number(x) - Number(y)) : x.localeCompare(y);
        return diff * sign || a.index - b.index;
      });
    }
    var fragment = document.createDocumentFragment();
    order.forEach(function (row) { fragment.appendChild(row.el); });
    tbody.appendChild(fragment);
    return order;
  }

  var sortedBy = null;  // the order the rows are in now, so they are only moved when it changes
  var PAGE = 200;       // rows shown at once: a browser lays out a few hundred rows quickly, thousands slowly
  var limit = PAGE;
  var matched = [];     // every matching row, in table order (what the download holds)

  function apply(keepLimit) {
    var key = state.sort + " " + state.dir;
    var order = sortedBy === key ? null : sortRows();
    if (order) { sortedBy = key; rows.ordered = order; }
    if (!keepLimit) { limit = PAGE; }
    matched = [];
    (rows.ordered || rows).forEach(function (row) {
      var visible = matches(row);
      if (visible) { matched.push(row); }
      visible = visible && matched.length <= limit;
      if (row.el.hidden === visible) { row.el.hidden = !visible; }
    });
    renderChips();
    var n = matched.length;
    count.textContent = (n === rows.length ? "All " + n + " cases" : n + " of " + rows.length + " cases match") +
      (n > limit ? "; showing the first " + limit : "");
    more.hidden = n <= limit;
    more.textContent = "Show " + Math.min(PAGE, n - limit) + " more (" + (n - limit) + " not shown)";
    return n;
  }

  function visibleIds() {
    return matched.map(function (row) { return row.id; });
  }

  function downloadCsv() {
    fetch(download.getAttribute("data-src")).then(function (response) { return response.json(); }).then(function (csv) {
      var lines = [csv.header];
      visibleIds().forEach(function (id) { if (csv.rows[id] !== undefined) { lines.push(csv.rows[id]); } });
      var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "cases-filtered.csv";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    });
  }

  function init(data) {
    FACETS = Object.keys(data.facets);
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var label = form.querySelector("label[for='" + box.id + "']");
      terms[box.name + "=" + box.value] = {
        one: box.closest("details").getAttribute("data-one"),
        label: label.firstChild.textContent.trim()
      };
    });
    form.querySelectorAll("select option[data-label]").forEach(function (option) {
      var select = option.parentNode;
      terms[select.name + "=" + option.value] = {
        one: select.closest("details").getAttribute("data-one"),
        label: option.getAttribute("data-label")
      };
    });
    var byId = {};
    data.rows.forEach(function (entry) { byId[entry[0]] = entry[1]; });
    Array.prototype.forEach.call(tbody.rows, function (tr, index) {
      var id = tr.getAttribute("data-id");
      var coded = byId[id] || {};
      var facets = {};
      FACETS.forEach(function (name) {
        var terms = data.facets[name];
        facets[name] = new Set((coded[name] || []).map(function (i) { return String(terms[i]); }));
      });
      var cells = Array.prototype.map.call(tr.cells, function (td) {
        return td.hasAttribute("data-value") ? td.getAttribute("data-value") : td.textContent.trim();
      });
      rows.push({ el: tr, id: id, facets: facets, text: tr.textContent.toLowerCase(), cells: cells, index: index });
    });
    state = readUrl();
    syncControls();
    form.hidden = false;
    download.hidden = false;
    apply();

    form.addEventListener("change", function () { readControls(); writeUrl(true); apply(); });
    var typing;
    textInput.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { readControls(); writeUrl(false); apply(); }, 150);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); readControls(); writeUrl(true); apply(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { readControls(); writeUrl(true); apply(); }, 0);
    });
    table.tHead.querySelectorAll("th[data-sort]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cb-sort";
      button.setAttribute("data-sort-button", "");
      button.textContent = th.textContent;
      button.title = "Sort by " + th.textContent.toLowerCase();
      th.textContent = "";
      th.appendChild(button);
    });
    table.tHead.querySelectorAll("button[data-sort-button]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.parentNode.getAttribute("data-sort");
        state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
        state.sort = key;
        writeUrl(true);
        apply();
      });
    });
    window.addEventListener("popstate", function () { state = readUrl(); syncControls(); apply(); });
    download.addEventListener("click", downloadCsv);
    clearAll.addEventListener("click", function () {
      state.filters = {};
      state.q = "";
      syncControls();
      writeUrl(true);
      apply();
      textInput.focus();
    });
    toggle.addEventListener("click", function () { openFilters(toggle.getAttribute("aria-expanded") !== "true"); });
    done.addEventListener("click", function () { openFilters(false); toggle.focus(); });
    more.addEventListener("click", function () { limit += PAGE; apply(true); });
    window.casebookCatalogue = { apply: apply, state: function () { return state; } };
  }

  fetch(root.getAttribute("data-src")).then(function (response) { return response.json(); }).then(init);
}());
