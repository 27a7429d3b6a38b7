// Its response carries `Content-Security-Policy: connect-src 'none'`: a worker's policy
// container comes from its script's response, not from the page that made it.
self.onmessage = async () => {
  try {
    await fetch("/fetch/api/resources/data.txt");
    postMessage("fetched");
  } catch (e) {
    postMessage(e.name);
  }
};
