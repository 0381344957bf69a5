// The export list follows the job it names: poll the job API every second and, when the job
// has ended, fetch the list again in place (no reload). Without JavaScript the page says to
// reload.
(function () {
  function follow(list) {
    var job = list.getAttribute("data-job");
    var url = list.getAttribute("data-list");
    if (!job || !url) return;
    var timer = setInterval(function () {
      fetch(job, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { status: "failed" }; })
        .then(function (state) {
          if (state.status === "queued" || state.status === "running") return;
          clearInterval(timer);
          return fetch(url, { credentials: "same-origin" })
            .then(function (r) { return r.text(); })
            .then(function (html) {
              list.outerHTML = html;
              var failed = state.status !== "succeeded";
              var note = document.getElementById("export-note");
              if (note) note.textContent = failed ? note.getAttribute("data-failed") + " " + (state.message || "") : note.getAttribute("data-done");
            });
        })
        .catch(function () { clearInterval(timer); });
    }, 1000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("export-list");
    if (list) follow(list);
  });
})();
