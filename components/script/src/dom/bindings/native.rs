//! The JS function objects of glue functions (attribute getters and setters, operations,
//! constructors, iterator methods): objects of a QuickJS class of our own whose call hook
//! calls the glue function directly.
//!
//! They used to be rquickjs `Function::new` closures. Every call of one of those goes through
//! rquickjs's generic callable class: its class vtable, a boxed closure, its panic guard, its
//! `Params` (the arguments copied into a `Cow`) and a context duplicated and freed around the
//! call; for a getter that was most of the time a call took. A glue function needs none of
//! it: [`CallArgs`] borrows what QuickJS passes, and [`call`] keeps what that path did that
//! matters: the callee realm and the caller's are set for the call (see `realm`'s module
//! documentation), no panic crosses into JS (one is reported as `glue::guard` reports it),
//! and an error becomes the JS exception rquickjs would have thrown.

use super::error::Error;
use super::glue::Cx;
use super::realm;
use super::spec::NativeFnPtr;
use rquickjs::{qjs, Ctx, Exception, Function, JsLifetime, Value};
use std::borrow::Cow;
use std::mem::{self, ManuallyDrop};
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

/// What a glue function is called with: the caller's context, the function's realm, `this`
/// and the arguments, all borrowed from QuickJS for the call.
pub struct CallArgs<'a, 'js> {
    /// The context QuickJS passed: the caller's realm.
    ctx: ManuallyDrop<Ctx<'js>>,
    /// The realm the function was created in (the callee realm).
    realm: ManuallyDrop<Ctx<'js>>,
    this: qjs::JSValue,
    args: Cow<'a, [qjs::JSValue]>,
    is_constructor: bool,
}

impl<'a, 'js> CallArgs<'a, 'js> {
    /// The caller's context: the one QuickJS called the function with.
    #[inline]
    pub fn ctx(&self) -> &Ctx<'js> {
        &self.ctx
    }

    /// The realm of the function being called (WebIDL's "current realm" for its steps).
    #[inline]
    pub fn realm(&self) -> &Ctx<'js> {
        &self.realm
    }

    /// The `this` value as passed (for constructors: `new.target`).
    #[inline]
    pub fn this(&self) -> Value<'js> {
        // SAFETY: `this` is a live value QuickJS passed for the call; the new reference is
        // owned by the returned value.
        unsafe { owned_value(&self.ctx, self.this) }
    }

    /// Argument `index`, if given.
    #[inline]
    pub fn arg(&self, index: usize) -> Option<Value<'js>> {
        self.args
            .get(index)
            // SAFETY: as for `this`.
            .map(|v| unsafe { owned_value(&self.ctx, *v) })
    }

    /// The number of arguments given.
    #[inline]
    pub fn len(&self) -> usize {
        self.args.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.args.is_empty()
    }

    /// Whether the function was called with `new`.
    #[inline]
    pub fn is_constructor(&self) -> bool {
        self.is_constructor
    }

    /// `this` as passed, borrowed for the call (see [`borrowed_value`]).
    #[inline]
    pub(super) fn this_borrowed(&self) -> ManuallyDrop<Value<'js>> {
        // SAFETY: QuickJS keeps `this` alive for the call, which the glue does not outlive.
        unsafe { borrowed_value(self.ctx.as_raw(), self.this) }
    }
}

/// A value of `ctx` that holds no reference of its own, to the value or the context (see
/// [`borrowed_ctx`]): never dropped, only forgotten; its clones are counted references.
///
/// SAFETY (caller): the value and the context are alive for as long as the result is used.
#[inline]
pub(super) unsafe fn borrowed_value<'js>(
    ctx: NonNull<qjs::JSContext>,
    v: qjs::JSValue,
) -> ManuallyDrop<Value<'js>> {
    let ctx = ManuallyDrop::into_inner(unsafe { borrowed_ctx(ctx) });
    // SAFETY: `from_raw` only wraps; the value is never dropped, so it frees nothing.
    ManuallyDrop::new(unsafe { Value::from_raw(ctx, v) })
}

/// The [`Cx`] of a glue call, built from the call's own context and values without taking
/// references (three context and two value references, taken and released per call, were a
/// good part of a getter's time). DOM methods only ever get `&Cx`, so they cannot move its
/// parts out; what they clone out of it is counted as usual. Never dropped, also when the DOM
/// method panics.
///
/// SAFETY (caller): `realm`, `this` and `receiver` (and their contexts) outlive the result.
#[inline]
pub(super) unsafe fn borrowed_cx<'js>(
    realm: &Ctx<'js>,
    this: &Value<'js>,
    receiver: &Value<'js>,
) -> ManuallyDrop<Cx<'js>> {
    unsafe {
        ManuallyDrop::new(Cx {
            ctx: ManuallyDrop::into_inner(borrowed_ctx(realm.as_raw())),
            this: ManuallyDrop::into_inner(borrowed_value(this.ctx().as_raw(), this.as_raw())),
            receiver: ManuallyDrop::into_inner(borrowed_value(
                receiver.ctx().as_raw(),
                receiver.as_raw(),
            )),
        })
    }
}

/// A new reference to `v` (a value of `ctx`'s runtime), as an rquickjs value.
#[inline]
unsafe fn owned_value<'js>(ctx: &Ctx<'js>, v: qjs::JSValue) -> Value<'js> {
    unsafe { Value::from_raw(ctx.clone(), qjs::JS_DupValue(ctx.as_raw().as_ptr(), v)) }
}

// `borrowed_ctx` relies on this: a `Ctx` is its context pointer and a zero-sized lifetime
// marker, so a struct of that size can only hold the pointer, at offset 0.
const _: () = assert!(
    mem::size_of::<Ctx<'static>>() == mem::size_of::<NonNull<qjs::JSContext>>()
        && mem::align_of::<Ctx<'static>>() == mem::align_of::<NonNull<qjs::JSContext>>()
);

/// A `Ctx` for `raw` that holds no reference of its own (rquickjs offers only constructors
/// that duplicate the context, and its `Drop` frees it; both are calls into QuickJS, and a
/// call's context is alive for the call anyway). It must never be dropped, only forgotten:
/// hence `ManuallyDrop`; clones of it are ordinary counted references.
///
/// SAFETY (caller): `raw` is a live context of the runtime whose lock the caller holds, alive
/// for `'js`.
#[inline]
unsafe fn borrowed_ctx<'js>(raw: NonNull<qjs::JSContext>) -> ManuallyDrop<Ctx<'js>> {
    // SAFETY: same size and alignment as the pointer (asserted above), so the pointer is the
    // whole of a `Ctx`; the lifetime marker is zero-sized.
    ManuallyDrop::new(unsafe { mem::transmute::<NonNull<qjs::JSContext>, Ctx<'js>>(raw) })
}

/// The Rust side of a glue function object (its opaque): the glue function and the realm
/// (context) the object was created in. The realm is not counted (as it was not by the
/// rquickjs closures before): a realm's context lives until its thread's script ends
/// (`nested::tear_down_all`, the global's shutdown), and a reference QuickJS's cycle
/// collector cannot see (it does not look into a class's opaque) would keep the context
/// from ever being freed.
struct GlueData {
    f: NativeFnPtr,
    realm: NonNull<qjs::JSContext>,
}

/// The class id of glue function objects in a runtime (QuickJS class ids are per runtime),
/// kept as the runtime's user data.
struct GlueClass(qjs::JSClassID);

// SAFETY: holds no JS values.
unsafe impl<'js> JsLifetime<'js> for GlueClass {
    type Changed<'to> = GlueClass;
}

/// The class id of glue function objects in `ctx`'s runtime, registering the class the first
/// time.
pub(super) fn class_id(ctx: &Ctx<'_>) -> Result<qjs::JSClassID, Error> {
    if let Some(class) = ctx.userdata::<GlueClass>() {
        return Ok(class.0);
    }
    let rt = unsafe { qjs::JS_GetRuntime(ctx.as_raw().as_ptr()) };
    let mut id: qjs::JSClassID = 0;
    unsafe { qjs::JS_NewClassID(rt, &mut id) };
    let def = qjs::JSClassDef {
        class_name: c"GlueFunction".as_ptr(),
        finalizer: Some(finalize),
        gc_mark: None,
        call: Some(call),
        exotic: std::ptr::null_mut(),
    };
    // QuickJS copies what it needs of `def` (the name as an atom).
    if unsafe { qjs::JS_NewClass(rt, id, &def) } != 0 {
        return Err(Error::Type(
            "cannot register the glue function class".into(),
        ));
    }
    ctx.store_userdata(GlueClass(id))
        .map_err(|_| Error::Type("cannot keep the glue function class".into()))?;
    Ok(id)
}

/// A JS function object for the glue function `f` of the realm `ctx`, with WebIDL's `name`
/// and `length` (own properties in that order, `{ writable: false, enumerable: false,
/// configurable: true }`, as `Function::new` defined them).
pub fn native_function<'js>(
    ctx: &Ctx<'js>,
    class_id: qjs::JSClassID,
    f: NativeFnPtr,
    name: &str,
    length: u32,
) -> Result<Function<'js>, Error> {
    let raw = ctx.as_raw();
    let proto = Function::prototype(ctx.clone());
    let obj = unsafe { qjs::JS_NewObjectProtoClass(raw.as_ptr(), proto.as_raw(), class_id) };
    if unsafe { qjs::JS_IsException(obj) } {
        return Err(Error::JsException);
    }
    // SAFETY: `obj` is a new reference, owned from here on by the value.
    let value = unsafe { Value::from_raw(ctx.clone(), obj) };
    let data = Box::into_raw(Box::new(GlueData { f, realm: raw }));
    // The object is of our class, so this cannot fail; the finalizer frees the data.
    unsafe { qjs::JS_SetOpaque(obj, data.cast()) };
    let func = value
        .into_function()
        .ok_or_else(|| Error::Type("a glue function object is not callable".into()))?;
    func.set_length(length as usize)?;
    func.set_name(name)?;
    Ok(func)
}

unsafe extern "C" fn finalize(_rt: *mut qjs::JSRuntime, obj: qjs::JSValue) {
    let mut id = 0;
    let data = unsafe { qjs::JS_GetAnyOpaque(obj, &mut id) } as *mut GlueData;
    if !data.is_null() {
        drop(unsafe { Box::from_raw(data) });
    }
}

/// The class's call hook: QuickJS calls it with the caller's context for a call (flags
/// without `JS_CALL_FLAG_CONSTRUCTOR`) or a `new` (`this` is then `new.target`).
unsafe extern "C" fn call(
    ctx: *mut qjs::JSContext,
    func: qjs::JSValue,
    this: qjs::JSValue,
    argc: qjs::c_int,
    argv: *mut qjs::JSValue,
    flags: qjs::c_int,
) -> qjs::JSValue {
    let mut id = 0;
    let data = unsafe { qjs::JS_GetAnyOpaque(func, &mut id) } as *const GlueData;
    let (Some(caller), false) = (NonNull::new(ctx), data.is_null()) else {
        // Cannot happen: the opaque is set before the object is seen by script.
        return qjs::JS_EXCEPTION;
    };
    // SAFETY: the opaque is the `GlueData` of this object, freed only by its finalizer.
    let data = unsafe { &*data };
    let args: Cow<'_, [qjs::JSValue]> = match usize::try_from(argc) {
        Ok(n) if n > 0 && !argv.is_null() => {
            if argv.is_aligned() {
                // SAFETY: QuickJS passes `argc` values at `argv`, alive for the call.
                Cow::Borrowed(unsafe { std::slice::from_raw_parts(argv, n) })
            } else {
                // QuickJS only guarantees four-byte alignment here on 32-bit MSVC.
                Cow::Owned(
                    (0..n)
                        .map(|i| unsafe { argv.add(i).read_unaligned() })
                        .collect(),
                )
            }
        }
        _ => Cow::Borrowed(&[]),
    };
    let _scope = realm::CallScope::enter(data.realm, caller);
    // SAFETY: both contexts are alive for the call (QuickJS holds the caller; the realm
    // outlives its functions), and QuickJS runs the call under the runtime's lock.
    let params = CallArgs {
        ctx: unsafe { borrowed_ctx(caller) },
        realm: unsafe { borrowed_ctx(data.realm) },
        this,
        args,
        is_constructor: flags & qjs::JS_CALL_FLAG_CONSTRUCTOR as qjs::c_int != 0,
    };
    let _native = crate::script_thread::NativeScope::enter();
    match panic::catch_unwind(AssertUnwindSafe(|| (data.f)(&params))) {
        Ok(Ok(v)) => into_raw(v),
        Ok(Err(e)) => throw(params.ctx(), e),
        Err(p) => {
            // The glue functions' own guard catches panics of DOM methods; this one is for
            // the glue around it. The same report, the same exception.
            let ctx = params.realm();
            let msg = super::panic::caught(ctx, "a DOM method", &*p);
            super::error::throw(ctx, Error::Type(msg));
            qjs::JS_EXCEPTION
        }
    }
}

/// The raw value QuickJS takes ownership of as the call's result.
#[inline]
fn into_raw(v: Value<'_>) -> qjs::JSValue {
    let raw = v.as_raw();
    let ctx = v.ctx().as_raw();
    // The value's reference passes to QuickJS; the context reference it held is released.
    mem::forget(v);
    unsafe { qjs::JS_FreeContext(ctx.as_ptr()) };
    raw
}

/// `e` as the exception rquickjs's own function trampoline throws for it.
#[cold]
fn throw(ctx: &Ctx<'_>, e: rquickjs::Error) -> qjs::JSValue {
    use rquickjs::Error as E;
    match &e {
        E::Exception => {}
        E::Allocation => return unsafe { qjs::JS_ThrowOutOfMemory(ctx.as_raw().as_ptr()) },
        E::InvalidString(_)
        | E::Utf8(_)
        | E::FromJs { .. }
        | E::IntoJs { .. }
        | E::TooManyArgs { .. }
        | E::MissingArgs { .. } => {
            Exception::throw_type(ctx, &e.to_string());
        }
        E::AsSlice(_) | E::Resolving { .. } | E::Loading { .. } => {
            Exception::throw_reference(ctx, &e.to_string());
        }
        E::Unknown => {
            Exception::throw_internal(ctx, &e.to_string());
        }
        _ => {
            Exception::throw_message(ctx, &e.to_string());
        }
    }
    qjs::JS_EXCEPTION
}
