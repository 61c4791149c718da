/* gkml one-stop search: plain JavaScript, no framework, works from file:// and any sub-path.
 *
 * search/manifest.js calls gkmlManifest(...) with the regions (in load order: province first),
 * the filter vocabularies and the units of each region. Each region's matters are in its own
 * shard, search/r-<code>.js, which calls gkmlShard(code, data) when loaded with a <script> tag
 * (fetch() of JSON is refused on file://). Shards are loaded only when a search needs them,
 * one after another, and results are shown as each shard arrives.
 *
 * Matching is plain substring matching (case-insensitive for Latin letters) over 一级/二级/三级事项,
 * 公开内容, 公开主体 and 公开依据; several words separated by spaces must all occur. No synonyms,
 * no fuzzy matching: a result always contains what was typed.
 * Row fields: see manifest.fields. Results are built with DOM text nodes only (never as HTML strings).
 */
(function () {
  "use strict";
  var PAGE = 50;
  var M = null;
  var shards = {};
  var waiting = {};
  var failed = {};
  var run = 0;
  var matches = [];
  var shown = 0;
  var terms = [];
  var el = {};

  window.gkmlShard = function (code, data) {
    shards[code] = data;
    var done = waiting[code];
    delete waiting[code];
    if (done) { done(); }
  };

  window.gkmlManifest = function (manifest) {
    M = manifest;
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
    M.areas.forEach(function (name, i) { option(el.area, String(i), name); });
    M.channels.forEach(function (name, i) { option(el.channel, String(i), name); });
    M.audiences.forEach(function (name) { option(el.audience, name, name); });
    M.methods.forEach(function (name) { option(el.method, name, name); });
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
    el.more.addEventListener("click", function () { showMore(true); });
    if (filters().active) { search(); }
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

  function writeLocation(f) {
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

  function filters() {
    var q = el.q.value.trim().toLowerCase();
    var f = {
      terms: q ? q.split(/\s+/) : [],
      level: el.level.value, region: el.region.value,
      area: el.area.value === "" ? -1 : Number(el.area.value),
      unit: el.unit.value.trim(),
      channel: el.channel.value === "" ? -1 : Number(el.channel.value),
      audience: el.audience.value, method: el.method.value
    };
    f.active = Boolean(f.terms.length || f.level || f.region || f.area >= 0 || f.unit ||
                       f.channel >= 0 || f.audience || f.method);
    return f;
  }

  function haystacks(shard) {
    if (!shard.text) {
      shard.text = shard.rows.map(function (r) {
        return [r[1], r[2], r[3], r[4], r[5], r[6]].join("\n").toLowerCase();
      });
    }
    return shard.text;
  }

  function matchShard(region, shard, f) {
    var text = haystacks(shard);
    var found = [];
    for (var i = 0; i < shard.rows.length; i++) {
      var r = shard.rows[i];
      if (f.area >= 0 && shard.pages[r[8]][1] !== f.area) { continue; }
      if (f.unit && r[5].indexOf(f.unit) < 0) { continue; }
      if (f.channel >= 0 && r[9].indexOf(f.channel) < 0) { continue; }
      if (f.audience && r[10] !== f.audience) { continue; }
      if (f.method && r[11] !== f.method) { continue; }
      var ok = true;
      for (var t = 0; t < f.terms.length; t++) {
        if (text[i].indexOf(f.terms[t]) < 0) { ok = false; break; }
      }
      if (ok) { found.push({ region: region, shard: shard, row: r }); }
    }
    return found;
  }

  function search() {
    var f = filters();
    var mine = ++run;
    writeLocation(f);
    matches = [];
    shown = 0;
    terms = f.terms;
    clear(el.results);
    el.more.hidden = true;
    if (!f.active) {
      el.status.textContent = "共 " + M.total + " 个公开事项。输入关键词或选择条件后检索。";
      return;
    }
    var regions = M.regions.filter(function (r) {
      return (!f.level || r.level === f.level) && (!f.region || r.code === f.region);
    });
    var next = 0;
    function step() {
      if (mine !== run) { return; }
      if (next >= regions.length) { report(regions.length, regions.length, true); return; }
      var region = regions[next];
      load(region, function () {
        if (mine !== run) { return; }
        next += 1;
        var shard = shards[region.code];
        if (shard) { matches = matches.concat(matchShard(region, shard, f)); }
        showMore(false);
        report(next, regions.length, next >= regions.length);
        // yield to the browser between shards so the first answers appear at once
        setTimeout(step, 0);
      });
    }
    report(0, regions.length, regions.length === 0);
    step();
  }

  function load(region, done) {
    if (shards[region.code] || failed[region.code]) { done(); return; }
    waiting[region.code] = done;
    var script = document.createElement("script");
    script.src = region.shard;
    script.async = true;
    script.onerror = function () {
      failed[region.code] = true;
      var cb = waiting[region.code];
      delete waiting[region.code];
      if (cb) { cb(); }
    };
    document.body.appendChild(script);
  }

  function report(done, total, finished) {
    var bad = Object.keys(failed).length;
    var text = "找到 " + matches.length + " 个公开事项";
    text += finished ? "(已检索全部 " + total + " 个地区)" : ",正在检索第 " + done + "/" + total + " 个地区……";
    if (bad) { text += ";有 " + bad + " 个地区的索引未能加载"; }
    if (finished && matches.length === 0) { text = "没有找到符合条件的公开事项。请换一个关键词或放宽筛选条件。"; }
    el.status.textContent = text + "。";
  }

  function showMore(all) {
    var limit = all ? shown + PAGE : Math.max(shown, PAGE);
    while (shown < matches.length && shown < limit) {
      el.results.appendChild(render(matches[shown]));
      shown += 1;
    }
    el.more.hidden = shown >= matches.length;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function highlighted(parent, text) {
    // wrap every occurrence of a search term in <mark>, using text nodes only
    var lower = text.toLowerCase();
    var pos = 0;
    while (pos < text.length) {
      var best = -1, len = 0;
      for (var t = 0; t < terms.length; t++) {
        var at = lower.indexOf(terms[t], pos);
        if (at >= 0 && (best < 0 || at < best)) { best = at; len = terms[t].length; }
      }
      if (best < 0 || len === 0) { parent.appendChild(document.createTextNode(text.slice(pos))); return; }
      if (best > pos) { parent.appendChild(document.createTextNode(text.slice(pos, best))); }
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + len);
      parent.appendChild(mark);
      pos = best + len;
    }
  }

  function render(m) {
    var r = m.row;
    var page = m.shard.pages[r[8]];
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = page[0] + "#" + r[0];
    highlighted(a, [r[1], r[2], r[3]].filter(Boolean).join(" / "));
    var h = document.createElement("h2");
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta-line";
    var area = page[1] >= 0 ? M.areas[page[1]] : "";
    meta.appendChild(document.createTextNode([m.region.name, area].filter(Boolean).join(" · ") + " · "));
    highlighted(meta, r[5]);
    meta.appendChild(document.createTextNode(" · " + r[10] + " · " + r[11]));
    li.appendChild(meta);
    var content = document.createElement("p");
    highlighted(content, r[4]);
    li.appendChild(content);
    if (r[6]) {
      var basis = document.createElement("p");
      basis.className = "basis";
      basis.appendChild(document.createTextNode("依据:"));
      highlighted(basis, r[6]);
      li.appendChild(basis);
    }
    return li;
  }
}());
