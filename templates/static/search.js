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
 *   3. the records and texts of the results on screen only: each matter's record is in r/<n>.js (a run of
 *      matter numbers) and in k/<level>-<area>-<block>-<rows>.js (a few rows of the catalogs of one
 *      level and area, side by side); the page loads the fewest of these files that hold it (homes()).
 *
 * Matching is substring matching over 一级/二级/三级事项, 公开内容, 公开主体 and 公开依据, after
 * folding (traditional → simplified, full-width → half-width, ASCII case; search-words.js);
 * several words separated by spaces must all occur, in any field and any order. Each word also
 * matches through the registry's thesaurus (低保 → 最低生活保障) and, when it finds fewer than a
 * page, cut in two parts with other text between (残疾人补贴 → 困难残疾人生活补贴). Results are
 * ranked (rank()): the whole phrase, then each word as typed, then synonyms, related words and
 * cut words, a match in a matter name above one in its content, above one in its unit or basis;
 * the reader's own region (?near=CODE) and the levels above it first. A miss suggests names of
 * the index within one edit (did-you-mean), synonyms, and ways to browse. 精确匹配 (#exact) keeps
 * the plain substring search in catalog order. Results are built with DOM text nodes only.
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
  var columnAt = [];   // per region, per catalog: its k/ group (level-area) and its place among the group's catalogs
  var W = window.gkmlWords;
  var foldText = null;
  var near = "";       // the reader's own region (?near=CODE), ranked first
  var byCode = {};     // region code -> region
  var names = null;    // the matter names (v.js), after a miss
  var located = true;  // the address shows the current search

  window.gkmlIndex = function (name, data) { files[name] = data; };

  window.gkmlManifest = function (manifest) {
    M = manifest;
    for (var i = 0; i < M.alphabet.length; i++) { DIGIT[M.alphabet.charCodeAt(i)] = i; }
    foldText = W.folder(M.fold);
    M.regions.forEach(function (r) { byCode[r.code] = r; });
    M.regions.forEach(function (r) {
      regionStarts.push(r.start);
      var at = r.start, starts = [];
      r.pages.forEach(function (p) { starts.push(at); at += p[3]; });   // p[3]: its numbers, with room to grow
      regionAt.push(starts);
    });
    var levelOf = {}, ranks = {};
    M.levels.forEach(function (lv, i) { levelOf[lv[0]] = i; });
    M.regions.forEach(function (r) {
      columnAt.push(r.pages.map(function (p) {
        var group = levelOf[r.level] + "-" + (p[1] + 1);
        ranks[group] = (ranks[group] || 0) + 1;
        return [group, ranks[group] - 1];
      }));
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
    ["search", "q", "level", "region", "town", "townField", "exact", "area", "unit", "units", "channel", "audience",
     "method", "status", "suggest", "results", "more", "clear"].forEach(function (id) { el[id] = $(id); });
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
    fillTowns();
    fillUnits();
    el.search.addEventListener("submit", function (e) { e.preventDefault(); search(); });
    el.q.addEventListener("input", debounce(search, 250));
    el.unit.addEventListener("input", debounce(search, 300));
    ["level", "region", "area", "channel", "audience", "method"].forEach(function (id) {
      el[id].addEventListener("change", function () { if (id === "region") { fillTowns(); fillUnits(); } search(); });
    });
    ["town", "exact"].forEach(function (id) { el[id].addEventListener("change", function () { search(); }); });
    el.search.addEventListener("reset", function () {
      setTimeout(function () { near = ""; fillTowns(); fillUnits(); search(); }, 0);
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
      intersect(a, b); subtract(a, b); follow(a, b, 1, 50); textsOf(a, 50); mattersOf(a, -1); mattersOf(a, 3);
      namedMatters(a); within(a, [[0, 100], [200, 30000]]); unionAll([a, b]);
      // the ranking too: a common word ranks 100,000 matters, and code not yet optimised takes tens of ms
      var score = new Int32Array(a.length);
      raise(score, a, b, 40); byScore(a, score, 40);
    }
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  var PARAMS = ["q", "level", "region", "town", "area", "unit", "channel", "audience", "method"];

  function readLocation() {
    var params = new URLSearchParams(window.location.search);
    PARAMS.forEach(function (id) {
      var value = params.get(id);
      if (value !== null) { el[id].value = value; if (id === "town") { el.town.setAttribute("data-wanted", value); } }
    });
    el.exact.checked = params.get("exact") === "1";
    near = params.get("near") || params.get("region") || "";
  }

  function writeLocation() {
    var params = new URLSearchParams();
    PARAMS.forEach(function (id) {
      if (el[id].value) { params.set(id, el[id].value); }
    });
    if (el.exact.checked) { params.set("exact", "1"); }
    if (near && near !== el.region.value) { params.set("near", near); }
    var query = params.toString();
    try {
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    } catch (e) { /* some browsers refuse history changes on file:// */ }
  }

  // the regions under a region (a county's townships: their parent, or their 9-digit code under its 6)
  function under(r, code) {
    for (var p = r.parent, guard = 0; p && guard < 8; guard++) {
      if (p === code) { return true; }
      p = byCode[p] ? byCode[p].parent : null;
    }
    return r.code.length > 6 && code.length === 6 && r.code.slice(0, 6) === code;
  }

  function fillTowns() {
    var wanted = el.town.getAttribute("data-wanted") || el.town.value;
    el.town.removeAttribute("data-wanted");
    while (el.town.options.length > 2) { el.town.remove(2); }
    var code = el.region.value, any = false;
    M.regions.forEach(function (r) { if (code && r.code !== code && under(r, code)) { option(el.town, r.code, r.name); any = true; } });
    el.townField.hidden = !any;
    el.town.value = any ? wanted : "";
    if (el.town.value !== wanted) { el.town.value = ""; }
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

  // the index builder's folding (search_codec.fold): traditional, full-width, ASCII case
  function fold(text) { return foldText(text); }

  function filters() {
    var q = fold(el.q.value.trim());
    var f = {
      terms: q ? q.split(/\s+/) : [],
      level: el.level.value, region: el.region.value, town: el.region.value ? el.town.value : "",
      exact: el.exact.checked,
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
    var w = { text: text, grams: grams, single: chars.length === 1, pair: chars.length === 2, docsOf: [], files: {} };
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
      if (f.level && r.level !== f.level) { return; }
      if (f.town && f.town !== "*" ? r.code !== f.town
        : f.region && r.code !== f.region && !(f.town === "*" && under(r, f.region))) { return; }
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

  // load the files of some words, take out their false candidates, then done(); words keep their docs
  function resolve(words, extra, mine, done) {
    var names = {};
    extra.forEach(function (n) { names[n] = true; });
    words.forEach(function (w) { Object.keys(w.files).forEach(function (n) { names[n] = true; }); });
    var first = Object.keys(names);
    load(first, function () {
      if (mine !== run) { return; }
      if (anyFailed(first)) { broken(); return; }
      var more = [];
      words.forEach(function (w) { if (!w.refined) { w.refined = true; more = more.concat(refine(w)); } });
      load(more, function () {
        if (mine !== run) { return; }
        if (anyFailed(more)) { broken(); return; }
        words.forEach(function (w) {
          if (!w.docs) {
            w.docs = finish(candidates(w));
            w.matters = mattersOf(w.docs, -1);
            w.named = namedMatters(w.docs);
          }
        });
        done();
      });
    });
  }

  // the matters a doc list holds in a name field (一级, 二级 or 三级事项)
  function namedMatters(docs) {
    var out = new Int32Array(docs.length), n = 0, s = M.slots;
    for (var i = 0; i < docs.length; i++) {
      if (docs[i] % s > 2) { continue; }
      var m = Math.floor(docs[i] / s);
      if (n === 0 || out[n - 1] !== m) { out[n++] = m; }
    }
    return out.subarray(0, n);
  }

  function search(corrected) {
    var f = filters();
    // the address keeps the query (a search can be linked); replaceState is slow (8 ms in Chromium's
    // profiler), so it waits until the first page of results is on screen (shown())
    located = false;
    var mine = ++run;
    matches = [];
    shown = 0;
    terms = f.terms;
    clear(el.results);
    clear(el.suggest);
    el.more.hidden = true;
    if (!f.active) {
      el.status.textContent = "共 " + M.total + " 个公开事项。输入关键词或选择条件后检索。";
      el.status.setAttribute("data-state", "ready");
      locate();
      return;
    }
    el.status.setAttribute("data-state", "busy");
    el.status.textContent = "正在检索……";
    var known = {};
    function need(text) { if (!known[text]) { known[text] = word(text); } return known[text]; }
    var unit = f.unit ? need(f.unit) : null;
    var plan = f.terms.map(function (t) {
      return { term: t, alts: f.exact ? [{ text: t, kind: "typed" }] : W.alternatives(t, M.thesaurus) };
    });
    plan.forEach(function (p) { p.alts.forEach(function (a) { a.word = need(a.text); }); });
    var phrase = !f.exact && plan.length > 1 ? need(f.terms.join("")) : null;
    var words = Object.keys(known).map(function (k) { return known[k]; });
    var filterFiles = filterNames(f).filter(function (n) { return M.filters.indexOf(n) >= 0; }).map(function (n) { return "f/" + n; });
    resolve(words, filterFiles, mine, function () {
      // a word that finds less than a page, with its synonyms, is also looked for cut in two
      var cut = [];
      plan.forEach(function (p) {
        if (f.exact || unionAll(p.alts.map(function (a) { return a.word.matters; })).length >= PAGE) { return; }
        p.alts.forEach(function (a) {
          if (a.kind === "related") { return; }
          a.splits = W.splits(a.text).map(function (s) { return [need(s[0]), need(s[1])]; });
          a.splits.forEach(function (s) { cut.push(s[0], s[1]); });
        });
      });
      resolve(cut, [], mine, function () { searched(f, plan, phrase, unit, mine, corrected); });
    });
  }

  function searched(f, plan, phrase, unit, mine, corrected) {
    var list = null;
    plan.forEach(function (p) {
      var lists = [];
      p.alts.forEach(function (a) {
        lists.push(a.word.matters);
        (a.splits || []).forEach(function (s) { lists.push(intersect(s[0].matters, s[1].matters)); });
      });
      p.matters = lists.length === 1 ? lists[0] : unionAll(lists);
      list = list === null ? p.matters : intersect(list, p.matters);
    });
    if (unit) {
      var u = mattersOf(unit.docs, M.unitSlot);
      list = list === null ? u : intersect(list, u);
    }
    var spans = ranges(f);
    var everywhere = list;
    list = list === null ? spanList(spans) : within(list, spans);
    filterNames(f).forEach(function (n) { list = applyFilter(list, n); });
    if (!f.exact && plan.length) {
      list = rank(list, plan, phrase);
      terms = [];
      plan.forEach(function (p) {
        p.alts.forEach(function (a) {
          terms.push(a.text);
          (a.splits || []).forEach(function (s) { terms.push(s[0].text, s[1].text); });
        });
      });
      terms = terms.filter(Boolean).sort(function (x, y) { return y.length - x.length; });
    }
    matches = list;
    report(f, corrected, everywhere);
    if (!matches.length && !f.exact) { missed(f, plan, mine, corrected); return; }
    el.status.setAttribute("data-state", "counted");   // the count is known; the records follow
    showMore(mine);
  }

  // scores: the whole phrase 100 (in a name 120); per word the best of: as typed in a name 40, in
  // the content 30, elsewhere 25; a synonym 36 / 27 / 22; a related word 20 / 15 / 15; cut in two
  // 12 / 10 / 10; the reader's own region (and the regions under it) +1000, the levels above +500
  function rank(list, plan, phrase) {
    var score = null;
    var top = 0;   // the highest score possible, for byScore
    var WEIGHTS = { typed: [40, 30, 25], same: [36, 27, 22], related: [20, 15, 15], split: [12, 10, 10] };
    plan.forEach(function (p) {
      var best = new Int32Array(list.length);
      p.alts.forEach(function (a) {
        var w = WEIGHTS[a.kind];
        raise(best, list, a.word.named, w[0]);
        raise(best, list, mattersOf(a.word.docs, 3), w[1]);
        raise(best, list, a.word.matters, w[2]);
        (a.splits || []).forEach(function (s) {
          var both = intersect(s[0].matters, s[1].matters);
          raise(best, list, intersect(both, unionAll([s[0].named, s[1].named])), WEIGHTS.split[0]);
          raise(best, list, both, WEIGHTS.split[1]);
        });
      });
      if (score === null) { score = best; } else { for (var i = 0; i < list.length; i++) { score[i] += best[i]; } }
      top += 40;
    });
    if (phrase) {
      var bonus = new Int32Array(list.length);
      raise(bonus, list, phrase.named, 120);
      raise(bonus, list, phrase.matters, 100);
      for (var k = 0; k < list.length; k++) { score[k] += bonus[k]; }
      top += 120;
    }
    if (near && byCode[near]) {
      var above = {};
      for (var c = byCode[near].parent, guard = 0; c && guard < 8; guard++) { above[c] = true; c = byCode[c] ? byCode[c].parent : null; }
      for (var j = 0; j < list.length; j++) {
        var r = M.regions[chunkOf(regionStarts, list[j])];
        score[j] += r.code === near || under(r, near) ? 1000 : above[r.code] ? 500 : 0;
      }
      top += 1000;
    }
    return byScore(list, score, top);
  }

  // list (ascending matter numbers) ordered by score descending, equal scores keeping list's order.
  // Scores are small whole numbers from 0 to top (40 a word, 120 the phrase, 1000 the region), so a
  // counting sort does it in two passes: sorting 100,000 keys (公开 at county scale) took 40-50 ms of
  // a 150 ms query in Chromium's profiler, the two passes take about 1 ms
  function byScore(list, score, top) {
    var i;
    var start = new Int32Array(top + 2);
    for (i = 0; i < score.length; i++) { start[top - score[i] + 1]++; }
    for (i = 1; i < start.length; i++) { start[i] += start[i - 1]; }
    var out = new Int32Array(list.length);
    for (i = 0; i < list.length; i++) { out[start[top - score[i]]++] = list[i]; }
    return out;
  }

  // best[i] = max(best[i], weight) for each list[i] in found (both ascending)
  function raise(best, list, found, weight) {
    for (var i = 0, j = 0; i < list.length && j < found.length;) {
      if (list[i] < found[j]) { i++; } else if (list[i] > found[j]) { j++; } else {
        if (best[i] < weight) { best[i] = weight; }
        i++; j++;
      }
    }
  }

  // the first page of results (or the answer) is on screen
  function finished() {
    el.status.setAttribute("data-state", "done");
    locate();
  }

  function locate() {
    if (!located) { located = true; setTimeout(writeLocation, 0); }
  }

  function broken() {
    el.status.textContent = "检索索引未能加载,请刷新页面后重试。";
    finished();
  }

  function report(f, corrected, everywhere) {
    var order = f.exact ? ",按目录顺序(省级在前)列出。" : ",按相关程度排列" + (near && byCode[near] ? "(" + byCode[near].name + "的在前)。" : "。");
    el.status.textContent = matches.length
      ? (corrected ? "没有找到“" + corrected + "”,以下是“" + el.q.value.trim() + "”的结果:" : "") + "找到 " + matches.length + " 个公开事项" + (matches.length > PAGE ? order : "。")
      : "没有找到符合条件的公开事项。";
    if (f.region && everywhere && everywhere.length > matches.length) {
      var p = new URLSearchParams();
      p.set("q", el.q.value.trim());
      p.set("near", f.region);
      line(el.suggest, "本地区之外还有结果:", [["在全部地区检索(" + byCode[f.region].name + "的在前)", "search.html?" + p.toString()]]);
    }
  }

  // a paragraph of links in the suggestions box
  function line(parent, lead, links) {
    var para = document.createElement("p");
    para.appendChild(document.createTextNode(lead));
    links.forEach(function (l, i) {
      if (i) { para.appendChild(document.createTextNode("、")); }
      var a = document.createElement("a");
      a.href = l[1];
      a.textContent = l[0];
      para.appendChild(a);
    });
    parent.appendChild(para);
  }

  function queryLink(q) {
    var p = new URLSearchParams();
    p.set("q", q);
    if (el.region.value) { p.set("region", el.region.value); }
    if (near) { p.set("near", near); }
    return "search.html?" + p.toString();
  }

  // a miss: did-you-mean from the index's names (the best one is searched at once), synonyms, browsing
  function missed(f, plan, mine, corrected) {
    var show = function () {
      if (mine !== run) { return; }
      var better = [], sure = false;
      plan.forEach(function (p, i) {
        if (p.matters.length) { return; }
        W.suggest(p.term, names || [], fold).forEach(function (s, k) {
          var words = f.terms.slice();
          words[i] = s.text;
          better.push(words.join(" "));
          // searched at once only when one character in three or more was mistyped: in a two-character
          // word one character is half the word (低保 → 老保 is another word), so it is only offered
          if (k === 0 && better.length === 1) { sure = Array.from(p.term).length >= 3; }
        });
      });
      if (better.length && sure && !corrected) {
        var typed = el.q.value;
        el.q.value = better[0];
        search(typed);
        el.q.value = better[0];
        return;
      }
      el.status.textContent = (corrected ? "没有找到“" + corrected + "”,也" : "") + "没有找到符合条件的公开事项。";
      if (better.length) { line(el.suggest, "您是不是要找:", better.slice(0, 5).map(function (q) { return [q, queryLink(q)]; })); }
      var related = [];
      plan.forEach(function (p) { p.alts.forEach(function (a) { if (a.kind !== "typed") { related.push(a.text); } }); });
      if (related.length) { line(el.suggest, "同义词、近义词:", related.slice(0, 8).map(function (q) { return [q, queryLink(q)]; })); }
      if (plan.length > 1) {
        line(el.suggest, "减少关键词:", plan.filter(function (p) { return p.matters.length; }).map(function (p) { return [p.term, queryLink(p.term)]; }));
      }
      if (f.region || f.level || f.area >= 0 || f.unit || f.channel >= 0 || f.audience >= 0 || f.method >= 0) {
        line(el.suggest, "放宽条件:", [["在全部地区、全部领域中检索", queryLink(el.q.value.trim()).replace(/&region=[^&]*/, "")]]);
      }
      var browse = [["首页(按地区浏览全部目录)", "index.html"]];
      if (f.region && byCode[f.region]) { browse.push([byCode[f.region].name + "的全部目录", "regions/" + f.region + ".html"]); }
      line(el.suggest, "按地区、领域浏览:", browse);
      finished();
    };
    if (names) { show(); return; }
    load(["v"], function () { names = files.v || []; show(); });
  }



  // ---- results -----------------------------------------------------------------------------------

  function showMore(mine) {
    var page = Array.prototype.slice.call(matches.subarray(shown, shown + PAGE));
    if (!page.length) { finished(); el.more.hidden = true; return; }
    if (el.status.getAttribute("data-state") !== "counted") { el.status.setAttribute("data-state", "busy"); }
    var at = recordFiles(page), recs = {};
    at.forEach(function (home) { recs[home[0]] = true; });
    load(Object.keys(recs), function () {
      if (mine !== run) { return; }
      if (anyFailed(Object.keys(recs))) { broken(); return; }
      page.forEach(function (m, i) { el.results.appendChild(render(m, at[i])); });
      shown += page.length;
      el.more.hidden = shown >= matches.length;
      finished();
    });
  }

  // where a matter's record is, as [file, row]: in its run of numbers (r/) and in its catalog's rows (k/)
  function homes(m) {
    var ri = chunkOf(regionStarts, m), pi = chunkOf(regionAt[ri], m), item = m - regionAt[ri][pi];
    var c = columnAt[ri][pi], rows = M.columns[0], per = M.columns[1];
    return [["r/" + Math.floor(m / M.records), m % M.records],
            ["k/" + c[0] + "-" + Math.floor(c[1] / per) + "-" + Math.floor(item / rows), (c[1] % per) * rows + item % rows]];
  }

  // the fewest record files that hold a page: each file costs ~2.5 ms on file:// whatever its size, and
  // a page scattered over 20 regions or 20 catalogs needed 12-20 r/ files alone. A file already loaded
  // costs nothing; then, greedily, the file holding the most records still without one (the first
  // such in page order, r/ before k/, so the choice is the same every time)
  function recordFiles(page) {
    var where = page.map(homes), at = [], left = page.length;
    where.forEach(function (h, i) {
      h.forEach(function (f) { if (!at[i] && f[0] in files) { at[i] = f; left -= 1; } });
    });
    while (left > 0) {
      var count = {}, best = null;
      where.forEach(function (h, i) {
        if (at[i]) { return; }
        h.forEach(function (f) {
          count[f[0]] = (count[f[0]] || 0) + 1;
          if (best === null || count[f[0]] > count[best]) { best = f[0]; }
        });
      });
      where.forEach(function (h, i) {
        h.forEach(function (f) { if (!at[i] && f[0] === best) { at[i] = f; left -= 1; } });
      });
    }
    return at;
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

  function render(m, home) {
    var chunk = files[home[0]];
    var rec = chunk[1][home[1]];
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
