// Suggestions in the reading view: drawn with the CSS Custom Highlight API (no change to the text's DOM, so
// offsets and the annotation marks stay as they are); Tab / Shift+Tab move between them, Enter accepts,
// Shift+Enter accepts every one of the same text and tag, x rejects, a tag's key accepts under that tag.
(function () {
  "use strict";

  const reader = document.getElementById("reader");
  const menu = document.getElementById("tag-menu");
  if (!reader || !menu || !window.CSS || !CSS.highlights) return;
  const documentId = reader.dataset.documentId;
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const { codePointLength } = window.lectorReader;

  let suggestions = []; // in reading order: {id, start, end, quote, tag, source, score, range}
  let focused = -1;

  const counter = document.createElement("p");
  counter.id = "suggestion-count";
  counter.className = "suggestion-count";
  counter.setAttribute("aria-live", "polite");
  document.querySelector(".side-panel").prepend(counter);

  // The UTF-16 position in the block of code point `offset` (from the block's start), as a DOM point.
  function pointAt(block, offset) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let left = offset;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = codePointLength(node.data);
      if (left <= length) {
        let units = 0;
        for (let i = 0; i < left; i++) units += node.data.codePointAt(units) > 0xffff ? 2 : 1;
        return [node, units];
      }
      left -= length;
    }
    return null;
  }

  // The text's paragraphs never change, only their elements (a swap brings new ones): their offsets are read once, and
  // a paragraph is found by its id (b<offset>), so placing a few suggestions after a swap never scans the whole text.
  let blockOffsets = null;
  function blockAt(offset) {
    if (!blockOffsets) {
      blockOffsets = [...document.querySelectorAll("#document-text .block[data-offset]")].map((b) => Number(b.dataset.offset));
    }
    let low = 0;
    let high = blockOffsets.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (blockOffsets[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return blockOffsets.length ? document.getElementById(`b${blockOffsets[low]}`) : null;
  }

  // A StaticRange: a live Range would be updated by the browser on every change to the DOM, and thousands of them
  // make every swap slow. A swapped paragraph leaves its suggestions' ranges on the old, disconnected, text nodes.
  function rangeOf(suggestion, block) {
    const base = Number(block.dataset.offset);
    const from = pointAt(block, suggestion.start - base);
    const to = pointAt(block, suggestion.end - base);
    if (!from || !to) return null;
    return new StaticRange({ startContainer: from[0], startOffset: from[1], endContainer: to[0], endOffset: to[1] });
  }

  // One Highlight per tag, registered once and changed range by range.
  const highlights = new Map();
  function highlightOf(tag) {
    if (!highlights.has(tag)) {
      highlights.set(tag, new Highlight());
      CSS.highlights.set(`suggestion-${tag}`, highlights.get(tag));
    }
    return highlights.get(tag);
  }

  // Only the suggestions in paragraphs on or near the screen are in the highlights: Chromium rebuilds the marks of
  // every highlighted range whenever the DOM or a style changes (every frame of a swap, a hover, a selection), and
  // paints them again, which costs milliseconds per hundred ranges. The paragraphs watched are those that hold
  // suggestions; a swapped one is a new element, watched from the next draw().
  const nearBlocks = new Set();
  const watchedBlocks = new Set();
  const blockObserver = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) nearBlocks.add(entry.target);
        else nearBlocks.delete(entry.target);
      }
      draw();
    },
    { rootMargin: "50% 0px" },
  );
  function watch(block) {
    if (watchedBlocks.has(block)) return;
    watchedBlocks.add(block);
    blockObserver.observe(block);
  }
  function forgetSwappedBlocks() {
    for (const block of watchedBlocks) {
      if (block.isConnected) continue;
      blockObserver.unobserve(block);
      watchedBlocks.delete(block);
      nearBlocks.delete(block);
    }
  }

  function show(suggestion, wanted) {
    if (!!suggestion.shown === wanted) return;
    if (wanted) highlightOf(suggestion.tag).add(suggestion.range);
    else highlightOf(suggestion.tag).delete(suggestion.range);
    suggestion.shown = wanted;
  }

  let drawnFocus = null;
  const stale = (range) => !range.startContainer.isConnected || !range.endContainer.isConnected;

  // The highlights (the suggestions near the screen, on the paragraphs as they are now: a swap brings new nodes), the
  // focus and the counter.
  function draw() {
    forgetSwappedBlocks();
    suggestions.forEach((suggestion, index) => {
      if (suggestion.range && stale(suggestion.range)) {
        show(suggestion, false);
        suggestion.range = null;
      }
      const block = blockAt(suggestion.start);
      if (block) watch(block);
      const wanted = !!block && (nearBlocks.has(block) || index === focused);
      if (wanted && !suggestion.range) suggestion.range = rangeOf(suggestion, block);
      show(suggestion, wanted && !!suggestion.range);
    });
    const current = suggestions[focused];
    const focusRange = (current && current.range) || null;
    if (focusRange !== drawnFocus) {
      if (focusRange) CSS.highlights.set("suggestion-focus", new Highlight(focusRange));
      else CSS.highlights.delete("suggestion-focus");
      drawnFocus = focusRange;
    }
    const left = suggestions.length;
    if (counter.dataset.count !== String(left)) {
      counter.textContent = left ? `${left} suggestion${left === 1 ? "" : "s"} left: Tab, Enter, x` : "No suggestions left.";
      counter.dataset.count = String(left);
    }
    const focusId = current ? String(current.id) : "";
    if (reader.dataset.suggestionFocus !== focusId) reader.dataset.suggestionFocus = focusId;
  }

  function focusAt(index) {
    if (!suggestions.length) return;
    focused = (index + suggestions.length) % suggestions.length;
    draw();
    const range = suggestions[focused].range;
    const element = range && range.startContainer.parentElement;
    if (element) element.scrollIntoView({ block: "center" });
  }

  // Drop the suggestions matching `gone` and keep the focus on the one now in the place of the first dropped.
  function drop(gone) {
    const first = suggestions.findIndex(gone);
    for (const suggestion of suggestions) if (gone(suggestion)) show(suggestion, false);
    suggestions = suggestions.filter((s) => !gone(s));
    focused = suggestions.length ? Math.min(Math.max(first, 0), suggestions.length - 1) : -1;
    draw();
  }

  function load() {
    fetch(`/api/suggestions/?document=${encodeURIComponent(documentId)}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : []))
      .then((found) => {
        const currentId = suggestions[focused] && suggestions[focused].id;
        for (const highlight of highlights.values()) highlight.clear();
        suggestions = found;
        for (const suggestion of suggestions) highlightOf(suggestion.tag);
        // Nothing is focused until Tab: Enter or a tag key must never accept a suggestion the reader has not seen.
        focused = suggestions.findIndex((s) => s.id === currentId);
        draw();
      });
  }

  function accept(values) {
    const current = suggestions[focused];
    const same = values.same === "1";
    drop((s) => s.id === current.id || (same && s.quote === current.quote && s.tag === current.tag));
    htmx.ajax("POST", `/documents/${documentId}/suggestions/${current.id}/accept/`, {
      source: menu,
      target: "#annotation-details",
      swap: "innerHTML",
      values,
    });
  }

  function reject() {
    const current = suggestions[focused];
    drop((s) => s.quote === current.quote && s.tag === current.tag); // not proposed again
    fetch(`/api/suggestions/${current.id}/reject/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf },
    }).then((response) => {
      if (!response.ok || !suggestions.length) load();
    });
  }

  function inText() {
    const focus = document.activeElement;
    return !focus || focus === document.body || focus.closest("#document-text");
  }

  document.addEventListener("keydown", (event) => {
    if (!suggestions.length || !inText() || event.ctrlKey || event.metaKey || event.altKey) return;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // keys on a selection are the tag menu's
    if (event.key === "Tab") {
      event.preventDefault();
      focusAt(focused < 0 ? 0 : focused + (event.shiftKey ? -1 : 1));
      return;
    }
    if (focused < 0) return;
    if (event.key === "Enter") {
      event.preventDefault();
      accept(event.shiftKey ? { same: "1" } : {});
    } else if (event.key === "x" && !event.shiftKey) {
      event.preventDefault();
      reject();
    } else if (event.key.length === 1) {
      const button = menu.querySelector(`button[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
      if (!button) return;
      event.preventDefault();
      accept({ tag: button.value });
    }
  });

  // Swapped paragraphs are new nodes: their suggestions are placed again, once per answer (a microtask runs after
  // htmx has made all of its swaps) and before the browser paints them.
  let drawQueued = false;
  function drawSoon() {
    if (drawQueued || !suggestions.length) return;
    drawQueued = true;
    queueMicrotask(() => {
      drawQueued = false;
      draw();
    });
  }
  document.body.addEventListener("htmx:afterSwap", drawSoon);
  document.body.addEventListener("htmx:oobAfterSwap", drawSoon);
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const path = event.detail.requestConfig && event.detail.requestConfig.path;
    if (!path || !path.includes("/suggestions/")) return;
    // Refused: ask the server what is still open. All decided: a long text's next suggestions.
    if (event.detail.xhr.status >= 400 || !suggestions.length) load();
  });

  load();
  window.lectorSuggestions = { list: () => suggestions, focused: () => suggestions[focused] || null, reload: load };
})();
