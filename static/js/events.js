// Events in the reading view: Shift+click highlights to choose them (or select a stretch covering them), press `e`
// for the event form with its slots filled from them; the events panel outlines an event's spans and flashes a slot's.
(function () {
  "use strict";

  const panel = document.getElementById("events");
  const textRoot = () => document.getElementById("document-text");
  if (!panel) return;
  const chosen = new Set();

  function markChosen() {
    for (const mark of textRoot().querySelectorAll("mark.event-chosen")) mark.classList.remove("event-chosen");
    for (const id of chosen) {
      for (const mark of textRoot().querySelectorAll(`mark[data-ids~="${CSS.escape(id)}"]`)) mark.classList.add("event-chosen");
    }
  }

  // A Shift+click on a highlight chooses it: the details panel (reader.js, on mouseup) stays as it is.
  document.addEventListener(
    "mouseup",
    (event) => {
      if (event.shiftKey && event.target.closest && event.target.closest("#document-text mark[data-ids]")) {
        event.stopPropagation();
      }
    },
    true,
  );

  // Shift+click toggles the clicked highlight's innermost span in the choice.
  document.addEventListener("click", (event) => {
    if (!event.shiftKey) return;
    const mark = event.target.closest && event.target.closest("#document-text mark[data-ids]");
    if (!mark) return;
    const ids = mark.dataset.ids.split(/\s+/).filter(Boolean);
    const id = ids[ids.length - 1];
    if (chosen.has(id)) chosen.delete(id);
    else chosen.add(id);
    window.getSelection().removeAllRanges();
    markChosen();
  });

  // The spans of every highlight the selection touches.
  function spansInSelection() {
    const selection = window.getSelection();
    const ids = new Set();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return ids;
    const range = selection.getRangeAt(0);
    for (const mark of textRoot().querySelectorAll("mark[data-ids]")) {
      if (range.intersectsNode(mark)) for (const id of mark.dataset.ids.split(/\s+/)) if (id) ids.add(id);
    }
    return ids;
  }

  function typing() {
    const focused = document.activeElement;
    return !!focused && (focused.isContentEditable || focused.matches("input, textarea, select"));
  }

  function openForm(ids) {
    const menu = document.getElementById("tag-menu");
    if (menu) menu.hidden = true;
    window.getSelection().removeAllRanges();
    htmx
      .ajax("GET", `${panel.dataset.formUrl}?ids=${encodeURIComponent([...ids].join(","))}`, {
        target: "#event-form-slot",
        swap: "innerHTML",
      })
      .then(() => {
        const first = document.getElementById("event-actor1");
        if (!first) return;
        document.getElementById("event-form").scrollIntoView({ block: "nearest" });
        first.focus({ preventScroll: true });
      });
  }

  // Capture phase: `e` codes an event before the tag shortcuts see it (when there is something to code).
  document.addEventListener(
    "keydown",
    (event) => {
      const form = document.getElementById("event-form");
      if (event.key === "Escape" && (chosen.size || (form && form.contains(document.activeElement)))) {
        // Cancel: the form and the choice go.
        if (form && form.contains(document.activeElement)) form.remove();
        chosen.clear();
        markChosen();
        return;
      }
      if (typing() || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== "e" || !document.getElementById("tag-menu")) return;
      const ids = new Set([...chosen, ...spansInSelection()]);
      if (!ids.size) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      openForm(ids);
    },
    true,
  );

  function outline(ids) {
    for (const mark of textRoot().querySelectorAll("mark.event-outline")) mark.classList.remove("event-outline");
    for (const id of ids) {
      for (const mark of textRoot().querySelectorAll(`mark[data-ids~="${CSS.escape(id)}"]`)) mark.classList.add("event-outline");
    }
  }

  function flashSpan(id) {
    const mark = textRoot().querySelector(`mark[data-ids~="${CSS.escape(id)}"]`);
    if (!mark) return;
    mark.scrollIntoView({ block: "center" });
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the animation
    mark.classList.add("flash");
  }

  panel.addEventListener("click", (event) => {
    const slot = event.target.closest(".slot-flash[data-annotation-id]");
    const entry = event.target.closest(".event-entry");
    if (entry) outline(entry.dataset.spanIds.split(/\s+/).filter(Boolean));
    if (slot) flashSpan(slot.dataset.annotationId);
    if (event.target.closest("#event-swap")) {
      const one = document.getElementById("event-actor1");
      const two = document.getElementById("event-actor2");
      [one.value, two.value] = [two.value, one.value];
    }
    if (event.target.closest("#event-cancel")) document.getElementById("event-form-slot").replaceChildren();
  });

  // In the form, choosing a span in a slot flashes it in the text.
  panel.addEventListener("change", (event) => {
    if (event.target.matches("select.slot-select") && event.target.value) flashSpan(event.target.value);
    if (event.target.matches("#event-type")) {
      const group = document.querySelector(`#event-sub-type optgroup[data-event-type="${CSS.escape(event.target.value)}"]`);
      if (group && group.firstElementChild) document.getElementById("event-sub-type").value = group.firstElementChild.value;
    }
  });

  // A saved event: its spans outlined together, the choice cleared.
  document.body.addEventListener("htmx:afterSettle", () => {
    const saved = panel.querySelector(".event-entry[data-saved]");
    if (saved && !saved.dataset.outlined) {
      saved.dataset.outlined = "true";
      chosen.clear();
      markChosen();
      outline(saved.dataset.spanIds.split(/\s+/).filter(Boolean));
    }
  });

  // A span edited or deleted in the details panel (perhaps taken out of events): the events panel again. A new span
  // (the tag menu's, or an accepted suggestion's) is in no event yet.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const config = event.detail.requestConfig;
    if (!config || config.verb !== "post" || event.detail.elt === document.getElementById("tag-menu")) return;
    if (event.detail.target && event.detail.target.id === "annotation-details") {
      htmx.ajax("GET", panel.getAttribute("hx-get"), { target: "#events", swap: "innerHTML" });
    }
  });

  window.lectorEvents = { chosen };
})();
