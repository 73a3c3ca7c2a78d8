/* Live worklists: the page hears of ticket changes on /ws/work/ and fetches its lists
   afresh (the server renders them, with the user's scope). A list holding the field
   someone is typing in is left alone until they are done. */
"use strict";
(function () {
  var root = document.querySelector("[data-live-worklist]");
  if (!root || !window.NidaaLive) return;
  var timer = null, connectedOnce = false;
  function refresh() {
    fetch(location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (list) {
          var next = fresh.getElementById(list.id);
          if (!next || list.contains(document.activeElement)) return;
          list.replaceWith(document.adoptNode(next));
        });
        root.dataset.refreshed = String(Date.now());
      })
      .catch(function () { /* offline: the next event or reconnection fetches again */ });
  }
  function soon() { clearTimeout(timer); timer = setTimeout(refresh, 300); }
  window.NidaaLive("/ws/work/", {
    // After a reconnection, events may have been missed: fetch once.
    onOpen: function () { if (connectedOnce) soon(); connectedOnce = true; },
    onFrame: function (frame) { if (frame.type === "ticket.changed" || frame.type === "reminder.new") soon(); },
    status: function (up) { root.dataset.live = up ? "up" : "down"; }
  });
})();
