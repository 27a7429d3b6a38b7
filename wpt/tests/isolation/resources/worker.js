// A dedicated worker of whichever origin made it: runs the operations of ops.js its
// creator asks for ({id, op, args}) and answers {id, result} or {id, error}.
"use strict";
importScripts("ops.js");

self.onmessage = async e => {
  const reply = await perform(e.data);
  reply.id = e.data.id;
  self.postMessage(reply);
};
