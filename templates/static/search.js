/* gkml one-stop search: plain JavaScript, no framework, works from file:// and any sub-path.
 *
 * The index (built by compiler/builders/search.py, described in docs/data.md) is a set of small
 * .js files, each calling gkmlIndex(name, data) when loaded with a <script> tag (fetch() is
 * refused on file://). search/manifest.js calls gkmlManifest(...) with the regions, their
 * catalogs, the filter vocabularies and the list of big grams. A search loads only what it needs:
 *
 *   1. for each word, the grams it is made of: g/<hash>.js (small grams, shared by hash) or
 *      g/p<n>.js and g/d<n>.js (a big bigram's positions and docs; a big character has docs
 *      only). Positions are text × width + position in the distinct texts; docs are one per
 *      field of a matter (matter × 6 + field), each catalog's matters numbered in a run with room
 *      to grow (some numbers have no matter);
 *   2. d/<n>.js (the docs of given texts) only for texts that have the bigrams whose docs were
 *      intersected but not the whole word (those docs are taken out, so every result really
 *      contains the word); f/<name>.js for the channel, audience and method filters (with
 *      step 1);
 *   3. r/<n>.js: the records and texts of the results on screen only.
 *
 * Matching is plain substring matching (ASCII letters case-insensitive) over 一级/二级/三级事项,
 * 公开内容, 公开主体 and 公开依据; several words separated by spaces must all occur. No synonyms,
 * no fuzzy matching: a result always contains what was typed. Results are in catalog order
 * (province first) and are built with DOM text nodes only (never as HTML strings).
 * #status carries data-state: "ready" (script loaded), "busy", "counted" (the number of results is
 * shown, the records are loading), "done" (results on screen), for tests and benchmarks.
 */
(function () {
  "use strict";
  var PAGE = 20;
  var M = null;
  var el = {};
  var run = 0;
  var files = {};      // name -> data, as handed to gkmlIndex
  var loading = {};    // name -> [callbacks waiting for it]
  var failed = {};
  var decoded = {};    // cache of decoded postings
  var DIGIT = new Int8Array(128);
  var matches = [];    // matter numbers of the current results, ascending
  var shown = 0;
  var terms = [];
  var regionAt = [];   // per region: first matter number of each catalog
  var regionStarts = [];

  window.gkmlIndex = function (name, data) { files[name] = data; };

  window.gkmlManifest = function (manifest) {
    M = manifest;
    for (var i = 0; i < M.alphabet.length; i++) { DIGIT[M.alphabet.charCodeAt(i)] = i; }
    M.regions.forEach(function (r) {
      regionStarts.push(r.start);
      var at = r.start, starts = [];
      r.pages.forEach(function (p) { starts.push(at); at += p[3]; });   // p[3]: its numbers, with room to grow
      regionAt.push(starts);
    });
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  };

  function $(id) { return document.getElementById(id); }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
    return o;
  }

  function init() {
    ["search", "q", "level", "region", "area", "unit", "units", "channel", "audience", "method",
     "status", "results", "more", "clear"].forEach(function (id) { el[id] = $(id); });
    M.levels.forEach(function (lv) { option(el.level, lv[0], lv[1]); });
    M.levels.forEach(function (lv) {
      var group = document.createElement("optgroup");
      group.label = lv[1];
      M.regions.forEach(function (r) { if (r.level === lv[0]) { option(group, r.code, r.name); } });
      el.region.appendChild(group);
    });
    M.areas.forEach(function (a, i) { option(el.area, String(i), a[0]); });
    M.channels.forEach(function (name, i) { option(el.channel, String(i), name); });
    M.audiences.forEach(function (name, i) { option(el.audience, name, name); });
    M.methods.forEach(function (name, i) { option(el.method, name, name); });
    readLocation();
    fillUnits();
    el.search.addEventListener("submit", function (e) { e.preventDefault(); search(); });
    el.q.addEventListener("input", debounce(search, 250));
    el.unit.addEventListener("input", debounce(search, 300));
    ["level", "region", "area", "channel", "audience", "method"].forEach(function (id) {
      el[id].addEventListener("change", function () { if (id === "region") { fillUnits(); } search(); });
    });
    el.search.addEventListener("reset", function () {
      setTimeout(function () { fillUnits(); search(); }, 0);
    });
    el.more.addEventListener("click", function () { showMore(run); });
    if (filters().active) { search(); }
    // compile the set operations while the reader types, so the first search runs at full speed
    setTimeout(function () {
      warmUp();
      if (el.status.getAttribute("data-state") === null) { el.status.setAttribute("data-state", "ready"); }
    }, 0);
  }

  function warmUp() {
    var a = decode(new Array(20001).join(M.alphabet.charAt(40)));
    var b = decode(new Array(20001).join(M.alphabet.charAt(41)));
    for (var k = 0; k < 3; k++) {
      intersect(a, b); subtract(a, b); follow(a, b, 1, 50); textsOf(a, 50); mattersOf(a, -1);
      within(a, [[0, 100], [200, 30000]]); unionAll([a, b]);
    }
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function readLocation() {
    var params = new URLSearchParams(window.location.search);
    ["q", "level", "region", "area", "unit", "channel", "audience", "method"].forEach(function (id) {
      var value = params.get(id);
      if (value !== null) { el[id].value = value; }
    });
  }

  function writeLocation() {
    var params = new URLSearchParams();
    ["q", "level", "region", "area", "unit", "channel", "audience", "method"].forEach(function (id) {
      if (el[id].value) { params.set(id, el[id].value); }
    });
    var query = params.toString();
    try {
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    } catch (e) { /* some browsers refuse history changes on file:// */ }
  }

  function fillUnits() {
    var seen = {};
    var list = el.units;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    M.regions.forEach(function (r) {
      if (el.region.value && r.code !== el.region.value) { return; }
      r.units.forEach(function (u) {
        if (!seen[u]) { seen[u] = true; option(list, u, u); }
      });
    });
  }

  // ASCII letters fold to lower case, nothing else (the same rule as the index builder)
  function fold(text) { return text.replace(/[A-Z]+/g, function (s) { return s.toLowerCase(); }); }

  function filters() {
    var q = fold(el.q.value.trim());
    var f = {
      terms: q ? q.split(/\s+/) : [],
      level: el.level.value, region: el.region.value,
      area: el.area.value === "" ? -1 : Number(el.area.value),
      unit: fold(el.unit.value.trim()),
      channel: el.channel.value === "" ? -1 : Number(el.channel.value),
      audience: M.audiences.indexOf(el.audience.value),
      method: M.methods.indexOf(el.method.value)
    };
    f.active = Boolean(f.terms.length || f.level || f.region || f.area >= 0 || f.unit ||
                       f.channel >= 0 || f.audience >= 0 || f.method >= 0);
    return f;
  }

  // ---- loading index files -------------------------------------------------------------------

  function load(names, done) {
    var left = 0;
    function one() { left -= 1; if (left === 0) { done(); } }
    names.forEach(function (name) {
      if (name in files || failed[name]) { return; }
      left += 1;
      if (loading[name]) { loading[name].push(one); return; }
      loading[name] = [one];
      var script = document.createElement("script");
      script.src = "search/" + name + ".js";
      script.async = true;
      function finish() {
        if (!(name in files)) { failed[name] = true; }
        var waiting = loading[name];
        delete loading[name];
        script.parentNode.removeChild(script);
        waiting.forEach(function (cb) { cb(); });
      }
      script.onload = finish;
      script.onerror = finish;
      document.head.appendChild(script);
    });
    if (left === 0) { done(); }
  }

  function anyFailed(names) {
    return names.some(function (n) { return failed[n]; });
  }

  // ---- postings: strings of base-32 digits (docs/data.md), decoded to sorted Int32Arrays --------

  function decode(text) {
    var out = new Int32Array(text.length), n = 0, value = 0, last = -1;
    for (var i = 0; i < text.length; i++) {
      var d = DIGIT[text.charCodeAt(i)];
      value = value * 32 + (d & 31);
      if (d >= 32) {
        last = n === 0 ? value : last + value + 1;
        out[n++] = last;
        value = 0;
      }
    }
    return out.subarray(0, n);
  }

  function cached(key, text) {
    if (!decoded[key]) { decoded[key] = decode(text); }
    return decoded[key];
  }

  function intersect(a, b) {
    var out = new Int32Array(Math.min(a.length, b.length)), n = 0, i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) { i++; } else if (a[i] > b[j]) { j++; } else { out[n++] = a[i]; i++; j++; }
    }
    return out.subarray(0, n);
  }

  function subtract(a, b) {
    var out = new Int32Array(a.length), n = 0, j = 0;
    for (var i = 0; i < a.length; i++) {
      while (j < b.length && b[j] < a[i]) { j++; }
      if (j >= b.length || b[j] !== a[i]) { out[n++] = a[i]; }
    }
    return out.subarray(0, n);
  }

  function unionAll(lists) {
    var size = 0;
    lists.forEach(function (l) { size += l.length; });
    var all = new Int32Array(size), n = 0;
    lists.forEach(function (l) { all.set(l, n); n += l.length; });
    all.sort();
    var out = new Int32Array(size), m = 0;
    for (var i = 0; i < size; i++) { if (m === 0 || out[m - 1] !== all[i]) { out[m++] = all[i]; } }
    return out.subarray(0, m);
  }

  // positions x (text × width + position) of a word's first bigram that continue with bigram k at x + k
  function follow(first, next, k, width) {
    var out = new Int32Array(first.length), n = 0, j = 0;
    for (var i = 0; i < first.length; i++) {
      var want = first[i] + k;
      if ((first[i] % width) + k >= width) { continue; }
      while (j < next.length && next[j] < want) { j++; }
      if (j < next.length && next[j] === want) { out[n++] = first[i]; }
    }
    return out.subarray(0, n);
  }

  function textsOf(positions, width) {
    var out = new Int32Array(positions.length), n = 0;
    for (var i = 0; i < positions.length; i++) {
      var t = Math.floor(positions[i] / width);
      if (n === 0 || out[n - 1] !== t) { out[n++] = t; }
    }
    return out.subarray(0, n);
  }

  function hash(gram) {
    var h = 0;
    Array.from(gram).forEach(function (ch) { h = (h * 31 + ch.codePointAt(0)) % M.gramFiles; });
    return h;
  }

  function chunkOf(starts, id) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  // ---- one word -> the docs containing it ------------------------------------------------------

  // which grams a word needs, and which files: positions of every bigram (text level, small),
  // but docs only of a subset S of its bigrams: the ones small enough to share a hashed file, or
  // else the two rarest (the manifest lists the big ones with their number of docs)
  function word(text) {
    var chars = Array.from(text);
    var grams = [];
    if (chars.length === 1) { grams.push(chars[0]); }
    for (var i = 0; i + 1 < chars.length; i++) { grams.push(chars[i] + chars[i + 1]); }
    var w = { grams: grams, single: chars.length === 1, pair: chars.length === 2, docsOf: [], files: {} };
    var small = grams.filter(function (g) { return !has(M.own, g); });
    if (small.length) {
      w.docsOf = small;
    } else {
      // the two rarest: usually leaves few false candidates, so no second round trip is needed
      w.docsOf = grams.slice().sort(function (x, y) { return M.own[x][1] - M.own[y][1]; }).slice(0, 2);
    }
    grams.forEach(function (g) {
      if (!has(M.own, g)) { w.files["g/" + hash(g)] = true; return; }
      if (!w.pair && !w.single) { w.files["g/p" + M.own[g][0]] = true; }
      if (w.docsOf.indexOf(g) >= 0) { w.files["g/d" + M.own[g][0]] = true; }
    });
    return w;
  }

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  function known(gram) {
    if (has(M.own, gram)) { return true; }
    var shard = files["g/" + hash(gram)];
    return Boolean(shard && has(shard, gram));
  }

  // where a bigram occurs (text × width + position)
  function positions(gram) {
    if (has(M.own, gram)) { return cached("p" + gram, files["g/p" + M.own[gram][0]]); }
    return cached("p" + gram, files["g/" + hash(gram)][gram][0]);
  }

  // the docs holding a bigram or a single character (a character's entry is its docs alone)
  function docsOf(gram) {
    if (has(M.own, gram)) { return cached("d" + gram, files["g/d" + M.own[gram][0]]); }
    var e = files["g/" + hash(gram)][gram];
    return cached("d" + gram, typeof e === "string" ? e : e[1]);
  }

  // the texts that contain the whole word: bigram k must occur at position + k
  function exactTexts(w) {
    if (!w.exact) {
      var at = positions(w.grams[0]);
      for (var k = 1; k < w.grams.length; k++) { at = follow(at, positions(w.grams[k]), k, M.width); }
      w.exact = textsOf(at, M.width);
    }
    return w.exact;
  }

  // texts that have the bigrams of S (whose docs are intersected) but not the whole word
  function falseTexts(w) {
    var texts = null;
    w.docsOf.forEach(function (g) {
      var t = textsOf(positions(g), M.width);
      texts = texts === null ? t : intersect(texts, t);
    });
    return subtract(texts, exactTexts(w));
  }

  // when removing the false texts would need many d/<n>.js files, add the bigrams that rule most
  // of them out to S instead (their docs are one file each); returns the files still to load
  function refine(w) {
    if (w.single || w.pair || !w.grams.every(known)) { return []; }
    var wrong = falseTexts(w);
    var spare = w.grams.filter(function (g) { return has(M.own, g) && w.docsOf.indexOf(g) < 0; });
    var extra = [];
    while (docFiles(wrong).length > 3 && spare.length) {
      var best = -1, left = wrong;
      spare.forEach(function (g, i) {
        var keep = intersect(wrong, textsOf(positions(g), M.width));
        if (keep.length < left.length) { best = i; left = keep; }
      });
      if (best < 0) { break; }
      w.docsOf.push(spare[best]);
      extra.push("g/d" + M.own[spare[best]][0]);
      spare.splice(best, 1);
      wrong = left;
    }
    return extra.concat(docFiles(wrong));
  }

  // the docs of a word, and the texts whose docs are added or removed (from d/<n>.js)
  function candidates(w) {
    var none = { docs: new Int32Array(0), add: [], remove: [] };
    if (!w.grams.every(known)) { return none; }
    if (w.single || w.pair) { return { docs: docsOf(w.grams[0]), add: [], remove: [] }; }   // one gram: exact
    var docs = null;
    w.docsOf.forEach(function (g) { docs = docs === null ? docsOf(g) : intersect(docs, docsOf(g)); });
    return { docs: docs, add: [], remove: falseTexts(w) };
  }

  function docFiles(texts) {
    var names = {};
    for (var i = 0; i < texts.length; i++) { names["d/" + chunkOf(M.docs, texts[i])] = true; }
    return Object.keys(names);
  }

  function docsOfTexts(texts) {
    var lists = [];
    for (var i = 0; i < texts.length; i++) {
      var n = chunkOf(M.docs, texts[i]);
      var chunk = files["d/" + n];
      if (chunk) { lists.push(cached("t" + texts[i], chunk[texts[i] - M.docs[n]])); }
    }
    return unionAll(lists);
  }

  function finish(c) {
    var docs = c.docs;
    if (c.add.length) { docs = unionAll([docs, docsOfTexts(c.add)]); }
    if (c.remove.length) { docs = subtract(docs, docsOfTexts(c.remove)); }
    return docs;
  }

  function mattersOf(docs, slot) {
    var out = new Int32Array(docs.length), n = 0, s = M.slots;
    for (var i = 0; i < docs.length; i++) {
      if (slot >= 0 && docs[i] % s !== slot) { continue; }
      var m = Math.floor(docs[i] / s);
      if (n === 0 || out[n - 1] !== m) { out[n++] = m; }
    }
    return out.subarray(0, n);
  }

  // ---- filters -----------------------------------------------------------------------------------

  // the matter numbers of the catalogs chosen by 层级, 地区 and 领域, as [first, end) spans
  function ranges(f) {
    var out = [];
    M.regions.forEach(function (r, ri) {
      if ((f.level && r.level !== f.level) || (f.region && r.code !== f.region)) { return; }
      r.pages.forEach(function (p, pi) {
        if ((f.area < 0 || p[1] === f.area) && p[2] > 0) { out.push([regionAt[ri][pi], regionAt[ri][pi] + p[2]]); }
      });
    });
    return out;
  }

  function within(list, spans) {
    var out = new Int32Array(list.length), n = 0, s = 0;
    for (var i = 0; i < list.length; i++) {
      while (s < spans.length && spans[s][1] <= list[i]) { s++; }
      if (s < spans.length && spans[s][0] <= list[i]) { out[n++] = list[i]; }
    }
    return out.subarray(0, n);
  }

  function spanList(spans) {
    var size = 0;
    spans.forEach(function (s) { size += s[1] - s[0]; });
    var out = new Int32Array(size), n = 0;
    spans.forEach(function (s) { for (var i = s[0]; i < s[1]; i++) { out[n++] = i; } });
    return out;
  }

  function filterNames(f) {
    var names = [];
    if (f.channel >= 0) { names.push("c" + f.channel); }
    if (f.audience >= 0) { names.push("a" + f.audience); }
    if (f.method >= 0) { names.push("m" + f.method); }
    return names;
  }

  function applyFilter(list, name) {
    if (M.filters.indexOf(name) < 0) { return new Int32Array(0); }
    var data = files["f/" + name];
    var numbers = cached("f" + name, data[1]);
    return data[0] ? subtract(list, numbers) : intersect(list, numbers);
  }

  // ---- search ------------------------------------------------------------------------------------

  function search() {
    var f = filters();
    // the address keeps the query (a search can be linked); replaceState is slow, so after the results
    setTimeout(writeLocation, 0);
    var mine = ++run;
    matches = [];
    shown = 0;
    terms = f.terms;
    clear(el.results);
    el.more.hidden = true;
    if (!f.active) {
      el.status.textContent = "共 " + M.total + " 个公开事项。输入关键词或选择条件后检索。";
      el.status.setAttribute("data-state", "ready");
      return;
    }
    el.status.setAttribute("data-state", "busy");
    el.status.textContent = "正在检索……";
    var words = f.terms.map(word);
    var unit = f.unit ? word(f.unit) : null;
    var all = unit ? words.concat([unit]) : words;
    var names = {};
    all.forEach(function (w) { Object.keys(w.files).forEach(function (n) { names[n] = true; }); });
    filterNames(f).forEach(function (n) { if (M.filters.indexOf(n) >= 0) { names["f/" + n] = true; } });
    var first = Object.keys(names);
    load(first, function () {
      if (mine !== run) { return; }
      if (anyFailed(first)) { broken(); return; }
      var more = [];
      all.forEach(function (w) {
        more = more.concat(refine(w));
      });
      load(more, function () {
        if (mine !== run) { return; }
        if (anyFailed(more)) { broken(); return; }
        var found = all.map(candidates);
        var list = null;
        found.forEach(function (c, i) {
          var m = mattersOf(finish(c), unit && i === found.length - 1 ? M.unitSlot : -1);
          list = list === null ? m : intersect(list, m);
        });
        var spans = ranges(f);
        list = list === null ? spanList(spans) : within(list, spans);
        filterNames(f).forEach(function (n) { list = applyFilter(list, n); });
        matches = list;
        report();
        el.status.setAttribute("data-state", "counted");   // the count is known; the records follow
        showMore(mine);
      });
    });
  }

  function broken() {
    el.status.textContent = "检索索引未能加载,请刷新页面后重试。";
    el.status.setAttribute("data-state", "done");
  }

  function report() {
    el.status.textContent = matches.length
      ? "找到 " + matches.length + " 个公开事项" + (matches.length > PAGE ? ",按目录顺序(省级在前)列出。" : "。")
      : "没有找到符合条件的公开事项。请换一个关键词或放宽筛选条件。";
  }

  // ---- results -----------------------------------------------------------------------------------

  function showMore(mine) {
    var page = Array.prototype.slice.call(matches.subarray(shown, shown + PAGE));
    if (!page.length) { el.status.setAttribute("data-state", "done"); el.more.hidden = true; return; }
    if (el.status.getAttribute("data-state") !== "counted") { el.status.setAttribute("data-state", "busy"); }
    var recs = {};
    page.forEach(function (m) { recs["r/" + Math.floor(m / M.records)] = true; });
    load(Object.keys(recs), function () {
      if (mine !== run) { return; }
      if (anyFailed(Object.keys(recs))) { broken(); return; }
      page.forEach(function (m) { el.results.appendChild(render(m)); });
      shown += page.length;
      el.more.hidden = shown >= matches.length;
      el.status.setAttribute("data-state", "done");
    });
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function highlighted(parent, value) {
    // wrap every occurrence of a search word in <mark>, using text nodes only
    var lower = fold(value);
    var pos = 0;
    while (pos < value.length) {
      var best = -1, len = 0;
      for (var t = 0; t < terms.length; t++) {
        var at = lower.indexOf(terms[t], pos);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = terms[t].length; }
      }
      if (best < 0 || len === 0) { parent.appendChild(document.createTextNode(value.slice(pos))); return; }
      if (best > pos) { parent.appendChild(document.createTextNode(value.slice(pos, best))); }
      var mark = document.createElement("mark");
      mark.textContent = value.slice(best, best + len);
      parent.appendChild(mark);
      pos = best + len;
    }
  }

  function render(m) {
    var chunk = files["r/" + Math.floor(m / M.records)];
    var rec = chunk[1][m % M.records];
    var region = M.regions[chunkOf(regionStarts, m)];
    var page = region.pages[rec[2]];
    var slots = rec[1].map(function (t) { return t < 0 ? "" : chunk[0][t]; });
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = "catalogs/" + region.code + "/" + page[0] + ".html#" + rec[0];
    highlighted(a, slots.slice(0, 3).filter(Boolean).join(" / "));
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta-line";
    var area = page[1] >= 0 ? M.areas[page[1]][0] : "";
    meta.appendChild(document.createTextNode([region.name, area].filter(Boolean).join(" · ") + " · "));
    highlighted(meta, slots[4]);
    var said = [rec[3] >= 0 ? M.audiences[rec[3]] : "", rec[4] >= 0 ? M.methods[rec[4]] : ""].filter(Boolean);
    if (said.length) { meta.appendChild(document.createTextNode(" · " + said.join(" · "))); }
    li.appendChild(meta);
    var content = document.createElement("p");
    highlighted(content, slots[3]);
    li.appendChild(content);
    if (slots[5]) {
      var basis = document.createElement("p");
      basis.className = "basis";
      basis.appendChild(document.createTextNode("依据:"));
      highlighted(basis, slots[5].split("\n").join(";"));
      li.appendChild(basis);
    }
    return li;
  }
}());
