/*
 * Nidaa chat widget: one script tag puts the contact center's live chat on a page.
 *
 *   <script src="https://HOST/static/chat/widget.js" defer
 *           data-lang="ar" data-position="end" data-desk=""></script>
 *
 * data-lang      "ar" (default: the page's language, else Arabic) or "en"
 * data-position  "end" (default: the reading end, left in Arabic) or "start"
 * data-desk      a service desk (skill code such as "tourism"); empty for the general desk
 *
 * Plain JavaScript, no build step, no framework. It talks to the server that
 * served this file: HTTP under /chat/api/ and the WebSocket at /ws/chat/
 * (docs/protocol.md). The pre-chat form opens the socket and sends "start" on
 * it; later connections resume with "hello". Text from people is only ever put
 * on the page with textContent; links are built as elements after checking
 * their protocol.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.NidaaChat) return;
  window.NidaaChat = {};

  var SERVER = new URL(script.src, window.location.href).origin;
  var WS_URL = SERVER.replace(/^http/, "ws") + "/ws/chat/";
  var MAX_IMAGE_BYTES = 8 * 1024 * 1024;
  var MAX_TEXT = 4000;
  var START_TIMEOUT_MS = 20000; // the pre-chat form waits this long for "started"
  var pageLang = (script.getAttribute("data-lang") || document.documentElement.lang || "ar");
  var config = {
    lang: pageLang.slice(0, 2) === "en" ? "en" : "ar",
    position: script.getAttribute("data-position") === "start" ? "start" : "end",
    desk: (script.getAttribute("data-desk") || "").slice(0, 50)
  };
  var STORAGE_KEY = "nidaa.chat." + (config.desk || "general");

  var STRINGS = {
    ar: {
      launcher: "تحدث معنا",
      title: "مركز الاتصال 1111",
      minimise: "إغلاق نافذة المحادثة",
      end: "إنهاء المحادثة",
      endConfirm: "هل تريد إنهاء هذه المحادثة؟",
      connecting: "جارٍ الاتصال…",
      reconnecting: "انقطع الاتصال. جارٍ إعادة الاتصال…",
      prechatIntro: "عرّفنا بنفسك وسنصلك بأحد موظفي مركز الاتصال.",
      name: "الاسم",
      phone: "رقم الهاتف النقال (اختياري، لنرسل لك رقم البلاغ برسالة نصية)",
      language: "اللغة",
      recorded: "نسجّل هذه المحادثة (اسمك ورقمك ورسائلك وملفاتك) للرد عليك ومتابعة بلاغك وقياس جودة الخدمة، ونحذف نصوصها بعد مدة الحفظ المبيّنة في إشعار الخصوصية (سنتان ما لم يُذكر غير ذلك).",
      privacy: "إشعار الخصوصية",
      start: "ابدأ المحادثة",
      closedIntro: "المحادثة المباشرة مغلقة الآن (تعمل من {opens} إلى {closes} في أيام العمل). اترك رسالتك وستُسجَّل بلاغاً يتابعه فريقنا.",
      noAgentsIntro: "لا يوجد موظف متاح الآن. اترك رسالتك وستُسجَّل بلاغاً يتابعه فريقنا.",
      assistantIntro: "المساعد الآلي يجيبك الآن، ليلاً ونهاراً: حالة بلاغ، إجراءات الخدمات، الإبلاغ عن مشكلة. يرد الموظفون من {opens} إلى {closes} في أيام العمل.",
      assistantBusyIntro: "المساعد الآلي يجيبك الآن، وسيصلك بأحد الموظفين متى طلبت ذلك.",
      prechatEmail: "البريد الإلكتروني (اختياري، لنرسل لك تحديثات بلاغك ونص المحادثة)",
      quickReplies: "اختر إجابة",
      notice: "تحديث بلاغك",
      yourMessage: "رسالتك",
      leave: "أرسل الرسالة",
      leftDone: "شكراً لك. سُجِّلت رسالتك بالبلاغ رقم {ref}. سنتواصل معك.",
      conversation: "المحادثة",
      placeholder: "اكتب رسالتك…",
      send: "إرسال",
      photo: "إرسال صورة",
      location: "مشاركة موقعي",
      you: "أنت",
      agent: "الموظف",
      bot: "المساعد",
      sending: "جارٍ الإرسال…",
      sent: "أُرسلت",
      delivered: "وصلت",
      read: "قُرئت",
      failed: "لم تُرسل: {why}",
      retry: "إعادة المحاولة",
      typing: "{name} يكتب…",
      ev_opened: "بدأت المحادثة.",
      ev_queued: "في انتظار موظف.",
      ev_assigned: "انضم {name} إلى المحادثة.",
      ev_transferred: "حُوِّلت المحادثة إلى {name}.",
      ev_agent_left: "غادر {name} المحادثة.",
      ev_closed: "انتهت المحادثة.",
      reference: "رقم بلاغك {ref}.",
      queue: "ترتيبك في قائمة الانتظار {position}، الانتظار المتوقع نحو {minutes} دقيقة.",
      queueSoon: "ترتيبك في قائمة الانتظار {position}.",
      photoAlt: "صورة",
      mapLink: "الموقع على الخريطة",
      locationUnavailable: "تعذّر تحديد موقعك.",
      imageTooLarge: "الصورة كبيرة جداً (الحد 8 ميغابايت).",
      notImage: "اختر ملف صورة.",
      error: "حدث خطأ. حاول مرة أخرى.",
      rateTitle: "كيف كانت المحادثة؟",
      stars: ["1 – سيئة جداً", "2 – سيئة", "3 – مقبولة", "4 – جيدة", "5 – ممتازة"],
      comment: "تعليق (اختياري)",
      rateSend: "أرسل التقييم",
      rated: "شكراً لتقييمك.",
      transcriptTitle: "أرسل لي نص المحادثة بالبريد الإلكتروني",
      email: "البريد الإلكتروني",
      transcriptSend: "أرسل",
      transcriptSent: "أُرسل نص المحادثة إلى بريدك.",
      transcriptCode: "أرسلنا رمزاً من 6 أرقام إلى {email}. اكتبه هنا لنرسل نص المحادثة إلى هذا العنوان.",
      code: "رمز التأكيد",
      newChat: "ابدأ محادثة جديدة",
      errors: {
        invalid_phone: "رقم الهاتف غير صحيح. مثال: 9123 4567",
        missing_name: "اكتب اسمك.",
        too_long: "الرسالة طويلة جداً (الحد 4000 حرف).",
        rate_limited: "تمهّل قليلاً ثم حاول مرة أخرى.",
        conversation_closed: "انتهت هذه المحادثة.",
        invalid_email: "اكتب بريداً إلكترونياً صحيحاً.",
        wrong_code: "الرمز غير صحيح. راجع رسالة البريد التي أرسلناها وحاول مرة أخرى.",
        missing_email: "اكتب بريدك الإلكتروني.",
        cannot_connect: "تعذّر الاتصال بمركز الاتصال. تحقّق من اتصالك بالإنترنت ثم حاول مرة أخرى."
      }
    },
    en: {
      launcher: "Chat with us",
      title: "Contact center 1111",
      minimise: "Close the chat window",
      end: "End chat",
      endConfirm: "End this chat?",
      connecting: "Connecting…",
      reconnecting: "Connection lost. Reconnecting…",
      prechatIntro: "Tell us who you are and we will connect you to an agent of the contact center.",
      name: "Your name",
      phone: "Mobile number (optional, for your report number by SMS)",
      language: "Language",
      recorded: "We record this conversation (your name, number, messages and files) to answer you, follow up your report and check our quality; its texts are deleted after the period in our privacy notice (two years unless it says otherwise).",
      privacy: "Privacy notice",
      start: "Start chat",
      closedIntro: "The live chat is closed now (open {opens}–{closes} on working days). Leave us a message and it will be registered as a report for our team.",
      noAgentsIntro: "No agent is available right now. Leave us a message and it will be registered as a report for our team.",
      assistantIntro: "Our virtual assistant answers now, day and night: report status, service procedures, reporting a problem. Staff answer {opens}–{closes} on working days.",
      assistantBusyIntro: "Our virtual assistant answers now and connects you to a staff member whenever you ask.",
      prechatEmail: "E-mail (optional, for updates on your report and the transcript)",
      quickReplies: "Choose an answer",
      notice: "Update on your report",
      yourMessage: "Your message",
      leave: "Send message",
      leftDone: "Thank you. Your message was recorded as report {ref}. We will contact you.",
      conversation: "Conversation",
      placeholder: "Write a message…",
      send: "Send",
      photo: "Send a photo",
      location: "Share my location",
      you: "You",
      agent: "Agent",
      bot: "Assistant",
      sending: "Sending…",
      sent: "Sent",
      delivered: "Delivered",
      read: "Read",
      failed: "Not sent: {why}",
      retry: "Try again",
      typing: "{name} is typing…",
      ev_opened: "Chat started.",
      ev_queued: "Waiting for an agent.",
      ev_assigned: "{name} joined the chat.",
      ev_transferred: "You were transferred to {name}.",
      ev_agent_left: "{name} left the chat.",
      ev_closed: "The chat has ended.",
      reference: "Your report number is {ref}.",
      queue: "You are number {position} in the queue, about {minutes} minutes.",
      queueSoon: "You are number {position} in the queue.",
      photoAlt: "Photo",
      mapLink: "Location on the map",
      locationUnavailable: "Your location could not be found.",
      imageTooLarge: "The image is too large (at most 8 MB).",
      notImage: "Choose an image file.",
      error: "Something went wrong. Try again.",
      rateTitle: "How was your chat?",
      stars: ["1 – very poor", "2 – poor", "3 – fair", "4 – good", "5 – excellent"],
      comment: "Comment (optional)",
      rateSend: "Send rating",
      rated: "Thank you for your rating.",
      transcriptTitle: "E-mail me the transcript",
      email: "E-mail address",
      transcriptSend: "Send",
      transcriptSent: "The transcript is on its way to your inbox.",
      transcriptCode: "We sent a 6-digit code to {email}. Enter it here to receive the transcript at that address.",
      code: "Confirmation code",
      newChat: "Start a new chat",
      errors: {
        invalid_phone: "This mobile number is not valid. Example: 9123 4567",
        missing_name: "Tell us your name.",
        too_long: "The message is too long (at most 4,000 characters).",
        rate_limited: "Slow down a little, then try again.",
        conversation_closed: "This chat has ended.",
        invalid_email: "Enter a valid e-mail address.",
        wrong_code: "This code is not right. Check the e-mail we sent you and try again.",
        missing_email: "Enter your e-mail address.",
        cannot_connect: "Could not reach the contact center. Check your internet connection and try again."
      }
    }
  };
  var t = STRINGS[config.lang];

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) {
      return values && values[key] !== undefined ? String(values[key]) : "";
    });
  }

  function errorText(code, fallback) {
    return t.errors[code] || fallback || t.error;
  }

  // ---- DOM helpers: elements and text nodes only, never HTML strings ----------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === false || value === null || value === undefined) return;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var URL_PATTERN = /\bhttps?:\/\/[^\s<>"'\u200f\u200e\u2066-\u2069]+/gi;
  // A reference (MCT-2026-000123), a phone number or a date: one left-to-right island that an
  // Arabic line neither reorders nor breaks (the server's helpdesk/text.py has the same).
  // (U+2011, the non-breaking hyphen of Arabic SMS texts, counts as a hyphen.)
  // A date and time (2026-11-30 07:14) is one island too, taken before a phone number.
  var LTR_RUN = /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?|\b[A-Za-z]{2,6}[-\u2011]\d{4}[-\u2011]\d+\b|\+?\d(?:[\d\s-]{4,}\d)/g;

  // Appends plain ``text`` with its references and phone numbers isolated.
  function appendIsolated(parent, text) {
    var last = 0;
    text.replace(LTR_RUN, function (match, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(el("bdi", { dir: "ltr", className: "nc-ltr", text: match }));
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // Appends ``text`` to ``parent`` with web addresses as safe links.
  function appendLinkified(parent, text) {
    var last = 0;
    text.replace(URL_PATTERN, function (match, offset) {
      var address = match.replace(/[.,;:!?)\]»"'،؛؟]+$/, "");
      appendIsolated(parent, text.slice(last, offset));
      var href = null;
      try {
        var parsed = new URL(address);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") href = parsed.href;
      } catch (e) { href = null; }
      if (href) {
        parent.appendChild(el("bdi", { dir: "ltr" }, [el("a", { href: href, target: "_blank", rel: "nofollow noopener noreferrer", text: address })]));
      } else {
        parent.appendChild(document.createTextNode(address));
      }
      last = offset + address.length;
      return match;
    });
    appendIsolated(parent, text.slice(last));
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function storageGet() {
    try { return JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null"); } catch (e) { return null; }
  }
  function storageSet(value) {
    try {
      if (value) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* private mode: the chat still works until the page is left */ }
  }

  function api(method, path, body) {
    var options = { method: method, headers: { "Accept-Language": config.lang }, credentials: "omit" };
    if (body instanceof FormData) options.body = body;
    else if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(SERVER + path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var error = new Error((data.error && data.error.message) || t.error);
          error.code = data.error && data.error.code;
          throw error;
        }
        return data;
      });
    });
  }

  // ---- styles (static text, scoped under .nidaa-chat) ---------------------------------

  var CSS = [
    ".nidaa-chat{--nc-brand:#0b5d4b;--nc-ink:#1b1f24;--nc-soft:#eef3f1;font:15px/1.5 'Noto Sans Arabic','Noto Sans',Tahoma,system-ui,sans-serif;color:var(--nc-ink)}",
    ".nidaa-chat *{box-sizing:border-box}",
    ".nidaa-chat [hidden]{display:none!important}",
    ".nc-launcher{position:fixed;bottom:16px;z-index:2147483000;min-height:48px;padding:0 20px;border:0;border-radius:24px;background:var(--nc-brand);color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}",
    ".nidaa-chat[data-position=end] .nc-launcher,.nidaa-chat[data-position=end] .nc-panel{inset-inline-end:16px}",
    ".nidaa-chat[data-position=start] .nc-launcher,.nidaa-chat[data-position=start] .nc-panel{inset-inline-start:16px}",
    ".nc-launcher .nc-unread{display:inline-block;min-width:1.4em;margin-inline-start:8px;border-radius:1em;background:#c62828;font-size:13px;text-align:center}",
    ".nc-panel{position:fixed;bottom:76px;z-index:2147483001;display:flex;flex-direction:column;width:380px;max-width:calc(100vw - 16px);height:600px;max-height:calc(100vh - 92px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}",
    ".nc-head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--nc-brand);color:#fff}",
    ".nc-head h2{flex:1;margin:0;font-size:16px}",
    ".nc-head button{min-height:36px;min-width:36px;border:1px solid rgba(255,255,255,.6);border-radius:6px;background:transparent;color:#fff;font:inherit;cursor:pointer}",
    ".nc-body{flex:1;display:flex;flex-direction:column;min-height:0;overflow:auto}",
    ".nc-form{display:flex;flex-direction:column;gap:10px;padding:14px}",
    ".nc-form label{display:flex;flex-direction:column;gap:4px;font-weight:600;font-size:14px}",
    ".nc-form input,.nc-form select,.nc-form textarea,.nc-composer textarea{width:100%;padding:8px;border:1px solid #8a949e;border-radius:6px;font:inherit;color:inherit;background:#fff}",
    ".nc-note{margin:0;font-size:13px;color:#4a545e}",
    ".nc-primary{min-height:44px;border:0;border-radius:6px;background:var(--nc-brand);color:#fff;font:inherit;font-weight:600;cursor:pointer}",
    ".nc-secondary{min-height:40px;border:1px solid var(--nc-brand);border-radius:6px;background:#fff;color:var(--nc-brand);font:inherit;cursor:pointer}",
    ".nc-chat{flex:1;display:flex;flex-direction:column;min-height:0}",
    ".nc-log{flex:1;margin:0;padding:12px;list-style:none;overflow-y:auto;background:var(--nc-soft)}",
    ".nc-msg{max-width:85%;margin:6px 0;padding:8px 10px;border-radius:10px;background:#fff;overflow-wrap:anywhere;white-space:pre-wrap}",
    ".nc-msg.nc-citizen{margin-inline-start:auto;background:#d8efe7}",
    ".nc-msg.nc-notice{margin-inline:auto;max-width:95%;background:#fff4d6}",
    ".nc-text{display:block;unicode-bidi:plaintext}",
    ".nc-ltr{white-space:nowrap}",
    ".nc-quick{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 8px;padding:0;list-style:none}",
    ".nc-quick button{min-height:40px;padding:4px 12px;border:1px solid var(--nc-brand);border-radius:20px;background:#fff;color:var(--nc-brand);font:inherit;cursor:pointer}",
    ".nc-who{display:block;font-size:12px;font-weight:600;color:#4a545e}",
    ".nc-tick{display:block;font-size:11px;color:#4a545e;text-align:end}",
    ".nc-msg.nc-failed{outline:2px solid #c62828}",
    ".nc-msg img{display:block;max-width:100%;max-height:220px;margin-top:4px;border-radius:6px}",
    ".nc-msg a{color:#0a4f8f}",
    ".nc-status{margin:8px auto;font-size:13px;color:#4a545e;text-align:center}",
    ".nc-typing,.nc-queue{margin:0;padding:2px 12px;min-height:1.5em;font-size:13px;color:#4a545e;background:var(--nc-soft)}",
    ".nc-composer{display:flex;flex-wrap:wrap;gap:6px;padding:8px;border-top:1px solid #d0d7de}",
    ".nc-composer textarea{flex:1 1 100%;min-height:44px;max-height:120px;resize:vertical}",
    ".nc-composer button{min-height:40px;padding:0 12px;border-radius:6px;font:inherit;cursor:pointer}",
    ".nc-composer .nc-primary{margin-inline-start:auto}",
    ".nc-banner{margin:0;padding:6px 12px;background:#fff4d6;color:#5c4400;font-size:13px}",
    ".nc-stars{display:flex;flex-wrap:wrap;gap:4px;border:0;margin:0;padding:0}",
    ".nc-stars label{flex-direction:row;align-items:center;font-weight:400}",
    ".nc-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".nidaa-chat :focus-visible{outline:3px solid #f0b400;outline-offset:2px}",
    "@media (max-width:480px){.nc-panel{inset:0!important;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}"
  ].join("\n");

  // ---- the widget --------------------------------------------------------------------

  var state = {
    session: storageGet(), // {token}
    socket: null,
    connected: false,
    started: false,
    lastSeq: 0,
    seen: {},           // seq -> true: never render a message twice
    pending: {},        // client_msg_id -> {frame, node}: sent, not yet acknowledged
    own: {},            // client_msg_id -> node: the citizen's bubbles, to attach the echo to
    pendingOrder: [],
    closed: false,
    retries: 0,
    reconnectTimer: null,
    lastAgentSeq: 0,
    agentName: "",
    typingSentAt: 0,
    typingTimer: null,
    unread: 0,
    availability: null
  };

  var ui = {};

  function build() {
    var style = el("style", { text: CSS });
    ui.unread = el("span", { className: "nc-unread", hidden: true, "aria-hidden": "true" });
    ui.launcher = el("button", {
      type: "button", className: "nc-launcher", "aria-expanded": "false", "aria-controls": "nc-panel",
      onclick: function () { ui.panel.hidden ? open() : close(); }
    }, [t.launcher, ui.unread]);
    ui.title = el("h2", { id: "nc-title", text: t.title });
    ui.endButton = el("button", { type: "button", hidden: true, text: t.end, onclick: endChat });
    ui.closeButton = el("button", { type: "button", "aria-label": t.minimise, title: t.minimise, text: "×", onclick: close });
    ui.banner = el("p", { className: "nc-banner", role: "status", hidden: true });
    ui.body = el("div", { className: "nc-body" });
    ui.panel = el("section", {
      id: "nc-panel", className: "nc-panel", role: "dialog", "aria-labelledby": "nc-title", hidden: true,
      onkeydown: function (event) { if (event.key === "Escape") close(); }
    }, [el("header", { className: "nc-head" }, [ui.title, ui.endButton, ui.closeButton]), ui.banner, ui.body]);
    ui.root = el("div", {
      className: "nidaa-chat", lang: config.lang, dir: config.lang === "ar" ? "rtl" : "ltr",
      "data-position": config.position
    }, [style, ui.launcher, ui.panel]);
    document.body.appendChild(ui.root);
  }

  function show(view) {
    while (ui.body.firstChild) ui.body.removeChild(ui.body.firstChild);
    ui.body.appendChild(view);
  }

  function banner(text) {
    ui.banner.textContent = text || "";
    ui.banner.hidden = !text;
  }

  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "true");
    state.unread = 0;
    ui.unread.hidden = true;
    if (state.session) {
      if (!ui.chat) showChat();
      if (!state.socket) connect();
      scroll(); // the latest messages, not the oldest: the log was laid out while hidden
      sendReadReceipt();
    } else if (!ui.body.firstChild) {
      showStatus();
    }
    focusFirst();
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function focusFirst() {
    var target = ui.body.querySelector("textarea:not([disabled]),input:not([disabled]),button:not([disabled])");
    if (target) target.focus();
  }

  function field(labelText, control) {
    return el("label", {}, [labelText, control]);
  }

  // ---- before the chat: availability, pre-chat form, leaving a message ---------------

  // ``typed``: what the citizen wrote in the form before ({name, phone, language}),
  // carried into the form shown next so that nothing has to be typed twice.
  function showStatus(typed) {
    show(el("p", { className: "nc-note nc-form", role: "status", text: t.connecting }));
    api("GET", "/chat/api/status?desk=" + encodeURIComponent(config.desk)).then(function (status) {
      state.availability = status;
      if (status.mode === "offline") showOffline(status, typed);
      else showPrechat(typed, null, status);
    }, function () {
      if (typed) showPrechat(typed, "cannot_connect");
      else show(el("p", { className: "nc-note nc-form", role: "alert", text: t.error }));
    });
  }

  function languageSelect() {
    var select = el("select", { name: "language" }, [
      el("option", { value: "ar", text: "العربية", lang: "ar" }),
      el("option", { value: "en", text: "English", lang: "en" })
    ]);
    select.value = config.lang;
    return select;
  }

  function formError() {
    return el("p", { className: "nc-note", role: "alert", hidden: true });
  }

  function refill(typed, fields) {
    if (!typed) return;
    Object.keys(fields).forEach(function (key) {
      if (typed[key]) fields[key].value = typed[key];
    });
  }

  // ``problem``: an error code to show at once (the form comes back after a failure).
  // ``status``: the availability answer; in "assistant" mode the intro says who answers now.
  function showPrechat(typed, problem, status) {
    status = status || state.availability || {};
    var name = el("input", { name: "name", required: true, maxlength: "100", autocomplete: "name" });
    var phone = el("input", { name: "phone", type: "tel", maxlength: "40", autocomplete: "tel", inputmode: "tel", dir: "ltr" });
    var email = el("input", { name: "email", type: "email", maxlength: "254", autocomplete: "email", dir: "ltr" });
    var language = languageSelect();
    refill(typed, { name: name, phone: phone, email: email, language: language });
    var intro = t.prechatIntro;
    if (status.mode === "assistant") {
      intro = status.reason === "closed"
        ? fmt(t.assistantIntro, { opens: status.opens, closes: status.closes })
        : t.assistantBusyIntro;
    }
    var error = formError();
    if (problem) {
      error.textContent = errorText(problem);
      error.hidden = false;
    }
    var submit = el("button", { type: "submit", className: "nc-primary", text: t.start });
    var startId = newId(); // the same id on a retry: a start whose answer was lost is found, not repeated
    var form = el("form", {
      className: "nc-form nc-prechat", novalidate: true,
      onsubmit: function (event) {
        event.preventDefault();
        if (submit.disabled) return;
        submit.disabled = true;
        submit.textContent = t.connecting;
        error.hidden = true;
        startChat({
          name: name.value, phone: phone.value, email: email.value, language: language.value,
          desk: config.desk, startId: startId
        }, function (err) {
          submit.disabled = false;
          submit.textContent = t.start;
          if (err.code === "chat_offline") {
            showStatus({ name: name.value, phone: phone.value, email: email.value, language: language.value });
            return;
          }
          error.textContent = errorText(err.code, err.message);
          error.hidden = false;
          if (err.code === "invalid_phone") phone.focus();
          else if (err.code === "invalid_email") email.focus();
          else if (err.code === "cannot_connect") submit.focus();
          else name.focus();
        });
      }
    }, [
      el("p", { className: "nc-note nc-intro", text: intro }),
      field(t.name, name), field(t.phone, phone), field(t.prechatEmail, email), field(t.language, language),
      privacyNote(), error, submit
    ]);
    show(form);
    name.focus();
  }

  function privacyNote() {
    return el("p", { className: "nc-note" }, [
      t.recorded + " ",
      el("a", { href: SERVER + "/privacy/?lang=" + config.lang, target: "_blank", rel: "noopener", text: t.privacy })
    ]);
  }

  function showOffline(status, typed) {
    var intro = status.reason === "closed"
      ? fmt(t.closedIntro, { opens: status.opens, closes: status.closes })
      : t.noAgentsIntro;
    var name = el("input", { name: "name", required: true, maxlength: "100", autocomplete: "name" });
    var phone = el("input", { name: "phone", type: "tel", maxlength: "40", autocomplete: "tel" });
    var text = el("textarea", { name: "text", required: true, maxlength: String(MAX_TEXT), rows: "4" });
    var language = languageSelect();
    refill(typed, { name: name, phone: phone, language: language });
    var error = formError();
    var submit = el("button", { type: "submit", className: "nc-primary", text: t.leave });
    var clientId = newId(); // the same id on a retry: one ticket however often it is sent
    show(el("form", {
      className: "nc-form nc-offline", novalidate: true,
      onsubmit: function (event) {
        event.preventDefault();
        submit.disabled = true;
        error.hidden = true;
        api("POST", "/chat/api/message", {
          name: name.value, phone: phone.value, language: language.value, desk: config.desk,
          text: text.value, client_msg_id: clientId
        }).then(function (data) {
          show(el("p", { className: "nc-form nc-left", role: "status", tabindex: "-1", text: fmt(t.leftDone, { ref: data.reference }) }));
          focusFirst();
        }, function (err) {
          submit.disabled = false;
          error.textContent = errorText(err.code, err.message);
          error.hidden = false;
        });
      }
    }, [
      el("p", { className: "nc-note", text: intro }),
      field(t.name, name), field(t.phone, phone), field(t.yourMessage, text), field(t.language, language),
      privacyNote(), error, submit
    ]));
    if (typed) text.focus(); // the live chat was refused: what is left to write is the message
  }

  // ---- the conversation --------------------------------------------------------------

  function showChat() {
    ui.log = el("ol", { className: "nc-log", role: "log", "aria-live": "polite", "aria-label": t.conversation });
    ui.typing = el("p", { className: "nc-typing", "aria-live": "polite" });
    ui.queue = el("p", { className: "nc-queue", role: "status", hidden: true });
    ui.input = el("textarea", {
      "aria-label": t.placeholder, placeholder: t.placeholder, maxlength: String(MAX_TEXT), rows: "2",
      oninput: onTyping,
      onkeydown: function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          sendText();
        }
      }
    });
    ui.file = el("input", { type: "file", accept: "image/*", className: "nc-sr", tabindex: "-1", "aria-hidden": "true", onchange: onFile });
    ui.composer = el("form", { className: "nc-composer", onsubmit: function (event) { event.preventDefault(); sendText(); } }, [
      ui.input,
      el("button", { type: "button", className: "nc-secondary", text: t.photo, onclick: function () { ui.file.click(); } }),
      el("button", { type: "button", className: "nc-secondary", text: t.location, onclick: shareLocation }),
      el("button", { type: "submit", className: "nc-primary", text: t.send }),
      ui.file
    ]);
    ui.after = el("div", { className: "nc-after", hidden: true });
    ui.chat = el("div", { className: "nc-chat" }, [ui.log, ui.queue, ui.typing, ui.composer, ui.after]);
    ui.endButton.hidden = false;
    show(ui.chat);
  }

  function parseFrame(data) {
    try { return JSON.parse(data); } catch (e) { return null; }
  }

  // The pre-chat form on the socket: "start" opens the conversation, "started" brings
  // its token, and the same connection carries the chat on (welcome, replay, live).
  // ``failed({code, message})`` when it did not start: an error frame, or the socket
  // could not open or closed first (code "cannot_connect").
  function startChat(fields, failed) {
    var socket;
    try {
      socket = new WebSocket(WS_URL);
    } catch (e) {
      failed({ code: "cannot_connect" });
      return;
    }
    var settled = false;
    var timer = setTimeout(function () { fail({ code: "cannot_connect" }); }, START_TIMEOUT_MS);
    function fail(error) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.onclose = null;
      socket.close();
      failed(error);
    }
    socket.onopen = function () {
      socket.send(JSON.stringify({
        type: "start", name: fields.name, phone: fields.phone, email: fields.email,
        language: fields.language, desk: fields.desk, start_id: fields.startId
      }));
    };
    socket.onmessage = function (event) {
      var frame = parseFrame(event.data);
      if (!frame || settled) return;
      if (frame.type === "started") {
        settled = true;
        clearTimeout(timer);
        state.session = { token: frame.token, email: fields.email || "" };
        storageSet(state.session);
        showChat();
        listen(socket);
        if (!ui.panel.hidden) ui.input.focus();
      } else if (frame.type === "error") {
        fail(frame);
      }
    };
    socket.onclose = function () { fail({ code: "cannot_connect" }); };
  }

  // A later connection (reload, network change): resume with the token and last seq.
  function connect() {
    if (!state.session) return;
    clearTimeout(state.reconnectTimer);
    var socket = new WebSocket(WS_URL);
    listen(socket);
    socket.onopen = function () {
      socket.send(JSON.stringify({ type: "hello", token: state.session.token, last_seq: state.lastSeq }));
    };
  }

  function listen(socket) {
    state.socket = socket;
    socket.onmessage = function (event) {
      var frame = parseFrame(event.data);
      if (frame) handle(frame);
    };
    socket.onclose = function () {
      if (state.socket !== socket) return;
      state.socket = null;
      state.connected = false;
      if (!state.session) return;
      banner(t.reconnecting);
      var delay = Math.min(15000, 1000 * Math.pow(2, state.retries)) + Math.random() * 500;
      state.retries += 1;
      state.reconnectTimer = setTimeout(connect, delay);
    };
  }

  function send(frame) {
    if (state.socket && state.connected) state.socket.send(JSON.stringify(frame));
  }

  function handle(frame) {
    switch (frame.type) {
      case "welcome":
        state.connected = true;
        state.retries = 0;
        state.agentName = frame.agent_name || "";
        banner("");
        state.pendingOrder.forEach(function (id) { send(state.pending[id].frame); });
        if (frame.state === "closed") showAfter();
        break;
      case "message": render(frame.message); break;
      case "ack": acknowledged(frame.client_msg_id, frame.seq); break;
      case "receipt": markReceipts(frame.seq, frame.status); break;
      case "typing":
        ui.typing.textContent = frame.active ? fmt(t.typing, { name: state.agentName || t.agent }) : "";
        break;
      case "state":
        if (frame.state === "closed") showAfter();
        if (frame.state !== "queued") ui.queue.hidden = true;
        break;
      case "queue": showQueue(frame.position, frame.estimated_wait_seconds); break;
      case "rated": thank(ui.rateForm, t.rated); break;
      case "transcript_sent": thank(ui.transcriptForm, t.transcriptSent); break;
      case "transcript_code_sent": askCode(frame.email); break;
      case "ended": showAfter(); break;
      case "error": onError(frame); break;
      default: break;
    }
  }

  function onError(frame) {
    if (frame.code === "invalid_session") {
      forget();
      showStatus();
      return;
    }
    var message = errorText(frame.code, frame.message);
    if (frame.client_msg_id && state.pending[frame.client_msg_id]) {
      failed(frame.client_msg_id, message);
    } else {
      banner(message);
    }
  }

  function who(message) {
    if (message.sender === "citizen") return t.you;
    if (message.sender === "bot") return t.bot;
    return message.agent_name || t.agent;
  }

  function statusLine(message) {
    var data = message.data || {};
    var name = data.agent_name || t.agent;
    var text = t["ev_" + message.event] ? fmt(t["ev_" + message.event], { name: name }) : "";
    if (data.reference) text += " " + fmt(t.reference, { ref: data.reference });
    if (message.event === "assigned" || message.event === "transferred") state.agentName = data.agent_name || "";
    return text.trim();
  }

  function render(message) {
    if (state.seen[message.seq]) return;
    state.seen[message.seq] = true;
    state.lastSeq = Math.max(state.lastSeq, message.seq);
    dropQuickReplies();
    if (message.sender === "system" && message.event === "notification") {
      // A ticket update (registered, forwarded, solved, closed): its own words.
      var notice = bubble("notice");
      fillBubble(notice, message);
      ui.log.appendChild(notice);
      scroll();
      return;
    }
    if (message.sender === "system") {
      var line = statusLine(message);
      if (line) ui.log.appendChild(el("li", { className: "nc-status", text: line }));
      if (message.event === "closed") showAfter();
      scroll();
      return;
    }
    var own = message.sender === "citizen" && message.client_id && state.own[message.client_id];
    var node = own || bubble(message.sender);
    if (!own) {
      fillBubble(node, message);
      ui.log.appendChild(node);
    }
    node.setAttribute("data-seq", String(message.seq));
    if (message.quick_replies && message.quick_replies.length && !state.closed) showQuickReplies(message.quick_replies);
    if (message.sender === "citizen") {
      if (state.pending[message.client_id]) acknowledged(message.client_id, message.seq);
      else if (!own) tick(node, t.sent);
    } else {
      state.lastAgentSeq = Math.max(state.lastAgentSeq, message.seq);
      ui.typing.textContent = "";
      if (ui.panel.hidden || document.hidden) {
        send({ type: "receipt", seq: message.seq, status: "delivered" });
        state.unread += 1;
        ui.unread.textContent = String(state.unread);
        ui.unread.hidden = false;
      } else {
        sendReadReceipt();
      }
    }
    scroll();
  }

  function bubble(sender) {
    var node = el("li", { className: "nc-msg nc-" + sender });
    node.appendChild(el("span", { className: "nc-who" }));
    // dir=auto: an English line in an Arabic chat (and the reverse) reads in its own order.
    node.appendChild(el("span", { className: "nc-text", dir: "auto" }));
    return node;
  }

  // The assistant's answers to choose from: buttons under its latest message. A tap
  // sends the label as the citizen's message; typing the number still works.
  function showQuickReplies(choices) {
    var list = el("ul", { className: "nc-quick", "aria-label": t.quickReplies });
    choices.forEach(function (choice) {
      list.appendChild(el("li", {}, [el("button", {
        type: "button", dir: "auto", text: choice.label,
        onclick: function () { sendText(choice.text); }
      })]));
    });
    ui.quick = list;
    ui.log.appendChild(list);
  }

  function dropQuickReplies() {
    if (ui.quick) ui.quick.remove();
    ui.quick = null;
  }

  function fillBubble(node, message) {
    node.querySelector(".nc-who").textContent = message.sender === "system" ? t.notice : who(message);
    appendLinkified(node.querySelector(".nc-text"), message.text || "");
    (message.attachments || []).forEach(function (attachment) {
      if (attachment.content_type.indexOf("image/") === 0 && attachment.url) {
        node.appendChild(el("img", { src: new URL(attachment.url, SERVER + "/").href, alt: t.photoAlt, loading: "lazy" }));
      }
    });
    if (message.location) {
      var href = "https://www.openstreetmap.org/?mlat=" + Number(message.location.lat) + "&mlon=" + Number(message.location.lng);
      node.appendChild(el("a", { href: href, target: "_blank", rel: "nofollow noopener noreferrer", text: t.mapLink }));
    }
  }

  function tick(node, text) {
    var mark = node.querySelector(".nc-tick");
    if (!mark) {
      mark = el("span", { className: "nc-tick" });
      node.appendChild(mark);
    }
    mark.textContent = text;
  }

  function scroll() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function sendReadReceipt() {
    if (state.lastAgentSeq) send({ type: "receipt", seq: state.lastAgentSeq, status: "read" });
  }

  function markReceipts(seq, status) {
    Array.prototype.forEach.call(ui.log.querySelectorAll(".nc-citizen[data-seq]"), function (node) {
      if (Number(node.getAttribute("data-seq")) <= seq) tick(node, status === "read" ? t.read : t.delivered);
    });
  }

  function showQueue(position, seconds) {
    var minutes = Math.max(1, Math.round((seconds || 0) / 60));
    ui.queue.textContent = seconds ? fmt(t.queue, { position: position, minutes: minutes }) : fmt(t.queueSoon, { position: position });
    ui.queue.hidden = false;
  }

  // ---- sending ------------------------------------------------------------------------

  function queueFrame(frame, node) {
    state.pending[frame.client_msg_id] = { frame: frame, node: node };
    state.own[frame.client_msg_id] = node;
    state.pendingOrder.push(frame.client_msg_id);
    tick(node, t.sending);
    ui.log.appendChild(node);
    scroll();
    send(frame);
  }

  function acknowledged(clientId, seq) {
    var pending = state.pending[clientId];
    if (!pending) return;
    delete state.pending[clientId];
    state.pendingOrder = state.pendingOrder.filter(function (id) { return id !== clientId; });
    pending.node.setAttribute("data-seq", String(seq));
    pending.node.classList.remove("nc-failed");
    tick(pending.node, t.sent);
  }

  function failed(clientId, why) {
    var pending = state.pending[clientId];
    delete state.pending[clientId];
    state.pendingOrder = state.pendingOrder.filter(function (id) { return id !== clientId; });
    pending.node.classList.add("nc-failed");
    tick(pending.node, fmt(t.failed, { why: why }));
    if (pending.frame.text) {
      pending.node.appendChild(el("button", {
        type: "button", className: "nc-secondary", text: t.retry,
        onclick: function (event) {
          event.currentTarget.remove();
          pending.node.classList.remove("nc-failed");
          queueFrame(pending.frame, pending.node);
        }
      }));
    }
  }

  // ``chosen``: a quick reply's text; else what is typed in the composer.
  function sendText(chosen) {
    var typed = typeof chosen !== "string";
    var text = typed ? ui.input.value.trim() : chosen;
    if (!text) return;
    dropQuickReplies();
    var node = bubble("citizen");
    fillBubble(node, { sender: "citizen", text: text });
    queueFrame({ type: "message", client_msg_id: newId(), text: text }, node);
    if (!typed) return;
    ui.input.value = "";
    stopTyping();
  }

  function onTyping() {
    var now = Date.now();
    if (now - state.typingSentAt > 3000) {
      state.typingSentAt = now;
      send({ type: "typing", active: true });
    }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(stopTyping, 4000);
  }

  function stopTyping() {
    clearTimeout(state.typingTimer);
    if (state.typingSentAt) send({ type: "typing", active: false });
    state.typingSentAt = 0;
  }

  function onFile() {
    var file = ui.file.files && ui.file.files[0];
    ui.file.value = "";
    if (!file) return;
    if (file.type.indexOf("image/") !== 0) { banner(t.notImage); return; }
    if (file.size > MAX_IMAGE_BYTES) { banner(t.imageTooLarge); return; }
    var node = bubble("citizen");
    fillBubble(node, { sender: "citizen", text: "" });
    node.appendChild(el("img", { src: URL.createObjectURL(file), alt: t.photoAlt }));
    tick(node, t.sending);
    ui.log.appendChild(node);
    scroll();
    var form = new FormData();
    form.append("token", state.session.token);
    form.append("file", file);
    api("POST", "/chat/api/upload", form).then(function (attachment) {
      queueFrame({ type: "message", client_msg_id: newId(), attachment_ids: [attachment.id] }, node);
    }, function (err) {
      node.classList.add("nc-failed");
      tick(node, fmt(t.failed, { why: errorText(err.code, err.message) }));
    });
  }

  function shareLocation() {
    if (!navigator.geolocation) { banner(t.locationUnavailable); return; }
    navigator.geolocation.getCurrentPosition(function (position) {
      var location = { lat: position.coords.latitude, lng: position.coords.longitude };
      var node = bubble("citizen");
      fillBubble(node, { sender: "citizen", text: "", location: location });
      queueFrame({ type: "message", client_msg_id: newId(), location: location }, node);
    }, function () { banner(t.locationUnavailable); }, { timeout: 15000 });
  }

  // ---- the end: rating, transcript, a new chat ----------------------------------------

  function endChat() {
    if (state.closed || !window.confirm(t.endConfirm)) return;
    send({ type: "end" });
  }

  function thank(form, text) {
    if (!form) return;
    form.replaceWith(el("p", { className: "nc-note nc-form", role: "status", text: text }));
  }

  function showAfter() {
    if (state.closed) return;
    state.closed = true;
    ui.composer.hidden = true;
    ui.endButton.hidden = true;
    ui.queue.hidden = true;
    ui.typing.textContent = "";
    var stars = el("fieldset", { className: "nc-stars" }, [el("legend", { text: t.rateTitle })]);
    t.stars.forEach(function (label, index) {
      stars.appendChild(el("label", {}, [el("input", { type: "radio", name: "rating", value: String(index + 1), required: true }), label]));
    });
    var comment = el("textarea", { name: "comment", maxlength: "1000", rows: "2" });
    ui.rateForm = el("form", {
      className: "nc-form nc-rate",
      onsubmit: function (event) {
        event.preventDefault();
        var chosen = ui.rateForm.querySelector("input[name=rating]:checked");
        if (chosen) send({ type: "rate", rating: Number(chosen.value), comment: comment.value });
      }
    }, [stars, field(t.comment, comment), el("button", { type: "submit", className: "nc-primary", text: t.rateSend })]);
    // The pre-chat address is sent to at once; another one gets a code first.
    var email = el("input", { type: "email", name: "email", required: true, autocomplete: "email", maxlength: "254", dir: "ltr" });
    email.value = (state.session && state.session.email) || "";
    ui.codeNote = el("p", { className: "nc-note", role: "status", hidden: true });
    ui.code = el("input", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "12", dir: "ltr" });
    ui.codeField = field(t.code, ui.code);
    ui.codeField.hidden = true;
    ui.transcriptForm = el("form", {
      className: "nc-form nc-transcript",
      onsubmit: function (event) {
        event.preventDefault();
        var frame = { type: "transcript", email: email.value };
        if (!ui.codeField.hidden && ui.code.value) frame.code = ui.code.value;
        send(frame);
      }
    }, [field(t.transcriptTitle, email), ui.codeNote, ui.codeField, el("button", { type: "submit", className: "nc-secondary", text: t.transcriptSend })]);
    var again = el("button", {
      type: "button", className: "nc-secondary", text: t.newChat,
      onclick: function () { forget(); showStatus(); }
    });
    ui.after.appendChild(ui.rateForm);
    ui.after.appendChild(ui.transcriptForm);
    ui.after.appendChild(el("div", { className: "nc-form" }, [again]));
    ui.after.hidden = false;
  }

  function askCode(address) {
    ui.codeNote.textContent = fmt(t.transcriptCode, { email: address });
    ui.codeNote.hidden = false;
    ui.codeField.hidden = false;
    ui.code.focus();
  }

  function forget() {
    storageSet(null);
    state.session = null;
    var socket = state.socket;
    state.socket = null;
    if (socket) socket.close();
    clearTimeout(state.reconnectTimer);
    state.connected = false;
    state.lastSeq = 0;
    state.seen = {};
    state.pending = {};
    state.own = {};
    state.pendingOrder = [];
    state.closed = false;
    state.lastAgentSeq = 0;
    ui.chat = null;
    ui.endButton.hidden = true;
    banner("");
  }

  function init() {
    build();
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && !ui.panel.hidden) sendReadReceipt();
    });
    if (state.session) {
      // A conversation is under way (the citizen moved to another page): resume it.
      showChat();
      connect();
    }
    window.NidaaChat.open = open;
    window.NidaaChat.close = close;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
