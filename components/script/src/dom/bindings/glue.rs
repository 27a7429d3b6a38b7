//! Runtime helpers for the generated glue functions: the panic and error guards, brand checks,
//! argument access, and the call context handed to DOM methods.

use super::conversions::ToJsValue;
use super::error::{self, Error, Fallible};
use super::native::CallArgs;
use super::root::{Dom, DomInterface, DomObject, Inherits};
use crate::dom::eventtarget::{event_handler, EventHandlerKind};
use crate::dom::types::EventTarget;
use rquickjs::{qjs, Ctx, Object, Promise, Value};
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

/// Runs a glue body: a Rust panic becomes a JS exception (nothing panics across the JS
/// boundary), an [`Error`] becomes the exception it names.
#[inline]
pub fn guard<'js>(
    ctx: &Ctx<'js>,
    f: impl FnOnce() -> Fallible<Value<'js>>,
) -> rquickjs::Result<Value<'js>> {
    let _native = crate::script_thread::NativeScope::enter();
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error::throw(ctx, e)),
        Err(p) => {
            let msg = super::panic::caught(ctx, "a DOM method", &*p);
            Err(error::throw(ctx, Error::Type(msg)))
        }
    }
}

/// As [`guard`], for operations returning a promise: every failure (including brand checks
/// and argument conversion) becomes a rejected promise instead of an exception.
#[inline]
pub fn guard_promise<'js>(
    ctx: &Ctx<'js>,
    f: impl FnOnce() -> Fallible<Value<'js>>,
) -> rquickjs::Result<Value<'js>> {
    let _native = crate::script_thread::NativeScope::enter();
    let result = match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(Error::Type(super::panic::caught(ctx, "a DOM method", &*p))),
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

/// The realm of the glue function being called (QuickJS passes the caller's context; see
/// `realm`'s module documentation).
#[inline]
pub fn realm<'a, 'js>(params: &'a CallArgs<'_, 'js>) -> &'a Ctx<'js> {
    params.realm()
}

/// What [`arg`] reads arguments from: a glue function's [`CallArgs`], or the rquickjs
/// `Params` of a closure (promise reactions and other callbacks, see `callback`).
pub trait Arguments<'js> {
    fn context(&self) -> &Ctx<'js>;
    fn nth(&self, i: usize) -> Option<Value<'js>>;
}

impl<'js> Arguments<'js> for CallArgs<'_, 'js> {
    #[inline]
    fn context(&self) -> &Ctx<'js> {
        self.ctx()
    }
    #[inline]
    fn nth(&self, i: usize) -> Option<Value<'js>> {
        self.arg(i)
    }
}

impl<'js> Arguments<'js> for rquickjs::function::Params<'_, 'js> {
    #[inline]
    fn context(&self) -> &Ctx<'js> {
        self.ctx()
    }
    #[inline]
    fn nth(&self, i: usize) -> Option<Value<'js>> {
        self.arg(i)
    }
}

/// Argument `i`, or undefined when missing.
#[inline]
pub fn arg<'js>(params: &impl Arguments<'js>, i: usize) -> Value<'js> {
    params
        .nth(i)
        .unwrap_or_else(|| Value::new_undefined(params.context().clone()))
}

pub fn not_enough_arguments(what: &str, required: usize, given: usize) -> Error {
    Error::Type(format!(
        "{what}: {required} argument{} required, but only {given} present",
        if required == 1 { "" } else { "s" }
    ))
}

/// WebIDL: too few arguments is a TypeError.
#[inline]
pub fn require_args(params: &CallArgs<'_, '_>, required: usize, what: &str) -> Fallible<()> {
    if params.len() < required {
        Err(not_enough_arguments(what, required, params.len()))
    } else {
        Ok(())
    }
}

/// The brand check of a regular member: `this` (undefined/null mean the global object)
/// must implement the interface, else TypeError "Illegal invocation".
#[inline]
pub fn this_object<'js, T: DomInterface<'js>>(params: &CallArgs<'_, 'js>) -> Fallible<Dom<'js, T>> {
    let this = params.this_borrowed();
    if this.is_undefined() || this.is_null() {
        T::unwrap(&realm(params).globals().into_value())
    } else {
        T::unwrap(&this)
    }
    .ok_or_else(illegal_invocation)
}

#[cold]
fn illegal_invocation() -> Error {
    Error::Type("Illegal invocation".into())
}

/// A regular member's brand check and call context without counted references (the hot path
/// of getters, setters and methods): `this` (undefined/null mean the global object) must
/// implement the interface, else TypeError "Illegal invocation"; then `before` (the argument
/// count), then `f` with the DOM object and the call context.
#[inline(always)]
fn with_this<'js, T, R>(
    params: &CallArgs<'_, 'js>,
    before: impl FnOnce() -> Fallible<()>,
    f: impl FnOnce(&T, &Cx<'js>) -> Fallible<R>,
) -> Fallible<R>
where
    T: DomInterface<'js>,
{
    let ctx = realm(params);
    let receiver = params.this_borrowed();
    let global;
    let this: &Value<'js> = if receiver.is_undefined() || receiver.is_null() {
        global = ctx.globals().into_value();
        &global
    } else {
        &receiver
    };
    let ptr = T::unwrap_ptr(this).ok_or_else(illegal_invocation)?;
    before()?;
    // SAFETY: `this` and `receiver` are alive for the call (QuickJS holds what it passed;
    // `global` is ours), and so is the realm.
    let cx = unsafe { super::native::borrowed_cx(ctx, this, &receiver) };
    // SAFETY: the DOM value lives in `this`'s object (or the realm's global data), alive for
    // the call (see `DomInterface::unwrap_ptr`).
    f(unsafe { ptr.as_ref() }, &cx)
}

/// Constructors must be called with `new`.
pub fn require_new(params: &CallArgs<'_, '_>, name: &str) -> Fallible<()> {
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
    params: &CallArgs<'_, 'js>,
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
    super::realm::prototype(realm(params), id)
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

// The shapes of glue functions. Each generated glue function is one call to one of these: the
// generator only writes what differs between members (the DOM method to call, the conversion
// of its arguments), and the order WebIDL prescribes (brand check, argument count,
// conversions, call, conversion of the result) lives here once. They are `#[inline]` so each
// glue function compiles to what it was when it spelled all of this out.

/// Runs `f` under [`guard`], or under [`guard_promise`] when `REJECTS` (members returning a
/// promise).
#[inline(always)]
fn run<'js, const REJECTS: bool>(
    ctx: &Ctx<'js>,
    f: impl FnOnce() -> Fallible<Value<'js>>,
) -> rquickjs::Result<Value<'js>> {
    if REJECTS {
        guard_promise(ctx, f)
    } else {
        guard(ctx, f)
    }
}

/// The call context of a static member or a constructor (no `this` object), as
/// [`with_this`] makes it: without counted references.
#[inline(always)]
fn with_static_cx<'js, R>(params: &CallArgs<'_, 'js>, f: impl FnOnce(&Cx<'js>) -> R) -> R {
    let ctx = realm(params);
    let receiver = params.this_borrowed();
    // SAFETY: undefined is no reference; the realm is alive for the call.
    let undefined = unsafe { super::native::borrowed_value(ctx.as_raw(), qjs::JS_UNDEFINED) };
    // SAFETY: as in `with_this`.
    let cx = unsafe { super::native::borrowed_cx(ctx, &undefined, &receiver) };
    f(&cx)
}

/// A regular member: brand check, argument count, then `f` (which converts the arguments and
/// calls the DOM method), then the result to JS.
#[inline(always)]
fn regular<'js, const REJECTS: bool, T, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    f: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    let ctx = realm(params);
    run::<REJECTS>(ctx, || {
        with_this(
            params,
            || require_args(params, required, what),
            |this: &T, cx| f(this, cx)?.to_js(ctx),
        )
    })
}

/// A static member: argument count, then `f`, then the result to JS.
#[inline(always)]
fn static_member<'js, const REJECTS: bool, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    f: F,
) -> rquickjs::Result<Value<'js>>
where
    R: ToJsValue<'js>,
    F: FnOnce(&Cx<'js>) -> Fallible<R>,
{
    let ctx = realm(params);
    run::<REJECTS>(ctx, || {
        require_args(params, required, what)?;
        with_static_cx(params, |cx| f(cx)?.to_js(ctx))
    })
}

/// The getter of a regular attribute (WebIDL §3.7.6 "attribute getter"): `get` is the DOM
/// method.
#[inline]
pub fn getter<'js, T, R, F>(params: &CallArgs<'_, 'js>, get: F) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    regular::<false, T, R, F>(params, "", 0, get)
}

/// As [`getter`], for an attribute of promise type: failures reject.
#[inline]
pub fn promise_getter<'js, T, R, F>(
    params: &CallArgs<'_, 'js>,
    get: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    regular::<true, T, R, F>(params, "", 0, get)
}

/// The getter of a [SameObject] attribute: the first value is kept per object and returned
/// every time.
#[inline]
pub fn same_object_getter<'js, T, R, F>(
    params: &CallArgs<'_, 'js>,
    name: &'static str,
    get: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    same_object::<false, T, R, F>(params, name, get)
}

/// As [`same_object_getter`], for an attribute of promise type: failures reject.
#[inline]
pub fn promise_same_object_getter<'js, T, R, F>(
    params: &CallArgs<'_, 'js>,
    name: &'static str,
    get: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    same_object::<true, T, R, F>(params, name, get)
}

#[inline(always)]
fn same_object<'js, const REJECTS: bool, T, R, F>(
    params: &CallArgs<'_, 'js>,
    name: &'static str,
    get: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    let ctx = realm(params);
    run::<REJECTS>(ctx, || {
        with_this(
            params,
            || Ok(()),
            |this: &T, cx| {
                // `cx.this` is the reflector (a brand check passed on it).
                let holder = super::realm::object_ref(&cx.this).ok_or_else(illegal_invocation)?;
                super::realm::same_object(ctx, holder, name, || get(this, cx)?.to_js(ctx))
            },
        )
    })
}

/// The getter of a static attribute (or of a namespace's attribute).
#[inline]
pub fn static_getter<'js, R, F>(params: &CallArgs<'_, 'js>, get: F) -> rquickjs::Result<Value<'js>>
where
    R: ToJsValue<'js>,
    F: FnOnce(&Cx<'js>) -> Fallible<R>,
{
    static_member::<false, R, F>(params, "", 0, get)
}

/// As [`static_getter`], for an attribute of promise type: failures reject.
#[inline]
pub fn promise_static_getter<'js, R, F>(
    params: &CallArgs<'_, 'js>,
    get: F,
) -> rquickjs::Result<Value<'js>>
where
    R: ToJsValue<'js>,
    F: FnOnce(&Cx<'js>) -> Fallible<R>,
{
    static_member::<true, R, F>(params, "", 0, get)
}

/// The setter of a regular attribute (WebIDL §3.7.6 "attribute setter"): brand check, one
/// argument required, `convert` turns it into the IDL type, `set` is the DOM method.
#[inline]
pub fn setter<'js, T, V, C, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    convert: C,
    set: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    C: FnOnce(&Ctx<'js>, Value<'js>) -> Fallible<V>,
    F: FnOnce(&T, &Cx<'js>, V) -> Fallible<()>,
{
    let ctx = realm(params);
    guard(ctx, || {
        with_this(
            params,
            || require_args(params, 1, what),
            |this: &T, cx| {
                let value = convert(ctx, arg(params, 0))?;
                set(this, cx, value)
            },
        )?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The setter of a static attribute (or of a namespace's attribute).
#[inline]
pub fn static_setter<'js, V, C, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    convert: C,
    set: F,
) -> rquickjs::Result<Value<'js>>
where
    C: FnOnce(&Ctx<'js>, Value<'js>) -> Fallible<V>,
    F: FnOnce(&Cx<'js>, V) -> Fallible<()>,
{
    let ctx = realm(params);
    guard(ctx, || {
        require_args(params, 1, what)?;
        let value = convert(ctx, arg(params, 0))?;
        with_static_cx(params, |cx| set(cx, value))?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The setter of a [PutForwards=target] attribute: `this[attr][target] = value`.
pub fn put_forwards_setter<'js, T: DomInterface<'js> + 'js>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    attr: &str,
    target: &str,
) -> rquickjs::Result<Value<'js>> {
    let ctx = realm(params);
    guard(ctx, || {
        let this = this_object::<T>(params)?;
        require_args(params, 1, what)?;
        put_forwards(ctx, this.reflector(), attr, target, arg(params, 0))?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The setter of a [Replaceable] attribute: an own data property now shadows the accessor.
pub fn replaceable_setter<'js, T: DomInterface<'js> + 'js>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    name: &str,
) -> rquickjs::Result<Value<'js>> {
    let ctx = realm(params);
    guard(ctx, || {
        let this = this_object::<T>(params)?;
        require_args(params, 1, what)?;
        replace_property(ctx, this.reflector(), name, arg(params, 0))?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// The getter of an event handler IDL attribute (`onfoo`, HTML §8.1.8.1): the handler of
/// `event` on the target.
pub fn event_handler_getter<'js, T>(
    params: &CallArgs<'_, 'js>,
    event: &str,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + Inherits<'js, EventTarget<'js>> + 'js,
{
    let ctx = realm(params);
    guard(ctx, || {
        let this = this_object::<T>(params)?;
        let target = this.upcast::<EventTarget<'js>>();
        event_handler::get(ctx, &target, event)
    })
}

/// The setter of an event handler IDL attribute.
pub fn event_handler_setter<'js, T>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    event: &str,
    kind: EventHandlerKind,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + Inherits<'js, EventTarget<'js>> + 'js,
{
    let ctx = realm(params);
    guard(ctx, || {
        let this = this_object::<T>(params)?;
        require_args(params, 1, what)?;
        let target = this.upcast::<EventTarget<'js>>();
        event_handler::set(ctx, &target, event, arg(params, 0), kind)?;
        Ok(Value::new_undefined(ctx.clone()))
    })
}

/// [LegacyLenientThis]: whether `this` fails the brand check, in which case the accessor
/// does nothing and returns undefined instead of throwing.
pub fn lenient_this_fails<'js, T: DomInterface<'js> + 'js>(params: &CallArgs<'_, 'js>) -> bool {
    this_object::<T>(params).is_err()
}

/// A regular operation (WebIDL §3.7.7): brand check, `required` arguments, then `call`
/// (which converts the arguments and calls the DOM method), then the result to JS.
#[inline]
pub fn method<'js, T, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    call: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    regular::<false, T, R, F>(params, what, required, call)
}

/// As [`method`], for an operation returning a promise: failures reject.
#[inline]
pub fn promise_method<'js, T, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    call: F,
) -> rquickjs::Result<Value<'js>>
where
    T: DomInterface<'js> + 'js,
    R: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<R>,
{
    regular::<true, T, R, F>(params, what, required, call)
}

/// A static operation (or a namespace's operation).
#[inline]
pub fn static_method<'js, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    call: F,
) -> rquickjs::Result<Value<'js>>
where
    R: ToJsValue<'js>,
    F: FnOnce(&Cx<'js>) -> Fallible<R>,
{
    static_member::<false, R, F>(params, what, required, call)
}

/// As [`static_method`], for an operation returning a promise: failures reject.
#[inline]
pub fn promise_static_method<'js, R, F>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    call: F,
) -> rquickjs::Result<Value<'js>>
where
    R: ToJsValue<'js>,
    F: FnOnce(&Cx<'js>) -> Fallible<R>,
{
    static_member::<true, R, F>(params, what, required, call)
}

/// A constructor (WebIDL §3.7.1 interface object [[Construct]]): called with `new`,
/// `required` arguments, `convert` turns them into IDL values, then the object is created
/// with the prototype from `new.target`, `construct` (the DOM constructor) makes the DOM
/// value, and `constructed` runs once it has its reflector.
#[inline]
pub fn constructor<'js, T, A, C, F, G>(
    params: &CallArgs<'_, 'js>,
    what: &str,
    required: usize,
    convert: C,
    construct: F,
    constructed: G,
) -> rquickjs::Result<Value<'js>>
where
    T: DomObject<'js> + 'js,
    C: FnOnce(&Ctx<'js>) -> Fallible<A>,
    F: FnOnce(&Cx<'js>, A) -> Fallible<T>,
    G: FnOnce(&Cx<'js>, &Dom<'js, T>) -> Fallible<()>,
{
    let ctx = realm(params);
    guard(ctx, || {
        let name = <T as DomObject<'js>>::NAME;
        require_new(params, name)?;
        require_args(params, required, what)?;
        let args = convert(ctx)?;
        let proto = new_target_prototype(params, T::PROTO_ID, name)?;
        with_static_cx(params, |cx| {
            let value = construct(cx, args)?;
            let dom = super::realm::reflect_with_proto(ctx, value, proto)?;
            constructed(cx, &dom)?;
            Ok(dom.reflector().clone().into_value())
        })
    })
}

/// Argument `i` of an optional argument: None when it is missing or undefined (WebIDL: an
/// undefined optional argument takes its default).
#[inline]
pub fn optional_arg<'js>(params: &CallArgs<'_, 'js>, i: usize) -> Option<Value<'js>> {
    params.arg(i).filter(|v| !v.is_undefined())
}
