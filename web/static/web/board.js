/* The schedule board's small helpers (htmx does the requests): the editor panel opens with
   the focus on its title and closes with Escape, giving the focus back to the shift or cell
   that opened it; arrow keys move between the board's cells. */
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
