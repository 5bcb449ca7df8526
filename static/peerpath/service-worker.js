// Shows PeerPath push notifications. The payload is only ever the lock-screen-safe sentence;
// tapping it opens the page it belongs to.
self.addEventListener("push", (event) => {
  let data = { title: "PeerPath", body: "You have a new message on PeerPath.", url: "/inbox/" };
  try {
    data = { ...data, ...event.data.json() };
  } catch (error) {
    // keep the safe default text
  }
  event.waitUntil(
    self.registration.showNotification(data.title, { body: data.body, data: { url: data.url } }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url || "/inbox/"));
});
