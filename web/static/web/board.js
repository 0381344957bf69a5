/* The schedule board's small helpers (htmx does the requests): the editor panel opens with
   the focus on its title and closes with Escape, giving the focus back to the shift or cell
   that opened it; arrow keys move between the board's cells; a shift dragged to another cell
   moves there (that day, that person, the same times), checked by the rules like any edit. */
(function () {
  "use strict";
  var opener = null;
  function editor() { return document.getElementById("editor"); }
  function close() {
    var panel = editor();
    if (!panel || !panel.firstChild) { return; }
    panel.innerHTML = "";
    if (opener && document.body.contains(opener)) { opener.focus(); }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "editor" && !editor().contains(event.detail.elt)) {
      opener = event.detail.elt;
    }
  });
  var closing = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && (target.id === "editor" || target.id === "on-phone")) {
      var title = target.querySelector("h2[tabindex], h3[tabindex]");
      if (title) { title.focus(); }
    }
    // A saved edit's confirmation goes away by itself, the focus back on the board.
    clearTimeout(closing);
    if (target && target.id === "editor" && target.querySelector(".editor-saved")) {
      closing = setTimeout(function () {
        if (!editor().matches(":hover") && !editor().contains(document.activeElement) ||
            document.activeElement === editor().querySelector("h2")) { close(); }
      }, 6000);
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // Refusals (409, 422) carry the editor with the reason: show them like any answer.
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-editor]")) { close(); return; }
    // A shift block, an empty cell's + or a day view bar opens the editor in place (the
    // link itself is the page to go to without JavaScript).
    var link = event.target.closest("table.board a.block, table.board a.add, a.gantt-link");
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    opener = link;
    window.htmx.ajax("GET", link.getAttribute("href"), { target: "#editor", source: link });
  });
  var dragged = null, over = null;
  function dropCell(event) {
    return event.target.closest && event.target.closest("table.board td[data-day][data-employee]");
  }
  function mark(cell) {
    if (over === cell) { return; }
    if (over) { over.classList.remove("drop-here"); }
    over = cell;
    if (over) { over.classList.add("drop-here"); }
  }
  document.addEventListener("dragstart", function (event) {
    var block = event.target.closest && event.target.closest("table.board a.block[data-drop]");
    if (!block) { return; }
    dragged = block;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", block.getAttribute("aria-label") || "");
    block.classList.add("dragging");
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    mark(null);
  });
  document.addEventListener("dragover", function (event) {
    var cell = dragged && dropCell(event);
    if (!cell) { mark(null); return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    mark(cell);
  });
  document.addEventListener("drop", function (event) {
    var cell = dragged && dropCell(event), block = dragged;
    mark(null);
    if (!cell || !window.htmx) { return; }
    event.preventDefault();
    if (cell.contains(block)) { return; }  // dropped where it was
    opener = block;
    window.htmx.ajax("POST", block.getAttribute("data-drop"), {
      target: "#editor", source: block,
      values: {
        day: cell.getAttribute("data-day"), employee: cell.getAttribute("data-employee"),
        was: block.getAttribute("data-was")
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && editor() && editor().firstChild) { close(); return; }
    var cell = event.target.closest && event.target.closest("table.board td, table.board th");
    if (!cell || ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(event.key) < 0) { return; }
    if (event.target.matches("input, select, textarea")) { return; }
    var row = cell.parentElement, index = Array.prototype.indexOf.call(row.children, cell), next = null;
    if (event.key === "ArrowLeft") { next = row.children[index - 1]; }
    if (event.key === "ArrowRight") { next = row.children[index + 1]; }
    if (event.key === "ArrowUp" && row.previousElementSibling) { next = row.previousElementSibling.children[index]; }
    if (event.key === "ArrowDown" && row.nextElementSibling) { next = row.nextElementSibling.children[index]; }
    var focusable = next && next.querySelector("a, button");
    if (focusable) { event.preventDefault(); focusable.focus(); }
  });
})();
