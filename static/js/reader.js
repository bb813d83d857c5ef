// The reading view's selection-to-offsets conversion and keyboard shortcuts: what htmx cannot do.
// Offsets are Unicode code points into the document's text; the DOM counts UTF-16 units, so this file
// converts in one place: codePointLength().
(function () {
  "use strict";

  const textRoot = () => document.getElementById("document-text");
  const menu = document.getElementById("tag-menu");

  function codePointLength(string) {
    let count = 0;
    for (let i = 0; i < string.length; i++) {
      const unit = string.charCodeAt(i);
      // A high surrogate followed by a low one is a single code point.
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < string.length) {
        const next = string.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
      count++;
    }
    return count;
  }

  // The code-point offset of a DOM point (node, offset) inside #document-text, whose text is the document's text.
  function offsetOf(node, offset) {
    const root = textRoot();
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const block = element && element.closest(".block[data-offset]");
    const from = document.createRange();
    if (block && root.contains(block)) from.setStart(block, 0);
    else from.setStart(root, 0);
    from.setEnd(node, offset);
    const base = block && root.contains(block) ? Number(block.dataset.offset) : 0;
    return base + codePointLength(from.toString());
  }

  // The selection as {start, end, quote} in code points, trimmed of surrounding whitespace, or null.
  function selectedSpan() {
    const root = textRoot();
    const selection = window.getSelection();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0).cloneRange();
    if (!root.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== root) {
      // Clip a selection that runs past the text to the text.
      const whole = document.createRange();
      whole.selectNodeContents(root);
      if (range.compareBoundaryPoints(Range.END_TO_START, whole) >= 0) return null;
      if (range.compareBoundaryPoints(Range.START_TO_END, whole) <= 0) return null;
      if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) range.setStart(root, 0);
      if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) range.setEnd(root, root.childNodes.length);
    }
    const raw = range.toString();
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    const quote = raw.trim();
    if (!quote) return null;
    start += codePointLength(raw.slice(0, raw.length - raw.trimStart().length));
    end -= codePointLength(raw.slice(raw.trimEnd().length));
    return { start, end, quote, rect: range.getBoundingClientRect() };
  }

  function hideMenu() {
    if (!menu) return;
    menu.hidden = true;
    const error = document.getElementById("tag-menu-error");
    if (error) error.textContent = "";
  }

  function showMenu() {
    if (!menu) return;
    const span = selectedSpan();
    if (!span) return hideMenu();
    menu.elements.start.value = span.start;
    menu.elements.end.value = span.end;
    menu.elements.quote.value = span.quote;
    menu.hidden = false;
    const top = window.scrollY + span.rect.bottom + 6;
    const left = Math.max(8, Math.min(window.scrollX + span.rect.left, window.scrollX + window.innerWidth - menu.offsetWidth - 8));
    menu.style.top = `${top}px`;
    menu.style.left = `${left}px`;
  }

  function showDetails(ids) {
    const reader = document.getElementById("reader");
    htmx.ajax("GET", `${reader.dataset.detailsUrl}?ids=${encodeURIComponent(ids)}`, {
      target: "#annotation-details",
      swap: "innerHTML",
    });
  }

  function flash(id) {
    const mark = textRoot().querySelector(`mark[data-ids~="${CSS.escape(String(id))}"]`);
    if (!mark) return;
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the animation
    mark.classList.add("flash");
  }

  // Tags sent so far: a mouseup's deferred work is dropped when a shortcut tagged its selection meanwhile.
  let tagsSent = 0;

  document.addEventListener("mouseup", (event) => {
    if (menu && menu.contains(event.target)) return;
    const sentBefore = tagsSent;
    // Let the browser finish updating the selection first.
    setTimeout(() => {
      if (tagsSent !== sentBefore) return;
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return showMenu();
      hideMenu();
      const mark = event.target.closest && event.target.closest("#document-text mark[data-ids]");
      if (mark) showDetails(mark.dataset.ids);
    }, 0);
  });

  document.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key === "Shift") {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed && textRoot() && textRoot().contains(selection.anchorNode)) showMenu();
    }
  });

  // Shift + arrows extend the selection from the caret a click left in the text (Chromium moves a caret in
  // static text only in caret-browsing mode); with Ctrl (Alt on macOS) they go by word.
  const EXTEND = {
    ArrowRight: ["forward", "character"],
    ArrowLeft: ["backward", "character"],
    ArrowDown: ["forward", "line"],
    ArrowUp: ["backward", "line"],
  };
  document.addEventListener("keydown", (event) => {
    const selection = window.getSelection();
    const root = textRoot();
    if (!event.shiftKey || !EXTEND[event.key] || !root || !selection.rangeCount) return;
    if (!root.contains(selection.focusNode)) return;
    const [direction, unit] = EXTEND[event.key];
    const byWord = (event.ctrlKey || event.altKey) && unit === "character";
    event.preventDefault();
    selection.modify("extend", direction, byWord ? "word" : unit);
  });

  // Focus in a text field: keys are typed there, never shortcuts.
  function typing() {
    const focused = document.activeElement;
    return !!focused && (focused.isContentEditable || focused.matches("input, textarea, select"));
  }

  // Tag the span selected now (the menu may not be drawn yet), else the one the open menu was drawn for. The span
  // travels as the request's own values, so requests queued behind a slow one (hx-sync "queue all": in order,
  // none dropped) keep their spans while the reader goes on selecting.
  function tagSelection(slug) {
    const span =
      selectedSpan() ||
      (menu.hidden ? null : { start: menu.elements.start.value, end: menu.elements.end.value, quote: menu.elements.quote.value });
    if (!span) return false;
    tagsSent++;
    hideMenu();
    window.getSelection().removeAllRanges();
    htmx.ajax("POST", menu.getAttribute("hx-post"), {
      source: menu,
      target: "#annotation-details",
      swap: "innerHTML",
      values: { start: span.start, end: span.end, quote: span.quote, tag: slug },
    });
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (!menu || typing()) return;
    if (event.key === "Escape") {
      // Cancel: the selection goes with the menu, so a later key cannot tag it.
      if (!menu.hidden || selectedSpan()) {
        hideMenu();
        window.getSelection().removeAllRanges();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
    const button = menu.querySelector(`button[data-shortcut="${CSS.escape(event.key.toLowerCase())}"]`);
    if (button && tagSelection(button.value)) event.preventDefault();
  });

  if (menu) {
    menu.addEventListener("click", (event) => {
      const button = event.target.closest("button[name=tag]");
      if (!button) return;
      event.preventDefault();
      tagSelection(button.value);
    });
  }

  // A refused tag (a 4xx answer, drawn in the menu) shows the menu again with the reason.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (menu && event.detail.elt === menu && event.detail.xhr && event.detail.xhr.status >= 400) menu.hidden = false;
  });

  document.addEventListener("click", (event) => {
    const entry = event.target.closest(".annotation-list .entry[data-annotation-id]");
    if (entry) {
      flash(entry.dataset.annotationId);
      showDetails(entry.dataset.annotationId);
    }
  });

  // Hidden tags survive the swaps that re-render the text or the list.
  const hiddenTags = new Set();
  function applyTagVisibility() {
    const list = document.getElementById("annotation-list");
    for (const box of list ? list.querySelectorAll(".tag-visibility") : []) box.checked = !hiddenTags.has(box.dataset.tag);
    const root = textRoot();
    if (!root) return;
    for (const name of [...root.classList]) if (name.startsWith("hide-")) root.classList.remove(name);
    for (const tag of hiddenTags) root.classList.add(`hide-${tag}`);
  }

  document.addEventListener("change", (event) => {
    if (event.target.matches(".tag-visibility")) {
      if (event.target.checked) hiddenTags.delete(event.target.dataset.tag);
      else hiddenTags.add(event.target.dataset.tag);
      applyTagVisibility();
    }
  });
  // Swapped parts come from the server with every tag shown: only a hidden tag needs them changed.
  document.body.addEventListener("htmx:afterSettle", () => {
    if (hiddenTags.size) applyTagVisibility();
  });

  // Choosing a layer reloads the page with only that annotator's highlights.
  document.addEventListener("change", (event) => {
    if (event.target.matches("#layer-filter select")) event.target.form.submit();
  });

  // ?focus=N (from the agreement page's disagreements) scrolls to the paragraph holding code point N.
  const focus = Number(new URLSearchParams(window.location.search).get("focus"));
  if (textRoot() && Number.isInteger(focus) && focus > 0) {
    const blocks = [...textRoot().querySelectorAll(".block[data-offset]")];
    const block = blocks.filter((b) => Number(b.dataset.offset) <= focus).pop();
    if (block) {
      block.scrollIntoView({ block: "center" });
      block.classList.add("flash");
    }
  }

  // Exposed for the browser tests of the conversion.
  window.lectorReader = { codePointLength, offsetOf, selectedSpan };
})();
