/* Arabic search for the digest: a port of builder/search.py (stemming and ranking).
 *
 * The index (search/index.json) carries the rule tables (fold map, diacritics, suffixes, stop
 * words), so only the algorithms live here, and names the parts that hold the documents (one a
 * year: a reader's browser keeps the years that did not change). Results are built with
 * textContent: no index text is ever parsed as HTML.
 */
(function () {
  "use strict";

  var LEADING = [["", "و", "ف"], ["", "ب", "ك", "ل"]];

  function Stemmer(rules) {
    var diacritics = new RegExp(rules.diacritics, "gu");
    var invisible = new Set(rules.invisible.map(function (c) { return String.fromCodePoint(c); }));
    var fold = rules.fold, stop = new Set(rules.stop);
    var heads = rules.compound_heads, suffixes = rules.suffixes;
    var minStem = rules.min_stem, maxStrips = rules.max_suffix_strips;
    var word = /[\p{L}\p{N}]+/gu;

    function foldText(text) {
      var out = "";
      for (var ch of text.normalize("NFC")) if (!invisible.has(ch)) out += ch;
      out = out.replace(diacritics, "");
      var folded = "";
      for (var c of out) folded += Object.prototype.hasOwnProperty.call(fold, c) ? fold[c] : c;
      return folded.toLowerCase();
    }

    function isArabic(w) { var c = w.charCodeAt(0); return c >= 0x600 && c <= 0x6ff; }
    function len(s) { return Array.from(s).length; }

    function splitCompound(w) {
      for (var i = 0; i < heads.length; i++) {
        var rest = w.slice(heads[i].length);
        if (w.startsWith(heads[i]) && len(rest) >= minStem && rest.startsWith("ال")) return [heads[i], rest];
      }
      return [w];
    }

    function tokens(text) {
      var out = [];
      (foldText(text).match(word) || []).forEach(function (w) { out.push.apply(out, splitCompound(w)); });
      return out;
    }

    /* normalize.strip_clitics, with min_stem 2 */
    function stripClitics(w) {
      var forms = [w];
      function add(f) { if (len(f) >= 2 && forms.indexOf(f) < 0) forms.push(f); }
      LEADING[0].forEach(function (conj) {
        if (!w.startsWith(conj)) return;
        var afterConj = w.slice(conj.length);
        add(afterConj);
        LEADING[1].forEach(function (prep) {
          if (!afterConj.startsWith(prep)) return;
          var rest = afterConj.slice(prep.length);
          if (prep === "ل" && rest.startsWith("ل")) { add("ال" + rest.slice(1)); add(rest.slice(1)); }
          add(rest);
          if (rest.startsWith("ال")) add(rest.slice(2));
        });
      });
      return forms;
    }

    function suffixStrip(w) {
      for (var n = 0; n < maxStrips; n++) {
        var cut = false;
        for (var i = 0; i < suffixes.length; i++) {
          var s = suffixes[i];
          if (w.endsWith(s) && len(w) - len(s) >= minStem) { w = w.slice(0, w.length - s.length); cut = true; break; }
        }
        if (!cut) break;
      }
      return w;
    }

    function byLengthThenText(a, b) {
      var d = len(a) - len(b);
      return d !== 0 ? d : (a < b ? -1 : a > b ? 1 : 0);
    }

    function stem(w) {
      if (!isArabic(w)) return w;
      return suffixStrip(stripClitics(w).slice().sort(byLengthThenText)[0]);
    }

    function indexTerms(text) {
      var out = [];
      tokens(text).forEach(function (t) {
        var s = stem(t);
        if (len(s) > 1 && !stop.has(t) && !stop.has(s)) out.push(s);
      });
      return out;
    }

    function queryForms(t) {
      if (!isArabic(t)) return [t];
      var seen = [], todo = [t];
      while (todo.length) {
        var f = todo.shift();
        if (seen.indexOf(f) >= 0) continue;
        seen.push(f);
        stripClitics(f).forEach(function (g) { if (seen.indexOf(g) < 0) todo.push(g); });
      }
      var stems = [];
      seen.forEach(function (f) { var s = suffixStrip(f); if (stems.indexOf(s) < 0) stems.push(s); });
      return stems;
    }

    function queryWords(query) {
      return tokens(query).filter(function (t) { return len(t) > 1 && !stop.has(t); }).map(queryForms);
    }

    return { fold: foldText, indexTerms: indexTerms, queryWords: queryWords };
  }

  function dateKey(iso) {
    return iso ? iso.split("-").map(function (p) { return -parseInt(p, 10); }) : [1];
  }

  function compareKeys(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }

  /* The inverted index, built once from the per-document stems. */
  function Index(data) {
    var stemmer = Stemmer(data.rules);
    var docs = data.docs, terms = new Map(), titles = new Map();
    function put(map, key, i) { var l = map.get(key); if (!l) map.set(key, l = new Set()); l.add(i); }
    docs.forEach(function (doc, i) {
      doc.w.split(" ").forEach(function (t) { if (t) put(terms, t, i); });
      stemmer.indexTerms(doc.t).forEach(function (t) { put(titles, t, i); });
      doc.key = dateKey(doc.dt);
    });
    var vocabulary = Array.from(terms.keys()).sort();

    function prefixed(f) {
      var lo = 0, hi = vocabulary.length, out = new Set();
      while (lo < hi) { var mid = (lo + hi) >> 1; if (vocabulary[mid] < f) lo = mid + 1; else hi = mid; }
      for (var i = lo; i < vocabulary.length && vocabulary[i].startsWith(f); i++) terms.get(vocabulary[i]).forEach(function (d) { out.add(d); });
      return out;
    }

    function search(query, limit) {
      var wanted = stemmer.queryWords(query);
      if (!wanted.length) return [];
      var total = null;
      wanted.forEach(function (forms) {
        var best = new Map();
        function score(set, s) { if (set) set.forEach(function (d) { if ((best.get(d) || 0) < s) best.set(d, s); }); }
        forms.forEach(function (f) {
          score(titles.get(f), 3);
          score(terms.get(f), 2);
          if (Array.from(f).length >= 4) score(prefixed(f), 1);
        });
        if (total === null) { total = best; return; }
        var next = new Map();
        total.forEach(function (s, d) { if (best.has(d)) next.set(d, s + best.get(d)); });
        total = next;
      });
      var hits = Array.from(total.keys());
      hits.sort(function (a, b) {
        var d = total.get(b) - total.get(a);
        if (d) return d;
        d = compareKeys(docs[a].key, docs[b].key);
        if (d) return d;
        return docs[a].id < docs[b].id ? -1 : docs[a].id > docs[b].id ? 1 : 0;
      });
      return hits.slice(0, limit || 50).map(function (i) { return docs[i]; });
    }

    return { search: search, stemmer: stemmer, docs: docs };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* Arabic counted noun, as builder/display.py count_label */
  function countLabel(n) {
    if (n === 1) return "نتيجة واحدة";
    if (n === 2) return "نتيجتان";
    return n + (n % 100 >= 3 && n % 100 <= 10 ? " نتائج" : " نتيجة");
  }

  function show(results, list, status, root, query) {
    list.replaceChildren();
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = results.length ? countLabel(results.length) : "لا نتائج لـ «" + query.trim() + "»";
    results.forEach(function (doc) {
      var li = el("li", "digest-result");
      var a = el("a", "digest-result__title", doc.t);
      a.href = root + doc.u;
      li.appendChild(a);
      var meta = [doc.d, doc.o].filter(Boolean).join(" · ");
      if (meta) {
        var small = el("small", "digest-result__meta");
        if (doc.dt) { var time = el("time", "", doc.d); time.setAttribute("datetime", doc.dt); small.appendChild(time); if (doc.o) small.appendChild(document.createTextNode(" · " + doc.o)); }
        else small.textContent = meta;
        li.appendChild(small);
      }
      if (doc.s) li.appendChild(el("p", "digest-result__summary", doc.s));
      list.appendChild(li);
    });
  }

  function start() {
    var list = document.getElementById("digest-results");
    var input = document.getElementById("digest-q");
    var status = document.getElementById("digest-search-status");
    if (!list || !input || !status) return;
    var root = list.getAttribute("data-root") || "";
    status.textContent = "…";
    var head = new URL(list.getAttribute("data-index"), window.location.href);
    var json = function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    };
    /* The head names the parts (one per year, newest first); their documents, in that order, are the index. */
    json(head).then(function (data) {
      return Promise.all(data.parts.map(function (part) { return json(new URL(part, head)); })).then(function (parts) {
        data.docs = [].concat.apply([], parts.map(function (part) { return part.docs; }));
        return data;
      });
    }).then(function (data) {
      var index = Index(data);
      window.digestSearch = index; // for the tests and curious readers
      var run = function () {
        show(index.search(input.value), list, status, root, input.value);
        var url = new URL(window.location.href);
        if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        window.history.replaceState(null, "", url);
      };
      var timer = null;
      input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 80); });
      input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      input.value = new URLSearchParams(window.location.search).get("q") || "";
      list.setAttribute("data-ready", "true");
      run();
    }).catch(function () {
      status.textContent = "تعذر تحميل فهرس البحث.";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
