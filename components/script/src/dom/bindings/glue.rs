//! Runtime helpers for the generated glue functions: the panic and error guards, brand checks,
//! argument access, and the call context handed to DOM methods.

use super::error::{self, Error, Fallible};
use super::root::{Dom, DomInterface};
use rquickjs::function::Params;
use rquickjs::{Ctx, Object, Promise, Value};
use std::panic::{self, AssertUnwindSafe};

/// What a DOM method gets besides its arguments: the context (the caller's realm) and the
/// object the method was called on.
pub struct Cx<'js> {
    pub ctx: Ctx<'js>,
    /// The reflector (or the global object), undefined for static members and constructors.
    pub this: Value<'js>,
    /// The `this` value as passed (for constructors: `new.target`).
    pub receiver: Value<'js>,
}

impl<'js> Cx<'js> {
    pub fn new(ctx: &Ctx<'js>, this: Value<'js>, receiver: Value<'js>) -> Cx<'js> {
        Cx {
            ctx: ctx.clone(),
            this,
            receiver,
        }
    }
    /// A context with no `this`, for calls made from Rust (tasks, tests).
    pub fn detached(ctx: &Ctx<'js>) -> Cx<'js> {
        Cx {
            ctx: ctx.clone(),
            this: Value::new_undefined(ctx.clone()),
            receiver: Value::new_undefined(ctx.clone()),
        }
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Runs a glue body: a Rust panic becomes a JS exception (nothing panics across the JS
/// boundary), an [`Error`] becomes the exception it names.
pub fn guard<'js>(
    ctx: &Ctx<'js>,
    f: impl FnOnce() -> Fallible<Value<'js>>,
) -> rquickjs::Result<Value<'js>> {
    let _native = crate::script_thread::NativeScope::enter();
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error::throw(ctx, e)),
        Err(p) => {
            let msg = panic_message(&*p);
            log::error!("internal error in a DOM method: {msg}");
            Err(error::throw(
                ctx,
                Error::Type(format!("internal error: {msg}")),
            ))
        }
    }
}

/// As [`guard`], for operations returning a promise: every failure (including brand checks
/// and argument conversion) becomes a rejected promise instead of an exception.
pub fn guard_promise<'js>(
    ctx: &Ctx<'js>,
    f: impl FnOnce() -> Fallible<Value<'js>>,
) -> rquickjs::Result<Value<'js>> {
    let _native = crate::script_thread::NativeScope::enter();
    let result = match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let msg = panic_message(&*p);
            log::error!("internal error in a DOM method: {msg}");
            Err(Error::Type(format!("internal error: {msg}")))
        }
    };
    match result {
        Ok(v) => Ok(v),
        Err(e) => {
            let reason = error::error_value(ctx, e);
            let (promise, _resolve, reject) = ctx.promise()?;
            reject.call::<_, ()>((reason,))?;
            Ok(promise.into_value())
        }
    }
}

/// Argument `i`, or undefined when missing.
pub fn arg<'js>(params: &Params<'_, 'js>, i: usize) -> Value<'js> {
    params
        .arg(i)
        .unwrap_or_else(|| Value::new_undefined(params.ctx().clone()))
}

pub fn not_enough_arguments(what: &str, required: usize, given: usize) -> Error {
    Error::Type(format!(
        "{what}: {required} argument{} required, but only {given} present",
        if required == 1 { "" } else { "s" }
    ))
}

/// WebIDL: too few arguments is a TypeError.
pub fn require_args(params: &Params<'_, '_>, required: usize, what: &str) -> Fallible<()> {
    if params.len() < required {
        Err(not_enough_arguments(what, required, params.len()))
    } else {
        Ok(())
    }
}

/// The brand check of a regular member: `this` (undefined/null mean the global object)
/// must implement the interface, else TypeError "Illegal invocation".
pub fn this_object<'js, T: DomInterface<'js>>(params: &Params<'_, 'js>) -> Fallible<Dom<'js, T>> {
    let this = params.this();
    let this = if this.is_undefined() || this.is_null() {
        params.ctx().globals().into_value()
    } else {
        this
    };
    T::unwrap(&this).ok_or_else(|| Error::Type("Illegal invocation".into()))
}

/// Constructors must be called with `new`.
pub fn require_new(params: &Params<'_, '_>, name: &str) -> Fallible<()> {
    if params.is_constructor() {
        Ok(())
    } else {
        Err(Error::Type(format!(
            "Failed to construct '{name}': Please use the 'new' operator, this DOM object constructor cannot be called as a function."
        )))
    }
}

/// The prototype for a new object from `new.target` (so subclasses of platform interfaces
/// get their own), defaulting to the interface's (WebIDL "internally create a new object").
pub fn new_target_prototype<'js>(
    params: &Params<'_, 'js>,
    id: usize,
    name: &str,
) -> Fallible<Object<'js>> {
    let new_target = params.this();
    if let Some(nt) = new_target.as_object() {
        let proto: Value = nt.get("prototype")?;
        if let Some(p) = proto.into_object() {
            return Ok(p);
        }
    }
    super::realm::prototype(params.ctx(), id)
        .ok_or_else(|| Error::Type(format!("{name} is not exposed in this realm")))
}

/// [PutForwards=target]: `this[attr][target] = value` (after the setter's brand check).
pub fn put_forwards<'js>(
    _ctx: &Ctx<'js>,
    this: &Object<'js>,
    attr: &str,
    target: &str,
    value: Value<'js>,
) -> Fallible<()> {
    let forward: Value = this.get(attr)?;
    let forward = forward
        .into_object()
        .ok_or_else(|| Error::Type(format!("{attr} is not an object")))?;
    forward.set(target, value)?;
    Ok(())
}

/// [Replaceable]: the setter defines an own data property shadowing the accessor.
pub fn replace_property<'js>(
    _ctx: &Ctx<'js>,
    this: &Object<'js>,
    name: &str,
    value: Value<'js>,
) -> Fallible<()> {
    super::realm::define_data(this, name, value, true, true, true)
}

/// A promise already resolved with `value` (its reactions run at the next microtask
/// checkpoint).
pub fn resolved_promise<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> Fallible<Promise<'js>> {
    let (promise, resolve, _) = ctx.promise()?;
    resolve.call::<_, ()>((value,))?;
    Ok(promise)
}

/// A promise already rejected with `e` (as its exception in this realm).
pub fn rejected_promise<'js>(ctx: &Ctx<'js>, e: Error) -> Fallible<Promise<'js>> {
    let reason = super::error::error_value(ctx, e);
    let (promise, _, reject) = ctx.promise()?;
    reject.call::<_, ()>((reason,))?;
    Ok(promise)
}
