/* The supervisor's wallboard: refreshed on every queue or presence event, and every 10 s. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("supervisor-config").textContent);
  var S = config.strings;
  var csrf = document.querySelector("#pick-form [name=csrfmiddlewaretoken]").value;
  var agents = [];
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clock(seconds) { return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0"); }
  function post(url, data) {
    var body = new URLSearchParams(data);
    return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json(); });
  }
  function set(key, value) { document.querySelector("[data-k=" + key + "]").textContent = value; }
  function render(board) {
    set("waiting", board.waiting); set("longest", clock(board.longest_wait_seconds)); set("lines", board.lines_in_use);
    set("received", board.today.received); set("served", board.today.served); set("closed", board.today.closed); set("tickets", board.today.tickets);
    agents = board.agents;
    var rows = document.getElementById("agents"); rows.replaceChildren();
    board.agents.forEach(function (a) {
      var tr = el("tr", { "class": "presence-" + a.presence });
      tr.append(el("td", {}, a.name), el("td", {}, a.presence_label), el("td", {}, a.load + " / " + a.max_concurrent));
      rows.appendChild(tr);
    });
    var convs = document.getElementById("conversations"); convs.replaceChildren();
    board.queue.concat(board.active).forEach(function (c) {
      var tr = el("tr");
      var select = el("select", { "aria-label": S.reassign });
      select.appendChild(el("option", { value: "" }, "—"));
      agents.forEach(function (a) { if (a.presence !== "off_duty") select.appendChild(el("option", { value: a.id }, a.name)); });
      select.onchange = function () {
        if (!select.value) return;
        post("/supervisor/reassign/", { conversation: c.id, agent: select.value }).then(function (r) {
          if (r.error) alert(r.error);
          refresh();
        });
      };
      var td = el("td"); td.appendChild(select);
      tr.append(el("td", {}, (c.contact.name || "—") + " · " + c.channel), el("td", {}, c.state), el("td", {}, c.agent_name || S.nobody), td);
      convs.appendChild(tr);
    });
  }
  function refresh() {
    fetch("/supervisor/wallboard.json", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(render);
  }
  document.querySelector("#pick-form [name=allowed]").addEventListener("change", function () {
    post("/supervisor/pick/", { allowed: this.checked ? "1" : "0" });
  });
  window.NidaaLive("/ws/agent/", {
    onOpen: function () { refresh(); },
    onFrame: function (f) { if (f.type === "queue" || f.type === "presence.changed") refresh(); },
    status: function (up) {
      var box = document.getElementById("link-state");
      box.textContent = up ? S.connected : S.reconnecting;
    }
  });
  setInterval(refresh, 10000);
})();
