/* The agent console: queue, offers, conversations side by side, over /ws/agent/. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var S = config.strings, lang = config.language || "ar";
  var state = { desk: {}, lastSeq: {}, offers: [], queue: [], unread: {}, active: null, agentsMayPick: false };
  var $ = function (id) { return document.getElementById(id); };
  var live;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function option(select, value, label) { select.appendChild(el("option", { value: value }, label)); }
  function fill(select, rows, valueKey, labelKey) {
    rows.forEach(function (r) { option(select, r[valueKey], r[labelKey]); });
  }
  function waited(iso) {
    if (!iso) return "";
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function uid() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }

  // ---- static choices ----------------------------------------------------------
  fill($("presence"), config.presences, "value", "label");
  $("presence").addEventListener("change", function () { live.send({ type: "presence", presence: this.value }); });
  var tf = $("ticket-form"), trf = $("transfer-form"), cf = $("close-form");
  fill(tf.category, config.categories, "code", "name");
  fill(tf.section, config.sections, "code", "name");
  fill(tf.priority, config.priorities, "value", "label");
  fill(trf.to_agent, config.agents, "id", "name");
  fill(trf.to_skill, config.skills, "code", "name");
  fill(cf.disposition, config.dispositions, "value", "label");
  tf.category.addEventListener("change", function () {
    var c = config.categories.find(function (x) { return x.code === tf.category.value; });
    if (c) tf.section.value = c.section;
  });

  // ---- side lists --------------------------------------------------------------
  function renderOffers() {
    var list = $("offers"); list.replaceChildren();
    if (!state.offers.length) list.appendChild(el("li", { "class": "muted" }, S.nothing));
    state.offers.forEach(function (item) {
      var li = el("li", { "class": "offer", "data-id": item.id });
      li.appendChild(el("strong", {}, item.contact.name || "—"));
      li.appendChild(el("span", { "class": "muted" }, " " + item.channel + " · " + item.language + (item.skill ? " · " + item.skill : "")));
      var accept = el("button", { type: "button", "class": "primary", "data-accept": item.id }, S.accept);
      var decline = el("button", { type: "button", "class": "secondary" }, S.decline);
      accept.onclick = function () { live.send({ type: "accept", conversation: item.id }); };
      decline.onclick = function () { live.send({ type: "decline", conversation: item.id }); };
      li.appendChild(el("div", { "class": "row" })).append(accept, decline);
      list.appendChild(li);
    });
  }
  function renderQueue() {
    var list = $("queue"); list.replaceChildren();
    $("queue-count").textContent = state.queue.length;
    if (!state.queue.length) list.appendChild(el("li", { "class": "muted" }, S.nothing));
    state.queue.forEach(function (item) {
      var li = el("li", { "class": "queued" });
      li.appendChild(el("span", {}, (item.contact.name || "—") + " · " + item.channel + " · " + waited(item.queued_at)));
      if (state.agentsMayPick) {
        var pick = el("button", { type: "button", "class": "secondary" }, S.pick);
        pick.onclick = function () { live.send({ type: "pick", conversation: item.id }); };
        li.appendChild(pick);
      }
      list.appendChild(li);
    });
  }
  function renderTabs() {
    var list = $("tabs"); list.replaceChildren();
    var ids = Object.keys(state.desk).filter(function (id) { return state.desk[id].item.state !== "offered"; });
    if (!ids.length) list.appendChild(el("li", { "class": "muted" }, S.nothing));
    ids.forEach(function (id) {
      var pane = state.desk[id];
      var b = el("button", { type: "button", "class": "tab" + (state.active === id ? " active" : "") }, pane.item.contact.name || "—");
      if (state.unread[id]) b.appendChild(el("span", { "class": "badge", "aria-label": "unread" }, String(state.unread[id])));
      b.onclick = function () { focusPane(id); };
      list.appendChild(el("li")).appendChild(b);
    });
  }

  // ---- panes -------------------------------------------------------------------
  function ensurePane(item) {
    var pane = state.desk[item.id];
    if (pane) { pane.item = item; updateHead(pane); return pane; }
    var node = $("pane-template").content.firstElementChild.cloneNode(true);
    pane = { item: item, node: node, transcript: node.querySelector(".transcript"), citizenSeq: 0, mine: [] };
    state.desk[item.id] = pane;
    state.lastSeq[item.id] = state.lastSeq[item.id] || 0;
    node.dataset.id = item.id;
    var canned = node.querySelector(".canned");
    config.canned.forEach(function (r) { option(canned, r.code, lang === "en" ? r.title_en : r.title_ar); });
    canned.onchange = function () {
      var r = config.canned.find(function (x) { return x.code === canned.value; });
      if (r) {
        var text = pane.item.language === "en" ? r.text_en : r.text_ar;
        text = text.replace(/\{name\}/g, pane.item.contact.name || "").replace(/\{reference\}/g, pane.reference || "");
        node.querySelector("textarea").value = text;
      }
      canned.value = "";
    };
    var textarea = node.querySelector("textarea"), typingTimer = null, typing = false;
    textarea.addEventListener("input", function () {
      if (!typing) { typing = true; live.send({ type: "typing", conversation: item.id, active: true }); }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing = false; live.send({ type: "typing", conversation: item.id, active: false }); }, 2500);
    });
    node.querySelector(".composer").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = textarea.value.trim();
      if (!text) return;
      var frame = { type: "send", conversation: item.id, text: text, client_id: uid(), internal: node.querySelector(".internal").checked };
      if (live.send(frame)) { textarea.value = ""; node.querySelector(".internal").checked = false; }
    });
    node.addEventListener("click", function (event) {
      focusPane(item.id);
      var action = event.target.dataset && event.target.dataset.action;
      if (action) act(action, item.id);
    });
    $("panes").appendChild(node);
    updateHead(pane);
    return pane;
  }
  function updateHead(pane) {
    var item = pane.item;
    pane.node.querySelector(".pane-name").textContent = item.contact.name || "—";
    pane.node.querySelector(".pane-meta").textContent = [item.channel, item.language, item.contact.phone, item.state].filter(Boolean).join(" · ");
    pane.node.classList.toggle("offered", item.state === "offered");
    pane.node.querySelector(".composer").hidden = item.state === "offered";
  }
  function removePane(id) {
    var pane = state.desk[id];
    if (pane) pane.node.remove();
    delete state.desk[id]; delete state.unread[id]; delete state.lastSeq[id];
    if (state.active === id) state.active = null;
    renderTabs();
  }
  function focusPane(id) {
    state.active = id;
    state.unread[id] = 0;
    Object.keys(state.desk).forEach(function (k) { state.desk[k].node.classList.toggle("active", k === id); });
    markRead(id);
    renderTabs();
  }
  function markRead(id) {
    var pane = state.desk[id];
    if (pane && pane.citizenSeq && pane.item.state !== "offered" && !document.hidden) {
      live.send({ type: "read", conversation: id, seq: pane.citizenSeq });
    }
  }
  function eventText(m) {
    var label = S["event_" + m.event] || m.event, d = m.data || {};
    var who = d.agent_name || d.to || d.disposition || d.reason || "";
    if (m.event === "transferred") who = (d.from || "") + " → " + (d.to === "queue" ? (d.skill || "queue") : d.to || "");
    return label + (who ? " " + who : "");
  }
  function appendMessage(id, m) {
    var pane = state.desk[id];
    if (!pane || m.seq <= state.lastSeq[id]) return;
    state.lastSeq[id] = m.seq;
    var li = el("li", { "class": "msg msg-" + m.sender + (m.internal ? " msg-note" : ""), "data-seq": m.seq });
    if (m.sender === "system") {
      li.textContent = eventText(m);
    } else {
      if (m.internal) li.appendChild(el("span", { "class": "tag" }, S.note));
      if (m.agent_name && m.sender === "agent") li.appendChild(el("span", { "class": "who" }, m.agent_name));
      if (m.text) li.appendChild(el("p", { dir: "auto" }, m.text));
      (m.attachments || []).forEach(function (a) {
        if ((a.content_type || "").indexOf("image/") === 0) {
          var link = el("a", { href: a.url, target: "_blank", rel: "noopener" });
          link.appendChild(el("img", { src: a.url, alt: a.name || "", loading: "lazy", "class": "thumb" }));
          li.appendChild(link);
        } else {
          li.appendChild(el("a", { href: a.url, target: "_blank", rel: "noopener" }, a.name || a.url));
        }
      });
      if (m.location) {
        var href = "https://www.openstreetmap.org/?mlat=" + m.location.lat + "&mlon=" + m.location.lng + "#map=17/" + m.location.lat + "/" + m.location.lng;
        li.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer", "class": "map-link" }, "📍 " + S.map));
      }
    }
    li.appendChild(el("time", { datetime: m.created_at }, new Date(m.created_at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })));
    pane.transcript.appendChild(li);
    pane.transcript.scrollTop = pane.transcript.scrollHeight;
    if (m.sender === "citizen") {
      pane.citizenSeq = m.seq;
      if (state.active === id && !document.hidden) markRead(id);
      else { state.unread[id] = (state.unread[id] || 0) + 1; renderTabs(); }
      pane.node.querySelector(".typing").hidden = true;
    }
  }
  function showHistory(frame) {
    var pane = state.desk[frame.conversation];
    if (!pane) return;
    var box = pane.node.querySelector(".history");
    box.replaceChildren(el("h3", {}, S.history));
    box.appendChild(el("h4", {}, S.tickets));
    var tickets = box.appendChild(el("ul", { "class": "plain" }));
    frame.tickets.forEach(function (t) { tickets.appendChild(el("li", {}, t.reference + " · " + t.category + " · " + t.status)); });
    if (!frame.tickets.length) tickets.appendChild(el("li", { "class": "muted" }, S.nothing));
    box.appendChild(el("h4", {}, S.conversations));
    var convs = box.appendChild(el("ul", { "class": "plain" }));
    frame.conversations.forEach(function (c) { convs.appendChild(el("li", {}, c.created_at.slice(0, 10) + " · " + c.channel + " · " + c.state + (c.subject ? " · " + c.subject : ""))); });
    if (!frame.conversations.length) convs.appendChild(el("li", { "class": "muted" }, S.nothing));
    box.hidden = !box.hidden && box.dataset.shown === "1";
    box.dataset.shown = "1";
    box.hidden = false;
  }

  // ---- actions -----------------------------------------------------------------
  var dialogFor = null;
  function act(action, id) {
    dialogFor = id;
    if (action === "history") live.send({ type: "history", conversation: id });
    else if (action === "ticket") live.send({ type: "ticket_prefill", conversation: id });
    else if (action === "transfer") { trf.reset(); $("transfer-dialog").showModal(); }
    else if (action === "wrap_up") live.send({ type: "wrap_up", conversation: id });
    else if (action === "close") { cf.reset(); $("close-dialog").showModal(); }
  }
  $("ticket-dialog").addEventListener("close", function () {
    if (this.returnValue !== "save" || !dialogFor) return;
    var data = {};
    ["name", "phone", "category", "section", "priority", "subject", "description", "latitude", "longitude", "address"].forEach(function (k) { data[k] = tf[k].value; });
    live.send({ type: "ticket_create", conversation: dialogFor, ticket: data });
  });
  $("transfer-dialog").addEventListener("close", function () {
    if (this.returnValue !== "save" || !dialogFor) return;
    var frame = { type: "transfer", conversation: dialogFor, note: trf.note.value };
    if (trf.to_agent.value) frame.to_agent = parseInt(trf.to_agent.value, 10);
    else if (trf.to_skill.value) frame.to_skill = trf.to_skill.value;
    live.send(frame);
  });
  $("close-dialog").addEventListener("close", function () {
    if (this.returnValue !== "save" || !dialogFor) return;
    live.send({ type: "close", conversation: dialogFor, disposition: cf.disposition.value });
  });
  function openTicketForm(t) {
    tf.reset();
    Object.keys(t).forEach(function (k) { if (tf[k] && t[k] !== null) tf[k].value = t[k]; });
    // Only a confident suggestion comes pre-selected; otherwise the agent chooses.
    var hint = $("ticket-suggestions");
    var named = (t.suggestions || []).map(function (s) {
      return s.probability === null ? s.name : s.name + " (" + Math.round(s.probability * 100) + " %)";
    });
    hint.textContent = named.length ? hint.dataset.template.replace("%s", named.join(" · ")) : "";
    tf.querySelector(".error").textContent = "";
    $("ticket-dialog").showModal();
  }

  // ---- frames from the server ----------------------------------------------------
  function applySnapshot(f) {
    $("presence").value = f.agent.presence;
    state.agentsMayPick = f.agents_may_pick;
    state.offers = f.offers; state.queue = f.queue;
    var keep = {};
    f.offers.concat(f.conversations).forEach(function (item) { keep[item.id] = true; ensurePane(item); });
    Object.keys(state.desk).forEach(function (id) { if (!keep[id]) removePane(id); });
    renderOffers(); renderQueue(); renderTabs();
  }
  function onFrame(f) {
    switch (f.type) {
      case "snapshot": applySnapshot(f); break;
      case "message": appendMessage(f.conversation, f.message); break;
      case "queue": state.queue = f.queue; if (f.reason === "settings") live.send({ type: "resume", conversations: state.lastSeq }); renderQueue(); break;
      case "offer.new":
        state.offers = state.offers.filter(function (o) { return o.id !== f.conversation; }).concat([f.item]);
        ensurePane(f.item); renderOffers(); break;
      case "assignment.new":
        state.offers = state.offers.filter(function (o) { return o.id !== f.conversation; });
        ensurePane(f.item); renderOffers(); focusPane(f.conversation); break;
      case "offer.withdrawn":
        state.offers = state.offers.filter(function (o) { return o.id !== f.conversation; });
        removePane(f.conversation); renderOffers(); break;
      case "assignment.ended": removePane(f.conversation); break;
      case "conversation.state":
        if (state.desk[f.conversation]) { state.desk[f.conversation].item.state = f.state; updateHead(state.desk[f.conversation]); }
        break;
      case "typing":
        if (state.desk[f.conversation] && f.sender_kind === "citizen") {
          var t = state.desk[f.conversation].node.querySelector(".typing");
          t.textContent = S.typing; t.hidden = !f.active;
        }
        break;
      case "message.receipt":
        var pane = state.desk[f.conversation];
        if (pane) pane.transcript.querySelectorAll(".msg-agent").forEach(function (li) {
          if (parseInt(li.dataset.seq, 10) <= f.seq) li.classList.add("read");
        });
        break;
      case "presence.changed": if (f.agent === config.user_id) $("presence").value = f.presence; break;
      case "history": showHistory(f); break;
      case "ticket_prefill": openTicketForm(f.ticket); break;
      case "ticket_created":
        if (state.desk[f.conversation]) state.desk[f.conversation].reference = f.reference;
        flash(S.ticket_created + " " + f.reference); break;
      case "error": flash(f.message, true); break;
    }
  }
  function flash(text, isError) {
    var box = $("link-state");
    box.textContent = text;
    box.classList.toggle("error", !!isError);
  }

  live = window.NidaaLive("/ws/agent/", {
    onOpen: function (send) { send({ type: "resume", conversations: state.lastSeq }); },
    onFrame: onFrame,
    status: function (up) {
      var box = $("link-state");
      box.textContent = up ? S.connected : S.reconnecting;
      box.classList.toggle("error", !up);
      document.body.classList.toggle("offline", !up);
    }
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden && state.active) markRead(state.active); });
  setInterval(renderQueue, 15000);
})();
