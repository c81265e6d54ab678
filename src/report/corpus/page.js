(function () {
  "use strict";
  // Everything below reads the JSON block the report embeds and writes the page with
  // createElement and textContent only: no document text is ever parsed as markup.
  var data = JSON.parse(document.getElementById("data").textContent);
  var docs = data.docs;
  docs.forEach(function (d) {
    d.file = data.paths[d.path];
    d.src = d.line ? d.file + ":" + d.line : d.file;
  });
  var PAGE = 50;
  var state = { filter: "", kind: "", min: 2, sort: "n", dir: 1, page: 0 };
  var haystacks = null;
  var byLabel = {};
  data.clusters.forEach(function (c, i) {
    c.i = i;
    byLabel[c.label] = c;
  });

  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        if (k === "text") el.textContent = props[k];
        else if (k === "cls") el.className = props[k];
        else el.setAttribute(k, props[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }
  // Strings from the data go into <bdi> elements (or, inside an <option>, between FIRST
  // STRONG ISOLATE and POP DIRECTIONAL ISOLATE): a right-to-left override in an id then turns
  // only the id around, never the page's text after it. A stray terminator in the data could
  // end the isolate early and one left open would outlast it: balanced() removes and closes them.
  function balanced(s) {
    s = String(s);
    if (!/[\u2066-\u2069]/.test(s)) return s;
    var open = 0, out = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (ch >= "\u2066" && ch <= "\u2068") open++;
      else if (ch === "\u2069") {
        if (!open) continue;
        open--;
      }
      out += ch;
    }
    while (open-- > 0) out += "\u2069";
    return out;
  }
  function bdi(s) {
    return h("bdi", { text: balanced(s) });
  }
  function plainIsolate(s) {
    return "\u2068" + balanced(s) + "\u2069";
  }
  // An element holding `parts` (strings and elements), each data string of `list` as a <bdi>
  // separated by `sep`.
  function joined(el, list, sep) {
    list.forEach(function (x, i) {
      if (i) el.appendChild(document.createTextNode(sep));
      el.appendChild(bdi(x));
    });
    return el;
  }
  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }
  function fixed(x) {
    return typeof x === "number" ? x.toFixed(2) : "";
  }
  function kinds(c) {
    var span = h("span");
    c.kinds.forEach(function (k) { span.appendChild(h("span", { cls: "kind " + k, text: k })); });
    return span;
  }
  function isStory(c) {
    return c.kinds[0] === "story";
  }
  function clusterName(c) {
    return (isStory(c) ? "Story " : "Cluster ") + c.label;
  }

  // ---- the cluster table ----
  function haystack(i) {
    if (!haystacks) {
      haystacks = data.clusters.map(function (c) {
        var parts = [c.label].concat(c.terms);
        c.members.forEach(function (m) { parts.push(docs[m.d].id, docs[m.d].title); });
        return parts.join("\n").toLowerCase();
      });
    }
    return haystacks[i];
  }
  function sortKey(c) {
    switch (state.sort) {
      case "kind": return c.kinds.join(" ");
      case "size": return c.size;
      case "sim": return c.sim;
      case "title": return docs[c.lead].title.toLowerCase();
      case "diffs": return c.diffs.length;
      default: return c.i;
    }
  }
  function visible() {
    var needle = state.filter.trim().toLowerCase();
    var list = data.clusters.filter(function (c) {
      if (c.size < state.min) return false;
      if (state.kind && c.kinds.indexOf(state.kind) < 0) return false;
      return !needle || haystack(c.i).indexOf(needle) >= 0;
    });
    list.sort(function (x, y) {
      var a = sortKey(x), b = sortKey(y);
      var order = a < b ? -1 : a > b ? 1 : 0;
      return order * state.dir || x.i - y.i;
    });
    return list;
  }
  function renderTable() {
    var list = visible();
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var body = document.querySelector("#cluster-table tbody");
    clear(body);
    list.slice(state.page * PAGE, (state.page + 1) * PAGE).forEach(function (c) {
      var link = "#c-" + c.label;
      var evidence = isStory(c)
        ? joined(h("span", { cls: "terms" }), c.terms, ", ")
        : h("span", { cls: "terms" }, "kept: ", bdi(docs[c.lead].id));
      var row = h("tr", { "data-cluster": c.label },
        h("td", null, h("a", { href: link, text: c.label })),
        h("td", null, kinds(c)),
        h("td", { cls: "num", text: String(c.size) }),
        h("td", { cls: "num", text: fixed(c.sim) }),
        h("td", null, h("a", { href: link }, bdi(docs[c.lead].title || docs[c.lead].id))),
        h("td", null, evidence),
        h("td", { cls: "num", text: String(c.diffs.length) }));
      body.appendChild(row);
    });
    document.getElementById("count").textContent =
      list.length + " of " + data.clusters.length + " clusters";
    document.getElementById("page").textContent = "page " + (state.page + 1) + " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#cluster-table th").forEach(function (th) {
      var b = th.querySelector("button");
      if (!b) return;
      if (b.getAttribute("data-sort") === state.sort)
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    markCurrent();
  }
  function markCurrent() {
    var current = route().cluster;
    document.querySelectorAll("#cluster-table tbody tr").forEach(function (tr) {
      tr.classList.toggle("current", !!current && tr.getAttribute("data-cluster") === current.label);
    });
  }

  // ---- one cluster ----
  function memberRow(c, m) {
    var doc = docs[m.d];
    var evidence = h("td", { cls: m.k || isStory(c) ? "" : "kept" });
    if (isStory(c)) evidence.textContent = "similarity " + fixed(m.j);
    else if (m.k) {
      if (m.kept) evidence.appendChild(document.createTextNode("kept too · "));
      evidence.appendChild(document.createTextNode(m.k + " of "));
      evidence.appendChild(bdi(docs[m.to].id));
      evidence.appendChild(document.createTextNode(" · Jaccard " + fixed(m.j) + " · " + fixed(m.c) +
        " of it in "));
      evidence.appendChild(bdi(docs[m.to].id));
      evidence.appendChild(document.createTextNode(", " + fixed(m.r) + " the other way"));
    } else evidence.textContent = "kept";
    return h("tr", null,
      h("td", null, h("code", null, bdi(doc.id))),
      h("td", null, h("code", null, bdi(doc.src))),
      h("td", { cls: "num", text: String(doc.bytes) }),
      h("td", null, bdi(doc.title)),
      evidence);
  }
  function picker(c, a, b) {
    function select(id, chosen) {
      var s = h("select", { id: id });
      c.members.forEach(function (m) {
        var o = h("option", { value: String(m.d), text: plainIsolate(docs[m.d].id) });
        if (m.d === chosen) o.selected = true;
        s.appendChild(o);
      });
      return s;
    }
    var sa = select("pick-a", a), sb = select("pick-b", b);
    var go = h("button", { type: "button", text: "Compare" });
    go.addEventListener("click", function () {
      location.hash = "#c-" + c.label + "/p-" + sa.value + "-" + sb.value;
    });
    return h("div", { cls: "pick" }, h("label", null, "A ", sa), h("label", null, "B ", sb), go);
  }
  function renderCluster(c, a, b) {
    var detail = document.getElementById("detail");
    clear(detail);
    detail.hidden = false;
    var what = isStory(c) ? "reporting the same events" : "copies of one text";
    detail.appendChild(h("h2", null, clusterName(c) + " ", kinds(c),
      " " + c.size + " documents " + what));
    if (c.terms.length) detail.appendChild(joined(h("p", { cls: "terms" }, "Shared terms: "), c.terms, ", "));
    var table = h("table", { cls: "members" },
      h("thead", null, h("tr", null, h("th", { text: "Id" }), h("th", { text: "Source" }),
        h("th", { cls: "num", text: "Bytes" }), h("th", { text: "Title" }),
        h("th", { text: isStory(c) ? "Similarity to the rest" : "Evidence" }))));
    var body = h("tbody");
    c.members.forEach(function (m) { body.appendChild(memberRow(c, m)); });
    table.appendChild(body);
    // A story of hundreds scrolls inside its own box, so the diff stays near.
    detail.appendChild(h("div", { cls: "scroll" }, table));
    if (c.diffs.length) {
      var list = h("ul", { cls: "pairs" });
      c.diffs.forEach(function (n) {
        var d = data.diffs[n];
        var li = h("li", { cls: d.a === a && d.b === b ? "on" : "" },
          h("a", { href: "#c-" + c.label + "/p-" + d.a + "-" + d.b }, bdi(docs[d.a].id), " ↔ ", bdi(docs[d.b].id)),
          " " + d.headline.split(" · ").slice(0, 4).join(" · "));
        list.appendChild(li);
      });
      detail.appendChild(h("h3", { text: "Pair diffs" }));
      detail.appendChild(list);
    }
    detail.appendChild(picker(c, a, b));
    detail.appendChild(renderPair(c, a, b));
  }
  function findDiff(c, a, b) {
    for (var i = 0; i < c.diffs.length; i++) {
      var d = data.diffs[c.diffs[i]];
      if ((d.a === a && d.b === b) || (d.a === b && d.b === a)) return d;
    }
    return null;
  }
  function exactPair(c, a, b) {
    return c.members.some(function (m) {
      return m.k === "exact" && ((m.d === a && m.to === b) || (m.d === b && m.to === a));
    });
  }
  function spec(doc) {
    var arg = doc.line ? doc.file + "#" + doc.id : doc.file;
    return "'" + arg.replace(/'/g, "'\\''") + "'";
  }
  function renderPair(c, a, b) {
    var box = h("div", { cls: "diff" });
    if (a === b) {
      box.appendChild(h("p", { text: "Choose two different documents to compare." }));
      return box;
    }
    var d = findDiff(c, a, b);
    if (d) return renderDiff(d, box);
    if (exactPair(c, a, b)) {
      box.appendChild(h("p", null, bdi(docs[a].id), " and ", bdi(docs[b].id),
        " are exact copies: the same text after normalization, so there is nothing to diff."));
      return box;
    }
    box.appendChild(h("p", null, "This report holds no diff of ", bdi(docs[a].id), " and ", bdi(docs[b].id),
      " (it diffs a bounded number of pairs per cluster; see How these numbers were obtained). Run:"));
    box.appendChild(h("code", { cls: "command" }, "overlap compare ", bdi(spec(docs[a])), " ", bdi(spec(docs[b]))));
    return box;
  }

  // ---- one pair diff ----
  function column(d, side) {
    var n = side === "a" ? d.a : d.b;
    var text = data.texts[n];
    var owners = {};
    d.items.forEach(function (it, k) {
      if (it[side] !== undefined) owners[it[side]] = { item: it, k: k };
    });
    // The article in one isolate, left to right as the page: an override in it stays in it.
    var body = h("div", { cls: "text" });
    var article = h("bdi", { dir: "ltr" });
    body.appendChild(article);
    var starts = {};
    text.p.forEach(function (i) { starts[i] = true; });
    text.s.forEach(function (sentence, i) {
      if (starts[i]) article.appendChild(h("span", { cls: "pb" }));
      var owner = owners[i];
      var cls = "unit " + (owner ? (owner.item.c === "only_a" || owner.item.c === "only_b" ? "only" : owner.item.c) : "");
      var span = h("span", { cls: cls, id: side + "-" + i, text: sentence });
      if (owner && owner.item.a !== undefined && owner.item.b !== undefined)
        span.setAttribute("data-pair", String(owner.k));
      article.appendChild(span);
      article.appendChild(document.createTextNode(" "));
    });
    // Isolates a sentence opened and left open end inside the article's own.
    var open = 0;
    text.s.join(" ").replace(/[\u2066-\u2069]/g, function (ch) {
      open = ch === "\u2069" ? Math.max(0, open - 1) : open + 1;
      return ch;
    });
    if (open) article.appendChild(document.createTextNode(new Array(open + 1).join("\u2069")));
    if (text.more) body.appendChild(h("p", { cls: "more", text: text.more + " more sentences were not compared." }));
    return h("div", { cls: "col" }, h("h3", null, side.toUpperCase() + " · ", h("code", null, bdi(docs[n].id)),
      " · ", bdi(docs[n].title || "")), body);
  }
  // One chip per distinct fact (a name repeated in ten sentences is listed once).
  function chips(list, cls, prefix) {
    var out = h("span");
    var seen = {};
    (list || []).forEach(function (t) {
      var key = t.toLowerCase();
      if (seen[key]) return;
      seen[key] = true;
      out.appendChild(h("span", { cls: "chip " + cls }, prefix, bdi(t)));
    });
    return out;
  }
  function renderDiff(d, box) {
    box.appendChild(h("p", { cls: "headline", text: d.headline }));
    box.appendChild(h("p", { cls: "factline", text: d.facts }));
    box.appendChild(h("ul", { cls: "legend" },
      h("li", null, h("span", { cls: "sw shared" }), "shared fact"),
      h("li", null, h("span", { cls: "sw conflict" }), "conflicting values"),
      h("li", null, h("span", { cls: "sw only" }), "only in this article")));
    box.appendChild(h("div", { cls: "cols" }, column(d, "a"), column(d, "b")));
    var aligned = h("ol", { cls: "items" });
    var alone = { a: [], b: [] };
    d.items.forEach(function (it, k) {
      if (it.a !== undefined && it.b !== undefined) {
        var li = h("li", { "data-pair": String(k) },
          h("span", { cls: "where", text: "A " + (it.a + 1) + " ↔ B " + (it.b + 1) }),
          chips(it.conflicts, "conflict", "conflict: "),
          chips(it.both, "shared", ""),
          chips(it.only_a, "only", "only A: "),
          chips(it.only_b, "only", "only B: "),
          it.edits ? h("span", { cls: "chip" }, "changed: ", bdi(it.edits.join(" "))) : null);
        aligned.appendChild(li);
      } else if (it.a !== undefined) alone.a = alone.a.concat(it.only_a || []);
      else alone.b = alone.b.concat(it.only_b || []);
    });
    box.appendChild(h("h3", { text: "Aligned sentences and their facts" }));
    box.appendChild(aligned.childNodes.length ? aligned : h("p", { text: "None." }));
    box.appendChild(h("h3", { text: "Facts only A states, in sentences B lacks" }));
    box.appendChild(alone.a.length ? chips(alone.a, "only", "") : h("p", { text: "None." }));
    box.appendChild(h("h3", { text: "Facts only B states, in sentences A lacks" }));
    box.appendChild(alone.b.length ? chips(alone.b, "only", "") : h("p", { text: "None." }));
    if (d.passages.length) {
      var ul = h("ul");
      d.passages.forEach(function (p) { ul.appendChild(h("li", null, h("q", null, bdi(p)))); });
      box.appendChild(h("h3", { text: "Verbatim passages" }));
      box.appendChild(ul);
    }
    return box;
  }

  // ---- navigation: #c-LABEL and #c-LABEL/p-A-B ----
  function route() {
    var m = /^#c-([^/]+)(?:\/p-(\d+)-(\d+))?$/.exec(location.hash);
    var c = m ? byLabel[decodeURIComponent(m[1])] : null;
    if (!c) return {};
    var a = m[2] !== undefined ? +m[2] : null, b = m[3] !== undefined ? +m[3] : null;
    if (a === null) {
      if (c.diffs.length) {
        a = data.diffs[c.diffs[0]].a;
        b = data.diffs[c.diffs[0]].b;
      } else {
        a = c.members[0].d;
        b = c.members[c.members.length > 1 ? 1 : 0].d;
      }
    }
    return { cluster: c, a: a, b: b };
  }
  function show(scroll) {
    var r = route();
    var detail = document.getElementById("detail");
    if (!r.cluster) {
      detail.hidden = true;
      clear(detail);
      markCurrent();
      return;
    }
    renderCluster(r.cluster, r.a, r.b);
    markCurrent();
    if (scroll) detail.scrollIntoView({ block: "start" });
  }

  // ---- events ----
  function onControl() {
    state.filter = document.getElementById("filter").value;
    state.kind = document.getElementById("kind").value;
    state.min = Math.max(2, parseInt(document.getElementById("min-size").value, 10) || 2);
    state.page = 0;
    renderTable();
  }
  ["filter", "kind", "min-size"].forEach(function (id) {
    document.getElementById(id).addEventListener("input", onControl);
  });
  document.getElementById("prev").addEventListener("click", function () { state.page--; renderTable(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; renderTable(); });
  document.querySelectorAll("#cluster-table th button").forEach(function (b) {
    b.addEventListener("click", function () {
      var key = b.getAttribute("data-sort");
      state.dir = state.sort === key ? -state.dir : (key === "size" || key === "sim" || key === "diffs" ? -1 : 1);
      state.sort = key;
      renderTable();
    });
  });
  function pairsOf(target) {
    var el = target instanceof Element ? target.closest("#detail [data-pair]") : null;
    return el ? document.querySelectorAll('#detail [data-pair="' + el.getAttribute("data-pair") + '"]') : [];
  }
  document.addEventListener("mouseover", function (e) {
    pairsOf(e.target).forEach(function (el) { el.classList.add("hl"); });
  });
  document.addEventListener("mouseout", function (e) {
    pairsOf(e.target).forEach(function (el) { el.classList.remove("hl"); });
  });
  document.addEventListener("click", function (e) {
    var el = e.target instanceof Element ? e.target.closest("#detail [data-pair]") : null;
    if (!el) return;
    pairsOf(el).forEach(function (other) {
      if (other !== el && other.classList.contains("unit")) other.scrollIntoView({ block: "nearest" });
    });
  });
  window.addEventListener("hashchange", function () { show(true); });
  renderTable();
  show(true);
})();
