/* gkml search: what a reader types, widened (used by search.js; plain functions, no state).
 *
 * - fold: the index's folding (compiler/builders/search_codec.py fold): traditional to simplified
 *   with the manifest's pairs (only characters the index holds), full-width to half-width, ASCII
 *   letters to lower case; one character for one.
 * - alternatives: a word, its synonyms from the registry's thesaurus (catalogs/registry/
 *   thesaurus.yaml) and related words, also where a thesaurus word is part of what was typed
 *   (城乡低保标准 → 城乡最低生活保障标准).
 * - splits: a word cut in two, each part at least two characters (残疾人补贴 → 残疾人 + 补贴), for
 *   matters that hold both parts with other text between (困难残疾人生活补贴).
 * - near: the best approximate place of a word in a name (edit distance), for did-you-mean.
 */
(function () {
  "use strict";
  var MAX_ALTERNATIVES = 12;

  function folder(pairs) {
    var map = {};
    for (var i = 0; i + 1 < pairs.length; i += 2) { map[pairs.charAt(i)] = pairs.charAt(i + 1); }
    return function (text) {
      var out = "";
      for (var i = 0; i < text.length; i++) {
        var c = text.charCodeAt(i), ch = text.charAt(i);
        if (c >= 0xFF01 && c <= 0xFF5E) { c -= 0xFEE0; ch = String.fromCharCode(c); }
        else if (c === 0x3000) { ch = " "; c = 32; }
        if (c >= 65 && c <= 90) { ch = String.fromCharCode(c + 32); }
        out += map[ch] || ch;
      }
      return out;
    };
  }

  // [{text, kind}] with kind "typed", "same" (a synonym) or "related"; the typed word first
  function alternatives(word, thesaurus) {
    var out = [{ text: word, kind: "typed" }], seen = {};
    seen[word] = true;
    function add(text, kind) {
      if (!seen[text] && out.length < MAX_ALTERNATIVES && text.length > 0) { seen[text] = true; out.push({ text: text, kind: kind }); }
    }
    thesaurus.forEach(function (group) {
      var same = group[0], related = group[1];
      if (same.indexOf(word) >= 0) {
        same.forEach(function (w) { add(w, "same"); });
        related.forEach(function (w) { add(w, "related"); });
      } else if (related.indexOf(word) >= 0) {
        same.forEach(function (w) { add(w, "related"); });
      }
    });
    // a thesaurus word inside what was typed (when it is no entry itself): each of its synonyms in its place
    if (out.length > 1) { return out; }
    thesaurus.forEach(function (group) {
      group[0].forEach(function (w) {
        if (w.length < 2 || w === word || word.indexOf(w) < 0) { return; }
        group[0].forEach(function (v) { if (v !== w) { add(word.split(w).join(v), "same"); } });
      });
    });
    return out;
  }

  function splits(word) {
    var chars = Array.from(word), out = [];
    for (var i = 2; i + 2 <= chars.length; i++) { out.push([chars.slice(0, i).join(""), chars.slice(i).join("")]); }
    return out;
  }

  // the least edit distance between word and any part of text, and that part (Sellers' algorithm)
  function near(word, text) {
    var a = Array.from(word), b = Array.from(text), n = a.length;
    var prev = [], start = [], i, j;
    for (i = 0; i <= n; i++) { prev.push(i); start.push(0); }
    var best = { distance: n + 1, part: "" };
    for (j = 1; j <= b.length; j++) {
      var cur = [0], from = [j];
      for (i = 1; i <= n; i++) {
        var sub = prev[i - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), del = prev[i] + 1, ins = cur[i - 1] + 1;
        if (sub <= del && sub <= ins) { cur.push(sub); from.push(start[i - 1]); }
        else if (ins <= del) { cur.push(ins); from.push(from[i - 1]); }
        else { cur.push(del); from.push(start[i]); }
      }
      // at equal distance the part nearer the word's own length: 招声 in 招生管理 is 招生 (one change),
      // not 招 (one deletion), which is too short to suggest
      if (cur[n] < best.distance || (cur[n] === best.distance && Math.abs(j - from[n] - n) < Math.abs(Array.from(best.part).length - n))) {
        best = { distance: cur[n], part: b.slice(from[n], j).join("") };
      }
      prev = cur; start = from;
    }
    return best;
  }

  // did-you-mean: the names' parts within one edit (two for words of six or more), best first
  function suggest(word, names, fold) {
    var allowed = Array.from(word).length >= 6 ? 2 : 1, found = {}, out = [];
    if (Array.from(word).length < 2) { return out; }
    names.forEach(function (name) {
      var m = near(word, fold(name));
      if (m.distance > 0 && m.distance <= allowed && Array.from(m.part).length >= 2) {
        var key = m.part;
        if (!found[key] || found[key].distance > m.distance) { found[key] = { text: key, distance: m.distance, count: 0 }; }
        found[key].count += 1;
      }
    });
    Object.keys(found).forEach(function (k) { out.push(found[k]); });
    out.sort(function (x, y) {
      return x.distance - y.distance || Math.abs(x.text.length - word.length) - Math.abs(y.text.length - word.length) ||
        y.count - x.count || (x.text < y.text ? -1 : x.text > y.text ? 1 : 0);
    });
    return out.slice(0, 5);
  }

  window.gkmlWords = { folder: folder, alternatives: alternatives, splits: splits, near: near, suggest: suggest };
}());
