//! Event handler content attributes (<https://html.spec.whatwg.org/#event-handler-content-attributes>):
//! `<button onclick="...">`, `<script onerror="...">`, `<body onload="...">`. Setting such an
//! attribute on an HTML element (by the parser or by script) makes the event handler's
//! value a function compiled from the attribute's text, with the element, its document (and
//! for a body's window-reflecting handlers, the window) on its scope chain; removing the
//! attribute sets it to null.
//!
//! The body is compiled when the attribute is set (HTML compiles it when the handler is
//! first read or run; the difference shows only in when a syntax error is reported). Form
//! owners are not on the scope chain (there are no form elements yet).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::eventtarget::{event_handler, EventHandlerKind, EventTarget};
use crate::dom::globalscope::GlobalScope;

/// The body element's event handlers that reflect the window's
/// (<https://html.spec.whatwg.org/#window-reflecting-body-element-event-handler-set> and
/// the WindowEventHandlers).
const WINDOW_REFLECTING: &[&str] = &[
    "onblur",
    "onerror",
    "onfocus",
    "onload",
    "onresize",
    "onscroll",
    "onafterprint",
    "onbeforeprint",
    "onbeforeunload",
    "onhashchange",
    "onlanguagechange",
    "onmessage",
    "onmessageerror",
    "onoffline",
    "ononline",
    "onpagehide",
    "onpageshow",
    "onpopstate",
    "onrejectionhandled",
    "onstorage",
    "onunhandledrejection",
    "onunload",
];

/// The attribute `name` of `element` was set to `value` (or removed: `None`): if it is an
/// event handler content attribute, the handler follows.
pub fn attribute_changed<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    name: &str,
    value: Option<&str>,
) {
    if !name.starts_with("on") || name.len() < 3 {
        return;
    }
    if element.qual_name().ns != html5ever::ns!(html) {
        return;
    }
    if let Err(e) = set_handler(ctx, element, name, value) {
        GlobalScope::report_error(ctx, e);
    }
}

fn set_handler<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    name: &str,
    value: Option<&str>,
) -> Fallible<()> {
    let reflector = element.reflector().clone();
    let is_body = &*element.qual_name().local == "body";
    // The target: the window for a body's window-reflecting handlers, else the element
    // (only if the element has that event handler IDL attribute).
    let window_target = is_body && WINDOW_REFLECTING.contains(&name);
    let target: Dom<'js, EventTarget<'js>> = if window_target {
        let Some(global) = GlobalScope::current(ctx) else {
            return Ok(());
        };
        if global.info().kind != crate::GlobalKind::Window {
            return Ok(());
        }
        GlobalScope::as_event_target(&global)
    } else {
        if !reflector.contains_key(name)? {
            return Ok(());
        }
        element.clone().upcast()
    };
    let type_ = &name[2..];
    let kind = if window_target && name == "onerror" {
        EventHandlerKind::OnError
    } else if window_target && name == "onbeforeunload" {
        EventHandlerKind::OnBeforeUnload
    } else {
        EventHandlerKind::Normal
    };
    // Removed: the handler is null.
    let Some(body) = value else {
        return event_handler::set(ctx, &target, type_, Value::new_null(ctx.clone()), kind);
    };
    // A document without a browsing context (or scripting disabled) never compiles.
    let document = crate::dom::node::node_document(&element.clone().upcast());
    if !document.as_ref().is_some_and(|d| d.has_browsing_context()) {
        return Ok(());
    }
    let function = compile(ctx, element, name, body, kind == EventHandlerKind::OnError)?;
    event_handler::set(ctx, &target, type_, function, kind)
}

/// <https://html.spec.whatwg.org/#getting-the-current-value-of-the-event-handler>, step
/// 1.3: the body parsed as a FunctionBody (a syntax error is reported and the handler is
/// null), then a function of that body whose scope has the element and its document.
fn compile<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    name: &str,
    body: &str,
    on_error: bool,
) -> Fallible<Value<'js>> {
    let params = if on_error {
        "event, source, lineno, colno, error"
    } else {
        "event"
    };
    // Parse the body alone first: a body that is not a valid FunctionBody (or that would
    // close the function early) is a SyntaxError, reported; the handler is then null.
    let function_ctor: Function = ctx.globals().get("Function")?;
    let check = rquickjs::function::Constructor::from_value(function_ctor.into_value())
        .map_err(|_| Error::Type("Function is not a constructor".into()))?;
    if check.construct::<_, Value>((params, body)).is_err() {
        let exception = ctx.catch();
        crate::dom::error_reporting::report_an_exception(ctx, exception);
        return Ok(Value::new_null(ctx.clone()));
    }
    // The scope chain: the document, then the element (innermost); sloppy mode, as
    // handlers are.
    let source = format!(
        "(function (document, element) {{ with (document) {{ with (element) {{ return function {name}({params}) {{\n{body}\n}}; }} }} }})"
    );
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = crate::dom::window::associated_document(ctx).map(|d| d.url_());
    let make: Function = ctx.eval_with_options(source, options)?;
    let document = crate::dom::node::node_document(&element.clone().upcast())
        .map(|d| d.reflector().clone().into_value())
        .unwrap_or_else(|| Value::new_null(ctx.clone()));
    let function: Value = make.call((document, element.reflector().clone()))?;
    Ok(function)
}
