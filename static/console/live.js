/* A WebSocket that never goes stale: reconnects with back-off after a drop,
   a laptop sleep or a half-open connection (no heartbeat answer), and calls
   onOpen each time so the page can ask for what it missed. */
"use strict";
window.NidaaLive = function (path, handlers) {
  var ws = null, retry = 0, beat = null, lastAnswer = 0, timer = null;
  var HEARTBEAT_MS = 15000;
  function url() {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }
  function connect() {
    clearTimeout(timer);
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    ws = new WebSocket(url());
    ws.onopen = function () {
      retry = 0;
      lastAnswer = Date.now();
      handlers.status(true);
      handlers.onOpen(send);
      clearInterval(beat);
      beat = setInterval(function () {
        if (Date.now() - lastAnswer > HEARTBEAT_MS * 2) { ws.close(); return; }
        send({ type: "heartbeat" });
      }, HEARTBEAT_MS);
    };
    ws.onmessage = function (event) {
      lastAnswer = Date.now();
      handlers.onFrame(JSON.parse(event.data));
    };
    ws.onclose = function (event) {
      clearInterval(beat);
      // 4401: the session ended (signed out, account changed): back to the sign-in page.
      if (event.code === 4401) { window.location.reload(); return; }
      handlers.status(false);
      retry = Math.min(retry + 1, 6);
      timer = setTimeout(connect, Math.min(30000, 500 * Math.pow(2, retry)));
    };
  }
  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function wake() { if (!ws || ws.readyState === WebSocket.CLOSED) connect(); }
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) wake(); });
  connect();
  return { send: send };
};
