// The curation view's keys: n / p move between the places still to curate (the span places, then the event places), 1-9 take annotator k's version, 0 rejects
// every version, Enter accepts the agreed one. Each key clicks the button the mouse would, so both go through htmx.
(() => {
  "use strict";
  // The chosen place, by its data-id (a span place's start offset, an event place's date and start): place numbers
  // change when the region is redrawn.
  let currentId = null;

  const rows = () => Array.from(document.querySelectorAll("#places .place-row, #event-places .place-row"));

  function choose(row) {
    document.querySelectorAll(".current").forEach((element) => element.classList.remove("current"));
    if (!row) return;
    currentId = row.dataset.id;
    row.classList.add("current");
    const mark = row.dataset.place && document.querySelector(`#curation-text mark[data-place="${row.dataset.place}"]`);
    if (mark) mark.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
    (mark || row).scrollIntoView({ block: "nearest" });
  }

  function current() {
    return rows().find((row) => row.dataset.id === currentId) || null;
  }

  function step(direction) {
    const all = rows();
    const at = all.indexOf(current());
    const order = direction > 0 ? all.slice(at + 1) : all.slice(0, Math.max(at, 0)).reverse();
    const next = order.find((row) => row.dataset.state !== "curated");
    if (next) choose(next);
  }

  function press(key) {
    const row = current();
    const button = row && row.querySelector(`button[data-key="${key}"]`);
    if (!button) return;
    // An annotator with nothing at this place: say so, rather than a key that seems not to work.
    const name = button.textContent.trim().replace(/^\S+\s+/, "").split(":")[0];
    document.getElementById("curation-status").textContent = button.disabled
      ? `${name} has nothing here to take (key ${key}).`
      : "";
    if (!button.disabled) button.click();
  }

  function handle(key) {
    if (key === "n" || key === "p") step(key === "n" ? 1 : -1);
    else press(key);
  }

  // From a decision's request until its answer has settled, the rows on the page are the old ones, and the new
  // forms are not yet htmx's (a click would post the page itself): keys pressed then wait and run in order after.
  let busy = false;
  const waiting = [];

  document.addEventListener("keydown", (event) => {
    if (!document.getElementById("curation")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, select, textarea, button")) return;
    if (!(event.key === "n" || event.key === "p" || event.key === "Enter" || /^[0-9]$/.test(event.key))) return;
    event.preventDefault();
    if (busy) waiting.push(event.key);
    else handle(event.key);
  });

  document.addEventListener("click", (event) => {
    const mark = event.target.closest("#curation-text mark[data-place]");
    const head = event.target.closest("#curation .place-row .place-head");
    if (mark) choose(document.getElementById(`place-${mark.dataset.place}`));
    else if (head) choose(head.closest(".place-row"));
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.closest("#curation")) busy = true;
  });

  function settled() {
    busy = false;
    while (!busy && waiting.length) handle(waiting.shift());
  }

  // The answer did not arrive (network, server down): the keys pressed meanwhile meant to act on a page that never
  // came, so they are dropped rather than run on the old one.
  ["htmx:sendError", "htmx:responseError", "htmx:swapError", "htmx:timeout"].forEach((name) =>
    document.addEventListener(name, () => {
      waiting.length = 0;
      busy = false;
    }),
  );

  // After a decision the region is redrawn (and settled: htmx puts the new class attributes back then): keep the same
  // place chosen, give the keys back to the page, and run the keys pressed meanwhile.
  document.addEventListener("htmx:afterSettle", () => {
    choose(current());
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    settled();
  });
})();
