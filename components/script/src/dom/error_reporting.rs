//! HTML's runtime script errors (<https://html.spec.whatwg.org/#runtime-script-errors>):
//! "report an exception" (an `error` event at the global, then the Worker object of a
//! dedicated worker, then the developer console and the embedder) and the pieces of it this
//! engine needs: extracting error information from a QuickJS exception, and the error event
//! repeated at a Worker object in its parent.
//!
//! Who calls it: `reportError()`, the event loop (a task or microtask that threw), callbacks
//! (through [`GlobalScope::report_error`], which turns a Rust error into its exception first).

use crate::dom::bindings::codegen::GlobalKind;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::describe_exception;
use crate::dom::errorevent::ErrorEvent;
use crate::dom::eventtarget;
use crate::dom::globalscope::GlobalScope;
use crate::message_router::PortId;
use crate::GlobalEvent;

/// What "extract error information" gives besides the error value itself, which cannot leave
/// its realm: enough to fire an ErrorEvent elsewhere (at a worker's Worker object, in the
/// parent's realm, as HTML §10.2.5 asks).
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorInfo {
    pub message: String,
    pub filename: String,
    pub lineno: u32,
    pub colno: u32,
}

/// <https://html.spec.whatwg.org/#report-an-exception>, for the current global.
pub fn report_an_exception<'js>(ctx: &Ctx<'js>, exception: Value<'js>) {
    let description = describe_exception(ctx, &exception);
    let Some(global) = GlobalScope::current(ctx) else {
        log::error!(target: "script", "uncaught exception: {description}");
        return;
    };
    // Step 2. Let errorInfo be the result of extracting error information from exception.
    let info = extract_error_information(&exception, &description);
    // An interrupted script (the script timeout, GlobalHandle::interrupt) is reported as
    // such, without an error event.
    if description.contains("interrupted") && exception_is_uncatchable(&exception) {
        log::error!(target: "script", "script interrupted: {description}");
        global.send(GlobalEvent::Interrupted {
            message: description,
        });
        return;
    }
    // TODO(muted errors): steps 3-4 (a cross-origin classic script's errors are muted); every
    // script here is same-origin or from a worker.
    report_extracted(&global, ctx, info, exception, description);
}

/// "Report an exception" with omitError set to true: an error that happened elsewhere (a
/// dedicated worker's, that its Worker object did not cancel), reported in this global.
pub fn report_an_exception_with_omit_error(ctx: &Ctx<'_>, info: ErrorInfo) {
    if let Some(global) = GlobalScope::current(ctx) {
        let description = info.message.clone();
        // Step 5. If omitError is true, set errorInfo[error] to null.
        let error = Value::new_null(ctx.clone());
        report_extracted(&global, ctx, info, error, description);
    }
}

/// Steps 1 and 6-7 of "report an exception", given errorInfo (`info`, and the error value
/// `error`): the `error` event at the global, and if nobody canceled it, the console and the
/// embedder (or, in a dedicated worker, the Worker object).
fn report_extracted<'js>(
    global: &GlobalScope<'js>,
    ctx: &Ctx<'js>,
    info: ErrorInfo,
    error: Value<'js>,
    description: String,
) {
    // Step 1. Let notHandled be true.
    let mut not_handled = true;
    // Step 6. If global is not in error reporting mode, then:
    let mode = global.error_reporting_mode();
    if !mode.get() {
        // Step 6.1. Set global's in error reporting mode to true.
        mode.set(true);
        // Step 6.2. Set notHandled to the result of firing a cancelable ErrorEvent named
        // "error" at global.
        let event = ErrorEvent::new_trusted(ctx, &info, error);
        if let (Ok(event), Some(current)) = (event, GlobalScope::current(ctx)) {
            let target = GlobalScope::as_event_target(&current);
            let event = event.upcast::<crate::dom::event::Event<'js>>();
            not_handled = eventtarget::dispatch(ctx, &event, &target).unwrap_or(true);
        }
        // Step 6.3. Set global's in error reporting mode to false.
        mode.set(false);
    }
    // Step 7. If notHandled is true, then:
    if !not_handled {
        return;
    }
    log::error!(target: "script", "Uncaught {description}");
    // Step 7.1-7.2. A dedicated worker's: errorInfo without the error, at its Worker object,
    // in a task on the parent's event loop.
    let global_info = global.info();
    if let (GlobalKind::DedicatedWorkerGlobalScope, Some(parent)) =
        (global_info.kind, &global_info.parent)
    {
        let outside = parent.outside;
        parent
            .tasks
            .queue(move |ctx| fire_error_at_worker_object(ctx, outside, info));
        return;
    }
    // Step 7.3. Otherwise, report it to a developer console: the embedder's.
    global.send(GlobalEvent::UncaughtError {
        message: description,
        filename: info.filename,
        lineno: info.lineno,
        colno: info.colno,
    });
}

/// Steps 7.2.1-7.2.3 of "report an exception", in the parent of a dedicated worker whose
/// error was not handled: an ErrorEvent at the Worker object (whose outside port is
/// `outside`); if not canceled, reported here with omitError set to true.
pub fn fire_error_at_worker_object(ctx: &Ctx<'_>, outside: PortId, info: ErrorInfo) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // Step 7.2.1. Let workerObject be the Worker object associated with global.
    let target = global.worker_objects.borrow().get(&outside).cloned();
    let Some(target) = target else {
        return;
    };
    // Step 7.2.2. Set notHandled to the result of firing a cancelable ErrorEvent named
    // "error" at workerObject (errorInfo[error] is null).
    let event = ErrorEvent::new_trusted(ctx, &info, Value::new_null(ctx.clone()));
    let not_handled = match event {
        Ok(event) => eventtarget::dispatch(ctx, &event.upcast(), &target).unwrap_or(true),
        Err(_) => true,
    };
    // Step 7.2.3. If notHandled is true, report exception for workerObject's relevant global
    // object with omitError set to true.
    if not_handled {
        report_an_exception_with_omit_error(ctx, info);
    }
}

/// Whether `exception` is QuickJS's uncatchable error (an interrupted script).
fn exception_is_uncatchable(exception: &Value<'_>) -> bool {
    exception
        .as_object()
        .and_then(|o| o.get::<_, Option<String>>("name").ok().flatten())
        .is_some_and(|n| n == "InternalError")
}

/// <https://html.spec.whatwg.org/#extract-error>: message, filename, line and column of an
/// exception (`description` is its description). QuickJS errors may carry fileName and
/// lineNumber; otherwise the first stack frame `at f (file:line:col)` names them.
fn extract_error_information(exception: &Value<'_>, description: &str) -> ErrorInfo {
    let first_line = description.lines().next().unwrap_or("").to_string();
    let message = format!("Uncaught {first_line}");
    let info = |message: String, filename: String, lineno: u32, colno: u32| ErrorInfo {
        message,
        filename,
        lineno,
        colno,
    };
    let Some(obj) = exception.as_object() else {
        return info(message, String::new(), 0, 0);
    };
    let filename: Option<String> = obj.get::<_, Option<String>>("fileName").ok().flatten();
    let lineno: Option<f64> = obj.get::<_, Option<f64>>("lineNumber").ok().flatten();
    let colno: Option<f64> = obj.get::<_, Option<f64>>("columnNumber").ok().flatten();
    if let (Some(f), Some(l)) = (filename, lineno) {
        return info(message, f, l as u32, colno.unwrap_or(0.0) as u32);
    }
    let stack: String = obj
        .get::<_, Option<String>>("stack")
        .ok()
        .flatten()
        .unwrap_or_default();
    match stack.lines().find_map(parse_frame) {
        Some((f, l, c)) => info(message, f, l, c),
        None => info(message, String::new(), 0, 0),
    }
}

/// `    at name (file:line:col)` or `    at file:line:col` -> (file, line, col).
fn parse_frame(line: &str) -> Option<(String, u32, u32)> {
    let line = line.trim().strip_prefix("at ")?;
    let location = match (line.rfind('('), line.ends_with(')')) {
        (Some(open), true) => &line[open + 1..line.len() - 1],
        _ => line,
    };
    let mut parts = location.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let row = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some((file, row, col))
}
