// The alerts dashboard, live: the list is fetched again whenever an alert changes, after
// every (re)connection, so nothing is missed while the connection was away, and every 30
// seconds, so a change whose event could not reach this server (one made by another process
// where no shared channel layer is set up) still shows. Events that come together are fetched
// once. Without this file the page works with the refresh link.
const root = document.querySelector("[data-pp-alerts-live]");
if (root) {
  const listUrl = root.getAttribute("data-pp-alerts-list");
  const socketPath = root.getAttribute("data-pp-alerts-socket");
  const status = document.querySelector("[data-pp-alerts-status]");
  const PING_EVERY = 20000;
  const PONG_WITHIN = 10000;
  const CATCH_UP_EVERY = 30000;
  const GATHER_EVENTS = 250;
  let socket = null;
  let pingTimer = null;
  let pongTimer = null;
  let retry = 1000;

  const say = (text) => { if (status) status.textContent = text; };

  let fetching = false;
  let again = false;
  let gatherTimer = null;

  const load = async () => {
    if (fetching) { again = true; return; }
    fetching = true;
    try {
      const response = await fetch(listUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const html = await response.text();
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const fresh = holder.querySelector("[data-pp-alerts-list-body]");
      const current = root.querySelector("[data-pp-alerts-list-body]");
      if (fresh && current) current.replaceWith(fresh);
    } catch (error) {
      // The next event, catch-up or reconnection fetches it again.
    } finally {
      fetching = false;
      if (again) { again = false; load(); }
    }
  };
  // Several events in one moment (raised, then paged) are one fetch.
  const refresh = () => {
    clearTimeout(gatherTimer);
    gatherTimer = setTimeout(load, GATHER_EVENTS);
  };
  setInterval(() => { if (document.visibilityState === "visible") refresh(); }, CATCH_UP_EVERY);

  const stopTimers = () => {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  };

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${window.location.host}${socketPath}`);
    socket.addEventListener("open", () => {
      retry = 1000;
      say(root.getAttribute("data-pp-live-text"));
      refresh();
      pingTimer = setInterval(() => {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(JSON.stringify({ type: "ping" }));
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => socket.close(), PONG_WITHIN);
      }, PING_EVERY);
    });
    socket.addEventListener("message", (event) => {
      let data = {};
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (data.type === "pong") clearTimeout(pongTimer);
      if (data.type === "changed") refresh();
    });
    socket.addEventListener("close", (event) => {
      stopTimers();
      if (event.code === 4403) {
        say(root.getAttribute("data-pp-offline-text"));
        return;
      }
      say(root.getAttribute("data-pp-reconnecting-text"));
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  };
  connect();
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
}
