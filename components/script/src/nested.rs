//! Nested browsing contexts: the windows of `<iframe>` elements
//! (<https://html.spec.whatwg.org/multipage/document-sequences.html#child-navigable>).
//!
//! A child window is a realm of its own (its own JS context, global object and Window) on its
//! parent's thread and QuickJS runtime. HTML gives similar-origin windows one event loop, and
//! a same-origin parent reaches into its frame synchronously
//! (`frame.contentWindow.document`), which needs the objects of both in one runtime. The
//! thread's event loop (`script_thread.rs`) runs every child window's tasks and timers
//! beside its own global's; a child's [`TaskSender`] tags its tasks so they run in its realm.
//!
//! What is simplified, and why:
//! - A child window is discarded when its iframe leaves the document or navigates
//!   elsewhere; its realm data is kept until the thread ends, so objects the parent still
//!   holds stay usable (as a discarded document's are) and nothing runs in it any more.
//! - A frame of another origin runs here too (its scripts, service worker and background
//!   fetches belong to its own origin). Script reaches a window of another origin only
//!   through a cross-origin WindowProxy ([`window_proxy`]): a Proxy that exposes HTML's
//!   CrossOriginProperties (`postMessage`, `closed`, `parent`, ...) and throws
//!   "SecurityError" for anything else. Its `location` is not available (cross-origin
//!   navigation through Location is not built), and `window[i]` of a cross-origin window
//!   is not either.
//! - A navigation gives the frame a new window object, so `contentWindow` changes identity
//!   (HTML keeps one WindowProxy per browsing context).

use crate::dom::bindings::codegen::GlobalKind;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::realm;
use crate::dom::element::Element;
use crate::dom::globalscope::GlobalScope;
use crate::dom::window::{associated_document, Window};
use std::cell::{Cell, RefCell};
use std::ptr::NonNull;

struct Child {
    id: u64,
    /// The child window's context; the registry owns one reference to it.
    ctx: usize,
    /// The context of the window whose document holds the iframe.
    parent: usize,
    discarded: bool,
    /// It is loading a document and delays its parent document's load event (HTML: "delay
    /// the load event" while a child navigable loads).
    delays_parent_load: bool,
}

thread_local! {
    static CHILDREN: RefCell<Vec<Child>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// A context of this thread's runtime, at the caller's lifetime.
fn ctx_at<'js>(_like: &Ctx<'js>, raw: usize) -> Ctx<'js> {
    // Safety: `raw` is a context of this thread's runtime that the registry keeps alive
    // (it frees its reference only in `tear_down_all`, at the end of the thread), and the
    // caller holds the runtime's lock (it has a `Ctx`).
    unsafe { Ctx::from_raw(NonNull::new_unchecked(raw as *mut rquickjs::qjs::JSContext)) }
}

fn raw(ctx: &Ctx<'_>) -> usize {
    ctx.as_raw().as_ptr() as usize
}

/// Whether this thread has any child window (live or discarded).
pub(crate) fn has_children() -> bool {
    CHILDREN.with(|c| !c.borrow().is_empty())
}

/// Runs a task queued for the child window `id` in its realm; a discarded window's tasks
/// are dropped.
pub(crate) fn run_in_child<'js>(ctx: &Ctx<'js>, id: u64, f: impl FnOnce(&Ctx<'js>)) {
    let found = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .find(|c| c.id == id && !c.discarded)
            .map(|c| c.ctx)
    });
    if let Some(child) = found {
        let child = ctx_at(ctx, child);
        realm::enter_realm(&child, || f(&child));
    }
}

/// The live child windows of this thread, in creation order: their contexts and globals.
pub(crate) fn live_children<'js>(ctx: &Ctx<'js>) -> Vec<(Ctx<'js>, Dom<'js, GlobalScope<'js>>)> {
    let raws: Vec<usize> = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .filter(|c| !c.discarded)
            .map(|c| c.ctx)
            .collect()
    });
    raws.into_iter()
        .filter_map(|r| {
            let child = ctx_at(ctx, r);
            let global = GlobalScope::current(&child)?;
            Some((child, global))
        })
        .collect()
}

/// The window of `ctx`'s realm (a window global), as a Window.
fn window_of<'js>(ctx: &Ctx<'js>) -> Option<Dom<'js, Window<'js>>> {
    crate::dom::window::current_window(ctx)
}

/// The live child window whose container is `iframe`: its id and context.
pub(crate) fn child_of_container<'js>(
    ctx: &Ctx<'js>,
    iframe: &Dom<'js, Element<'js>>,
) -> Option<(u64, Ctx<'js>)> {
    let live: Vec<(u64, usize)> = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .filter(|c| !c.discarded)
            .map(|c| (c.id, c.ctx))
            .collect()
    });
    live.into_iter().find_map(|(id, r)| {
        let child = ctx_at(ctx, r);
        let container = window_of(&child)?.container()?;
        container.ptr_eq(iframe).then_some((id, child))
    })
}

/// The origins of the ancestor windows of `global`'s window, parent first (empty for a
/// top-level window or a worker).
pub(crate) fn ancestor_origins_of(global: &GlobalScope<'_>) -> Vec<String> {
    global
        .info()
        .service_workers
        .as_ref()
        .and_then(|sw| sw.environment_ancestor_origins(&global.info().environment_id))
        .unwrap_or_default()
}

/// The child window `child` starts loading a document: its parent document's load event
/// waits for it.
pub(crate) fn delay_parent_load(child: &Ctx<'_>) {
    let me = raw(child);
    let held = CHILDREN.with(|c| {
        let mut c = c.borrow_mut();
        match c.iter_mut().find(|c| c.ctx == me && !c.delays_parent_load) {
            Some(entry) => {
                entry.delays_parent_load = true;
                true
            }
            None => false,
        }
    });
    if held {
        if let Some(document) = parent_of(child).and_then(|p| associated_document(&p)) {
            document.delay_load(true);
        }
    }
}

/// The child window `child` finished loading (or was discarded): its parent document's
/// load event no longer waits for it.
fn release_parent_load(child: &Ctx<'_>) {
    let me = raw(child);
    let parent = CHILDREN.with(|c| {
        let mut c = c.borrow_mut();
        let entry = c.iter_mut().find(|c| c.ctx == me && c.delays_parent_load)?;
        entry.delays_parent_load = false;
        Some(entry.parent)
    });
    if let Some(parent) = parent {
        let parent = ctx_at(child, parent);
        if let Some(document) = associated_document(&parent) {
            document.delay_load(false);
            document.check_load(&parent);
        }
    }
}

/// The child window `id` completely finished loading: see [`release_parent_load`].
pub(crate) fn finished_loading(ctx: &Ctx<'_>, id: u64) {
    let r = CHILDREN.with(|c| c.borrow().iter().find(|c| c.id == id).map(|c| c.ctx));
    if let Some(r) = r {
        release_parent_load(&ctx_at(ctx, r));
    }
}

/// The container (iframe) of the live child window `id`.
pub(crate) fn container_of<'js>(ctx: &Ctx<'js>, id: u64) -> Option<Dom<'js, Element<'js>>> {
    let r = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .find(|c| c.id == id && !c.discarded)
            .map(|c| c.ctx)
    })?;
    window_of(&ctx_at(ctx, r))?.container()
}

/// The parent window's context of the child window `child`, if it is a live child.
pub(crate) fn parent_of<'js>(child: &Ctx<'js>) -> Option<Ctx<'js>> {
    let me = raw(child);
    let parent = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .find(|c| c.ctx == me && !c.discarded)
            .map(|c| c.parent)
    })?;
    Some(ctx_at(child, parent))
}

/// Whether `ctx` is a child window that was discarded.
pub(crate) fn is_discarded(ctx: &Ctx<'_>) -> bool {
    let me = raw(ctx);
    CHILDREN.with(|c| c.borrow().iter().any(|c| c.ctx == me && c.discarded))
}

/// The live child windows whose parent is the window of `parent`, in creation order (HTML's
/// "document-tree child navigables", as far as creation order is tree order).
pub(crate) fn children_of<'js>(parent: &Ctx<'js>) -> Vec<Ctx<'js>> {
    let me = raw(parent);
    let raws: Vec<usize> = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .filter(|c| c.parent == me && !c.discarded)
            .map(|c| c.ctx)
            .collect()
    });
    let children: Vec<(Ctx<'js>, Dom<'js, crate::dom::node::Node<'js>>)> = raws
        .into_iter()
        .filter_map(|r| {
            let child = ctx_at(parent, r);
            let container = window_of(&child)?.container()?;
            Some((child, container.upcast()))
        })
        .collect();
    if children.len() < 2 {
        return children.into_iter().map(|(c, _)| c).collect();
    }
    // Tree order of the containers in the parent's document.
    let Some(document) = crate::dom::window::associated_document(parent) else {
        return children.into_iter().map(|(c, _)| c).collect();
    };
    crate::dom::node::inclusive_descendants(&document.upcast())
        .into_iter()
        .filter_map(|n| {
            children
                .iter()
                .find(|(_, container)| container.ptr_eq(&n))
                .map(|(c, _)| c.clone())
        })
        .collect()
}

/// HTML "create a new child navigable" with its new window: a realm on this thread for the
/// iframe `container` in the document of `parent`'s window, at `url` of `origin`. Returns
/// the child's id and context.
pub(crate) fn create_child_navigable<'js>(
    parent: &Ctx<'js>,
    container: &Dom<'js, Element<'js>>,
    url: &url::Url,
    origin: String,
    name: String,
) -> Fallible<(u64, Ctx<'js>)> {
    let parent_global =
        GlobalScope::current(parent).ok_or_else(|| Error::invalid_state("no parent window"))?;
    let info = parent_global.info();
    // What a worker of the parent would inherit (the profile's services, prefs, limits),
    // but none of the worker setup hooks: a window runs no worker init scripts.
    let mut options =
        info.inherited
            .worker_options(GlobalKind::Window, url.as_str(), &origin, &name, None);
    options.setup = Vec::new();
    options.secure_context =
        info.secure_context && net_traits::security::is_potentially_trustworthy(url);
    options.cookies = info.cookies.clone();
    options.ancestor_origins = std::iter::once(info.origin.clone())
        .chain(ancestor_origins_of(&parent_global))
        .collect();
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let tasks = info.tasks.for_child(id);
    // A new context of this runtime with every standard intrinsic, as `Context::full`.
    let runtime = unsafe { rquickjs::qjs::JS_GetRuntime(parent.as_raw().as_ptr()) };
    let new = unsafe { rquickjs::qjs::JS_NewContext(runtime) };
    if new.is_null() {
        return Err(Error::Type(
            "out of memory creating a frame's window".into(),
        ));
    }
    CHILDREN.with(|c| {
        c.borrow_mut().push(Child {
            id,
            ctx: new as usize,
            parent: raw(parent),
            discarded: false,
            delays_parent_load: false,
        })
    });
    let child = ctx_at(parent, new as usize);
    let set_up = realm::enter_realm(&child, || {
        crate::script_thread::set_up_realm(&child, options, tasks)
    });
    if let Err(e) = set_up {
        discard(&child);
        return Err(e);
    }
    if let Some(window) = window_of(&child) {
        window.set_container(Some(container.clone()));
    }
    define_index_getters(parent)?;
    Ok((id, child))
}

/// The WindowProxy's indexed properties (`window[0]`, HTML §7.2.3.3 [[GetOwnProperty]]) for
/// as many frames as `parent` has: accessors on its global object that give the window of
/// the document-tree child navigable at that index (undefined once there is none, or when
/// the caller may not reach it).
fn define_index_getters<'js>(parent: &Ctx<'js>) -> Fallible<()> {
    let count = children_of(parent).len();
    let global = parent.globals();
    let parent_raw = raw(parent);
    for i in 0..count {
        let key = i.to_string();
        if global.contains_key(key.as_str())? {
            continue;
        }
        let getter = rquickjs::Function::new(
            parent.clone(),
            move |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> {
                let undefined = Value::new_undefined(ctx.clone());
                let Some(parent) = realm::realm_at(&ctx, parent_raw) else {
                    return Ok(undefined);
                };
                let Some(child) = children_of(&parent).into_iter().nth(i) else {
                    return Ok(undefined);
                };
                Ok(window_proxy(&ctx, &child)
                    .map(|w| w.reflector().clone().into_value())
                    .unwrap_or(undefined))
            },
        )?;
        realm::define_accessor(&global, key.as_str(), Some(getter), None, true, true)?;
    }
    Ok(())
}

/// HTML "destroy a child navigable" / "discard a document" for the child window `child` and
/// its own children: its timers, tasks, fetches and workers end, it stops being a service
/// worker client, and nothing runs in it any more.
pub(crate) fn discard(child: &Ctx<'_>) {
    let me = raw(child);
    let newly = CHILDREN.with(|c| {
        let mut c = c.borrow_mut();
        match c.iter_mut().find(|c| c.ctx == me && !c.discarded) {
            Some(entry) => {
                entry.discarded = true;
                true
            }
            None => false,
        }
    });
    if !newly {
        return;
    }
    release_parent_load(child);
    // Its own frames first.
    let grandchildren: Vec<usize> = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .filter(|c| c.parent == me && !c.discarded)
            .map(|c| c.ctx)
            .collect()
    });
    for g in grandchildren {
        discard(&ctx_at(child, g));
    }
    if let Some(global) = GlobalScope::current(child) {
        global.clear_all();
        if let Some(sw) = &global.info().service_workers {
            sw.remove_environment(&global.info().environment_id);
        }
    }
    if let Some(window) = window_of(child) {
        window.set_container(None);
    }
}

/// Discards the child windows whose containers are `node` or its descendants (the iframe
/// removing steps, HTML §4.8.5).
pub(crate) fn removed<'js>(ctx: &Ctx<'js>, node: &Dom<'js, crate::dom::node::Node<'js>>) {
    if !has_children() {
        return;
    }
    let live: Vec<usize> = CHILDREN.with(|c| {
        c.borrow()
            .iter()
            .filter(|c| !c.discarded)
            .map(|c| c.ctx)
            .collect()
    });
    for r in live {
        let child = ctx_at(ctx, r);
        let Some(container) = window_of(&child).and_then(|w| w.container()) else {
            continue;
        };
        let container = container.upcast::<crate::dom::node::Node>();
        if container.ptr_eq(node) || crate::dom::node::is_inclusive_ancestor(node, &container) {
            discard(&child);
        }
    }
}

/// The end of the thread: every child window's realm goes, before the parent's and the
/// runtime.
pub(crate) fn tear_down_all(ctx: &Ctx<'_>) {
    let all: Vec<(usize, bool)> =
        CHILDREN.with(|c| c.borrow().iter().map(|c| (c.ctx, c.discarded)).collect());
    // Children of children first (reverse creation order).
    for (r, discarded) in all.iter().rev() {
        let child = ctx_at(ctx, *r);
        if !discarded {
            discard(&child);
        }
        realm::teardown(&child);
        child.run_gc();
    }
    let owned: Vec<usize> = CHILDREN.with(|c| c.borrow_mut().drain(..).map(|c| c.ctx).collect());
    for r in owned {
        // Safety: the registry's own reference, taken by JS_NewContext.
        unsafe { rquickjs::qjs::JS_FreeContext(r as *mut rquickjs::qjs::JSContext) };
    }
}

/// The WindowProxy of the window of realm `target` as script of realm `accessor` sees it:
/// the window itself when they are same origin, else a cross-origin WindowProxy (see
/// [`cross_origin_window_proxy`]). None once `target` is no window.
pub(crate) fn window_proxy<'js>(
    accessor: &Ctx<'js>,
    target: &Ctx<'js>,
) -> Option<Dom<'js, Window<'js>>> {
    if crate::dom::window::same_origin(accessor, target) {
        return window_of(target);
    }
    let (_, data) = realm::global_data(target)?;
    let class = data.as_class::<Window<'js>>()?;
    let proxy = cross_origin_window_proxy(accessor, target).ok()?;
    Some(Dom::from_class(proxy, class))
}

/// The cross-origin WindowProxy factory (HTML §7.2.3 with §7.2.1's CrossOriginProperties):
/// a Proxy of the accessor's realm that exposes only `window`, `self`, `frames`, `closed`,
/// `length`, `top`, `parent`, `opener`, `location`, `postMessage`, `close`, `focus` and
/// `blur` (and `then` and the three well-known symbols as undefined); anything else is a
/// "SecurityError" DOMException. Nothing of the other window is reachable through it: its
/// members are the user agent's functions, made before any script ran.
const CROSS_ORIGIN_WINDOW_JS: &str = r#"(() => {
  "use strict";
  const ProxyCtor = Proxy, DOMEx = DOMException, apply = Reflect.apply;
  const hasOwn = Object.prototype.hasOwnProperty, keys = Object.keys, create = Object.create;
  const SYMBOLS = [Symbol.toStringTag, Symbol.hasInstance, Symbol.isConcatSpreadable];
  const isSilent = (key) => key === "then" || key === SYMBOLS[0] || key === SYMBOLS[1] || key === SYMBOLS[2];
  return (targetGlobal, realPostMessage, native) => {
    const security = (what) => new DOMEx(
      `Blocked a frame of another origin from using '${typeof what === "symbol" ? "a symbol" : what}' of a cross-origin window`,
      "SecurityError");
    const noop = () => undefined;
    let proxy;
    const props = create(null);
    props.window = { get: () => proxy };
    props.self = { get: () => proxy };
    props.frames = { get: () => proxy };
    props.closed = { get: native.closed };
    props.length = { get: native.length };
    props.top = { get: native.top };
    props.parent = { get: native.parent };
    props.opener = { get: () => null };
    props.location = { get: native.location };
    props.postMessage = {
      value: function postMessage(message) {
        return apply(realPostMessage, targetGlobal, arguments);
      },
    };
    props.close = { value: function close() { return undefined; } };
    props.focus = { value: function focus() { return undefined; } };
    props.blur = { value: function blur() { return undefined; } };
    const lookup = (key) => typeof key === "string" && apply(hasOwn, props, [key]) ? props[key] : undefined;
    const handler = create(null);
    handler.get = (_, key) => {
      const p = lookup(key);
      if (p) return p.get ? p.get() : p.value;
      if (isSilent(key)) return undefined;
      throw security(key);
    };
    handler.set = (_, key) => { throw security(key); };
    handler.has = (_, key) => {
      if (lookup(key) || isSilent(key)) return true;
      throw security(key);
    };
    handler.getOwnPropertyDescriptor = (_, key) => {
      const p = lookup(key);
      if (p && p.get) return { get: p.get, set: undefined, enumerable: false, configurable: true };
      if (p) return { value: p.value, writable: false, enumerable: false, configurable: true };
      if (isSilent(key)) return { value: undefined, writable: false, enumerable: false, configurable: true };
      throw security(key);
    };
    handler.defineProperty = (_, key) => { throw security(key); };
    handler.deleteProperty = (_, key) => { throw security(key); };
    handler.ownKeys = () => [...keys(props), "then", ...SYMBOLS];
    handler.getPrototypeOf = () => null;
    handler.setPrototypeOf = (_, p) => p === null;
    handler.isExtensible = () => true;
    handler.preventExtensions = () => false;
    proxy = new ProxyCtor(create(null), handler);
    return proxy;
  };
})()"#;

/// Installs the cross-origin WindowProxy factory in a window's realm, and keeps its own
/// `postMessage` (what other origins call).
pub(crate) fn install_window_proxy_support(ctx: &Ctx<'_>) -> Fallible<()> {
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = true;
    options.filename = Some("cross-origin-window".into());
    let factory: rquickjs::Function = ctx.eval_with_options(CROSS_ORIGIN_WINDOW_JS, options)?;
    realm::set_hidden(ctx, "crossOriginWindowProxy", factory);
    let post: rquickjs::Function = ctx.globals().get("postMessage")?;
    realm::set_hidden(ctx, "windowPostMessage", post);
    Ok(())
}

/// A native getter for a cross-origin WindowProxy: `f(accessor, target)`, evaluated when
/// script reads the member (undefined once either realm is gone).
fn proxy_getter<'js>(
    accessor: &Ctx<'js>,
    target: &Ctx<'js>,
    f: fn(&Ctx<'js>, &Ctx<'js>) -> Fallible<Value<'js>>,
) -> Fallible<rquickjs::Function<'js>> {
    let (a, t) = (raw(accessor), raw(target));
    Ok(rquickjs::Function::new(
        accessor.clone(),
        move |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> {
            let (Some(accessor), Some(target)) =
                (realm::realm_at(&ctx, a), realm::realm_at(&ctx, t))
            else {
                return Ok(Value::new_undefined(ctx.clone()));
            };
            f(&accessor, &target).map_err(|e| crate::dom::bindings::error::throw(&ctx, e))
        },
    )?)
}

fn proxy_value<'js>(accessor: &Ctx<'js>, w: Option<Dom<'js, Window<'js>>>) -> Value<'js> {
    match w {
        Some(w) => w.reflector().clone().into_value(),
        None => Value::new_null(accessor.clone()),
    }
}

/// The cross-origin WindowProxy of `target`'s window in `accessor`'s realm (one per pair).
fn cross_origin_window_proxy<'js>(accessor: &Ctx<'js>, target: &Ctx<'js>) -> Fallible<Object<'js>> {
    realm::object_made_for(accessor, raw(target), || {
        let factory = realm::hidden(accessor, "crossOriginWindowProxy")
            .ok_or_else(|| Error::Type("no WindowProxy support in this realm".into()))?;
        let post = realm::hidden(target, "windowPostMessage")
            .ok_or_else(|| Error::Type("the window cannot receive messages".into()))?;
        let native = Object::new(accessor.clone())?;
        native.set(
            "closed",
            proxy_getter(accessor, target, |a, t| {
                Ok(Value::new_bool(a.clone(), is_discarded(t)))
            })?,
        )?;
        native.set(
            "length",
            proxy_getter(accessor, target, |a, t| {
                Ok(Value::new_int(a.clone(), children_of(t).len() as i32))
            })?,
        )?;
        native.set(
            "parent",
            proxy_getter(accessor, target, |a, t| {
                if is_discarded(t) {
                    return Ok(Value::new_null(a.clone()));
                }
                let parent = parent_of(t).unwrap_or_else(|| t.clone());
                Ok(proxy_value(a, window_proxy(a, &parent)))
            })?,
        )?;
        native.set(
            "top",
            proxy_getter(accessor, target, |a, t| {
                if is_discarded(t) {
                    return Ok(Value::new_null(a.clone()));
                }
                let mut top = t.clone();
                while let Some(p) = parent_of(&top) {
                    top = p;
                }
                Ok(proxy_value(a, window_proxy(a, &top)))
            })?,
        )?;
        native.set(
            "location",
            proxy_getter(accessor, target, |_, _| {
                Err(Error::dom(
                    crate::dom::bindings::error::DomErrorName::SecurityError,
                    "the location of a cross-origin window is not available here",
                ))
            })?,
        )?;
        let proxy: Object = factory.call((target.globals(), post, native))?;
        Ok(proxy)
    })
}
