/* folio default theme: theme toggle, menu, sidebar expanders (nav.json), code copy, page TOC,
 * the search box (search.js, loaded on first use) and the highlighting of searched words.
 * Plain script, loaded with defer; every feature checks for its markup and degrades to the
 * static page when something is missing. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var THEME_KEY = "folio-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function $all(selector, scope) {
    return Array.prototype.slice.call((scope || doc).querySelectorAll(selector));
  }

  function onChange(query, handler) {
    if (!query) return;
    if (query.addEventListener) query.addEventListener("change", handler);
    else if (query.addListener) query.addListener(handler);
  }

  /* A polite live region for short status messages ("Copied"). */
  var live;
  function announce(message) {
    if (!live) {
      live = doc.createElement("div");
      live.className = "sr-only";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      doc.body.appendChild(live);
    }
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  /* Theme --------------------------------------------------------------------------------- */

  function displayedTheme() {
    var theme = root.getAttribute("data-theme");
    if (theme === "light" || theme === "dark") return theme;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function initTheme() {
    var buttons = $all(".theme-toggle");
    function sync() {
      var next = displayedTheme() === "dark" ? "light" : "dark";
      var label = "Switch to " + next + " theme";
      buttons.forEach(function (button) {
        button.setAttribute("aria-label", label);
        button.title = label;
      });
    }
    function apply(theme) {
      root.setAttribute("data-theme", theme);
      sync();
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var next = displayedTheme() === "dark" ? "light" : "dark";
        try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode: not remembered */ }
        apply(next);
      });
    });
    onChange(darkQuery, sync);
    /* Another tab changed the theme. */
    window.addEventListener("storage", function (event) {
      if (event.key !== THEME_KEY) return;
      if (event.newValue === "light" || event.newValue === "dark") apply(event.newValue);
      else { root.removeAttribute("data-theme"); sync(); }
    });
    sync();
  }

  /* Menu (phones) ------------------------------------------------------------------------- */

  var wideQuery = window.matchMedia ? window.matchMedia("(min-width: 50rem)") : null;

  function initMenu(nav) {
    var button = doc.querySelector(".menu-button");
    if (!button || !nav) return;

    /* The header's links move into the menu on phones, below the page tree. */
    var aux = doc.querySelector(".aux-nav-list");
    if (aux) {
      var list = doc.createElement("ul");
      list.className = "nav-list nav-aux";
      $all("a", aux).forEach(function (link) {
        var item = doc.createElement("li");
        item.className = "nav-list-item";
        var copy = link.cloneNode(true);
        copy.className = link.classList.contains("external-icon") ? "nav-list-link external-icon" : "nav-list-link";
        item.appendChild(copy);
        list.appendChild(item);
      });
      nav.appendChild(list);
      root.classList.add("aux-in-menu");
    }

    function isOpen() { return root.classList.contains("nav-open"); }
    function setOpen(open) {
      root.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var current = nav.querySelector("[aria-current=page]");
        if (current) scrollIntoNav(nav, current);
      }
    }
    button.addEventListener("click", function () { setOpen(!isOpen()); });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
    nav.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest("a") && isOpen()) setOpen(false);
    });
    onChange(wideQuery, function () { if (wideQuery.matches && isOpen()) setOpen(false); });
  }

  function scrollIntoNav(container, element) {
    var box = container.getBoundingClientRect();
    var rect = element.getBoundingClientRect();
    if (rect.top < box.top || rect.bottom > box.bottom) {
      container.scrollTop += rect.top - box.top - box.height / 3;
    }
  }

  /* Sidebar ------------------------------------------------------------------------------- */

  /* Items shown when a "more" item or a long branch is opened; the rest stays one click away. */
  var CHUNK = 100;

  function normalPath(path) {
    try { path = decodeURI(path); } catch (e) { /* keep it encoded */ }
    return path.replace(/index\.html?$/, "");
  }

  function initSidebar(nav) {
    if (!nav) return;
    var navUrl = nav.getAttribute("data-nav-url");
    var pending = null;
    var here = normalPath(location.pathname);

    /* nav.json, fetched once, on first need. */
    function loadNav() {
      if (!pending) {
        pending = window.fetch(navUrl, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) throw new Error("nav.json: HTTP " + response.status);
            return response.json();
          })
          .then(function (data) {
            if (!data || !data.nodes || !data.roots) throw new Error("nav.json: unexpected content");
            return data;
          });
        pending.catch(function () { pending = null; });
      }
      return pending;
    }

    function siblings(data, parent) {
      if (parent === "root") return data.roots;
      if (parent.indexOf("root-") === 0) {
        /* The top of a collection's section. */
        var section = data.sections && data.sections[+parent.slice(5)];
        return (section && section.r) || [];
      }
      var node = data.nodes[+parent];
      return (node && node.c) || [];
    }

    function linkOf(item) {
      var first = item.firstElementChild;
      return first && first.classList.contains("nav-list-link") ? first : null;
    }

    function childList(item) {
      var child = item.lastElementChild;
      return child && child.tagName === "UL" ? child : null;
    }

    function addExpander(item, expanded) {
      var link = linkOf(item);
      if (!link || item.querySelector(":scope > .nav-list-expander")) return;
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "nav-list-expander";
      button.setAttribute("aria-expanded", expanded ? "true" : "false");
      button.setAttribute("aria-label", link.textContent + " submenu");
      var list = childList(item);
      if (list) {
        if (!list.id) list.id = "nav-list-" + item.getAttribute("data-nav");
        button.setAttribute("aria-controls", list.id);
        list.hidden = !expanded;
      }
      link.insertAdjacentElement("afterend", button);
    }

    function makeItem(data, index) {
      var node = data.nodes[index];
      var item = doc.createElement("li");
      item.className = "nav-list-item";
      var link = doc.createElement("a");
      link.className = "nav-list-link";
      link.href = node.u;
      link.textContent = node.t;
      if (normalPath(node.u) === here) {
        link.classList.add("active");
        link.setAttribute("aria-current", "page");
      }
      item.appendChild(link);
      if (node.c && node.c.length) {
        item.setAttribute("data-nav", String(index));
        addExpander(item, false);
      }
      return item;
    }

    function makeMore(parent, from, to) {
      var item = doc.createElement("li");
      item.className = "nav-list-item nav-list-more";
      item.setAttribute("data-nav-parent", parent);
      item.setAttribute("data-nav-from", String(from));
      item.setAttribute("data-nav-to", String(to));
      item.appendChild(moreButton(to - from));
      return item;
    }

    function moreButton(count) {
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "nav-list-link";
      button.textContent = count + " more";
      button.setAttribute("aria-label", count > CHUNK ? "Show " + CHUNK + " of " + count + " more pages" : "Show " + count + " more pages");
      return button;
    }

    /* Fills in siblings from..to of a "more" item: the part next to the shown items first. */
    function revealMore(item) {
      var parent = item.getAttribute("data-nav-parent");
      var from = +item.getAttribute("data-nav-from");
      var to = +item.getAttribute("data-nav-to");
      var before = !!item.nextElementSibling; /* a "more" item above the shown window */
      item.setAttribute("aria-busy", "true");
      loadNav().then(function (data) {
        item.removeAttribute("aria-busy");
        var list = siblings(data, parent);
        to = Math.min(to, list.length);
        var start = before ? Math.max(from, to - CHUNK) : from;
        var end = before ? to : Math.min(to, from + CHUNK);
        var fragment = doc.createDocumentFragment();
        for (var i = start; i < end; i++) fragment.appendChild(makeItem(data, list[i]));
        var first = fragment.firstElementChild;
        item.parentNode.insertBefore(fragment, before ? item.nextSibling : item);
        var left = before ? start - from : to - end;
        if (left > 0) {
          item.setAttribute(before ? "data-nav-to" : "data-nav-from", String(before ? start : end));
          item.replaceChild(moreButton(left), item.firstElementChild);
          if (!before && first) linkOf(first).focus();
          else item.firstElementChild.focus();
        } else {
          item.parentNode.removeChild(item);
          if (first) linkOf(first).focus();
        }
      }, function () {
        item.removeAttribute("aria-busy");
        /* No nav.json (e.g. a page opened from disk): the parent page lists its children. */
        var owner = item.parentNode.closest("li[data-nav]");
        var link = owner && linkOf(owner);
        if (link) window.location.href = link.href;
        else announce("The rest of the navigation could not be loaded.");
      });
    }

    function setExpanded(item, button, open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      var list = childList(item);
      if (list) list.hidden = !open;
    }

    function toggle(item, button) {
      var open = button.getAttribute("aria-expanded") !== "true";
      if (!open || childList(item)) {
        setExpanded(item, button, open);
        return;
      }
      /* A collapsed branch whose children are not in the page: build them from nav.json. */
      item.setAttribute("aria-busy", "true");
      loadNav().then(function (data) {
        item.removeAttribute("aria-busy");
        if (childList(item)) return setExpanded(item, button, true);
        var index = +item.getAttribute("data-nav");
        var children = (data.nodes[index] && data.nodes[index].c) || [];
        var list = doc.createElement("ul");
        list.className = "nav-list";
        list.id = "nav-list-" + index;
        var end = Math.min(children.length, CHUNK);
        for (var i = 0; i < end; i++) list.appendChild(makeItem(data, children[i]));
        if (end < children.length) list.appendChild(makeMore(String(index), end, children.length));
        item.appendChild(list);
        button.setAttribute("aria-controls", list.id);
        setExpanded(item, button, true);
      }, function () {
        item.removeAttribute("aria-busy");
        var link = linkOf(item);
        if (link) window.location.href = link.href;
      });
    }

    /* Expanders for the branches in the page; the path to the current page starts open. */
    $all("li[data-nav]", nav).forEach(function (item) {
      addExpander(item, item.classList.contains("active") && !!childList(item));
    });
    /* "K more" placeholders become buttons. */
    $all("li.nav-list-more", nav).forEach(function (item) {
      var placeholder = item.firstElementChild;
      var count = +item.getAttribute("data-nav-to") - +item.getAttribute("data-nav-from");
      if (placeholder && placeholder.tagName !== "BUTTON") item.replaceChild(moreButton(count), placeholder);
    });

    nav.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button");
      if (!button || !nav.contains(button)) return;
      var item = button.parentNode;
      if (item.getAttribute("aria-busy") === "true") return;
      if (button.classList.contains("nav-list-expander")) toggle(item, button);
      else if (item.classList.contains("nav-list-more")) revealMore(item);
    });

    /* Keep the current page in view in a long sidebar. */
    var current = nav.querySelector("[aria-current=page]");
    if (current && wideQuery && wideQuery.matches) scrollIntoNav(nav, current);
  }

  /* Code blocks --------------------------------------------------------------------------- */

  var HIDDEN_LANGS = { plaintext: true, text: true, plain: true, txt: true, none: true };

  function legacyCopy(text) {
    var area = doc.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;pointer-events:none";
    doc.body.appendChild(area);
    var focused = doc.activeElement;
    area.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    if (focused && focused.focus) focused.focus();
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        if (!legacyCopy(text)) throw new Error("copy failed");
      });
    }
    return legacyCopy(text) ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function initCode() {
    $all("div.code-block").forEach(function (block) {
      var pre = block.querySelector("pre");
      var code = pre && pre.querySelector("code");
      if (!code) return;
      var lang = (code.getAttribute("data-lang") || "").trim();
      if (lang && !HIDDEN_LANGS[lang.toLowerCase()]) {
        var label = doc.createElement("span");
        label.className = "code-lang";
        label.textContent = lang;
        block.appendChild(label);
      }
      var button = doc.createElement("button");
      button.type = "button";
      button.className = "code-copy";
      button.setAttribute("aria-label", "Copy code");
      button.title = "Copy code";
      var timer = 0;
      button.addEventListener("click", function () {
        copyText(code.textContent.replace(/\n$/, "")).then(function () {
          button.classList.add("copied");
          button.title = "Copied";
          announce("Copied to clipboard");
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.classList.remove("copied");
            button.title = "Copy code";
          }, 2000);
        }, function () {
          announce("Copying failed; select the code and copy it by hand.");
        });
      });
      block.appendChild(button);
    });
  }

  /* Scrollable code and tables can be scrolled from the keyboard. */
  function markScrollable() {
    $all("pre.highlight, .table-wrapper").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  }

  /* Page TOC: marks the section being read ------------------------------------------------- */

  function initToc() {
    var toc = doc.querySelector(".page-toc");
    if (!toc || !("IntersectionObserver" in window)) return;
    var entries = [];
    $all('a[href^="#"]', toc).forEach(function (link) {
      var id;
      try { id = decodeURIComponent(link.getAttribute("href").slice(1)); } catch (e) { return; }
      var heading = doc.getElementById(id);
      if (heading) entries.push({ link: link, heading: heading, above: false });
    });
    if (!entries.length) return;
    var active = null;

    function setActive(entry) {
      if (entry === active) return;
      if (active) active.link.removeAttribute("aria-current");
      active = entry;
      if (!entry) return;
      entry.link.setAttribute("aria-current", "true");
      if (toc.scrollHeight > toc.clientHeight) scrollIntoNav(toc, entry.link);
    }

    function atBottom() {
      return window.innerHeight + window.pageYOffset >= root.scrollHeight - 4;
    }

    function update() {
      var found = entries[0];
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].above) found = entries[i];
        else break;
      }
      /* At the end of the page the last sections cannot reach the line: take the last visible. */
      if (atBottom()) {
        for (var j = entries.length - 1; j >= 0; j--) {
          if (entries[j].heading.getBoundingClientRect().top < window.innerHeight) { found = entries[j]; break; }
        }
      }
      setActive(found);
    }

    /* The root box reaches far above the viewport and ends 30% below its top, so a heading
       intersects it exactly when it has been scrolled past that line. */
    var observer = new IntersectionObserver(function (changes) {
      changes.forEach(function (change) {
        for (var i = 0; i < entries.length; i++) {
          if (entries[i].heading === change.target) entries[i].above = change.isIntersecting;
        }
      });
      update();
    }, { rootMargin: "100000px 0px -70% 0px" });
    entries.forEach(function (entry) { observer.observe(entry.heading); });

    var queued = false;
    window.addEventListener("scroll", function () {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(function () {
        queued = false;
        if (atBottom()) update();
      });
    }, { passive: true });

    toc.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a");
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].link === link) {
          var entry = entries[i];
          /* Keep the clicked entry while the page scrolls to it. */
          window.setTimeout(function () { setActive(entry); }, reducedMotion && reducedMotion.matches ? 0 : 400);
        }
      }
    });
  }

  /* Search --------------------------------------------------------------------------------- */

  var CJK_TERM = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

  /* A pattern for the words that search terms stand for: a term of three or more letters
     marks the whole word it starts, a shorter one only itself as a word, a CJK pair any
     occurrence. Shared with search.js, for the snippets of results. */
  function termPattern(terms) {
    var parts = terms.filter(Boolean).slice().sort(function (a, b) { return b.length - a.length; }).map(function (term) {
      var escaped = term.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
      if (CJK_TERM.test(term)) return escaped;
      if (Array.from(term).length <= 2) return "(?<![\\p{L}\\p{N}])" + escaped + "(?![\\p{L}\\p{N}])";
      return "(?<![\\p{L}\\p{N}])" + escaped + "[\\p{L}\\p{N}]*";
    });
    if (!parts.length) return null;
    try { return new RegExp(parts.join("|"), "giu"); } catch (e) { return null; }
  }
  window.folio = { termPattern: termPattern };

  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function initSearch() {
    var box = doc.querySelector(".search");
    var input = box && box.querySelector(".search-input");
    if (!input) return;
    var requested = false;
    function loadScript() {
      if (requested) return;
      requested = true;
      var script = doc.createElement("script");
      script.src = box.getAttribute("data-src");
      script.onerror = function () { requested = false; };
      doc.head.appendChild(script);
    }
    input.addEventListener("focus", loadScript);
    input.addEventListener("pointerenter", loadScript);
    doc.addEventListener("keydown", function (event) {
      var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target);
      var commandK = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey) && !event.altKey;
      if (!slash && !commandK) return;
      event.preventDefault();
      if (root.classList.contains("nav-open")) {
        var menu = doc.querySelector(".menu-button");
        if (menu) menu.click();
      }
      input.focus();
      input.select();
    });
  }

  /* Words a reader searched for (`?h=`), marked on the page they opened. */
  var MAX_MARKS = 300;

  function highlightSearchedWords() {
    var match = /[?&]h=([^&#]*)/.exec(location.search);
    var content = doc.querySelector(".page-content");
    if (!match || !content) return;
    var words;
    try { words = decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { return; }
    var pattern = termPattern(words.split(/\s+/));
    if (!pattern) return;
    var nodes = [];
    var walker = doc.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || parent.closest("script, style, .anchor-heading, .code-tools")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var marks = 0;
    for (var i = 0; i < nodes.length && marks < MAX_MARKS; i++) {
      var node = nodes[i];
      var text = node.nodeValue;
      pattern.lastIndex = 0;
      var found;
      var last = 0;
      var fragment = null;
      while ((found = pattern.exec(text)) && marks < MAX_MARKS) {
        if (!found[0]) { pattern.lastIndex++; continue; }
        fragment = fragment || doc.createDocumentFragment();
        if (found.index > last) fragment.appendChild(doc.createTextNode(text.slice(last, found.index)));
        var mark = doc.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = found[0];
        fragment.appendChild(mark);
        last = found.index + found[0].length;
        marks++;
      }
      if (fragment) {
        if (last < text.length) fragment.appendChild(doc.createTextNode(text.slice(last)));
        node.parentNode.replaceChild(fragment, node);
      }
    }
    var target = null;
    try { target = location.hash && doc.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (e) { target = null; }
    if (target) {
      target.classList.add("search-target");
      target.scrollIntoView();
    }
  }

  /* Start ---------------------------------------------------------------------------------- */

  function start() {
    var nav = doc.getElementById("site-nav");
    initTheme();
    initMenu(nav);
    initSidebar(nav);
    initCode();
    markScrollable();
    initToc();
    initSearch();
    highlightSearchedWords();
    var resizeTimer = 0;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(markScrollable, 200);
    });
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
