// A payment request waiting for its money follows the stall's event stream instead of reloading
// every few seconds over weak 4G: a payment for this request, or the request's expiry, reloads
// the page once. A payment that came between the page and the stream is caught by one look at
// the request when the stream opens.
(function () {
  "use strict";
  var follow = document.getElementById("follow");
  if (!follow) return;
  var request = follow.getAttribute("data-request");
  var reloaded = false;
  function reload() { if (!reloaded) { reloaded = true; location.reload(); } }
  var expires = Date.parse(follow.getAttribute("data-expires"));
  if (expires) setTimeout(reload, Math.max(1000, expires - Date.now() + 1000));
  function changed() {
    fetch("/api/v1/payment-requests/" + request, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (now) {
        if (now && (now.status !== follow.getAttribute("data-status") || String(now.receivedAmount) !== follow.getAttribute("data-received"))) reload();
      })
      .catch(function () {});
  }
  if (!("EventSource" in window)) { setInterval(changed, 15000); return; }
  var source = new EventSource("/api/v1/stalls/" + follow.getAttribute("data-stall") + "/events");
  source.addEventListener("open", changed);
  source.addEventListener("payment", function (message) {
    try { if (JSON.parse(message.data).paymentRequestId === request) reload(); } catch (e) { /* not ours */ }
  });
})();
