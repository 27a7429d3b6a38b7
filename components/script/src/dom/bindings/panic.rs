//! Bugs must show. A Rust panic inside a binding (a DOM method, an indexed getter, a promise
//! reaction) must not take the page down and must not cross into JS: the guard turns it into
//! a TypeError "internal error". But it is a bug, never an ordinary failure, so it is also
//! reported to the embedder as [`GlobalEvent::Panic`] with its message and source location
//! (the WPT runner makes the test file a CRASH), and logged.
//!
//! The location comes from a panic hook (installed once per process, chaining to the hook
//! that was there before, which still prints the panic), which notes the last panic of the
//! thread while script is on the stack; the guard that caught it takes the note.

use crate::dom::globalscope::GlobalScope;
use crate::GlobalEvent;
use rquickjs::Ctx;
use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    /// The message and location of this thread's last panic inside a binding.
    static LAST_PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs the panic hook (once per process; later calls do nothing).
pub(crate) fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if crate::script_thread::script_on_stack() {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_else(|| "an unknown location".into());
                let message = payload_message(info.payload());
                // A panic while the note is borrowed (in the hook itself) leaves it as is.
                let _ = LAST_PANIC.try_with(|last| {
                    if let Ok(mut last) = last.try_borrow_mut() {
                        *last = Some((message, location));
                    }
                });
            }
            previous(info);
        }));
    });
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// A binding caught a panic (`payload`) while running for `what`: log it, report it to the
/// embedder of the current global, and return the message the JS exception carries. (Cold:
/// kept out of the glue's hot path.)
#[cold]
#[inline(never)]
pub(crate) fn caught(ctx: &Ctx<'_>, what: &str, payload: &(dyn std::any::Any + Send)) -> String {
    let (message, location) = LAST_PANIC
        .with(|last| last.borrow_mut().take())
        .unwrap_or_else(|| (payload_message(payload), "an unknown location".into()));
    log::error!(target: "script", "internal error in {what}: {message} (at {location})");
    if let Some(global) = GlobalScope::current(ctx) {
        global.send(GlobalEvent::Panic {
            message: message.clone(),
            location,
        });
    }
    format!("internal error: {message}")
}
