// Live updates of the reading view: htmx's SSE extension holds the stream (#live) and swaps the presence line; a
// `change` event names what a colleague wrote (ids and offsets only), and this file fetches those paragraphs and the
// annotation list as fragments, keeping the reader's scroll position and selection across the swap.
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

  // Fetches in order, one at a time: a later change's fragments never arrive before an earlier one's.
  let queue = Promise.resolve();
  live.addEventListener("sse:change", (event) => {
    const change = JSON.parse(event.detail.data);
    const url =
      change.ids && change.start !== null
        ? `${live.dataset.changesUrl}?start=${change.start}&end=${change.end}`
        : live.dataset.refreshUrl;
    queue = queue.then(() => htmx.ajax("GET", url, { source: reader, swap: "none" })).catch(() => {});
  });
})();
