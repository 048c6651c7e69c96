/* The case search in every page's header.

   Pagefind's search API (shipped in the built site under /pagefind/) is loaded on
   first use, so a page that is only read costs nothing more; the results show in
   place under the box, cases first and then councils, each kind a group of its own
   (the search documents carry a "kind" filter). On the search page they show on
   the page itself. Only the newest words' results are ever shown, so the count
   never goes stale when the words change quickly. The query is kept in the URL (?q=) so a search can be
   shared; the arrow keys move between the box and the results, Escape closes.
   The catalogue's own ?q= is its text filter, so there the search keeps out of
   the URL. No build step, ES2017, like catalogue.js. */
(function () {
  "use strict";
  var root = document.getElementById("cb-hsearch");
  if (!root) { return; }
  var input = document.getElementById("cb-hsearch-input");
  var form = root.querySelector("form");
  var panel = document.getElementById("cb-hsearch-panel");
  var status = panel.querySelector(".cb-hsearch__status");
  var opener = root.querySelector(".cb-hsearch__open");
  var closer = root.querySelector(".cb-hsearch__close");
  var bundle = new URL(root.getAttribute("data-bundle"), window.location.href).href;
  var inUrl = !document.getElementById("cb-catalogue");
  var onPage = document.querySelector("[data-cb-search-page]");
  var KEYWORDS = "keywords";  // the search documents' last section: codes and tags (search_doc.html.j2)
  var KINDS = ["case", "council"];
  var PAGE = { case: 8, council: 4 };
  var NAMES = { case: ["case", "cases"], council: ["council", "councils"] };
  var groups = {};
  KINDS.forEach(function (kind) {  // a group of results for each kind, made here so no page carries them unused
    var element = document.createElement("div");
    element.className = "cb-hsearch__group";
    element.setAttribute("data-kind", kind);
    element.hidden = true;
    var heading = document.createElement("h2");
    heading.className = "cb-hsearch__heading";
    var results = document.createElement("ol");
    results.className = "cb-hsearch__results";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cb-hsearch__more";
    button.hidden = true;
    element.append(heading, results, button);
    panel.appendChild(element);
    groups[kind] = { element: element, heading: heading, list: results, more: button, found: [], shown: 0 };
  });
  var loading = null;
  var term = "";
  var asked = 0;       // the number of the newest search: an older one's results are dropped
  var generation = 0;

  root.hidden = false;

  function load() {
    if (!loading) {
      loading = import(bundle + "pagefind.js").then(function (pagefind) {
        // Rank by where a word appears (the title weighs most), not by a page's length or repetition
        return pagefind.options({ ranking: { pageLength: 0, termFrequency: 0 } }).then(function () { return pagefind; });
      });
    }
    return loading;
  }

  // Search for the box's words, unless they are what the results already show
  function search() {
    var words = input.value.trim();
    if (words === term && asked) { return Promise.resolve(); }
    term = words;
    keepInUrl();
    var id = ++asked;
    if (!words) { show([], []); return Promise.resolve(); }
    status.textContent = "Searching\u2026";
    return load().then(function (pagefind) {
      return Promise.all(KINDS.map(function (kind) { return pagefind.search(words, { filters: { kind: kind } }); }));
    }).then(function (results) {
      if (id !== asked) { return; }  // newer words were typed meanwhile
      show(results[0] ? results[0].results || [] : [], results[1] ? results[1].results || [] : []);
    });
  }

  function keepInUrl() {
    if (!inUrl) { return; }
    var url = new URL(window.location.href);
    if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
    if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
  }

  function expand(open) {
    root.classList.toggle("cb-hsearch--open", open);
    opener.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function showPanel(visible) {
    panel.hidden = !visible;
    root.classList.toggle("cb-hsearch--results", visible);
  }

  function clear() {
    generation += 1;
    KINDS.forEach(function (kind) {
      var group = groups[kind];
      group.found = [];
      group.shown = 0;
      group.list.textContent = "";
      group.element.hidden = true;
    });
  }

  function close() {
    asked += 1;
    input.value = "";
    term = "";
    keepInUrl();
    clear();
    status.textContent = "";
    showPanel(false);
    var narrow = window.getComputedStyle(opener).display !== "none";
    expand(false);
    (narrow ? opener : input).focus();
  }

  // Pagefind's excerpt HTML holds the text (entities escaped) and <mark>s: rebuild it from text and marks only.
  function fill(element, html) {
    var body = new DOMParser().parseFromString(html, "text/html").body;
    Array.prototype.forEach.call(body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  var ENTITIES = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\"", "&#39;": "'" };

  // A word as the excerpt and the metadata both spell it: no marks, entities decoded, no closing punctuation
  function plain(word) {
    return word.replace(/<\/?mark>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, function (e) { return ENTITIES[e]; })
      .replace(/[.,;:]+$/, "").toLowerCase();
  }

  // The excerpt from the case's own text: the best-matching section other than the
  // codes and tags, without the section's heading or the case's title at its start;
  // the summary where only the codes and tags matched.
  function excerpt(page) {
    var best = null;
    var bestScore = 0;
    (page.sub_results || []).forEach(function (sub) {
      if (sub.anchor && sub.anchor.id === KEYWORDS) { return; }
      var score = (sub.weighted_locations || []).reduce(function (sum, w) { return sum + (w.balanced_score || 1); }, 0);
      if (score > bestScore) { best = sub; bestScore = score; }
    });
    if (!best) {
      var words = (page.meta.summary || "").split(/\s+/);
      return { text: words.slice(0, 30).join(" ") + (words.length > 30 ? " …" : "") };
    }
    var tokens = best.excerpt.split(" ");
    var lead = (best.anchor ? best.title : page.meta.title || "").split(/\s+/).map(plain);
    var same = lead.length > 0 && lead.every(function (word, i) { return tokens[i] !== undefined && plain(tokens[i]) === word; });
    return { html: (same ? tokens.slice(lead.length) : tokens).join(" ") };
  }

  function item(page) {
    var li = document.createElement("li");
    li.className = "cb-hsearch__result";
    var link = document.createElement("a");
    link.className = "cb-hsearch__link";
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    var facts = document.createElement("p");
    facts.className = "cb-hsearch__meta";
    facts.textContent = [page.meta.councils, page.meta.status, page.meta.started ? "started " + page.meta.started : ""]
      .filter(Boolean).join(" · ");
    var text = document.createElement("p");
    text.className = "cb-hsearch__excerpt";
    var chosen = excerpt(page);
    if (chosen.html !== undefined) { fill(text, chosen.html); } else { text.textContent = chosen.text; }
    li.append(link, facts, text);
    return li;
  }

  function showMore(kind, focusFirst) {
    var id = generation;
    var group = groups[kind];
    var batch = group.found.slice(group.shown, group.shown + PAGE[kind]);
    group.shown += batch.length;
    var left = group.found.length - group.shown;
    group.more.hidden = left <= 0;
    group.more.textContent = "More " + NAMES[kind][1] + " (" + left + " not shown)";
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (id !== generation) { return; }
      var first = null;
      pages.forEach(function (page) {
        var li = item(page);
        first = first || li.querySelector("a");
        group.list.appendChild(li);
      });
      if (focusFirst && first) { first.focus(); }
    });
  }

  function counted(n, kind) {
    return n + " " + NAMES[kind][n === 1 ? 0 : 1];
  }

  function show(cases, councils) {
    clear();
    if (!term) {
      status.textContent = "";
      showPanel(false);
      return;
    }
    showPanel(true);
    groups["case"].found = cases;
    groups["council"].found = councils;
    var parts = KINDS.filter(function (kind) { return groups[kind].found.length; }).map(function (kind) {
      return counted(groups[kind].found.length, kind);
    });
    status.textContent = (parts.length ? parts.join(" and ") + " match" : "Nothing matches") + " \u201c" + term + "\u201d";
    KINDS.forEach(function (kind) {
      var group = groups[kind];
      group.element.hidden = group.found.length === 0;
      group.heading.textContent = (kind === "case" ? "Cases" : "Councils") + " (" + group.found.length + ")";
      if (group.found.length) { showMore(kind, false); }
    });
  }

  function links() { return Array.prototype.slice.call(panel.querySelectorAll(".cb-hsearch__results a")); }

  var typing = null;
  input.addEventListener("input", function () {  // once the typing pauses, so a half-typed word costs no download
    clearTimeout(typing);
    typing = setTimeout(search, 200);
  });
  input.addEventListener("focus", function () {
    load();
    if (term && links().length) { showPanel(true); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  panel.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at === -1) { return; }
    if (event.key === "ArrowDown" && at < all.length - 1) { event.preventDefault(); all[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var active = root.classList.contains("cb-hsearch--open") || !panel.hidden;
    if (event.key === "Escape" && active) { event.preventDefault(); close(); }
  });
  document.addEventListener("click", function (event) {
    if (!root.contains(event.target) && !panel.contains(event.target) && !onPage) { showPanel(false); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    search();
  });
  KINDS.forEach(function (kind) {
    groups[kind].more.addEventListener("click", function () { showMore(kind, true); });
  });
  opener.addEventListener("click", function () {
    expand(true);
    input.focus();
  });
  closer.addEventListener("click", close);

  // The home page's search form hands its query over to the header search.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-cb-search]"), function (other) {
    other.addEventListener("submit", function (event) {
      var field = other.querySelector("input[name=q]");
      event.preventDefault();
      expand(true);
      input.value = field.value.trim();
      search();
      input.focus();
    });
  });

  // On the search page the results are the page's content, under its heading, not a drop-down.
  if (onPage) {
    onPage.parentNode.insertBefore(panel, onPage);
    panel.classList.add("cb-hsearch__panel--page");
  }
  var query = inUrl ? (new URLSearchParams(window.location.search).get("q") || "").trim() : "";
  if (query || onPage) {
    expand(true);
    input.value = query;
    search();
    input.focus();
  }
}());
