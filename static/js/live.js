// Live updates of the reading view: htmx's SSE extension holds the stream (#live) and swaps the presence line; a
// `change` event names what a colleague wrote (ids and offsets only), and this file fetches those paragraphs and the
// annotation list as fragments (or the events panel, for an event), keeping the reader's scroll position and
// selection across the swap.
(function () {
  "use strict";

  const live = document.getElementById("live");
  const reader = document.getElementById("reader");
  if (!live || !reader || !window.lectorReader) return;
  const textRoot = () => document.getElementById("document-text");
  const { codePointLength, offsetOf } = window.lectorReader;

  // The DOM point at code-point offset `target` of the text (the inverse of lectorReader.offsetOf).
  function pointAt(target) {
    const blocks = [...textRoot().querySelectorAll(".block[data-offset]")];
    const block = blocks.filter((b) => Number(b.dataset.offset) <= target).pop() || textRoot();
    let remaining = target - (block.dataset.offset ? Number(block.dataset.offset) : 0);
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let node = null;
    while ((node = walker.nextNode())) {
      const length = codePointLength(node.data);
      if (remaining <= length) {
        let units = 0;
        for (let points = 0; points < remaining; points++) units += node.data.codePointAt(units) > 0xffff ? 2 : 1;
        return [node, units];
      }
      remaining -= length;
    }
    return [block, block.childNodes.length];
  }

  // Where the reader is: the first paragraph on screen and its distance from the top, and the selection in the
  // text as offsets. The returned function puts both back after a swap.
  function keepPlace() {
    const root = textRoot();
    const anchor = [...root.querySelectorAll(".block[data-offset]")].find((b) => b.getBoundingClientRect().bottom > 0);
    const top = anchor ? anchor.getBoundingClientRect().top : 0;
    const selection = window.getSelection();
    let kept = null;
    if (selection.rangeCount && !selection.isCollapsed && root.contains(selection.anchorNode) && root.contains(selection.focusNode)) {
      kept = {
        nodes: [selection.anchorNode, selection.focusNode],
        anchor: offsetOf(selection.anchorNode, selection.anchorOffset),
        focus: offsetOf(selection.focusNode, selection.focusOffset),
      };
    }
    return function restore() {
      if (anchor) {
        const now = root.querySelector(`.block[data-offset="${anchor.dataset.offset}"]`);
        if (now) window.scrollBy(0, now.getBoundingClientRect().top - top);
      }
      // A swapped paragraph took the selection's nodes with it: select the same code points in the new ones.
      if (kept && !kept.nodes.every((node) => document.contains(node))) {
        const [anchorNode, anchorOffset] = pointAt(kept.anchor);
        const [focusNode, focusOffset] = pointAt(kept.focus);
        window.getSelection().setBaseAndExtent(anchorNode, anchorOffset, focusNode, focusOffset);
      }
    };
  }

  let restore = null;
  reader.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.elt === reader) restore = keepPlace();
  });
  reader.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.elt === reader && restore) {
      restore();
      restore = null;
    }
  });

  // A colleague's event: the events panel again. An event form being filled in there stays as it is: only the list
  // and its count are fetched then.
  function refreshEvents() {
    const panel = document.getElementById("events");
    if (!panel) return Promise.resolve();
    const url = panel.getAttribute("hx-get");
    if (!document.getElementById("event-form")) return htmx.ajax("GET", url, { target: panel, swap: "innerHTML" });
    return htmx.ajax("GET", url, { target: "#events .event-list", swap: "outerHTML", select: ".event-list" }).then(() => {
      panel.querySelector("h2 .count").textContent = panel.querySelectorAll(".event-entry").length;
    });
  }

  // Fetches in order, one at a time: a later change's fragments never arrive before an earlier one's.
  let queue = Promise.resolve();
  live.addEventListener("sse:change", (event) => {
    const change = JSON.parse(event.detail.data);
    let fetch;
    if (change.kind === "event") {
      fetch = refreshEvents;
    } else if (change.ids && change.start !== null) {
      const url = `${live.dataset.changesUrl}?start=${change.start}&end=${change.end}`;
      fetch = () => htmx.ajax("GET", url, { source: reader, swap: "none" });
    } else {
      // The whole document (a bulk write, or notifications lost while the server reconnected): events too.
      fetch = () => htmx.ajax("GET", live.dataset.refreshUrl, { source: reader, swap: "none" }).then(refreshEvents);
    }
    queue = queue.then(fetch).catch(() => {});
  });
})();
