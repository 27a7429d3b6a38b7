//! The streams' internal operations the JS part of the streams (async iteration, the pipe
//! loop; see `readablestream::STREAM_EXTRAS_JS`) calls: handed to it once, at realm set-up,
//! in an object no script can reach.

use crate::dom::abortsignal::AbortSignal;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::readablestream::{readable_stream_cancel, ReadableStream, StreamState};
use crate::dom::writablestream::{writable_stream_abort, WritableState, WritableStream};
use crate::dom::writablestreamdefaultwriter::WritableStreamDefaultWriter;

/// A Fallible result as a JS function's (an error becomes the thrown exception).
fn js<'js, T>(ctx: &Ctx<'js>, r: Fallible<T>) -> rquickjs::Result<T> {
    r.map_err(|e| {
        let v = crate::dom::bindings::error::error_value(ctx, e);
        ctx.throw(v)
    })
}

fn readable<'js>(
    ctx: &Ctx<'js>,
    v: &Value<'js>,
) -> rquickjs::Result<Dom<'js, ReadableStream<'js>>> {
    js(
        ctx,
        <ReadableStream as DomInterface>::unwrap(v)
            .ok_or_else(|| Error::Type("not a ReadableStream".into())),
    )
}

fn writable<'js>(
    ctx: &Ctx<'js>,
    v: &Value<'js>,
) -> rquickjs::Result<Dom<'js, WritableStream<'js>>> {
    js(
        ctx,
        <WritableStream as DomInterface>::unwrap(v)
            .ok_or_else(|| Error::Type("not a WritableStream".into())),
    )
}

/// The internals object.
pub fn internals<'js>(ctx: &Ctx<'js>) -> Fallible<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set(
        "isReadableStream",
        Function::new(ctx.clone(), |v: Value<'js>| {
            <ReadableStream as DomInterface>::unwrap(&v).is_some()
        })?,
    )?;
    o.set(
        "isWritableStream",
        Function::new(ctx.clone(), |v: Value<'js>| {
            <WritableStream as DomInterface>::unwrap(&v).is_some()
        })?,
    )?;
    o.set(
        "isAbortSignal",
        Function::new(ctx.clone(), |v: Value<'js>| {
            <AbortSignal as DomInterface>::unwrap(&v).is_some()
        })?,
    )?;
    o.set(
        "readableLocked",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            readable(&ctx, &v).map(|s| s.is_locked())
        })?,
    )?;
    o.set(
        "writableLocked",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            writable(&ctx, &v).map(|s| s.is_locked())
        })?,
    )?;
    o.set(
        "readableState",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            readable(&ctx, &v).map(|s| match s.state() {
                StreamState::Readable => "readable",
                StreamState::Closed => "closed",
                StreamState::Errored => "errored",
            })
        })?,
    )?;
    o.set(
        "readableStoredError",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            readable(&ctx, &v).map(|s| s.stored_error(&ctx))
        })?,
    )?;
    o.set(
        "writableState",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            writable(&ctx, &v).map(|s| match s.state() {
                WritableState::Writable => "writable",
                WritableState::Closed => "closed",
                WritableState::Erroring => "erroring",
                WritableState::Errored => "errored",
            })
        })?,
    )?;
    o.set(
        "writableStoredError",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            writable(&ctx, &v).map(|s| s.stored_error(&ctx))
        })?,
    )?;
    o.set(
        "closeQueuedOrInFlight",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            writable(&ctx, &v).map(|s| s.close_queued_or_in_flight())
        })?,
    )?;
    o.set(
        "setDisturbed",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, v: Value<'js>| {
            readable(&ctx, &v).map(|s| s.set_disturbed())
        })?,
    )?;
    o.set(
        "readableStreamCancel",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, v: Value<'js>, reason: Value<'js>| -> rquickjs::Result<Promise<'js>> {
                let s = readable(&ctx, &v)?;
                js(&ctx, readable_stream_cancel(&ctx, &s, reason))
            },
        )?,
    )?;
    o.set(
        "writableStreamAbort",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, v: Value<'js>, reason: Value<'js>| -> rquickjs::Result<Promise<'js>> {
                let s = writable(&ctx, &v)?;
                js(&ctx, writable_stream_abort(&ctx, &s, reason))
            },
        )?,
    )?;
    o.set(
        "closeWithErrorPropagation",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, v: Value<'js>| -> rquickjs::Result<Promise<'js>> {
                let w = js(
                    &ctx,
                    <WritableStreamDefaultWriter as DomInterface>::unwrap(&v)
                        .ok_or_else(|| Error::Type("not a writer".into())),
                )?;
                js(&ctx, w.close_with_error_propagation(&ctx))
            },
        )?,
    )?;
    Ok(o)
}
