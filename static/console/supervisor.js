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
  // Arabic-Indic digits on Arabic pages, as the server writes them (helpdesk/charts.py).
  var lang = document.documentElement.lang || "ar";
  var locale = lang.indexOf("ar") === 0 ? "ar-u-nu-arab" : lang;
  var nf = new Intl.NumberFormat(locale);
  var nf2 = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 });
  function clock(seconds) { return nf.format(Math.floor(seconds / 60)) + ":" + nf2.format(seconds % 60); }
  function post(url, data) {
    var body = new URLSearchParams(data);
    return fetch(url, { method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin" })
      .then(function (r) { return r.json(); });
  }
  function set(key, value) { document.querySelector("[data-k=" + key + "]").textContent = value; }
  function level(key, value) { document.querySelector("[data-level-of=" + key + "]").setAttribute("data-level", value); }
  function render(board) {
    var n = board.numbers;
    set("waiting", n.waiting); set("longest", clock(board.longest_wait_seconds)); set("lines", n.lines);
    set("received", n.received); set("served", n.served); set("closed", n.closed); set("tickets", n.tickets);
    level("waiting", board.waiting_level); level("longest", board.longest_wait_level);
    // The pictures are SVG drawn and escaped by the server (helpdesk/charts.py).
    document.querySelectorAll("[data-picture]").forEach(function (box) {
      box.innerHTML = board.pictures[box.getAttribute("data-picture")];
    });
    var states = document.getElementById("by-presence"); states.replaceChildren();
    board.by_presence.forEach(function (p) {
      var div = el("div", { "class": "presence-" + p.presence });
      div.append(el("dt", {}, p.label), el("dd", {}, nf.format(p.count)));
      states.appendChild(div);
    });
    agents = board.agents;
    var rows = document.getElementById("agents"); rows.replaceChildren();
    board.agents.forEach(function (a) {
      var tr = el("tr", { "class": "presence-" + a.presence });
      tr.append(el("td", {}, a.name), el("td", {}, a.presence_label), el("td", {}, nf.format(a.load) + " / " + nf.format(a.max_concurrent)));
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
      tr.append(el("td", {}, (c.contact.name || "—") + " · " + c.channel_label), el("td", {}, c.state_label), el("td", {}, c.agent_name || S.nobody), td);
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
