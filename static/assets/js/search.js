/* folio search: loaded by folio.js the first time a reader goes to the search box.
 * The index (written by src/search/index.rs) is a set of small scripts under search/: meta.js
 * lists the shards, s/<key>.js holds the terms starting with <key> and, for each, the sections
 * it occurs in with a precomputed BM25F score; p/<n>.js holds the titles, URLs and text of a
 * few pages. Scripts rather than JSON so that search works from file:// too. A query loads
 * only the shards of its words and the page files of the results it shows. */
(function () {
  "use strict";

  var doc = document;
  var box = doc.querySelector(".search");
  var self = doc.currentScript;
  if (!box || !self || window.folioSearch) return;
  var input = box.querySelector(".search-input");
  var panel = box.querySelector(".search-panel");
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  if (!input || !panel || !status || !list) return;

  /* The site root, from this script's own URL: right on any host and from disk. */
  var siteRoot = self.src.replace(/assets\/js\/search\.js(\?.*)?$/, "");
  var fromDisk = location.protocol === "file:";
  var MAX_RESULTS = 10;
  var SECTIONS_PER_RESULT_PAGE = 3;
  var MAX_TOKENS = 8;
  var PREFIX_TERMS = 40;
  /* Weights of a term found by prefix or with one typo, against the word as typed. */
  var PREFIX_WEIGHT = 0.75;
  var TYPO_WEIGHT = 0.5;

  /* Loading ------------------------------------------------------------------------------ */

  var arrivals = {};
  var loads = {};

  function arrive(name, value) {
    var resolve = arrivals[name];
    delete arrivals[name];
    if (resolve) resolve(value);
    /* A small site's meta.js brings every shard and page along. */
    else if (!loads[name]) loads[name] = Promise.resolve(value);
  }

  /* A file that neither loads nor fails within this time is asked for once more at once
     (a request can stall on a busy network or host); if that stalls too, the query fails and
     the next keystroke asks again, so a stalled request never holds every later query. */
  var LOAD_TIMEOUT = 8000;

  var attempts = {};

  /* Loads a script that calls back with `name`; resolves with what it passes. */
  function load(name, url) {
    if (!loads[name]) {
      var loading = request(name, url).catch(function (error) {
        if (!error.timedOut) throw error;
        return request(name, url);
      });
      loads[name] = loading;
      loading.catch(function () {
        if (loads[name] === loading) delete loads[name];
      });
    }
    return loads[name];
  }

  /* One request for a file. */
  function request(name, url) {
    return new Promise(function (resolve, reject) {
      /* A retry gets its own URL: the browser would otherwise wait for the stalled request
         of the same URL rather than send another. */
      var attempt = attempts[name] ? (url.indexOf("?") < 0 ? "?" : "&") + "retry=" + attempts[name] : "";
      attempts[name] = (attempts[name] || 0) + 1;
      var tag = doc.createElement("script");
      var timer = window.setTimeout(function () {
        fail("did not arrive within " + LOAD_TIMEOUT / 1000 + " s", true);
      }, LOAD_TIMEOUT);
      /* Compared by identity: a late event of an earlier, given-up request for the same file
         must not settle this one. */
      var mine = function (value) {
        window.clearTimeout(timer);
        resolve(value);
      };
      arrivals[name] = mine;
      tag.src = url + attempt;
      tag.async = true;
      function fail(why, timedOut) {
        window.clearTimeout(timer);
        if (tag.parentNode) tag.parentNode.removeChild(tag);
        if (arrivals[name] !== mine) return;
        delete arrivals[name];
        var error = new Error("the search index file " + url + " " + why);
        error.timedOut = timedOut;
        reject(error);
      }
      tag.onerror = function () { fail("could not be loaded", false); };
      tag.onload = function () {
        if (tag.parentNode) tag.parentNode.removeChild(tag);
        if (arrivals[name] === mine) fail("did not contain the index", false);
      };
      doc.head.appendChild(tag);
    });
  }

  window.folioSearch = {
    meta: function (meta) { arrive("meta", meta); },
    shard: function (key, terms) { arrive("s:" + key, terms); },
    pages: function (chunk, pages) { arrive("p:" + chunk, pages); }
  };

  var meta = null;

  /* Scores are bytes on a logarithmic scale (see the index's writer); sums need them linear. */
  function scoreTable(scale) {
    var table = new Float64Array(256);
    for (var q = 1; q < 256; q++) table[q] = (Math.pow(1 + scale, (q - 1) / 254) - 1) / scale;
    return table;
  }

  function loadMeta() {
    return load("meta", siteRoot + "search/meta.js").then(function (data) {
      if (!meta) {
        meta = { keys: new Map(), version: data.version, sectionsPerPage: data.sections_per_page, pagesPerFile: data.pages_per_file, score: scoreTable(data.score_scale) };
        /* "key key+ ...": `+` marks a key split into longer ones. */
        data.keys.split(" ").forEach(function (key) {
          if (!key) return;
          var split = key.charAt(key.length - 1) === "+";
          meta.keys.set(split ? key.slice(0, -1) : key, split);
        });
      }
      return meta;
    });
  }

  /* Same names as key_file_name in index.rs. */
  function keyFileName(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    var bytes = new TextEncoder().encode(key);
    var name = "_";
    for (var i = 0; i < bytes.length; i++) name += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return name;
  }

  var shards = {};

  function loadShard(key) {
    if (shards[key]) return Promise.resolve(shards[key]);
    var url = siteRoot + "search/s/" + keyFileName(key) + ".js?v=" + meta.version;
    return load("s:" + key, url).then(function (terms) {
      if (!shards[key]) {
        var map = new Map(Object.keys(terms).map(function (term) { return [term, terms[term]]; }));
        shards[key] = { terms: map, sorted: Array.from(map.keys()).sort(), decoded: new Map() };
      }
      return shards[key];
    });
  }

  function loadPages(chunk) {
    return load("p:" + chunk, siteRoot + "search/p/" + chunk + ".js?v=" + meta.version);
  }

  /* Postings: pairs of (gap to the previous section, score) as base-64 variable-length
     numbers, 5 bits a digit, the sixth bit set when another digit follows. */
  var DIGIT = {};
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach(function (c, i) { DIGIT[c] = i; });

  function postings(shard, term) {
    var found = shard.decoded.get(term);
    if (found) return found;
    var text = shard.terms.get(term) || "";
    var docs = [];
    var scores = [];
    var position = 0;
    function next() {
      var value = 0;
      var shift = 0;
      for (;;) {
        var digit = DIGIT[text.charAt(position++)];
        value += (digit & 31) * Math.pow(2, shift);
        if (!(digit & 32)) return value;
        shift += 5;
      }
    }
    var section = 0;
    while (position < text.length) {
      section += next();
      docs.push(section);
      scores.push(meta.score[next()] || 0);
    }
    found = { docs: docs, scores: scores };
    shard.decoded.set(term, found);
    return found;
  }

  /* Words: the rules of src/search/tokenize.rs ----------------------------------------------- */

  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;
  var ALPHA = /\p{Alphabetic}/u;
  var DIGITS = /[0-9]/;

  function wordParts(chars, out) {
    var word = chars.join("");
    var mixed = chars.some(function (c) { return UPPER.test(c) || DIGITS.test(c); });
    if (!mixed || /^[0-9]+$/.test(word)) { out.push(word.toLowerCase()); return; }
    var part = "";
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (i > 0) {
        var previous = chars[i - 1];
        var next = chars[i + 1];
        var boundary = (LOWER.test(previous) && UPPER.test(c))
          || (UPPER.test(previous) && UPPER.test(c) && next !== undefined && LOWER.test(next))
          || (ALPHA.test(previous) && DIGITS.test(c))
          || (DIGITS.test(previous) && ALPHA.test(c));
        if (boundary && part) { out.push(part); part = ""; }
      }
      part += c.toLowerCase();
    }
    if (part) out.push(part);
  }

  function tokenize(text) {
    var chars = Array.from(text);
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var run = [];
      if (CJK.test(chars[i])) {
        while (i < chars.length && CJK.test(chars[i])) run.push(chars[i++]);
        if (run.length === 1) out.push(run[0]);
        for (var j = 0; j + 1 < run.length; j++) out.push(run[j] + run[j + 1]);
      } else if (WORD.test(chars[i])) {
        while (i < chars.length && WORD.test(chars[i]) && !CJK.test(chars[i])) run.push(chars[i++]);
        wordParts(run, out);
      } else {
        i++;
      }
    }
    return out;
  }

  /* The shard holding `term`: the longest listed key it starts with (keys grow one
     character at a time from two, or one when the first two are not both ASCII). */
  function shardKey(term) {
    var chars = Array.from(term);
    var shortest = chars.length > 1 && chars[0].charCodeAt(0) < 128 && chars[1].charCodeAt(0) < 128 ? 2 : 1;
    var found = null;
    for (var n = shortest; n <= chars.length; n++) {
      var key = chars.slice(0, n).join("");
      if (!meta.keys.has(key)) break;
      found = key;
      if (!meta.keys.get(key)) break;
    }
    return found;
  }

  /* Whether a and b differ by at most one insertion, deletion, substitution or swap. */
  function oneEditApart(a, b) {
    if (a === b) return true;
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* Terms of the shard matching `token`, with weights. */
  function matchTerms(shard, token, asPrefix) {
    var matches = [];
    if (shard.terms.has(token)) matches.push({ term: token, weight: 1 });
    if (asPrefix) {
      var sorted = shard.sorted;
      var low = 0;
      var high = sorted.length;
      while (low < high) {
        var middle = (low + high) >> 1;
        if (sorted[middle] < token) low = middle + 1;
        else high = middle;
      }
      var extra = [];
      for (var i = low; i < sorted.length && sorted[i].lastIndexOf(token, 0) === 0; i++) {
        if (sorted[i] !== token) extra.push(sorted[i]);
      }
      /* Many completions: the closest (shortest) ones. */
      if (extra.length > PREFIX_TERMS) {
        extra.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
        extra.length = PREFIX_TERMS;
      }
      extra.forEach(function (term) { matches.push({ term: term, weight: PREFIX_WEIGHT }); });
    }
    if (!matches.length && Array.from(token).length >= 5) {
      shard.sorted.forEach(function (term) {
        if (oneEditApart(token, term) || (asPrefix && term.length > token.length && oneEditApart(token, term.slice(0, token.length)))) {
          matches.push({ term: term, weight: TYPO_WEIGHT });
        }
      });
    }
    return matches;
  }

  /* Searching ------------------------------------------------------------------------------ */

  /* Sections matching `query`, best first: sections with every word ahead of those missing
     some, then by the sum of each word's best score. */
  function rank(query) {
    var tokens = [];
    tokenize(query).forEach(function (token) { if (tokens.indexOf(token) < 0) tokens.push(token); });
    tokens = tokens.slice(0, MAX_TOKENS);
    if (!tokens.length) return Promise.resolve({ tokens: [], hits: [] });
    var lastIsPrefix = WORD.test(Array.from(query).pop() || "");
    return loadMeta().then(function () {
      var keys = tokens.map(shardKey);
      return Promise.all(keys.map(function (key) { return key === null ? null : loadShard(key); }));
    }).then(function (loaded) {
      var byDoc = new Map();
      tokens.forEach(function (token, index) {
        var shard = loaded[index];
        if (!shard) return;
        var matches = matchTerms(shard, token, lastIsPrefix && index === tokens.length - 1);
        var best = new Map();
        matches.forEach(function (match) {
          var found = postings(shard, match.term);
          for (var i = 0; i < found.docs.length; i++) {
            var score = found.scores[i] * match.weight;
            var current = best.get(found.docs[i]);
            if (!current || current.score < score) best.set(found.docs[i], { score: score, term: match.term });
          }
        });
        best.forEach(function (value, doc) {
          var hit = byDoc.get(doc);
          if (!hit) byDoc.set(doc, hit = { doc: doc, words: 0, score: 0, terms: [] });
          hit.words++;
          hit.score += value.score;
          hit.terms.push(value.term);
        });
      });
      var hits = Array.from(byDoc.values());
      hits.sort(function (a, b) { return b.words - a.words || b.score - a.score || a.doc - b.doc; });
      return { tokens: tokens, hits: hits };
    });
  }

  /* The best sections, a few per page, with their pages' files loaded; null when `ticket`
     is no longer the latest query by the time the ranking is done (a reader typing faster
     than files arrive would otherwise download the pages of results never shown). */
  function results(query, ticket) {
    return rank(query).then(function (ranked) {
      if (ticket !== latest) return null;
      var chosen = [];
      var perPage = new Map();
      for (var i = 0; i < ranked.hits.length && chosen.length < MAX_RESULTS; i++) {
        var hit = ranked.hits[i];
        var page = Math.floor(hit.doc / meta.sectionsPerPage);
        var count = perPage.get(page) || 0;
        if (count >= SECTIONS_PER_RESULT_PAGE) continue;
        perPage.set(page, count + 1);
        chosen.push({ page: page, section: hit.doc % meta.sectionsPerPage, terms: hit.terms, complete: hit.words === ranked.tokens.length });
      }
      var chunks = [];
      chosen.forEach(function (result) {
        var chunk = Math.floor(result.page / meta.pagesPerFile);
        if (chunks.indexOf(chunk) < 0) chunks.push(chunk);
      });
      return Promise.all(chunks.map(loadPages)).then(function (files) {
        return chosen.map(function (result) {
          var pages = files[chunks.indexOf(Math.floor(result.page / meta.pagesPerFile))];
          var page = pages[result.page % meta.pagesPerFile];
          var section = page.s[Math.min(result.section, page.s.length - 1)] || ["", "", ""];
          /* 0: the anchor is the heading in lowercase with hyphens for spaces (files.rs). */
          var anchor = section[1] === 0 ? section[0].toLowerCase().replace(/ /g, "-") : section[1];
          return {
            title: page.t,
            url: page.u,
            breadcrumb: page.b,
            heading: section[0],
            anchor: anchor,
            text: section[2],
            terms: result.terms,
            complete: result.complete
          };
        });
      });
    });
  }

  /* Showing results ------------------------------------------------------------------------- */

  function href(result) {
    var path = result.url;
    if (fromDisk && (path === "" || /\/$/.test(path))) path += "index.html";
    var terms = result.terms.join(" ");
    return siteRoot + path + "?h=" + encodeURIComponent(terms) + (result.anchor ? "#" + encodeURIComponent(result.anchor) : "");
  }

  /* Appends `text` to `parent` with the words matching `pattern` in <mark>. */
  function appendMarked(parent, text, pattern) {
    var last = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var match;
      while ((match = pattern.exec(text))) {
        if (!match[0]) { pattern.lastIndex++; continue; }
        if (match.index > last) parent.appendChild(doc.createTextNode(text.slice(last, match.index)));
        var mark = doc.createElement("mark");
        mark.textContent = match[0];
        parent.appendChild(mark);
        last = match.index + match[0].length;
      }
    }
    if (last < text.length) parent.appendChild(doc.createTextNode(text.slice(last)));
  }

  var SNIPPET_CHARS = 180;

  /* The part of the section's text around its first match. */
  function snippet(text, pattern) {
    var start = 0;
    if (pattern) {
      pattern.lastIndex = 0;
      var match = pattern.exec(text);
      if (match && match.index > 60) {
        start = text.lastIndexOf(" ", match.index - 40);
        start = start < 0 ? match.index - 40 : start + 1;
      }
    }
    var end = Math.min(text.length, start + SNIPPET_CHARS);
    if (end < text.length) {
      var space = text.lastIndexOf(" ", end);
      if (space > start + SNIPPET_CHARS / 2) end = space;
    }
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) + (end < text.length ? "\u2026" : "");
  }

  var active = -1;

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  function setOpen(open) {
    panel.hidden = !open;
  }

  function show(found, query) {
    panel.setAttribute("data-query", query);
    list.textContent = "";
    active = -1;
    if (!found.length) {
      list.hidden = true;
      status.textContent = "No results for \u201c" + query + "\u201d";
      setOpen(true);
      return;
    }
    var pattern = window.folio && window.folio.termPattern;
    found.forEach(function (result, index) {
      var terms = pattern ? pattern(result.terms) : null;
      var item = doc.createElement("li");
      item.className = "search-result";
      var link = doc.createElement("a");
      link.href = href(result);
      link.id = "search-result-" + index;
      var title = doc.createElement("span");
      title.className = "search-result-title";
      appendMarked(title, result.title, terms);
      if (result.heading && result.heading !== result.title) {
        var heading = doc.createElement("span");
        heading.className = "search-result-section";
        appendMarked(heading, result.heading, terms);
        title.appendChild(doc.createTextNode(" "));
        title.appendChild(heading);
      }
      link.appendChild(title);
      if (result.breadcrumb.length) {
        var path = doc.createElement("span");
        path.className = "search-result-path";
        path.textContent = result.breadcrumb.join(" \u203a ");
        link.appendChild(path);
      }
      if (result.text) {
        var text = doc.createElement("span");
        text.className = "search-result-text";
        appendMarked(text, snippet(result.text, terms), terms);
        link.appendChild(text);
      }
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
    var complete = found.filter(function (r) { return r.complete; }).length;
    status.textContent = complete ? found.length + (found.length === 1 ? " result" : " results")
      : "No page has every word; closest matches:";
    setOpen(true);
    select(0, false);
  }

  /* Marks result `index` as the one Enter opens; moves the focus there when asked. */
  function select(index, focus) {
    var all = links();
    all.forEach(function (link, i) { link.classList.toggle("active", i === index); });
    active = index;
    if (index >= 0 && all[index]) {
      if (focus) all[index].focus();
      var top = all[index].offsetTop;
      if (top < list.scrollTop) list.scrollTop = top;
      else if (top + all[index].offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + all[index].offsetHeight - list.clientHeight;
    }
  }

  var latest = 0;

  function update() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      setOpen(false);
      list.textContent = "";
      status.textContent = "";
      return;
    }
    results(query, ticket).then(function (found) {
      if (ticket === latest && found) show(found, query);
    }, function (error) {
      if (ticket !== latest) return;
      panel.setAttribute("data-query", query);
      list.textContent = "";
      list.hidden = true;
      status.textContent = "Search is not available: " + error.message;
      setOpen(true);
    });
  }

  input.addEventListener("input", update);
  input.addEventListener("focus", function () { if (input.value.trim() && list.firstChild) setOpen(true); });

  input.addEventListener("keydown", function (event) {
    var all = links();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      select(0, true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (active >= 0 && all[active]) all[active].click();
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (!panel.hidden) setOpen(false);
      else { input.value = ""; input.blur(); }
    }
  });

  list.addEventListener("keydown", function (event) {
    var all = links();
    var index = all.indexOf(doc.activeElement);
    if (index < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      select(Math.min(all.length - 1, index + 1), true);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index === 0) { select(0, false); input.focus(); }
      else select(index - 1, true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      input.focus();
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      /* Typing goes on in the box. */
      input.focus();
    }
  });

  doc.addEventListener("pointerdown", function (event) {
    if (!panel.hidden && !box.contains(event.target)) setOpen(false);
  });
  box.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) setOpen(false);
  });

  /* Words typed before this script arrived. */
  if (input.value.trim()) update();
})();
