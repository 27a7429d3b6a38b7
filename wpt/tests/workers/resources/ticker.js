// Posts a tick every 10ms.
let n = 0;
setInterval(() => postMessage(++n), 10);
