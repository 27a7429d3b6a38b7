//! A realm: one JS context with its global object, and the per-realm tables the bindings use
//! (interface prototypes and objects, the Rust data of the global). Stored as the context's
//! opaque pointer (a thread's runtime can hold several realms: a window and the windows of
//! its iframes); dropped explicitly at shutdown before the runtime (see `GlobalScope`).
//!
//! QuickJS calls a Rust function with the *caller's* context, not the function's realm (it
//! switches realms only for its own C functions). A glue function object remembers the realm
//! it was created in and hands it to the glue as the callee realm (`CallArgs::realm`, also
//! [`callee_realm`] for the call), so the glue works in the function's realm, as WebIDL's
//! "current realm" requires: `frame.contentWindow.document` is the frame's document, not the
//! caller's.

use super::codegen::{GlobalKind, PROTOTYPE_COUNT};
use super::error::{Error, Fallible};
use super::native::CallArgs;
use super::root::{Dom, DomObject};
use super::spec::*;
use rquickjs::atom::PredefinedAtom;
use rquickjs::class::JsClass;
use rquickjs::object::{AsProperty, PropertyFlags};
use rquickjs::{qjs, Class, Ctx, Function, IntoAtom, JsLifetime, Object, Value};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeSet;

/// What a realm is: the kind of its global, whether it is a secure context, and which prefs
/// (`[Pref="..."]` gates) are on.
#[derive(Clone, Debug)]
pub struct RealmOptions {
    pub kind: GlobalKind,
    pub secure_context: bool,
    pub prefs: BTreeSet<String>,
}

/// An unforgeable member: defined as an own property on every instance.
#[derive(Clone)]
enum Unforgeable<'js> {
    /// `{ get, set, enumerable: true, configurable: false }`
    Attribute {
        name: &'static str,
        getter: Function<'js>,
        setter: Option<Function<'js>>,
    },
    /// `{ value, writable: false, enumerable: true, configurable: false }`
    Operation {
        name: &'static str,
        function: Function<'js>,
    },
}

pub struct RealmData<'js> {
    pub options: RealmOptions,
    global_object: Object<'js>,
    /// Set once, by `init_global`.
    global_data: OnceCell<Object<'js>>,
    protos: RefCell<Vec<Option<Object<'js>>>>,
    interface_objects: RefCell<Vec<Option<Object<'js>>>>,
    unforgeables: RefCell<Vec<Vec<Unforgeable<'js>>>>,
    /// Each pair-iterable interface's `%Interface Iterator Prototype%`.
    iterator_protos: RefCell<Vec<Option<Object<'js>>>>,
    /// `%IteratorPrototype%`, taken before any script ran.
    iterator_prototype: Option<Object<'js>>,
    /// `%ArrayIteratorPrototype%`, taken before any script ran (see
    /// [`array_iteration_intact`]).
    array_iterator_prototype: Option<Object<'js>>,
    rust_class_id: Cell<u32>,
    /// The class id of glue function objects in this realm's runtime (`native::class_id`).
    glue_class: qjs::JSClassID,
    /// [SameObject] values: a WeakMap from a reflector to an object holding its values by
    /// attribute name, with the intrinsic WeakMap methods taken before any script ran.
    same_object: (Object<'js>, Function<'js>, Function<'js>),
    /// Intrinsic functions taken before any script ran (see [`Intrinsic`]).
    intrinsics: Vec<Option<Function<'js>>>,
    /// See [`intrinsic_constructor`].
    constructors: Vec<(&'static str, Function<'js>)>,
    /// Functions the user agent installs in the realm for its own use, out of script's
    /// reach (see [`set_hidden`]).
    hidden: RefCell<Vec<(&'static str, Function<'js>)>>,
    /// Objects the user agent made in this realm for another (by key), kept for identity:
    /// the cross-origin WindowProxy objects this realm's script sees.
    made_for: RefCell<Vec<(usize, Object<'js>)>>,
}

/// Intrinsic functions the bindings call, so script replacing globals cannot interfere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intrinsic {
    BigInt,
    TypedArrayBuffer,
    TypedArrayByteOffset,
    TypedArrayByteLength,
    DataViewBuffer,
    DataViewByteOffset,
    DataViewByteLength,
    TypedArrayLength,
    BooleanValueOf,
    NumberValueOf,
    BigIntValueOf,
    StringValueOf,
    DateGetTime,
    RegExpSource,
    RegExpFlags,
    MapEntries,
    SetValues,
    ObjectKeys,
    ObjectHasOwn,
    ArrayFrom,
    ObjectFreeze,
    ReflectGet,
    ReflectHas,
    ReflectSet,
    ReflectOwnKeys,
    /// `%Array.prototype.values%`.
    ArrayValues,
    /// `%ArrayIteratorPrototype%.next`.
    ArrayIteratorNext,
    /// The realm's byte length queuing strategy size function (Streams).
    ByteLengthQueuingStrategySize,
    /// The realm's count queuing strategy size function (Streams).
    CountQueuingStrategySize,
}

const INTRINSICS: &[(Intrinsic, &str)] = &[
    (Intrinsic::BigInt, "BigInt"),
    (
        Intrinsic::TypedArrayBuffer,
        "Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer').get",
    ),
    (
        Intrinsic::TypedArrayByteOffset,
        "Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteOffset').get",
    ),
    (
        Intrinsic::TypedArrayByteLength,
        "Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength').get",
    ),
    (
        Intrinsic::DataViewBuffer,
        "Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer').get",
    ),
    (
        Intrinsic::DataViewByteOffset,
        "Object.getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get",
    ),
    (
        Intrinsic::DataViewByteLength,
        "Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get",
    ),
    (
        Intrinsic::TypedArrayLength,
        "Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'length').get",
    ),
    (Intrinsic::BooleanValueOf, "Boolean.prototype.valueOf"),
    (Intrinsic::NumberValueOf, "Number.prototype.valueOf"),
    (Intrinsic::BigIntValueOf, "BigInt.prototype.valueOf"),
    (Intrinsic::StringValueOf, "String.prototype.valueOf"),
    (Intrinsic::DateGetTime, "Date.prototype.getTime"),
    (
        Intrinsic::RegExpSource,
        "Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get",
    ),
    (
        Intrinsic::RegExpFlags,
        "Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get",
    ),
    (Intrinsic::MapEntries, "Map.prototype.entries"),
    (Intrinsic::SetValues, "Set.prototype.values"),
    (Intrinsic::ObjectKeys, "Object.keys"),
    (Intrinsic::ObjectHasOwn, "Object.hasOwn"),
    (Intrinsic::ArrayFrom, "Array.from"),
    (Intrinsic::ObjectFreeze, "Object.freeze"),
    (Intrinsic::ReflectGet, "Reflect.get"),
    (Intrinsic::ReflectHas, "Reflect.has"),
    (Intrinsic::ReflectSet, "Reflect.set"),
    (Intrinsic::ReflectOwnKeys, "Reflect.ownKeys"),
    (Intrinsic::ArrayValues, "Array.prototype.values"),
    (
        Intrinsic::ArrayIteratorNext,
        "Object.getPrototypeOf([][Symbol.iterator]()).next",
    ),
    // Built-in-like: arrows (no prototype, not constructible), named "size", of length 1
    // and 0 as the Streams standard makes them.
    (
        Intrinsic::ByteLengthQueuingStrategySize,
        "(() => { const size = (chunk) => chunk.byteLength; return size; })()",
    ),
    (
        Intrinsic::CountQueuingStrategySize,
        "(() => { const size = () => 1; return size; })()",
    ),
];

/// Constructors (and functions) structured deserialization calls, taken before any script
/// ran, by global name.
const INTRINSIC_CONSTRUCTORS: &[&str] = &[
    "Object",
    "Date",
    "RegExp",
    "Map",
    "Set",
    "BigInt",
    "String",
    "Error",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
    "Int8Array",
    "Uint8Array",
    "Uint8ClampedArray",
    "Int16Array",
    "Uint16Array",
    "Int32Array",
    "Uint32Array",
    "Float32Array",
    "Float64Array",
    "BigInt64Array",
    "BigUint64Array",
    "DataView",
];

/// A constructor of this realm by its global name, as it was before any script ran.
pub fn intrinsic_constructor<'js>(ctx: &Ctx<'js>, name: &str) -> Option<Function<'js>> {
    with_realm(ctx, |r| {
        r.constructors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f.clone())
    })
    .flatten()
}

/// Keeps `f` under `name` for the user agent's own use in this realm (made before any script
/// ran, so script cannot have replaced what it captured).
pub fn set_hidden<'js>(ctx: &Ctx<'js>, name: &'static str, f: Function<'js>) {
    with_realm(ctx, |r| {
        let mut hidden = r.hidden.borrow_mut();
        hidden.retain(|(n, _)| *n != name);
        hidden.push((name, f));
    });
}

/// The object this realm keeps under `key` (see `RealmData::made_for`), or the one `make`
/// makes (kept from then on).
pub fn object_made_for<'js>(
    ctx: &Ctx<'js>,
    key: usize,
    make: impl FnOnce() -> Fallible<Object<'js>>,
) -> Fallible<Object<'js>> {
    let found = with_realm(ctx, |r| {
        r.made_for
            .borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, o)| o.clone())
    })
    .flatten();
    if let Some(o) = found {
        return Ok(o);
    }
    let o = make()?;
    with_realm(ctx, |r| r.made_for.borrow_mut().push((key, o.clone())));
    Ok(o)
}

/// The function kept under `name` by [`set_hidden`].
pub fn hidden<'js>(ctx: &Ctx<'js>, name: &str) -> Option<Function<'js>> {
    with_realm(ctx, |r| {
        r.hidden
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f.clone())
    })
    .flatten()
}

/// The intrinsic function `which`, borrowed from the realm's table.
fn intrinsic_function<'a, 'js>(
    r: &'a RealmData<'js>,
    which: Intrinsic,
) -> Option<&'a Function<'js>> {
    INTRINSICS
        .iter()
        .position(|(i, _)| *i == which)
        .and_then(|i| r.intrinsics.get(i))
        .and_then(|f| f.as_ref())
}

/// Whether `v` is the intrinsic function `which` of this realm (without a reference to it).
pub fn is_intrinsic<'js>(ctx: &Ctx<'js>, which: Intrinsic, v: &Value<'js>) -> bool {
    with_realm(ctx, |r| {
        intrinsic_function(r, which).is_some_and(|f| f.as_value() == v)
    })
    .unwrap_or(false)
}

/// An intrinsic function of this realm, as it was before any script ran.
pub fn intrinsic<'js>(ctx: &Ctx<'js>, which: Intrinsic) -> Option<Value<'js>> {
    with_realm(ctx, |r| {
        intrinsic_function(r, which).map(|f| f.clone().into_value())
    })
    .flatten()
}

// SAFETY: every field is either 'static or holds JS values of lifetime 'js only.
unsafe impl<'js> JsLifetime<'js> for RealmData<'js> {
    type Changed<'to> = RealmData<'to>;
}

/// A class used once per realm to learn the class id rquickjs gives all Rust classes.
struct ClassIdProbe;
impl<'js> rquickjs::class::Trace<'js> for ClassIdProbe {
    fn trace<'a>(&self, _: rquickjs::class::Tracer<'a, 'js>) {}
}
unsafe impl<'js> JsLifetime<'js> for ClassIdProbe {
    type Changed<'to> = ClassIdProbe;
}
impl<'js> JsClass<'js> for ClassIdProbe {
    const NAME: &'static str = "ClassIdProbe";
    type Mutable = rquickjs::class::Readable;
    fn prototype(_ctx: &Ctx<'js>) -> rquickjs::Result<Option<Object<'js>>> {
        Ok(None)
    }
    fn constructor(
        _ctx: &Ctx<'js>,
    ) -> rquickjs::Result<Option<rquickjs::function::Constructor<'js>>> {
        Ok(None)
    }
}

/// Creates the realm data for `ctx`. Call once, before `install_interfaces`.
pub fn init(ctx: &Ctx<'_>, options: RealmOptions) -> Fallible<()> {
    let probe = Class::instance(ctx.clone(), ClassIdProbe)?;
    let class_id = unsafe { qjs::JS_GetClassID(probe.as_raw()) };
    drop(probe);
    let weak_map: rquickjs::function::Constructor = ctx.globals().get("WeakMap")?;
    let weak_map_proto: Object = weak_map.get("prototype")?;
    let same_object = (
        weak_map.construct::<_, Object>(())?,
        weak_map_proto.get::<_, Function>("get")?,
        weak_map_proto.get::<_, Function>("set")?,
    );
    let intrinsics = INTRINSICS
        .iter()
        .map(|(_, source)| ctx.eval::<Function, _>(*source).ok())
        .collect();
    let constructors = INTRINSIC_CONSTRUCTORS
        .iter()
        .filter_map(|name| {
            ctx.globals()
                .get::<_, Function>(*name)
                .ok()
                .map(|f| (*name, f))
        })
        .collect();
    let data = RealmData {
        options,
        global_object: ctx.globals(),
        global_data: OnceCell::new(),
        protos: RefCell::new(vec![None; PROTOTYPE_COUNT]),
        interface_objects: RefCell::new(vec![None; PROTOTYPE_COUNT]),
        unforgeables: RefCell::new(vec![Vec::new(); PROTOTYPE_COUNT]),
        iterator_protos: RefCell::new(vec![None; PROTOTYPE_COUNT]),
        iterator_prototype: ctx
            .eval::<Object, _>(
                "Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))",
            )
            .ok(),
        array_iterator_prototype: ctx
            .eval::<Object, _>("Object.getPrototypeOf([][Symbol.iterator]())")
            .ok(),
        rust_class_id: Cell::new(class_id),
        glue_class: super::native::class_id(ctx)?,
        same_object,
        intrinsics,
        hidden: RefCell::new(Vec::new()),
        made_for: RefCell::new(Vec::new()),
        constructors,
    };
    let raw = ctx.as_raw().as_ptr();
    if !unsafe { qjs::JS_GetContextOpaque(raw) }.is_null() {
        return Err(Error::Type("realm data already in use".into()));
    }
    // The realm data lives until `teardown`, which every realm's owner calls before the
    // runtime goes; 'js is erased for the pointer and restored by `with_realm`.
    let boxed: Box<RealmData<'_>> = Box::new(data);
    unsafe { qjs::JS_SetContextOpaque(raw, Box::into_raw(boxed) as *mut std::ffi::c_void) };
    REALMS.with(|r| r.borrow_mut().push(raw as usize));
    // QuickJS-ng defines some Web APIs as own properties of the global object. Where the
    // IDL defines them they come from the bindings (on WorkerGlobalScope.prototype in
    // workers, where an own property would shadow them), with the IDL's behaviour.
    let global = ctx.globals();
    for name in QUICKJS_WEB_APIS {
        global.remove(*name)?;
    }
    guard_prepare_stack_trace(ctx)?;
    Ok(())
}

/// QuickJS-ng (as bundled by rquickjs-sys 0.14) leaks a reference to a non-callable
/// `Error.prepareStackTrace` value every time it builds a stack trace (`build_backtrace`
/// dups it and only frees it when it is a function), so `Error.prepareStackTrace = {}` in
/// page script made the runtime abort at shutdown (`list_empty(&rt->gc_obj_list)`). The
/// accessor is wrapped so the engine's slot only ever holds a function or undefined, while
/// script still reads back what it stored (V8's behaviour: any value, used if callable).
fn guard_prepare_stack_trace(ctx: &Ctx<'_>) -> Fallible<()> {
    ctx.eval::<(), _>(
        r#"(() => {
            const d = Object.getOwnPropertyDescriptor(Error, "prepareStackTrace");
            if (!d || typeof d.set !== "function") return;
            let stored = d.get.call(Error);
            Object.defineProperty(Error, "prepareStackTrace", {
                get: function prepareStackTrace() { return stored; },
                set: function prepareStackTrace(v) {
                    stored = v;
                    d.set.call(Error, typeof v === "function" ? v : undefined);
                },
                enumerable: d.enumerable,
                configurable: true,
            });
        })();"#,
    )
    .map_err(|_| Error::Type("cannot guard Error.prepareStackTrace".into()))
}

/// Globals QuickJS-ng adds that the WebIDL in webidls/ defines.
const QUICKJS_WEB_APIS: &[&str] = &["queueMicrotask", "atob", "btoa"];

/// Drops the realm data (and with it every JS value it holds). Part of shutdown.
pub fn teardown(ctx: &Ctx<'_>) {
    let raw = ctx.as_raw().as_ptr();
    let data = unsafe { qjs::JS_GetContextOpaque(raw) } as *mut RealmData<'_>;
    if data.is_null() {
        return;
    }
    unsafe { qjs::JS_SetContextOpaque(raw, std::ptr::null_mut()) };
    REALMS.with(|r| r.borrow_mut().retain(|p| *p != raw as usize));
    drop(unsafe { Box::from_raw(data) });
}

thread_local! {
    /// The contexts of this thread's realms (as addresses), in creation order.
    static REALMS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// The realm of the Rust function being called (null: none is).
    static CALLEE: Cell<usize> = const { Cell::new(0) };
    /// The context that called it (the realm of the script that made the call).
    static CALLER: Cell<usize> = const { Cell::new(0) };
}

fn with_realm<'js, R>(ctx: &Ctx<'js>, f: impl FnOnce(&RealmData<'js>) -> R) -> Option<R> {
    let data = unsafe { qjs::JS_GetContextOpaque(ctx.as_raw().as_ptr()) } as *const RealmData<'js>;
    if data.is_null() {
        return None;
    }
    // Safety: set by `init`, freed only by `teardown` (after which the opaque is null); all
    // realms of a thread share one runtime, so 'js is the caller's.
    Some(f(unsafe { &*data }))
}

/// Every realm of this thread, as contexts of the caller's lifetime.
pub fn all_realms<'js>(ctx: &Ctx<'js>) -> Vec<Ctx<'js>> {
    let own = ctx.as_raw().as_ptr() as usize;
    REALMS.with(|r| {
        r.borrow()
            .iter()
            .map(|p| {
                if *p == own {
                    ctx.clone()
                } else {
                    // Safety: a realm in the list is alive (teardown removes it) and shares
                    // the caller's runtime, whose lock the caller holds.
                    unsafe {
                        Ctx::from_raw(std::ptr::NonNull::new_unchecked(*p as *mut qjs::JSContext))
                    }
                }
            })
            .collect()
    })
}

/// The realm whose context is at `raw`, if it is still one of this thread's realms.
pub fn realm_at<'js>(ctx: &Ctx<'js>, raw: usize) -> Option<Ctx<'js>> {
    all_realms(ctx)
        .into_iter()
        .find(|c| c.as_raw().as_ptr() as usize == raw)
}

/// The realm `obj` is the global object of, if it is one of this thread's global objects.
fn realm_of_global<'js>(obj: &Object<'js>) -> Option<Ctx<'js>> {
    all_realms(obj.ctx())
        .into_iter()
        .find(|c| with_realm(c, |r| r.global_object == *obj).unwrap_or(false))
}

/// The context of the realm whose Rust function is being called (see the module
/// documentation); the caller's context when that is the same or no glue function runs.
pub fn callee_realm<'js>(caller: &Ctx<'js>) -> Ctx<'js> {
    let p = CALLEE.with(|c| c.get());
    if p == 0 || p == caller.as_raw().as_ptr() as usize {
        return caller.clone();
    }
    // Safety: `native::call` sets it to its function's realm's live context for the call.
    unsafe { Ctx::from_raw(std::ptr::NonNull::new_unchecked(p as *mut qjs::JSContext)) }
}

/// The context of the script that called the running Rust function (HTML's incumbent
/// realm, as far as this engine tracks it); `ctx` when none is known.
pub fn caller_realm<'js>(ctx: &Ctx<'js>) -> Ctx<'js> {
    let p = CALLER.with(|c| c.get());
    if p == 0 || p == ctx.as_raw().as_ptr() as usize {
        return ctx.clone();
    }
    // Safety: set by `native::call` from its live caller's context for the call.
    unsafe { Ctx::from_raw(std::ptr::NonNull::new_unchecked(p as *mut qjs::JSContext)) }
}

/// Runs `f` with `ctx` as the callee realm (a realm's task or callback entering it).
pub fn enter_realm<R>(ctx: &Ctx<'_>, f: impl FnOnce() -> R) -> R {
    let prev = CALLEE.with(|c| c.replace(ctx.as_raw().as_ptr() as usize));
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            CALLEE.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(prev);
    f()
}

pub fn options(ctx: &Ctx<'_>) -> Option<RealmOptions> {
    with_realm(ctx, |r| r.options.clone())
}

pub fn global_kind(ctx: &Ctx<'_>) -> Option<GlobalKind> {
    with_realm(ctx, |r| r.options.kind)
}

/// The interface prototype object of `id` in this realm, if the interface is exposed here.
pub fn prototype<'js>(ctx: &Ctx<'js>, id: usize) -> Option<Object<'js>> {
    with_realm(ctx, |r| r.protos.borrow().get(id).cloned().flatten()).flatten()
}

/// The interface object of `id` in this realm.
pub fn interface_object<'js>(ctx: &Ctx<'js>, id: usize) -> Option<Object<'js>> {
    with_realm(ctx, |r| {
        r.interface_objects.borrow().get(id).cloned().flatten()
    })
    .flatten()
}

/// The `%Interface Iterator Prototype%` of a pair-iterable interface in this realm.
pub fn iterator_prototype<'js>(ctx: &Ctx<'js>, id: usize) -> Option<Object<'js>> {
    with_realm(ctx, |r| {
        r.iterator_protos.borrow().get(id).cloned().flatten()
    })
    .flatten()
}

/// Whether iterating an Array of this realm whose `@@iterator` is `%Array.prototype.values%`
/// still runs the intrinsic `next`: `%ArrayIteratorPrototype%` has it as an own data property,
/// which is what a new array iterator's `next` resolves to. Looking is no [[Get]], so it runs
/// no script (the iterator protocol gets `next` once per conversion, which a getter could see).
pub fn array_iteration_intact(ctx: &Ctx<'_>) -> bool {
    with_realm(ctx, |r| {
        let next = intrinsic_function(r, Intrinsic::ArrayIteratorNext);
        match (next, &r.array_iterator_prototype) {
            (Some(next), Some(proto)) => own_next_is(ctx, proto, next),
            _ => false,
        }
    })
    .unwrap_or(false)
}

/// Whether `obj` (an ordinary object) has an own data property `next` holding `f`.
fn own_next_is<'js>(ctx: &Ctx<'js>, obj: &Object<'js>, f: &Function<'js>) -> bool {
    let mut desc = std::mem::MaybeUninit::<qjs::JSPropertyDescriptor>::uninit();
    let raw = ctx.as_raw().as_ptr();
    // An ordinary object: no proxy trap or other script runs, no exception is possible.
    let found = unsafe {
        qjs::JS_GetOwnProperty(
            raw,
            desc.as_mut_ptr(),
            obj.as_raw(),
            PredefinedAtom::Next as qjs::JSAtom,
        )
    };
    if found <= 0 {
        return false;
    }
    // SAFETY: filled in when the property was found; its three values are ours to free.
    let desc = unsafe { desc.assume_init() };
    let intact = desc.flags & qjs::JS_PROP_GETSET as i32 == 0
        && unsafe { qjs::JS_VALUE_GET_TAG(desc.value) } == qjs::JS_TAG_OBJECT
        && unsafe { qjs::JS_VALUE_GET_PTR(desc.value) == qjs::JS_VALUE_GET_PTR(f.as_raw()) };
    unsafe {
        qjs::JS_FreeValue(raw, desc.value);
        qjs::JS_FreeValue(raw, desc.getter);
        qjs::JS_FreeValue(raw, desc.setter);
    }
    intact
}

/// Whether `v` is a platform object (a reflector of some DOM object, or the global).
pub fn is_platform_object(v: &Value<'_>) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let ctx = obj.ctx();
    let id = unsafe { qjs::JS_GetClassID(v.as_raw()) };
    with_realm(ctx, |r| {
        id == r.rust_class_id.get() || r.global_object == *obj
    })
    .unwrap_or(false)
        || realm_of_global(obj).is_some()
}

/// `v` as an object, if it is one (`Value::as_object` also works out which kind of object,
/// with calls into QuickJS a brand check does not need).
#[inline]
pub fn object_ref<'a, 'js>(v: &'a Value<'js>) -> Option<&'a Object<'js>> {
    if v.is_object() {
        // SAFETY: checked to be an object.
        Some(unsafe { v.ref_object() })
    } else {
        None
    }
}

/// For brand checks of interfaces a global inherits: `f` of the object holding the Rust data
/// of `v`. That is `v` itself but for a global object, whose data the realm keeps (see
/// [`init_global`]): this realm's, or another realm's (a frame's window seen from its
/// parent).
#[inline]
pub fn with_class_data<'js, R>(
    v: &Value<'js>,
    f: impl FnOnce(&Object<'js>) -> Option<R>,
) -> Option<R> {
    let obj = object_ref(v)?;
    let ctx = obj.ctx();
    let data = unsafe { qjs::JS_GetContextOpaque(ctx.as_raw().as_ptr()) } as *const RealmData<'js>;
    if data.is_null() {
        return f(obj);
    }
    // SAFETY: as in `with_realm`.
    let r = unsafe { &*data };
    // A reflector (the common case): one class-id check, no realm table.
    if unsafe { qjs::JS_GetClassID(v.as_raw()) } == r.rust_class_id.get() {
        return f(obj);
    }
    if r.global_object == *obj {
        return match r.global_data.get() {
            Some(data) => f(data),
            None => f(obj),
        };
    }
    match realm_of_global(obj).and_then(|realm| global_data(&realm)) {
        Some((_, data)) => f(&data),
        None => f(obj),
    }
}

/// The global object and the object holding its Rust data (see [`init_global`]).
pub fn global_data<'js>(ctx: &Ctx<'js>) -> Option<(Object<'js>, Object<'js>)> {
    with_realm(ctx, |r| {
        r.global_data
            .get()
            .map(|d| (r.global_object.clone(), d.clone()))
    })
    .flatten()
}

/// [SameObject]: the value `name` of `holder` returned the first time (computed by
/// `compute`), the same value every later time.
pub fn same_object<'js>(
    ctx: &Ctx<'js>,
    holder: &Object<'js>,
    name: &'static str,
    compute: impl FnOnce() -> Fallible<Value<'js>>,
) -> Fallible<Value<'js>> {
    let Some((map, get, set)) = with_realm(ctx, |r| r.same_object.clone()) else {
        return compute();
    };
    let call = |f: &Function<'js>, args: Vec<Value<'js>>| {
        super::conversions::call_function(ctx, f.as_value(), map.clone().into_value(), args)
    };
    let slots = call(&get, vec![holder.clone().into_value()])?;
    let slots = match slots.into_object() {
        Some(o) => o,
        None => {
            // No prototype: nothing script puts on Object.prototype can answer for it.
            let o = Object::new(ctx.clone())?;
            o.set_prototype(None)?;
            call(
                &set,
                vec![holder.clone().into_value(), o.clone().into_value()],
            )?;
            o
        }
    };
    if slots.contains_key(name)? {
        return Ok(slots.get(name)?);
    }
    let value = compute()?;
    slots.set(name, value.clone())?;
    Ok(value)
}

/// A JS function object for a glue function of this realm, with WebIDL's `name` and
/// `length` (see [`super::native`]).
pub fn native_function<'js>(
    ctx: &Ctx<'js>,
    f: NativeFnPtr,
    name: &str,
    length: u32,
) -> Fallible<Function<'js>> {
    let class_id = with_realm(ctx, |r| r.glue_class)
        .ok_or_else(|| Error::Type("realm not initialised".into()))?;
    super::native::native_function(ctx, class_id, f, name, length)
}

/// The callee and caller realms of a glue function's call (see the module documentation),
/// set by `native::call` for the call and restored when dropped.
pub(super) struct CallScope(usize, usize);

impl CallScope {
    #[inline]
    pub(super) fn enter(
        callee: std::ptr::NonNull<qjs::JSContext>,
        caller: std::ptr::NonNull<qjs::JSContext>,
    ) -> CallScope {
        CallScope(
            CALLEE.with(|c| c.replace(callee.as_ptr() as usize)),
            CALLER.with(|c| c.replace(caller.as_ptr() as usize)),
        )
    }
}

impl Drop for CallScope {
    #[inline]
    fn drop(&mut self) {
        CALLEE.with(|c| c.set(self.0));
        CALLER.with(|c| c.set(self.1));
    }
}

/// An interface object without a constructor: a TypeError of the interface object's realm
/// (the current realm of its steps), as every other glue function throws.
fn illegal_constructor<'js>(params: &CallArgs<'_, 'js>) -> rquickjs::Result<Value<'js>> {
    Err(super::error::throw(
        params.realm(),
        Error::Type("Illegal constructor".into()),
    ))
}

/// A property descriptor with exact WebIDL flags.
pub struct Descriptor<'js> {
    flags: PropertyFlags,
    value: Value<'js>,
    getter: Value<'js>,
    setter: Value<'js>,
}

pub struct DescriptorMarker;

impl<'js> AsProperty<'js, DescriptorMarker> for Descriptor<'js> {
    fn config(
        self,
        _ctx: &Ctx<'js>,
    ) -> rquickjs::Result<(PropertyFlags, Value<'js>, Value<'js>, Value<'js>)> {
        Ok((self.flags, self.value, self.getter, self.setter))
    }
}

const WRITABLE: PropertyFlags =
    (qjs::JS_PROP_WRITABLE | qjs::JS_PROP_HAS_WRITABLE) as PropertyFlags;
const ENUMERABLE: PropertyFlags =
    (qjs::JS_PROP_ENUMERABLE | qjs::JS_PROP_HAS_ENUMERABLE) as PropertyFlags;
const CONFIGURABLE: PropertyFlags =
    (qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_HAS_CONFIGURABLE) as PropertyFlags;
const NOT_WRITABLE: PropertyFlags = qjs::JS_PROP_HAS_WRITABLE as PropertyFlags;
const NOT_ENUMERABLE: PropertyFlags = qjs::JS_PROP_HAS_ENUMERABLE as PropertyFlags;
const NOT_CONFIGURABLE: PropertyFlags = qjs::JS_PROP_HAS_CONFIGURABLE as PropertyFlags;

/// Defines a data property `{ value, writable, enumerable, configurable }`.
pub fn define_data<'js, K: IntoAtom<'js>>(
    obj: &Object<'js>,
    key: K,
    value: Value<'js>,
    writable: bool,
    enumerable: bool,
    configurable: bool,
) -> Fallible<()> {
    let ctx = obj.ctx();
    let flags = qjs::JS_PROP_HAS_VALUE as PropertyFlags
        | if writable { WRITABLE } else { NOT_WRITABLE }
        | if enumerable {
            ENUMERABLE
        } else {
            NOT_ENUMERABLE
        }
        | if configurable {
            CONFIGURABLE
        } else {
            NOT_CONFIGURABLE
        };
    obj.prop(
        key,
        Descriptor {
            flags,
            value,
            getter: Value::new_undefined(ctx.clone()),
            setter: Value::new_undefined(ctx.clone()),
        },
    )?;
    Ok(())
}

/// Defines an accessor property `{ get, set, enumerable, configurable }`.
pub fn define_accessor<'js, K: IntoAtom<'js>>(
    obj: &Object<'js>,
    key: K,
    getter: Option<Function<'js>>,
    setter: Option<Function<'js>>,
    enumerable: bool,
    configurable: bool,
) -> Fallible<()> {
    let ctx = obj.ctx();
    let flags = qjs::JS_PROP_HAS_GET as PropertyFlags
        | qjs::JS_PROP_HAS_SET as PropertyFlags
        | if enumerable {
            ENUMERABLE
        } else {
            NOT_ENUMERABLE
        }
        | if configurable {
            CONFIGURABLE
        } else {
            NOT_CONFIGURABLE
        };
    let undefined = Value::new_undefined(ctx.clone());
    obj.prop(
        key,
        Descriptor {
            flags,
            value: undefined.clone(),
            getter: getter.map(|g| g.into_value()).unwrap_or(undefined.clone()),
            setter: setter.map(|s| s.into_value()).unwrap_or(undefined),
        },
    )?;
    Ok(())
}

fn const_value<'js>(ctx: &Ctx<'js>, v: ConstValue) -> Value<'js> {
    match v {
        ConstValue::Bool(b) => Value::new_bool(ctx.clone(), b),
        ConstValue::Number(n) => Value::new_number(ctx.clone(), n),
        ConstValue::Null => Value::new_null(ctx.clone()),
    }
}

fn member_exposed(options: &RealmOptions, exposure: u32, secure: bool, pref: Option<&str>) -> bool {
    exposure & options.kind.bit() != 0
        && (!secure || options.secure_context)
        && pref.is_none_or(|p| options.prefs.contains(p))
}

fn attribute_functions<'js>(
    ctx: &Ctx<'js>,
    a: &AttrSpec,
) -> Fallible<(Function<'js>, Option<Function<'js>>)> {
    let getter = native_function(ctx, a.getter, &format!("get {}", a.name), 0)?;
    let setter = match a.setter {
        Some(s) => Some(native_function(ctx, s, &format!("set {}", a.name), 1)?),
        None => None,
    };
    Ok((getter, setter))
}

fn define_constants<'js>(
    ctx: &Ctx<'js>,
    targets: &[&Object<'js>],
    constants: &[ConstSpec],
) -> Fallible<()> {
    for c in constants {
        for target in targets {
            define_data(
                target,
                c.name,
                const_value(ctx, c.value),
                false,
                true,
                false,
            )?;
        }
    }
    Ok(())
}

/// Attributes as `{ get, set, enumerable, configurable }` accessors and operations as
/// `{ writable, enumerable, configurable }` functions (unforgeable ones go on instances).
fn define_members<'js>(
    ctx: &Ctx<'js>,
    target: &Object<'js>,
    attributes: &[AttrSpec],
    operations: &[OpSpec],
    exposed: &dyn Fn(u32, bool, Option<&str>) -> bool,
) -> Fallible<()> {
    for a in attributes {
        if exposed(a.exposure, a.secure_context, a.pref) {
            let (g, s) = attribute_functions(ctx, a)?;
            define_accessor(target, a.name, Some(g), s, true, true)?;
        }
    }
    for op in operations {
        if exposed(op.exposure, op.secure_context, op.pref) && !op.unforgeable {
            let f = native_function(ctx, op.method, op.name, op.length)?;
            define_data(target, op.name, f.into_value(), true, true, true)?;
        }
    }
    Ok(())
}

/// Defines an interface (or namespace) in the current realm, if it is exposed here: the
/// interface object, the interface prototype object, constants, attributes and operations,
/// with the property attributes of WebIDL §3.7.
pub fn define_interface(ctx: &Ctx<'_>, spec: &'static InterfaceSpec) -> Fallible<()> {
    let Some(options) = options(ctx) else {
        return Err(Error::Type("realm not initialised".into()));
    };
    if !member_exposed(&options, spec.exposure, spec.secure_context, spec.pref) {
        return Ok(());
    }
    let exposed = |e: u32, s: bool, p: Option<&str>| member_exposed(&options, e, s, p);

    if spec.kind == SpecKind::Namespace {
        return define_namespace_object(ctx, spec, &exposed);
    }

    let proto = create_interface_prototype_object(ctx, spec)?;
    let iface = create_interface_object(ctx, spec, &proto)?;
    // Constants: on the interface object and the interface prototype object alike.
    define_constants(ctx, &[&iface, &proto], spec.constants)?;
    // Static attributes and operations: on the interface object.
    define_members(
        ctx,
        &iface,
        spec.static_attributes,
        spec.static_operations,
        &exposed,
    )?;
    define_prototype_properties(ctx, spec, &proto, &iface)?;

    // Regular members: on the prototype, or on the global object for [Global] interfaces.
    let target = if spec.kind == SpecKind::Global {
        ctx.globals()
    } else {
        proto.clone()
    };
    define_members(ctx, &target, spec.attributes, spec.operations, &exposed)?;
    define_iterable_declarations(ctx, spec, &target)?;

    let unforgeables = unforgeable_members(ctx, spec, &exposed)?;
    with_realm(ctx, |r| {
        r.protos.borrow_mut()[spec.id] = Some(proto.clone());
        r.interface_objects.borrow_mut()[spec.id] = Some(iface.clone().into_inner());
        r.unforgeables.borrow_mut()[spec.id] = unforgeables;
    });

    if !spec.no_interface_object {
        define_data(
            &ctx.globals(),
            spec.name,
            iface.into_value(),
            true,
            false,
            true,
        )?;
    }
    // <https://webidl.spec.whatwg.org/#legacy-factory-functions>: a constructor of its own
    // name, [[Prototype]] %Function.prototype%, whose `prototype` is the interface prototype
    // object, as a property of the global.
    for factory in spec.legacy_factory_functions {
        let f = native_function(ctx, factory.method, factory.name, factory.length)?;
        f.set_constructor(true);
        define_data(
            &f,
            "prototype",
            proto.clone().into_value(),
            false,
            false,
            false,
        )?;
        define_data(
            &ctx.globals(),
            factory.name,
            f.into_value(),
            true,
            false,
            true,
        )?;
    }
    Ok(())
}

/// The namespace object (WebIDL "Namespaces"): an ordinary object with the constants, the
/// attributes and the operations, and a @@toStringTag, as a property of the global.
fn define_namespace_object(
    ctx: &Ctx<'_>,
    spec: &InterfaceSpec,
    exposed: &dyn Fn(u32, bool, Option<&str>) -> bool,
) -> Fallible<()> {
    let ns = Object::new(ctx.clone())?;
    define_constants(ctx, &[&ns], spec.constants)?;
    define_members(
        ctx,
        &ns,
        spec.static_attributes,
        spec.static_operations,
        exposed,
    )?;
    define_to_string_tag(ctx, &ns, spec.name)?;
    define_data(
        &ctx.globals(),
        spec.name,
        ns.into_value(),
        true,
        false,
        true,
    )?;
    Ok(())
}

/// The interface prototype object (WebIDL "Interface prototype object"), empty so far: its
/// [[Prototype]] is the parent interface's prototype object, %Object.prototype% or
/// %Error.prototype%.
fn create_interface_prototype_object<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
) -> Fallible<Object<'js>> {
    let global = ctx.globals();
    let proto_parent: Object = match spec.proto_parent {
        ProtoParent::Interface(id) => prototype(ctx, id).ok_or_else(|| {
            Error::Type(format!(
                "{}: its parent interface is not exposed in this realm",
                spec.name
            ))
        })?,
        ProtoParent::Object => global.get::<_, Object>("Object")?.get("prototype")?,
        ProtoParent::Error => global.get::<_, Object>("Error")?.get("prototype")?,
    };
    let proto = Object::new(ctx.clone())?;
    proto.set_prototype(Some(&proto_parent))?;
    Ok(proto)
}

/// The interface object (WebIDL "Interface object"): a constructor (one that throws without
/// a constructor operation) whose [[Prototype]] is the parent interface object or
/// %Function.prototype%, with a read-only `prototype`.
fn create_interface_object<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
    proto: &Object<'js>,
) -> Fallible<Function<'js>> {
    let iface = match &spec.constructor {
        Some(c) => native_function(ctx, c.method, spec.name, c.length)?,
        None => native_function(ctx, illegal_constructor, spec.name, 0)?,
    };
    iface.set_constructor(true);
    let iface_parent: Object = match spec.parent.and_then(|p| interface_object(ctx, p)) {
        Some(p) => p,
        None => ctx
            .globals()
            .get::<_, Object>("Function")?
            .get("prototype")?,
    };
    iface.set_prototype(Some(&iface_parent))?;
    define_data(
        &iface,
        "prototype",
        proto.clone().into_value(),
        false,
        false,
        false,
    )?;
    Ok(iface)
}

/// The interface prototype object's own `constructor` and @@toStringTag.
fn define_prototype_properties<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
    proto: &Object<'js>,
    iface: &Function<'js>,
) -> Fallible<()> {
    define_data(
        proto,
        "constructor",
        iface.clone().into_value(),
        true,
        false,
        true,
    )?;
    define_to_string_tag(ctx, proto, spec.name)
}

/// A `@@toStringTag` data property `{ writable: false, enumerable: false, configurable:
/// true }` with the value `tag` (WebIDL gives one to interface prototype objects, namespace
/// objects and iterator prototype objects).
fn define_to_string_tag<'js>(ctx: &Ctx<'js>, target: &Object<'js>, tag: &str) -> Fallible<()> {
    let tag = rquickjs::String::from_str(ctx.clone(), tag)?.into_value();
    define_data(
        target,
        PredefinedAtom::SymbolToStringTag,
        tag,
        false,
        false,
        true,
    )
}

/// Iterable declarations (WebIDL "Iterable declarations") on `target`: an indexed getter's
/// @@iterator, a value iterable's Array.prototype functions, a pair iterable's functions.
fn define_iterable_declarations<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
    target: &Object<'js>,
) -> Fallible<()> {
    // An indexed property getter (and an integer length): iterate like an array.
    if spec.array_iterator {
        let values: Value = ctx.eval("Array.prototype.values")?;
        define_data(
            target,
            PredefinedAtom::SymbolIterator,
            values,
            true,
            false,
            true,
        )?;
    }
    if spec.value_iterable {
        for name in ["entries", "keys", "values", "forEach"] {
            let f: Value = ctx.eval(format!("Array.prototype.{name}"))?;
            define_data(target, name, f, true, true, true)?;
        }
    }
    if let Some(it) = &spec.iterable {
        define_pair_iterable(ctx, spec, it, target)?;
    }
    Ok(())
}

/// A pair iterable: entries/keys/values/forEach, @@iterator (the same function object as
/// entries), and the interface's iterator prototype with `next` (WebIDL §3.7.9).
fn define_pair_iterable<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
    it: &IterableSpec,
    target: &Object<'js>,
) -> Fallible<()> {
    let entries = native_function(ctx, it.entries, "entries", 0)?;
    define_data(
        target,
        "entries",
        entries.clone().into_value(),
        true,
        true,
        true,
    )?;
    let keys = native_function(ctx, it.keys, "keys", 0)?;
    define_data(target, "keys", keys.into_value(), true, true, true)?;
    let values = native_function(ctx, it.values, "values", 0)?;
    define_data(target, "values", values.into_value(), true, true, true)?;
    let for_each = native_function(ctx, it.for_each, "forEach", 1)?;
    define_data(target, "forEach", for_each.into_value(), true, true, true)?;
    define_data(
        target,
        PredefinedAtom::SymbolIterator,
        entries.into_value(),
        true,
        false,
        true,
    )?;
    let iter_proto = Object::new(ctx.clone())?;
    if let Some(p) = with_realm(ctx, |r| r.iterator_prototype.clone()).flatten() {
        iter_proto.set_prototype(Some(&p))?;
    }
    let next = native_function(ctx, it.next, "next", 0)?;
    define_data(&iter_proto, "next", next.into_value(), true, true, true)?;
    define_to_string_tag(ctx, &iter_proto, &format!("{} Iterator", spec.name))?;
    with_realm(ctx, |r| {
        r.iterator_protos.borrow_mut()[spec.id] = Some(iter_proto);
    });
    Ok(())
}

/// [LegacyUnforgeable] attributes and operations of this interface and its ancestors: own
/// properties of every instance, defined when it is created.
fn unforgeable_members<'js>(
    ctx: &Ctx<'js>,
    spec: &InterfaceSpec,
    exposed: &dyn Fn(u32, bool, Option<&str>) -> bool,
) -> Fallible<Vec<Unforgeable<'js>>> {
    let mut unforgeables = match spec.parent {
        Some(p) => with_realm(ctx, |r| r.unforgeables.borrow()[p].clone()).unwrap_or_default(),
        None => Vec::new(),
    };
    for a in spec.unforgeable_attributes {
        if exposed(a.exposure, a.secure_context, a.pref) {
            let (getter, setter) = attribute_functions(ctx, a)?;
            unforgeables.push(Unforgeable::Attribute {
                name: a.name,
                getter,
                setter,
            });
        }
    }
    for op in spec.operations {
        if op.unforgeable && exposed(op.exposure, op.secure_context, op.pref) {
            unforgeables.push(Unforgeable::Operation {
                name: op.name,
                function: native_function(ctx, op.method, op.name, op.length)?,
            });
        }
    }
    Ok(unforgeables)
}

fn define_unforgeables<'js>(ctx: &Ctx<'js>, obj: &Object<'js>, id: usize) -> Fallible<()> {
    let list = with_realm(ctx, |r| r.unforgeables.borrow()[id].clone()).unwrap_or_default();
    for u in list {
        match u {
            Unforgeable::Attribute {
                name,
                getter,
                setter,
            } => define_accessor(obj, name, Some(getter), setter, true, false)?,
            Unforgeable::Operation { name, function } => {
                define_data(obj, name, function.into_value(), false, true, false)?
            }
        }
    }
    Ok(())
}

/// Wraps a new DOM object in a reflector of this realm (WebIDL "internally create a new
/// object implementing the interface").
pub fn reflect_dom_object<'js, T: DomObject<'js>>(
    ctx: &Ctx<'js>,
    value: T,
) -> Fallible<Dom<'js, T>> {
    let proto = prototype(ctx, T::PROTO_ID).ok_or_else(|| {
        Error::Type(format!(
            "{} is not exposed in this realm",
            <T as DomObject>::NAME
        ))
    })?;
    reflect_with_proto(ctx, value, proto)
}

/// As [`reflect_dom_object`], with the prototype chosen by the caller (`new.target`'s).
pub fn reflect_with_proto<'js, T: DomObject<'js>>(
    ctx: &Ctx<'js>,
    value: T,
    proto: Object<'js>,
) -> Fallible<Dom<'js, T>> {
    let class = Class::instance_proto(value, proto)?;
    define_unforgeables(ctx, class.as_inner(), T::PROTO_ID)?;
    Ok(Dom::from_class(class.as_inner().clone(), &class))
}

/// Makes the global object an instance of its [Global] interface: sets its prototype chain
/// and keeps `value` (the global's Rust data) in the realm. Call after `install_interfaces`.
pub fn init_global<'js, T: DomObject<'js>>(ctx: &Ctx<'js>, value: T) -> Fallible<Dom<'js, T>> {
    let global = ctx.globals();
    let proto = prototype(ctx, T::PROTO_ID).ok_or_else(|| {
        Error::Type(format!(
            "{} is not exposed in this realm",
            <T as DomObject>::NAME
        ))
    })?;
    global.set_prototype(Some(&proto))?;
    // QuickJS gives the global object an own `Symbol.toStringTag` ("global"); the tag must
    // come from the interface prototype (`[object Window]`), as for any platform object.
    global.remove(rquickjs::atom::PredefinedAtom::SymbolToStringTag)?;
    let class = Class::instance_proto(value, proto)?;
    let data = class.as_inner().clone();
    if with_realm(ctx, |r| r.global_data.set(data).is_err()).unwrap_or(true) {
        return Err(Error::Type(
            "the global object is already initialised".into(),
        ));
    }
    define_unforgeables(ctx, &global, T::PROTO_ID)?;
    Ok(Dom::from_class(global, &class))
}
