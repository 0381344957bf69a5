// The kiosk: a tablet as a terminal through the device API. Every tap becomes an event with
// its own id, queued in localStorage first and sent in batches until the server answers for
// it (created or duplicate), so a punch survives network cuts and page reloads, and a retry
// can never store it twice.
(function () {
  "use strict";
  const root = document.getElementById("kiosk");
  const TOKEN = "wfm.kiosk.token";
  const QUEUE = "wfm.kiosk.queue";
  const SEQ = "wfm.kiosk.seq";
  let person = null;
  let resetTimer = null;

  const $ = (id) => document.getElementById(id);
  const token = () => localStorage.getItem(TOKEN);
  const queue = () => JSON.parse(localStorage.getItem(QUEUE) || "[]");
  const saveQueue = (items) => localStorage.setItem(QUEUE, JSON.stringify(items));

  function show(section) {
    for (const id of ["setup", "identify", "punch", "done"]) $(id).hidden = id !== section;
  }

  function nextSeq() {
    const seq = Number(localStorage.getItem(SEQ) || "0") + 1;
    localStorage.setItem(SEQ, String(seq));
    return seq;
  }

  function offsetIso(date) {
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const minutes = -date.getTimezoneOffset();
    const sign = minutes >= 0 ? "+" : "-";
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      sign + pad(minutes / 60) + ":" + pad(minutes % 60);
  }

  async function api(url, body, method) {
    const response = await fetch(url, {
      method: method || "POST",
      headers: { "Content-Type": "application/json", "Authorization": "Device " + token() },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    return { status: response.status, data };
  }

  async function flush() {
    const pending = queue();
    $("queue-state").textContent = pending.length ? pending.length + " punch(es) waiting to send" : "";
    if (!pending.length || !token()) return;
    try {
      const batch = pending.slice(0, 500);
      const answer = await api(root.dataset.batchUrl, { sent_at: offsetIso(new Date()), punches: batch });
      if (answer.status === 401) { localStorage.removeItem(TOKEN); start(); return; }
      if (answer.status !== 200) return;
      const settled = new Set(answer.data.results.map((r) => r.event_id));
      saveQueue(queue().filter((p) => !settled.has(p.event_id)));
    } catch (e) {
      // Offline: the queue stays and is sent on the next attempt.
    }
    $("queue-state").textContent = queue().length ? queue().length + " punch(es) waiting to send" : "";
  }

  function tick() { $("clock").textContent = new Date().toLocaleTimeString(); }

  function backToStart(delay) {
    clearTimeout(resetTimer);
    resetTimer = setTimeout(() => { person = null; $("identify-form").reset(); show("identify"); $("identifier").focus(); }, delay);
  }

  async function start() {
    if (!token()) { show("setup"); return; }
    const config = await api(root.dataset.configUrl, null, "GET").catch(() => null);
    if (config && config.status === 401) { localStorage.removeItem(TOKEN); show("setup"); return; }
    if (config && config.status === 200) $("site-name").textContent = config.data.name + " — " + config.data.site;
    show("identify");
    $("identifier").focus();
  }

  $("setup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    localStorage.setItem(TOKEN, $("token").value.trim());
    const config = await api(root.dataset.configUrl, null, "GET").catch(() => null);
    if (!config || config.status !== 200) {
      localStorage.removeItem(TOKEN);
      $("setup-error").textContent = "This token is not valid.";
      return;
    }
    start();
  });

  $("identify-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("identify-error").textContent = "";
    const body = { identifier: $("identifier").value.trim(), pin: $("pin").value };
    let answer;
    try { answer = await api(root.dataset.identifyUrl, body); } catch (e) {
      $("identify-error").textContent = "No connection: try again in a moment."; return;
    }
    if (answer.status !== 200) { $("identify-error").textContent = answer.data.message || "Not recognised."; return; }
    person = answer.data;
    $("who").textContent = person.name;
    $("shift").textContent = person.next_shift_start
      ? "Shift " + new Date(person.next_shift_start).toLocaleString() + " – " + new Date(person.next_shift_end).toLocaleTimeString()
      : "No shift in the next 24 hours";
    $("late").textContent = person.late_minutes ? "Late by " + person.late_minutes + " min" : "";
    show("punch");
    backToStart(20000);
  });

  for (const button of document.querySelectorAll("[data-kind]")) {
    button.addEventListener("click", () => {
      if (!person) return;
      const kind = button.dataset.kind;
      const items = queue();
      items.push({
        event_id: crypto.randomUUID(),
        device_seq: nextSeq(),
        employee_number: person.employee_number,
        kind: kind,
        occurred_at: offsetIso(new Date()),
      });
      saveQueue(items);
      person = null;  // one tap per identification: a second tap cannot punch again
      $("done-text").textContent = kind.replace("_", " ").toUpperCase() + " recorded at " + new Date().toLocaleTimeString();
      show("done");
      flush();
      backToStart(3000);
    });
  }
  $("cancel").addEventListener("click", () => backToStart(0));

  tick();
  setInterval(tick, 1000);
  setInterval(flush, 10000);
  window.addEventListener("online", flush);
  start().then(flush);
})();
