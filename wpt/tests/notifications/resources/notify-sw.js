// Shows notifications when asked, and reports what getNotifications() sees.
self.addEventListener("message", e => e.waitUntil((async () => {
  const port = e.ports[0];
  try {
    if (e.data.show) {
      await self.registration.showNotification(e.data.show, e.data.options);
      port.postMessage({ shown: true });
    } else if (e.data.list !== undefined) {
      const list = await self.registration.getNotifications({ tag: e.data.list });
      port.postMessage(list.map(n => ({ title: n.title, tag: n.tag, body: n.body, data: n.data,
                                        actions: n.actions.map(a => a.action + ":" + a.title) })));
    } else if (e.data.construct) {
      new Notification("in a service worker");
      port.postMessage({ constructed: true });
    }
  } catch (err) {
    port.postMessage({ error: err.name });
  }
})()));
