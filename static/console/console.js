/* The agent console: queue, offers, conversations side by side, over /ws/agent/. */
"use strict";
(function () {
  var config = JSON.parse(document.getElementById("console-config").textContent);
  var S = config.strings, L = config.labels || {}, lang = config.language || "ar";
  var rtl = document.documentElement.dir === "rtl";
  var numbers = new Intl.NumberFormat(lang === "ar" ? "ar-u-nu-latn" : "en");
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
  // A code from the wire as a person reads it (never the raw code).
  function lbl(table, code) { return code ? ((L[table] || {})[code] || S.other) : ""; }
  function ltr(text) { return el("bdi", { dir: "ltr" }, text); }
  function secondsLeft(iso) { return iso ? Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000)) : null; }
  function draftKey(id) { return "nidaa-draft:" + id; }
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
      li.appendChild(el("span", { "class": "muted" }, " " + [lbl("channel", item.channel), lbl("language", item.language), item.skill].filter(Boolean).join(" · ")));
      li.appendChild(el("p", { "class": "countdown", "data-expires": item.offer_expires_at || "" }));
      var accept = el("button", { type: "button", "class": "primary", "data-accept": item.id }, S.accept);
      var decline = el("button", { type: "button", "class": "secondary" }, S.decline);
      accept.onclick = function () { live.send({ type: "accept", conversation: item.id }); };
      decline.onclick = function () { live.send({ type: "decline", conversation: item.id }); };
      li.appendChild(el("div", { "class": "row" })).append(accept, decline);
      list.appendChild(li);
    });
    tickCountdowns();
  }
  function tickCountdowns() {
    document.querySelectorAll("#offers .countdown").forEach(function (node) {
      var left = secondsLeft(node.dataset.expires);
      node.textContent = left === null ? "" : S.expires + " " + numbers.format(left) + " " + S.seconds;
      node.classList.toggle("urgent", left !== null && left <= 10);
    });
  }
  // A new offer is heard and, when the page is not in front, shown by the system.
  var audio = null;
  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound device: the list and the title still show it */ }
  }
  function announceOffer(item) {
    chime();
    if (!("Notification" in window) || Notification.permission !== "granted" || !document.hidden) return;
    var left = secondsLeft(item.offer_expires_at);
    var body = (item.contact.name || "—") + " · " + lbl("channel", item.channel) + (left === null ? "" : " · " + S.expires + " " + numbers.format(left) + " " + S.seconds);
    var note = new Notification(S.new_offer, { body: body, tag: "offer-" + item.id, requireInteraction: true });
    note.onclick = function () { window.focus(); note.close(); };
    var timer = setInterval(function () {
      if (!state.offers.some(function (o) { return o.id === item.id; })) { note.close(); clearInterval(timer); }
    }, 1000);
  }
  function askToNotify() {
    if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
  }
  function renderQueue() {
    var list = $("queue"); list.replaceChildren();
    $("queue-count").textContent = state.queue.length;
    if (!state.queue.length) list.appendChild(el("li", { "class": "muted" }, S.nothing));
    state.queue.forEach(function (item) {
      var li = el("li", { "class": "queued" });
      li.appendChild(el("span", {}, (item.contact.name || "—") + " · " + lbl("channel", item.channel) + " · " + waited(item.queued_at)));
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
      var b = el("button", { type: "button", "class": "tab" + (state.active === id ? " active" : "") + (pane.item.state === "closed" ? " ended" : "") });
      b.appendChild(el("strong", {}, pane.item.contact.name || "—"));
      if (state.unread[id]) b.appendChild(el("span", { "class": "badge", "aria-label": S.unread }, numbers.format(state.unread[id])));
      var last = pane.last;
      b.appendChild(el("span", { "class": "last muted", dir: "auto" }, last ? last.text : S.no_messages));
      // Waiting: the citizen wrote last and nobody has answered yet.
      if (last && last.sender === "citizen") b.appendChild(el("span", { "class": "waited" }, S.waiting + " " + waited(last.at)));
      b.onclick = function () { focusPane(id); };
      list.appendChild(el("li")).appendChild(b);
    });
  }

  // ---- panes -------------------------------------------------------------------
  function ensurePane(item) {
    var pane = state.desk[item.id];
    if (pane) {
      if (!item.tickets) item.tickets = pane.item.tickets;
      pane.item = item; updateHead(pane); return pane;
    }
    var node = $("pane-template").content.firstElementChild.cloneNode(true);
    pane = { item: item, node: node, transcript: node.querySelector(".transcript"), citizenSeq: 0, mine: [] };
    state.desk[item.id] = pane;
    state.lastSeq[item.id] = state.lastSeq[item.id] || 0;
    node.dataset.id = item.id;
    var canned = node.querySelector(".canned");
    var textarea = node.querySelector("textarea"), typingTimer = null, typing = false;
    textarea.value = sessionStorage.getItem(draftKey(item.id)) || "";
    canned.addEventListener("change", function () {
      var wanted = canned.value.trim();
      var r = config.canned.find(function (x) { return x.title_ar === wanted || x.title_en === wanted || x.code === wanted; });
      if (r) {
        var text = pane.item.language === "en" ? r.text_en : r.text_ar;
        var reference = (pane.item.tickets || []).map(function (t) { return t.reference; }).pop() || "";
        text = text.replace(/\{name\}/g, pane.item.contact.name || "").replace(/\{reference\}/g, reference);
        textarea.value = text;
        sessionStorage.setItem(draftKey(item.id), text);
        canned.value = "";
        textarea.focus();
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        node.querySelector(".composer").requestSubmit();
      } else if (event.key === "/" && !textarea.value) {
        event.preventDefault();  // "/" in an empty reply searches the canned replies
        canned.focus();
      }
    });
    textarea.addEventListener("input", function () {
      sessionStorage.setItem(draftKey(item.id), textarea.value);
      if (!typing) { typing = true; live.send({ type: "typing", conversation: item.id, active: true }); }
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () { typing = false; live.send({ type: "typing", conversation: item.id, active: false }); }, 2500);
    });
    node.querySelector(".composer").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = textarea.value.trim();
      if (!text) return;
      var frame = { type: "send", conversation: item.id, text: text, client_id: uid(), internal: node.querySelector(".internal").checked };
      if (live.send(frame)) {
        textarea.value = ""; sessionStorage.removeItem(draftKey(item.id));
        node.querySelector(".internal").checked = false;
      }
    });
    node.querySelector(".attach-file").addEventListener("change", function () {
      var input = this, file = input.files[0];
      if (!file) return;
      var body = new FormData();
      body.append("conversation", item.id);
      body.append("file", file);
      body.append("csrfmiddlewaretoken", document.querySelector("#csrf [name=csrfmiddlewaretoken]").value);
      fetch(config.upload_url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.json().then(function (data) { return { ok: response.ok, data: data }; }); })
        .then(function (answer) {
          input.value = "";
          if (!answer.ok) { flash(answer.data.error || S.upload_failed, true); return; }
          var frame = { type: "send", conversation: item.id, text: textarea.value.trim(), client_id: uid(), attachment_ids: [answer.data.id], internal: node.querySelector(".internal").checked };
          if (live.send(frame)) { textarea.value = ""; sessionStorage.removeItem(draftKey(item.id)); }
        })
        .catch(function () { input.value = ""; flash(S.upload_failed, true); });
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
    var item = pane.item, node = pane.node, ended = item.state === "closed";
    node.querySelector(".pane-name").textContent = item.contact.name || "—";
    var meta = node.querySelector(".pane-meta");
    meta.replaceChildren(document.createTextNode([lbl("channel", item.channel), lbl("language", item.language), lbl("state", item.state)].join(" · ")));
    if (item.contact.phone) meta.append(" · ", ltr(item.contact.phone));
    var links = node.querySelector(".pane-tickets");
    links.replaceChildren();
    (item.tickets || []).forEach(function (t) {
      var a = el("a", { href: t.url, target: "_blank", rel: "noopener", "class": "ticket-link" });
      a.append(S.ticket_link + " ", ltr(t.reference));
      links.appendChild(a);
    });
    node.classList.toggle("offered", item.state === "offered");
    node.classList.toggle("ended", ended);
    // No reply box before the offer is accepted, nor after the citizen left.
    node.querySelector(".composer").hidden = item.state === "offered" || ended;
    node.querySelector(".ended-note").hidden = !ended;
    node.querySelectorAll("[data-action=transfer], [data-action=wrap_up]").forEach(function (b) { b.hidden = ended || item.state === "offered"; });
    node.querySelectorAll("[data-action=ticket], [data-action=close]").forEach(function (b) { b.hidden = item.state === "offered"; });
  }
  function removePane(id) {
    var pane = state.desk[id];
    if (pane) pane.node.remove();
    delete state.desk[id]; delete state.unread[id]; delete state.lastSeq[id];
    sessionStorage.removeItem(draftKey(id));
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
  function skillName(code) {
    var found = config.skills.find(function (k) { return k.code === code; });
    return found ? found.name : S.queue;
  }
  function eventText(m) {
    var d = m.data || {}, arrow = rtl ? " ← " : " → ";
    var parts = [lbl("event", m.event)];
    if (m.event === "transferred") parts.push((d.from || "") + arrow + (d.to === "queue" ? skillName(d.skill) : d.to || ""));
    else if (d.agent_name) parts.push(d.agent_name);
    if (m.event === "opened" && d.channel) parts.push("· " + lbl("channel", d.channel));
    var why = [];
    if (d.disposition) why.push(lbl("disposition", d.disposition));
    if (d.reason && d.reason !== d.disposition) why.push(lbl("reason", d.reason));
    return parts.join(" ") + (why.length ? " (" + why.join(rtl ? "، " : ", ") + ")" : "");
  }
  function messageText(m) {
    // The assistant's hand-over note is written in every staff language.
    if (m.event === "assistant_summary" && m.data && m.data.texts) return m.data.texts[lang] || m.text;
    return m.text;
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
      if (m.event === "assistant_summary") li.appendChild(el("span", { "class": "tag" }, lbl("sender", "bot")));
      var shown = messageText(m);
      if (shown) li.appendChild(el("p", { dir: "auto" }, shown));
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
    if (m.sender !== "system" && !m.internal) {
      var attached = (m.attachments || []).map(function (a) { return a.name; }).join(" ");
      pane.last = { text: (messageText(m) || attached || "📍").slice(0, 60), at: m.created_at, sender: m.sender };
      renderTabs();
    }
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
    frame.tickets.forEach(function (t) {
      var li = tickets.appendChild(el("li"));
      var ref = t.url ? el("a", { href: t.url, target: "_blank", rel: "noopener" }) : el("span");
      ref.appendChild(ltr(t.reference));
      li.append(ref, " · " + t.category + " · " + t.status);
    });
    if (!frame.tickets.length) tickets.appendChild(el("li", { "class": "muted" }, S.nothing));
    box.appendChild(el("h4", {}, S.conversations));
    var convs = box.appendChild(el("ul", { "class": "plain" }));
    frame.conversations.forEach(function (c) {
      var li = convs.appendChild(el("li"));
      li.append(ltr(new Date(c.created_at).toLocaleDateString(lang === "ar" ? "ar-u-nu-latn" : "en-GB")), " · " + c.channel + " · " + c.state);
      if (c.subject) li.appendChild(el("span", { dir: "auto" }, " · " + c.subject));
    });
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
    if (tf.another.checked) data.another = true;
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
    // A chat the citizen ended leaves the desk once its wrap-up is recorded.
    if (state.desk[dialogFor] && state.desk[dialogFor].item.state === "closed") removePane(dialogFor);
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
    // Already converted: say so, and register a second ticket only if the agent ticks it.
    var existing = t.existing || [], warn = $("ticket-existing");
    warn.hidden = !existing.length;
    tf.another.required = existing.length > 0;
    tf.another.checked = false;
    var refs = warn.querySelector(".refs"); refs.replaceChildren();
    existing.forEach(function (e) {
      var a = el("a", { href: e.url, target: "_blank", rel: "noopener" }); a.appendChild(ltr(e.reference));
      refs.append(a, " ");
    });
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
        ensurePane(f.item); renderOffers(); announceOffer(f.item); break;
      case "assignment.new":
        state.offers = state.offers.filter(function (o) { return o.id !== f.conversation; });
        ensurePane(f.item); renderOffers(); focusPane(f.conversation); break;
      case "offer.withdrawn":
        state.offers = state.offers.filter(function (o) { return o.id !== f.conversation; });
        removePane(f.conversation); renderOffers(); break;
      case "assignment.ended":
        // The citizen left: the pane stays for the wrap-up and a ticket.
        if (f.reason === "citizen_ended" && state.desk[f.conversation]) {
          state.desk[f.conversation].item.state = "closed";
          updateHead(state.desk[f.conversation]); renderTabs();
        } else removePane(f.conversation);
        break;
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
        var owner = state.desk[f.conversation];
        if (owner) {
          owner.item.tickets = (owner.item.tickets || []).concat([{ reference: f.reference, url: f.url }]);
          updateHead(owner);
        }
        flash(S.ticket_created + " " + f.reference); break;
      case "error":
        if (f.frame === "ticket_create" && f.code === "ticket_exists") {
          live.send({ type: "ticket_prefill", conversation: f.conversation });
        }
        flash(f.message, true); break;
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
  setInterval(function () { renderQueue(); renderTabs(); }, 15000);
  setInterval(tickCountdowns, 1000);
  $("presence").addEventListener("change", askToNotify);
})();
