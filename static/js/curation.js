// The curation view's keys: n / p move between the places still to curate, 1-9 take annotator k's version, 0 rejects
// every version, Enter accepts the agreed one. Each key clicks the button the mouse would, so both go through htmx.
(() => {
  "use strict";
  let currentStart = null; // the chosen place, by its start offset: place numbers change when the region is redrawn

  const rows = () => Array.from(document.querySelectorAll("#places .place-row"));

  function choose(row) {
    document.querySelectorAll(".current").forEach((element) => element.classList.remove("current"));
    if (!row) return;
    currentStart = row.dataset.start;
    row.classList.add("current");
    const mark = document.querySelector(`#curation-text mark[data-place="${row.dataset.place}"]`);
    if (mark) mark.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
    (mark || row).scrollIntoView({ block: "nearest" });
  }

  function current() {
    return rows().find((row) => row.dataset.start === currentStart) || null;
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
    const button = row && row.querySelector(`button[data-key="${key}"]:not([disabled])`);
    if (button) button.click();
  }

  document.addEventListener("keydown", (event) => {
    if (!document.getElementById("curation")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, select, textarea, button")) return;
    if (event.key === "n" || event.key === "p") {
      step(event.key === "n" ? 1 : -1);
    } else if (/^[0-9]$/.test(event.key) || event.key === "Enter") {
      press(event.key);
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    const place = event.target.closest("#curation-text mark[data-place], #places .place-head");
    if (!place) return;
    const index = place.dataset.place || place.closest(".place-row").dataset.place;
    choose(document.getElementById(`place-${index}`));
  });

  // After a decision the region is redrawn (and settled: htmx puts the new class attributes back then): keep the same
  // place chosen, and give the keys back to the page.
  document.addEventListener("htmx:afterSettle", () => {
    choose(current());
    // Another part of the same answer may settle after this one and put its old class attribute back.
    setTimeout(() => {
      const row = current();
      if (row && !row.classList.contains("current")) choose(row);
    }, 50);
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  });
})();
