// Answers {open: url} with what clients.openWindow(url) gave, and {focus: true} with what
// focus() on the asking client gave.
self.addEventListener("message", e => e.waitUntil((async () => {
  const port = e.ports[0];
  try {
    if (e.data.open !== undefined) {
      const client = await clients.openWindow(e.data.open);
      port.postMessage(client === null ? { client: null } : {
        client: { url: client.url, type: client.type, frameType: client.frameType,
                  focused: client.focused, isWindowClient: client instanceof WindowClient },
        matched: (await clients.matchAll({ includeUncontrolled: true })).some(c => c.id === client.id),
      });
    } else if (e.data.focus) {
      const client = await e.source.focus();
      port.postMessage({ focused: client.focused, same: client.id === e.source.id });
    }
  } catch (err) {
    port.postMessage({ error: err.name });
  }
})()));
