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

  function rangeOf(blocks, suggestion) {
    let low = 0;
    let high = blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (Number(blocks[middle].dataset.offset) <= suggestion.start) low = middle;
      else high = middle - 1;
    }
    const block = blocks[low];
    if (!block) return null;
    const base = Number(block.dataset.offset);
    const from = pointAt(block, suggestion.start - base);
    const to = pointAt(block, suggestion.end - base);
    if (!from || !to) return null;
    const range = document.createRange();
    range.setStart(...from);
    range.setEnd(...to);
    return range;
  }

  function draw() {
    for (const name of [...CSS.highlights.keys()]) if (name.startsWith("suggestion-")) CSS.highlights.delete(name);
    const blocks = [...document.querySelectorAll("#document-text .block[data-offset]")];
    const byTag = new Map();
    for (const suggestion of suggestions) {
      suggestion.range = rangeOf(blocks, suggestion);
      if (!suggestion.range) continue;
      if (!byTag.has(suggestion.tag)) byTag.set(suggestion.tag, new Highlight());
      byTag.get(suggestion.tag).add(suggestion.range);
    }
    for (const [tag, highlight] of byTag) CSS.highlights.set(`suggestion-${tag}`, highlight);
    const current = suggestions[focused];
    if (current && current.range) CSS.highlights.set("suggestion-focus", new Highlight(current.range));
    const left = suggestions.length;
    counter.textContent = left ? `${left} suggestion${left === 1 ? "" : "s"} left: Tab, Enter, x` : "No suggestions left.";
    counter.dataset.count = String(left);
    reader.dataset.suggestionFocus = current ? String(current.id) : "";
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
    suggestions = suggestions.filter((s) => !gone(s));
    focused = suggestions.length ? Math.min(Math.max(first, 0), suggestions.length - 1) : -1;
    draw();
  }

  function load() {
    fetch(`/api/suggestions/?document=${encodeURIComponent(documentId)}`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : []))
      .then((found) => {
        const currentId = suggestions[focused] && suggestions[focused].id;
        suggestions = found;
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

  // Swapped blocks are new nodes: draw the ranges again. A refused accept: ask the server what is still open.
  document.body.addEventListener("htmx:afterSettle", draw);
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const path = event.detail.requestConfig && event.detail.requestConfig.path;
    if (!path || !path.includes("/suggestions/")) return;
    // Refused: ask the server what is still open. All decided: a long text's next suggestions.
    if (event.detail.xhr.status >= 400 || !suggestions.length) load();
  });

  load();
  window.lectorSuggestions = { list: () => suggestions, focused: () => suggestions[focused] || null, reload: load };
})();
