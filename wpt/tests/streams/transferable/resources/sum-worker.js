// Receives a ReadableStream of numbers, reads it to the end and posts the sum back; receives
// {writable} and writes 1, 2, 3 to it, then closes it.
"use strict";
onmessage = async e => {
  if (e.data instanceof ReadableStream) {
    let sum = 0;
    for await (const n of e.data) sum += n;
    postMessage({ sum });
  } else if (e.data && e.data.writable instanceof WritableStream) {
    const writer = e.data.writable.getWriter();
    for (const n of [1, 2, 3]) await writer.write(n);
    await writer.close();
    postMessage({ wrote: true });
  }
};
