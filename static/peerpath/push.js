// Turns phone notifications on or off for this browser. Without JavaScript or push support
// the buttons stay hidden and the page explains what it can.
const box = document.querySelector("[data-pp-push]");

function keyBytes(base64) {
  const padded = (base64 + "=".repeat((4 - (base64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(url, fields) {
  const body = new URLSearchParams(fields);
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": box.dataset.csrf },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

async function start() {
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  const on = box.querySelector("[data-pp-push-on]");
  const off = box.querySelector("[data-pp-push-off]");
  const status = box.querySelector("[data-pp-push-status]");
  const registration = await navigator.serviceWorker.register("/service-worker.js", { scope: "/" });
  let subscription = await registration.pushManager.getSubscription();
  const show = () => {
    on.hidden = Boolean(subscription);
    off.hidden = !subscription;
  };
  show();
  on.addEventListener("click", async () => {
    try {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.key),
      });
      const json = subscription.toJSON();
      await post(box.dataset.subscribe, { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
      status.textContent = "Notifications are on for this phone.";
    } catch (error) {
      status.textContent = "Notifications could not be turned on. Check your browser allows them.";
    }
    show();
  });
  off.addEventListener("click", async () => {
    if (subscription) {
      await post(box.dataset.unsubscribe, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
      subscription = null;
    }
    status.textContent = "Notifications are off on this phone.";
    show();
  });
}

start();
