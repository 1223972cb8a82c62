// The team member's phone app: households, visits and what is unsent live in IndexedDB, so the
// work goes on with no connection, survives closing the browser, and reaches the server through
// /api/v1/sync when a connection returns (each record answered on its own, exactly once).
(function () {
  "use strict";
  var root = document.getElementById("community");
  if (!root || !window.indexedDB) return;
  var csrf = root.getAttribute("data-csrf");
  var today = root.getAttribute("data-today");
  var me = root.getAttribute("data-user");
  var perHousehold = (root.getAttribute("data-household-items") || "").trim().split(/\s+/);
  var $ = function (id) { return document.getElementById(id); };
  // The page's words, in the signed-in user's language (data attributes set by the server).
  function say(key, values) {
    var text = ($("community-text") && $("community-text").getAttribute("data-" + key)) || key;
    Object.keys(values || {}).forEach(function (name) { text = text.replace("{" + name + "}", values[name]); });
    return text;
  }
  var db = null, cursor = null, deviceId = null, pendingDuplicate = null;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }
  function houseNumber(address) { var m = fold(address).match(/\d[\da-z/]*/); return m ? m[0] : null; }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // IndexedDB in promises.
  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("choso-community", 1);
      request.onupgradeneeded = function () {
        var d = request.result;
        ["households", "visits", "outbox", "meta"].forEach(function (name) { d.createObjectStore(name, { keyPath: name === "meta" ? "key" : "id" }); });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(store, mode, work) {
    return new Promise(function (resolve, reject) {
      var t = db.transaction(store, mode), result;
      t.oncomplete = function () { resolve(result); };
      t.onerror = t.onabort = function () { reject(t.error); };
      result = work(t.objectStore(store));
    });
  }
  function all(store) {
    return new Promise(function (resolve, reject) {
      var request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function put(store, value) { return tx(store, "readwrite", function (s) { s.put(value); }); }
  function meta(key, value) {
    if (value === undefined) return all("meta").then(function (rows) { var row = rows.filter(function (r) { return r.key === key; })[0]; return row ? row.value : null; });
    return put("meta", { key: key, value: value });
  }

  // What is unsent, on the badge, and kept in localStorage to notice a browser that dropped storage.
  function refreshBadge() {
    return all("outbox").then(function (entries) {
      var box = $("unsent"), n = entries.length;
      box.textContent = n ? box.getAttribute("data-template").replace("{n}", n) : box.getAttribute("data-none");
      box.className = n ? "unsent-count pending" : "unsent-count";
      try { localStorage.setItem("choso.community.unsent", String(n)); } catch (e) { /* private mode */ }
      return entries;
    });
  }
  function checkStorage() {
    var marker = null;
    try { marker = localStorage.getItem("choso.community.marker"); } catch (e) { /* none */ }
    return meta("marker").then(function (kept) {
      if (marker && kept !== marker) $("storage-lost").hidden = false;
      var fresh = kept || uuid();
      try { localStorage.setItem("choso.community.marker", fresh); } catch (e) { /* none */ }
      return kept ? null : meta("marker", fresh);
    });
  }

  // Open follow-ups, counted as the server counts them (FollowUps.open): a household's follow-up
  // made on its latest day with one stays open until a visit on a later day.
  function renderFollowUps(households, visits) {
    var latest = {}, lastDay = {}, byId = {}, list = $("follow-ups"), labels = {};
    households.forEach(function (h) { byId[h.id] = h; });
    Array.prototype.forEach.call($("vf-follow-up").options, function (o) { labels[o.value] = o.textContent; });
    visits.forEach(function (v) {
      if (!lastDay[v.household] || v.date > lastDay[v.household]) lastDay[v.household] = v.date;
      if (!v.followUp) return;
      var seen = latest[v.household];
      if (!seen || [v.date, v.followUp.due, v.id].join("|") > [seen.date, seen.followUp.due, seen.id].join("|")) latest[v.household] = v;
    });
    var open = Object.keys(latest).map(function (id) { return latest[id]; })
      .filter(function (v) { return byId[v.household] && lastDay[v.household] <= v.date; })
      .sort(function (a, b) { return a.followUp.due < b.followUp.due ? -1 : 1; });
    list.textContent = "";
    open.forEach(function (v) {
      var h = byId[v.household], li = document.createElement("li");
      li.className = "entry household" + (v.followUp.due < today ? " overdue" : "");
      li.setAttribute("data-household", h.id);
      li.innerHTML = '<span class="what"><strong></strong><br><span class="muted"></span></span><span class="row-actions"><button type="button" class="visit"></button></span>';
      li.querySelector("strong").textContent = h.headName + " · " + h.address;
      li.querySelector(".muted").textContent = (labels[v.followUp.action] || v.followUp.action) + " · " + v.followUp.due.split("-").reverse().join("/") + (v.followUp.due < today ? " · " + say("overdue") : "");
      li.querySelector(".visit").textContent = say("visit");
      list.appendChild(li);
    });
    $("follow-up-count").textContent = String(open.length);
    $("no-follow-ups").hidden = open.length > 0;
  }

  // The list.
  function render() {
    return Promise.all([all("households"), all("outbox"), all("visits")]).then(function (both) {
      var households = both[0], unsent = {};
      both[1].forEach(function (e) { unsent[e.id] = true; });
      // "Hôm nay N hộ": this member's visits today, sent or not.
      var visited = {};
      both[2].forEach(function (v) { if (v.date === today && (unsent[v.id] || v.memberId === me)) visited[v.household] = true; });
      $("visited-today").textContent = String(Object.keys(visited).length);
      renderFollowUps(households, both[2]);
      var words = fold($("household-search").value).split(" ").filter(Boolean);
      var shown = households.filter(function (h) {
        var text = fold([h.headName, h.address, h.phone || ""].join(" "));
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      }).sort(function (a, b) { return fold(a.headName) < fold(b.headName) ? -1 : 1; });
      var list = $("household-list");
      list.textContent = "";
      shown.slice(0, 200).forEach(function (h) {
        var li = document.createElement("li");
        li.className = "entry household" + (unsent[h.id] ? " unsent-row" : "");
        li.setAttribute("data-household", h.id);
        li.innerHTML = '<span class="what"><strong></strong><br><span class="muted"></span></span><span class="row-actions"><button type="button" class="visit"></button> <button type="button" class="edit"></button></span>';
        li.querySelector("strong").textContent = h.headName;
        li.querySelector(".muted").textContent = h.address + (unsent[h.id] ? " · ●" : "");
        li.querySelector(".visit").textContent = say("visit");
        li.querySelector(".edit").textContent = say("edit");
        list.appendChild(li);
      });
      $("household-count").textContent = say("count", { shown: shown.length, all: households.length });
    });
  }

  // Sending and fetching.
  function setState(text) { $("sync-state").textContent = text; }
  var sending = false;
  // Records per request: a weak link carries a small batch; the rest follow at once.
  var BATCH = 500;
  function push() {
    if (navigator.onLine === false) { setState(say("offline")); return Promise.resolve(); }
    if (sending) return Promise.resolve();
    sending = true;
    var more = false, failed = false;
    return all("outbox").then(function (queued) {
      if (!queued.length) return null;
      // Households before the visits that name them, records refused before (kept to be fixed)
      // last; otherwise in the order they were made.
      queued.sort(function (a, b) {
        return (a.error ? 1 : 0) - (b.error ? 1 : 0) || (a.record.type === "household" ? 0 : 1) - (b.record.type === "household" ? 0 : 1) || a.queuedAt - b.queuedAt;
      });
      var entries = queued.slice(0, BATCH);
      more = queued.length > BATCH;
      var text = JSON.stringify({ deviceId: deviceId, records: entries.map(function (e) { return e.record; }) });
      var headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" };
      var body = Promise.resolve(text);
      if (window.CompressionStream && text.length > 2048) {
        headers["Content-Encoding"] = "gzip";
        body = new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
      }
      return body.then(function (payload) {
        return fetch("/api/v1/sync", { method: "POST", credentials: "same-origin", headers: headers, body: payload });
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (answer) {
        // Another round only while this one took something off the outbox.
        more = more && answer.results.some(function (r) { return r.status !== "rejected"; });
        return tx("outbox", "readwrite", function (store) {
          answer.results.forEach(function (result, index) {
            var entry = entries[index];
            if (!entry) return;
            if (result.status === "rejected") {
              entry.error = result.error ? result.error.message : "rejected";
              store.put(entry);
            } else {
              store.delete(entry.id);
            }
          });
        }).then(function () {
          var updates = answer.results.filter(function (r, i) { return entries[i] && entries[i].record.type === "household" && r.version; });
          return Promise.all(updates.map(function (r) {
            return tx("households", "readwrite", function (store) {
              var get = store.get(r.id);
              get.onsuccess = function () { if (get.result) { get.result.version = r.version; store.put(get.result); } };
            });
          }));
        }).then(function () {
          var rejected = answer.results.filter(function (r) { return r.status === "rejected"; });
          setState(rejected.length ? rejected.map(function (r) { return r.error ? r.error.message : ""; }).join(" · ") : say("sent-at", { time: new Date().toLocaleTimeString(document.documentElement.lang || "vi") }));
        });
      });
    }).catch(function () { more = false; failed = true; setState(say("send-failed")); })
      .then(function () { sending = false; return Promise.all([refreshBadge(), render()]); })
      .then(function () {
        if (failed) { retrySoon(); return null; }
        retryDelay = 0;
        return more ? push() : null;
      });
  }
  // A send that failed while online (a busy server, a dropped link) is tried again after 3 s,
  // then 6, 12… up to a minute, rather than waiting for the minute's timer: resends are safe,
  // every record carries the id the phone made.
  var retryDelay = 0, retryTimer = null;
  function retrySoon() {
    if (retryTimer || navigator.onLine === false) return;
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 3000, 60000);
    retryTimer = setTimeout(function () { retryTimer = null; push(); }, retryDelay);
  }
  function pull() {
    if (navigator.onLine === false) return Promise.resolve();
    return fetch("/api/v1/sync" + (cursor ? "?since=" + encodeURIComponent(cursor) : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (changes) {
        return all("outbox").then(function (entries) {
          var mine = {};
          entries.forEach(function (e) { mine[e.id] = true; });
          return tx("households", "readwrite", function (store) {
            // An unsent edit on this phone stays until it is sent.
            changes.households.forEach(function (h) {
              if (h.mergedInto) store.delete(h.id);  // settled by the leader as the same as another
              else if (!mine[h.id]) store.put(h);
            });
          });
        }).then(function () {
          return tx("visits", "readwrite", function (store) { changes.visits.forEach(function (v) { store.put(v); }); });
        }).then(function () { cursor = changes.cursor; return meta("cursor", cursor); });
      }).catch(function () { setState(say("offline")); })
      .then(render);
  }

  // Forms.
  function show(form) { ["household-form", "visit-form"].forEach(function (id) { $(id).hidden = id !== form; }); $("households-section").hidden = !!form; if (form) window.scrollTo(0, 0); }
  function openHousehold(h) {
    var form = $("household-form");
    form.reset();
    pendingDuplicate = null;
    $("duplicate-warning").hidden = true;
    $("household-error").hidden = true;
    form.householdId.value = h ? h.id : "";
    form.baseVersion.value = h && h.version ? h.version : "";
    if (h) {
      form.hamlet.value = h.hamlet; form.address.value = h.address; form.headName.value = h.headName; form.phone.value = h.phone || "";
      form.members.value = h.members; form.adults.value = h.adults;
      Array.prototype.forEach.call(form.language, function (r) { r.checked = r.value === h.language; });
      Object.keys(h.checklist || {}).forEach(function (item) {
        if (form["count-" + item]) { form["count-" + item].value = h.checklist[item].count; form["evidence-" + item].value = h.checklist[item].evidence; }
      });
      Array.prototype.forEach.call(form.querySelectorAll("[name=barrier]"), function (c) { c.checked = (h.barriers || []).indexOf(c.value) >= 0; });
    }
    show("household-form");
  }
  function householdFromForm(form) {
    var checklist = {}, problems = [];
    var members = parseInt(form.members.value, 10), adults = parseInt(form.adults.value, 10);
    if (!form.address.value.trim()) problems.push(say("need-address"));
    if (!form.headName.value.trim()) problems.push(say("need-head"));
    if (!(members >= 1 && members <= 40)) problems.push(say("members-range"));
    if (!(adults >= 0 && adults <= members)) problems.push(say("adults-range"));
    Array.prototype.forEach.call(form.querySelectorAll("input[name^=count-]"), function (input) {
      if (input.value === "") return;
      var item = input.name.slice(6), count = parseInt(input.value, 10), most = perHousehold.indexOf(item) >= 0 ? 1 : adults;
      if (!(count >= 0 && count <= most)) problems.push(say("count-range", { label: input.labels[0].textContent, most: most }));
      checklist[item] = { count: count, evidence: form["evidence-" + item].value };
    });
    var language = Array.prototype.filter.call(form.language, function (r) { return r.checked; })[0];
    return { problems: problems, record: {
      type: "household", id: form.householdId.value || uuid(), baseVersion: form.baseVersion.value ? parseInt(form.baseVersion.value, 10) : null,
      hamlet: form.hamlet.value, address: form.address.value.trim(), headName: form.headName.value.trim().normalize("NFC"),
      phone: form.phone.value.trim() || null, members: members, adults: adults, language: language ? language.value : "vi",
      checklist: checklist, barriers: Array.prototype.filter.call(form.querySelectorAll("[name=barrier]"), function (c) { return c.checked; }).map(function (c) { return c.value; }),
    } };
  }
  function queue(record, keep) {
    var stored = Object.assign({}, keep || record);
    var entry = { id: record.id, record: record, queuedAt: Date.now() };
    return put(record.type === "visit" ? "visits" : "households", stored).then(function () { return put("outbox", entry); })
      .then(function () { return Promise.all([refreshBadge(), render()]); }).then(push);
  }
  $("household-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target, built = householdFromForm(form);
    if (built.problems.length) { $("household-error").textContent = built.problems.join(". "); $("household-error").hidden = false; return; }
    var record = built.record;
    all("households").then(function (households) {
      // "Có thể trùng với hộ …" before a new household is saved.
      if (!form.householdId.value && pendingDuplicate !== "keep") {
        var twin = households.filter(function (h) {
          return h.hamlet === record.hamlet && fold(h.headName) === fold(record.headName) &&
            ((record.phone && h.phone === record.phone) || (houseNumber(record.address) ? houseNumber(record.address) === houseNumber(h.address) : fold(h.address) === fold(record.address)));
        })[0];
        if (twin) {
          pendingDuplicate = twin;
          $("duplicate-text").textContent = $("duplicate-text").getAttribute("data-template").replace("{name}", twin.headName).replace("{address}", twin.address);
          $("duplicate-warning").hidden = false;
          $("duplicate-warning").scrollIntoView({ block: "center" });
          return;
        }
      }
      var kept = Object.assign({}, record, { version: record.baseVersion });
      delete kept.type; delete kept.baseVersion;
      form.householdId.value = record.id;
      show(null);
      return queue(record, kept);
    });
  });
  $("open-duplicate").addEventListener("click", function () { if (pendingDuplicate && pendingDuplicate.id) openHousehold(pendingDuplicate); });
  $("keep-both").addEventListener("click", function () { pendingDuplicate = "keep"; $("duplicate-warning").hidden = true; $("household-form").requestSubmit(); });
  $("visit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var refuse = function (text) { $("visit-error").textContent = text; $("visit-error").hidden = false; };
    if (!form.date.value || form.date.value > today) return refuse(say("visit-date"));
    if (form.followUp.value && (!form.due.value || form.due.value < form.date.value)) return refuse(say("due-date"));
    var checked = function (name) { return Array.prototype.filter.call(form.querySelectorAll("[name=" + name + "]"), function (c) { return c.checked; }).map(function (c) { return c.value; }); };
    var outcome = checked("outcome")[0] || null;
    var record = { type: "visit", id: uuid(), household: form.household.value, date: form.date.value, help: checked("help"), barriers: checked("barrier"), outcome: outcome, note: form.note.value.trim(),
      followUp: form.followUp.value ? { action: form.followUp.value, due: form.due.value } : null };
    show(null);
    queue(record);
  });
  Array.prototype.forEach.call(document.querySelectorAll("#community .cancel"), function (b) { b.addEventListener("click", function () { show(null); }); });
  $("add-household").addEventListener("click", function () { openHousehold(null); });
  // VNeID level 1 done today → suggest the appointment at the police for level 2, a week on.
  $("visit-form").addEventListener("change", function (event) {
    var form = event.currentTarget;
    if (event.target.name !== "help" || form.followUp.value) return;
    var help = Array.prototype.filter.call(form.querySelectorAll("[name=help]"), function (c) { return c.checked; }).map(function (c) { return c.value; });
    if (help.indexOf("vneid_level1") >= 0 && help.indexOf("vneid_level2") < 0) {
      form.followUp.value = "vneid_level2_at_police";
      var due = new Date(today + "T00:00:00Z"); due.setUTCDate(due.getUTCDate() + 7);
      form.due.value = due.toISOString().slice(0, 10);
      form.querySelector("[name=outcome][value=follow_up]").checked = true;
    }
  });
  function openVisit(event) {
    var li = event.target.closest("[data-household]");
    if (!li) return;
    tx("households", "readonly", function (store) {
      var get = store.get(li.getAttribute("data-household"));
      get.onsuccess = function () {
        var h = get.result;
        if (!h) return;
        if (event.target.classList.contains("edit")) { openHousehold(h); return; }
        var form = $("visit-form");
        form.reset();
        form.household.value = h.id;
        form.date.value = today;
        form.due.value = "";
        $("visit-household").textContent = h.headName;
        $("visit-error").hidden = true;
        show("visit-form");
      };
    });
  }
  $("household-list").addEventListener("click", openVisit);
  $("follow-ups").addEventListener("click", openVisit);
  $("household-search").addEventListener("input", render);
  $("send-now").addEventListener("click", function () { push().then(pull); });
  $("export-unsent").addEventListener("click", function () {
    all("outbox").then(function (entries) {
      var blob = new Blob([JSON.stringify({ deviceId: deviceId, records: entries.map(function (e) { return e.record; }) }, null, 1)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "choso-chua-gui-" + today + ".json";
      document.body.appendChild(link); link.click(); link.remove();
    });
  });
  // A file exported on another phone: its records join this phone's outbox (a record already
  // stored comes back "unchanged", so an upload twice stores nothing twice).
  $("upload-file").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    if (!file) return;
    file.text().then(function (text) {
      var parsed = JSON.parse(text), records = parsed && parsed.records;
      var valid = Array.isArray(records) && records.length > 0 && records.every(function (r) {
        return r && (r.type === "household" || r.type === "visit") && typeof r.id === "string";
      });
      if (!valid) throw new Error("bad file");
      // Households first, so the visits that name them find them.
      records.sort(function (a, b) { return (a.type === "household" ? 0 : 1) - (b.type === "household" ? 0 : 1); });
      return records.reduce(function (done, record) {
        return done.then(function () {
          var kept = Object.assign({}, record);
          if (record.type === "household") { kept.version = record.baseVersion; delete kept.baseVersion; }
          delete kept.type;
          return put(record.type === "visit" ? "visits" : "households", kept)
            .then(function () { return put("outbox", { id: record.id, record: record, queuedAt: Date.now() }); });
        });
      }, Promise.resolve()).then(function () {
        $("upload-state").textContent = say("uploaded", { n: records.length });
        return Promise.all([refreshBadge(), render()]).then(push);
      });
    }).catch(function () { $("upload-state").textContent = say("bad-file"); })
      .then(function () { event.target.value = ""; });
  });
  // Signing out keeps the records on this phone; say so before a shared phone changes hands.
  document.addEventListener("submit", function (event) {
    if (!event.target.action || !/\/logout$/.test(event.target.action)) return;
    var n = parseInt(localStorage.getItem("choso.community.unsent") || "0", 10);
    if (n > 0 && !window.confirm(root.getAttribute("data-signout").replace("{n}", n))) event.preventDefault();
  }, true);

  window.addEventListener("online", function () { push().then(pull); });
  window.addEventListener("offline", function () { setState(say("offline")); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
    // Kept for a start with no connection from the very first visit.
    navigator.serviceWorker.ready.then(function (registration) {
      var keep = [location.pathname];
      Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], link[rel=icon]"), function (node) {
        keep.push(node.getAttribute("src") || node.getAttribute("href"));
      });
      if (registration.active) registration.active.postMessage({ keep: keep });
    }).catch(function () {});
  }
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
  open().then(function (opened) {
    db = opened;
    return checkStorage();
  }).then(function () { return Promise.all([meta("cursor"), meta("device")]); }).then(function (kept) {
    cursor = kept[0];
    deviceId = kept[1] || uuid();
    return kept[1] ? null : meta("device", deviceId);
  }).then(function () { return Promise.all([refreshBadge(), render()]); })
    .then(push).then(pull);
  setInterval(function () { if (navigator.onLine !== false) push(); }, 60000);
})();
