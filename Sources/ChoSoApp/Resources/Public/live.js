// "Tiền đã về": each new payment arrives by Server-Sent Events (polling when they fail), shows
// in a banner and the list, adds to the total, and is spoken: the phone's Vietnamese voice when it
// has one, the server's recording otherwise. A payment seen twice (replay after a reconnection)
// is shown and spoken once. Browsers play sound only after a tap, so the screen has a switch
// ("Bật loa") that says whether sound is on; the latest announcement that came while it was off
// is spoken when it is turned on.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var stall = root.getAttribute("data-stall");
  var total = Number(root.getAttribute("data-total")) || 0;
  var seen = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-transfer]"), function (li) { seen[li.getAttribute("data-transfer")] = true; });
  var takings = { walk_in: 1, paid: 1, underpaid: 1, overpaid: 1, late: 1, duplicate_payment: 1 };
  var labels = {};
  try { labels = JSON.parse(root.getAttribute("data-labels") || "{}"); } catch (e) { /* marks only */ }
  var connection = document.getElementById("connection");
  var banner = document.getElementById("banner");
  var list = document.getElementById("credits");
  var money = function (dong) { return String(dong).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đ"; };
  // Business hours are the market's (Asia/Ho_Chi_Minh), whatever the phone's own setting.
  var zone = root.getAttribute("data-tz") || "Asia/Ho_Chi_Minh";
  var clock = function (iso) {
    try { return new Date(iso).toLocaleTimeString("vi-VN", { timeZone: zone, hour: "2-digit", minute: "2-digit", hour12: false }); }
    catch (e) { var d = new Date(iso); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }
  };

  function vietnameseVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) if (/^vi/i.test(voices[i].lang)) return voices[i];
    return null;
  }
  var soundSwitch = document.getElementById("sound");
  var soundOn = false, pending = null, player = null;
  function say(text, audioUrl) {
    root.setAttribute("data-last-spoken", text);
    var voice = vietnameseVoice();
    if (voice) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "vi-VN";
      try { utterance.voice = voice; } catch (e) { /* a voice object the browser does not know: lang is enough */ }
      window.speechSynthesis.speak(utterance);
    } else {
      // One element, first played inside the tap, may play again later without one.
      player = player || new Audio();
      player.src = audioUrl || "/api/v1/speech?text=" + encodeURIComponent(text);
      // Refused (the browser wants a new tap): the switch says so. A failed download is not that.
      player.play().catch(function (error) { if (error && error.name === "NotAllowedError") setSound(false); });
    }
  }
  function speak(event) {
    if (soundOn) say(event.announcement, event.audioUrl);
    else pending = event;
  }
  function setSound(on) {
    soundOn = on;
    soundSwitch.setAttribute("aria-pressed", on ? "true" : "false");
    soundSwitch.className = "sound-switch" + (on ? " on" : "");
    soundSwitch.textContent = soundSwitch.getAttribute(on ? "data-on" : "data-off");
  }
  soundSwitch.hidden = false;
  soundSwitch.addEventListener("click", function () {
    if (soundOn) { setSound(false); return; }
    setSound(true);
    // The tap is what lets the browser play: say the waiting announcement now, or that the
    // sound works.
    if (pending) { say(pending.announcement, pending.audioUrl); pending = null; }
    else say(soundSwitch.getAttribute("data-turned-on"));
  });

  function show(event) {
    if (seen[event.transferId] || !takings[event.status]) return;
    seen[event.transferId] = true;
    total += event.amount;
    document.getElementById("total").textContent = money(total);
    var empty = document.getElementById("empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "entry " + event.status + (event.isWarning ? " warning-entry" : "") + " fresh";
    li.setAttribute("data-transfer", event.transferId);
    if (event.paymentRequestId) {
      li.setAttribute("data-request", event.paymentRequestId);
      // The request is now paid in full: its earlier under-payment is no longer a warning.
      if (event.status === "paid" || event.status === "overpaid") {
        var earlier = list.querySelectorAll('li[data-request="' + event.paymentRequestId + '"]');
        for (var i = 0; i < earlier.length; i++) {
          earlier[i].classList.remove("warning-entry");
          earlier[i].classList.replace("underpaid", "paid");
          var mark = earlier[i].querySelector(".status");
          if (mark) mark.textContent = labels.paid || "✓";
        }
      }
    }
    li.innerHTML = '<span class="time"></span><span class="what"><strong></strong><br><span class="muted"></span></span><span class="status"></span>';
    li.querySelector(".time").textContent = clock(event.time || event.receivedAt);
    li.querySelector("strong").textContent = money(event.amount);
    li.querySelector(".muted").textContent = event.sender || "";
    li.querySelector(".status").textContent = labels[event.status] || (event.isWarning ? "!" : "✓");
    list.insertBefore(li, list.firstChild);
    banner.textContent = event.announcement;
    banner.className = "banner" + (event.isWarning ? " banner-warning" : "");
    banner.hidden = false;
    clearTimeout(show.timer);
    show.timer = setTimeout(function () { banner.hidden = true; }, event.isWarning ? 30000 : 8000);
    speak(event);
  }

  function setOnline(online) { connection.hidden = online; }
  // Installed on the home screen and opened with no connection: the last copy of this page.
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});
  if (navigator.onLine === false) setOnline(false);

  var polling = null;
  var lastEventId = null;
  function poll() {
    fetch("/api/v1/stalls/" + stall + "/transfers", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (transfers) {
        setOnline(true);
        transfers.forEach(function (t) {
          show({ transferId: t.id, paymentRequestId: t.paymentRequestId, amount: t.amount, status: t.status, time: t.time, receivedAt: t.receivedAt, sender: t.counterAccountName,
                 announcement: t.announcement, isWarning: t.isWarning, audioUrl: t.audioUrl });
        });
      })
      .catch(function () { setOnline(false); });
  }
  function startPolling() { if (!polling) { poll(); polling = setInterval(poll, 5000); } }

  if (!("EventSource" in window)) { startPolling(); return; }
  var failures = 0;
  var source;
  function connect() {
    source = new EventSource("/api/v1/stalls/" + stall + "/events" + (lastEventId ? "?lastEventId=" + encodeURIComponent(lastEventId) : ""));
    source.addEventListener("open", function () { failures = 0; setOnline(true); });
    source.addEventListener("payment", function (message) {
      failures = 0;
      setOnline(true);
      lastEventId = message.lastEventId || lastEventId;
      show(JSON.parse(message.data));
    });
    // The market board's fee reminder: shown and read aloud, never added to the takings.
    source.addEventListener("reminder", function (message) {
      var reminder = JSON.parse(message.data);
      banner.textContent = reminder.announcement;
      banner.className = "banner banner-warning";
      banner.hidden = false;
      clearTimeout(show.timer);
      show.timer = setTimeout(function () { banner.hidden = true; }, 30000);
      speak(reminder);
    });
    source.addEventListener("error", function () {
      setOnline(false);
      failures += 1;
      // EventSource retries by itself (sending Last-Event-ID); after a hard failure, start again
      // from the last id, and poll meanwhile if it keeps failing.
      if (source.readyState === EventSource.CLOSED) { setTimeout(connect, 3000); }
      if (failures >= 5) startPolling();
    });
  }
  connect();
  window.addEventListener("offline", function () { setOnline(false); });
  window.addEventListener("online", function () { if (source && source.readyState === EventSource.CLOSED) connect(); });
})();
