//! Transferable streams (<https://streams.spec.whatwg.org/#transferrable-streams>):
//! `ReadableStream` and `WritableStream` are [Transferable]. Transferring one pipes it
//! through a MessageChannel: the sending realm keeps the original stream piped to (or from)
//! a cross-realm transform stream on one port, and the receiving realm makes a new stream
//! on the other port (SetUpCrossRealmTransformReadable / SetUpCrossRealmTransformWritable).
//!
//! The cross-realm transform streams are built in JS, as underlying sources and sinks of
//! the realm's own ReadableStream and WritableStream, with the algorithms the spec gives
//! them. Everything the JS uses is captured when the realm is set up, before any script
//! runs, so script cannot interfere by replacing globals or prototype methods.
//! Structured serialization (`bindings/structuredclone.rs`) calls [`transfer`] and
//! [`receive`].

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::realm;

const HIDDEN: &str = "streamTransfer";

const STREAMS_TRANSFER_JS: &str = r#"(() => {
  "use strict";
  if (typeof MessageChannel !== "function" || typeof WritableStream !== "function") return undefined;
  const RS = ReadableStream, WS = WritableStream, MC = MessageChannel, DOMEx = DOMException;
  const P = Promise, TypeErr = TypeError;
  const apply = Reflect.apply;
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const portPost = MessagePort.prototype.postMessage;
  const portStart = MessagePort.prototype.start;
  const portClose = MessagePort.prototype.close;
  const listen = EventTarget.prototype.addEventListener;
  const port1Of = getter(MC.prototype, "port1"), port2Of = getter(MC.prototype, "port2");
  const dataOf = getter(MessageEvent.prototype, "data");
  const pipeTo = RS.prototype.pipeTo;
  const then = Promise.prototype.then;
  const rsEnqueue = ReadableStreamDefaultController.prototype.enqueue;
  const rsClose = ReadableStreamDefaultController.prototype.close;
  const rsError = ReadableStreamDefaultController.prototype.error;
  const wsError = WritableStreamDefaultController.prototype.error;
  const resolved = (v) => new P((resolve) => resolve(v));
  const rejected = (e) => new P((_, reject) => reject(e));
  const markHandled = (p) => { apply(then, p, [undefined, () => {}]); };

  // https://streams.spec.whatwg.org/#abstract-opdef-packandpostmessage
  function packAndPostMessage(port, type, value) {
    // Steps 1-4. {type, value}, posted with an empty transfer list.
    apply(portPost, port, [{ __proto__: null, type, value }]);
  }
  // https://streams.spec.whatwg.org/#abstract-opdef-crossrealmtransformsenderror
  function crossRealmTransformSendError(port, error) {
    // Step 1. PackAndPostMessage(port, "error", error), discarding the result.
    try { packAndPostMessage(port, "error", error); } catch (e) { /* discarded */ }
  }
  // https://streams.spec.whatwg.org/#abstract-opdef-packandpostmessagehandlingerror:
  // undefined when it was posted, else {error} (an abrupt completion).
  function packAndPostMessageHandlingError(port, type, value) {
    // Step 1. Let result be PackAndPostMessage(port, type, value).
    try {
      packAndPostMessage(port, type, value);
      return undefined;
    } catch (error) {
      // Step 2. If result is an abrupt completion, CrossRealmTransformSendError.
      crossRealmTransformSendError(port, error);
      // Step 3. Return result.
      return { error };
    }
  }
  const disentangle = (port) => apply(portClose, port, []);
  const dataCloneError = () => new DOMEx("a message could not be deserialized", "DataCloneError");

  // https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformreadable
  function setUpCrossRealmTransformReadable(port) {
    let controller;
    // Step 3. The message handler.
    apply(listen, port, ["message", (event) => {
      // Steps 3.1-3.5. data, its type and value.
      const data = apply(dataOf, event, []);
      if (typeof data !== "object" || data === null) return;
      const { type, value } = data;
      if (typeof type !== "string") return;
      try {
        if (type === "chunk") {
          // Step 3.6. ReadableStreamDefaultControllerEnqueue(controller, value).
          apply(rsEnqueue, controller, [value]);
        } else if (type === "close") {
          // Step 3.7. Close, then disentangle.
          apply(rsClose, controller, []);
          disentangle(port);
        } else if (type === "error") {
          // Step 3.8. Error, then disentangle.
          apply(rsError, controller, [value]);
          disentangle(port);
        }
      } catch (e) { /* the stream is already closed or errored */ }
    }]);
    // Step 4. The messageerror handler.
    apply(listen, port, ["messageerror", () => {
      const error = dataCloneError();
      crossRealmTransformSendError(port, error);
      try { apply(rsError, controller, [error]); } catch (e) { /* already errored */ }
      disentangle(port);
    }]);
    // Step 5. Enable port's port message queue.
    apply(portStart, port, []);
    // Steps 6-10. The algorithms, a high water mark of 0 and a size of 1.
    return new RS({
      __proto__: null,
      start(c) { controller = c; },
      // Step 7. PackAndPostMessage(port, "pull", undefined); a promise resolved with undefined.
      pull() {
        packAndPostMessage(port, "pull", undefined);
        return resolved(undefined);
      },
      // Step 8. Send the error, disentangle; reject with an abrupt completion's value.
      cancel(reason) {
        const result = packAndPostMessageHandlingError(port, "error", reason);
        disentangle(port);
        return result ? rejected(result.error) : resolved(undefined);
      },
    }, { __proto__: null, highWaterMark: 0, size: () => 1 });
  }

  // https://streams.spec.whatwg.org/#abstract-opdef-setupcrossrealmtransformwritable
  function setUpCrossRealmTransformWritable(port) {
    let controller;
    // Step 3. Let backpressurePromise be a new promise.
    let release;
    let backpressurePromise = new P((resolve) => { release = resolve; });
    const relieve = () => {
      if (backpressurePromise !== undefined) {
        release(undefined);
        backpressurePromise = undefined;
      }
    };
    // Step 4. The message handler.
    apply(listen, port, ["message", (event) => {
      const data = apply(dataOf, event, []);
      if (typeof data !== "object" || data === null) return;
      const { type, value } = data;
      if (typeof type !== "string") return;
      if (type === "pull") {
        // Step 4.6. Resolve backpressurePromise; it becomes undefined.
        relieve();
      } else if (type === "error") {
        // Step 4.7. WritableStreamDefaultControllerErrorIfNeeded(controller, value).
        try { apply(wsError, controller, [value]); } catch (e) { /* not writable */ }
        relieve();
      }
    }]);
    // Step 5. The messageerror handler.
    apply(listen, port, ["messageerror", () => {
      const error = dataCloneError();
      crossRealmTransformSendError(port, error);
      try { apply(wsError, controller, [error]); } catch (e) { /* not writable */ }
      disentangle(port);
    }]);
    // Step 6. Enable port's port message queue.
    apply(portStart, port, []);
    // Steps 7-12. The algorithms, a high water mark of 1 and a size of 1.
    return new WS({
      __proto__: null,
      start(c) { controller = c; },
      // Step 8. After the backpressure promise: a new one, then post the chunk.
      write(chunk) {
        if (backpressurePromise === undefined) backpressurePromise = resolved(undefined);
        return apply(then, backpressurePromise, [() => {
          backpressurePromise = new P((resolve) => { release = resolve; });
          const result = packAndPostMessageHandlingError(port, "chunk", chunk);
          if (result) {
            disentangle(port);
            return rejected(result.error);
          }
          return undefined;
        }]);
      },
      // Step 9. Post "close", disentangle.
      close() {
        packAndPostMessage(port, "close", undefined);
        disentangle(port);
        return resolved(undefined);
      },
      // Step 10. Send the error, disentangle; reject with an abrupt completion's value.
      abort(reason) {
        const result = packAndPostMessageHandlingError(port, "error", reason);
        disentangle(port);
        return result ? rejected(result.error) : resolved(undefined);
      },
    }, { __proto__: null, highWaterMark: 1, size: () => 1 });
  }

  // A new entangled pair of ports: [port1, port2].
  function entangledPorts() {
    const channel = new MC();
    return [apply(port1Of, channel, []), apply(port2Of, channel, [])];
  }

  return (op, value) => {
    switch (op) {
      // ReadableStream's transfer steps 2-8: pipe it to a cross-realm writable on port1;
      // port2 is what is transferred.
      case "transferReadable": {
        const [port1, port2] = entangledPorts();
        const writable = setUpCrossRealmTransformWritable(port1);
        markHandled(apply(pipeTo, value, [writable]));
        return port2;
      }
      // WritableStream's transfer steps 2-8: pipe a cross-realm readable on port1 to it.
      case "transferWritable": {
        const [port1, port2] = entangledPorts();
        const readable = setUpCrossRealmTransformReadable(port1);
        markHandled(apply(pipeTo, readable, [value]));
        return port2;
      }
      // The transfer-receiving steps: a new stream on the transferred port.
      case "receiveReadable":
        return setUpCrossRealmTransformReadable(value);
      case "receiveWritable":
        return setUpCrossRealmTransformWritable(value);
    }
    throw new TypeErr("unknown stream transfer operation");
  };
})()"#;

/// Installs the transfer functions in a realm that has streams and message channels.
pub(crate) fn install(ctx: &Ctx<'_>) -> Fallible<()> {
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = true;
    options.filename = Some("streams-transfer".into());
    let value: Value = ctx.eval_with_options(STREAMS_TRANSFER_JS, options)?;
    if let Some(f) = value.into_function() {
        realm::set_hidden(ctx, HIDDEN, f);
    }
    Ok(())
}

/// Which stream a transfer is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StreamKind {
    Readable,
    Writable,
}

fn call<'js>(ctx: &Ctx<'js>, op: &str, value: Value<'js>) -> Fallible<Value<'js>> {
    let f = realm::hidden(ctx, HIDDEN)
        .ok_or_else(|| Error::Type("streams cannot be transferred from this global".into()))?;
    Ok(f.call((op, value))?)
}

/// The transfer steps of a ReadableStream or WritableStream (steps 2-8; step 1, the
/// locked check, is the caller's): the MessagePort to transfer in its place.
pub(crate) fn transfer<'js>(
    ctx: &Ctx<'js>,
    kind: StreamKind,
    stream: Value<'js>,
) -> Fallible<Dom<'js, crate::dom::messageport::MessagePort<'js>>> {
    let op = match kind {
        StreamKind::Readable => "transferReadable",
        StreamKind::Writable => "transferWritable",
    };
    let port = call(ctx, op, stream)?;
    <crate::dom::messageport::MessagePort as DomInterface>::unwrap(&port)
        .ok_or_else(|| Error::Type("a stream's transfer made no port".into()))
}

/// The transfer-receiving steps: a new stream of this realm on `port`.
pub(crate) fn receive<'js>(
    ctx: &Ctx<'js>,
    kind: StreamKind,
    port: Value<'js>,
) -> Fallible<Value<'js>> {
    let op = match kind {
        StreamKind::Readable => "receiveReadable",
        StreamKind::Writable => "receiveWritable",
    };
    call(ctx, op, port)
}
