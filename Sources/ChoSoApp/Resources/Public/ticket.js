// A daily ticket waiting for its transfer: one small look every 3 seconds (for at most 15
// minutes), and the page turns to "paid" as soon as the intake has marked it.
(function () {
  "use strict";
  var ticket = document.getElementById("ticket");
  if (!ticket || ticket.getAttribute("data-paid") === "1") return;
  var id = ticket.getAttribute("data-ticket");
  var started = Date.now();
  var timer = setInterval(function () {
    if (Date.now() - started > 15 * 60 * 1000) { clearInterval(timer); return; }
    fetch("/api/v1/fee-tickets/" + id, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (now) { if (now && now.status === "paid") { clearInterval(timer); location.reload(); } })
      .catch(function () {});
  }, 3000);
})();
