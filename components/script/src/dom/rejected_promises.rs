//! HTML's unhandled promise rejections
//! (<https://html.spec.whatwg.org/#unhandled-promise-rejections>): the global's
//! about-to-be-notified rejected promises list and outstanding rejected promises weak set,
//! filled by HostPromiseRejectionTracker (QuickJS calls it) and turned into
//! `unhandledrejection` / `rejectionhandled` events by "notify about rejected promises" (the
//! event loop runs it after each task's microtask checkpoint).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::describe_exception;
use crate::dom::eventtarget::dispatch;
use crate::dom::globalscope::GlobalScope;
use crate::dom::promiserejectionevent::PromiseRejectionEvent;
use crate::GlobalEvent;
use std::collections::VecDeque;

/// How many never-handled rejected promises are remembered for `rejectionhandled` (the spec
/// lets the weak set be bounded).
const OUTSTANDING_LIMIT: usize = 1024;

/// A global's rejected promise lists (each entry: the promise and its reason).
#[derive(Default)]
struct Lists<'js> {
    /// HTML's about-to-be-notified rejected promises list.
    about_to_be_notified: Vec<(Value<'js>, Value<'js>)>,
    /// Taken from that list by "notify about rejected promises", waiting for its task. A
    /// promise handled meanwhile leaves this list (its [[PromiseIsHandled]] became true).
    notifying: Vec<(Value<'js>, Value<'js>)>,
    /// HTML's outstanding rejected promises weak set (bounded here).
    outstanding: VecDeque<Value<'js>>,
}

impl<'js> Trace<'js> for Lists<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for (p, r) in self.about_to_be_notified.iter().chain(&self.notifying) {
            p.trace(tracer);
            r.trace(tracer);
        }
        for p in &self.outstanding {
            p.trace(tracer);
        }
    }
}

/// A global's rejected promises: see the module documentation.
#[derive(Default)]
pub struct RejectedPromises<'js>(DomRefCell<Lists<'js>>);

impl<'js> Trace<'js> for RejectedPromises<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace(tracer)
    }
}

impl<'js> RejectedPromises<'js> {
    /// Forgets every promise (global shutdown).
    pub fn clear(&self) {
        let mut lists = self.0.borrow_mut();
        lists.about_to_be_notified.clear();
        lists.notifying.clear();
        lists.outstanding.clear();
    }
}

/// <https://html.spec.whatwg.org/#the-hostpromiserejectiontracker-implementation>, called by
/// QuickJS: operation "reject" when `is_handled` is false, "handle" when it is true.
pub fn host_promise_rejection_tracker<'js>(
    ctx: &Ctx<'js>,
    promise: Value<'js>,
    reason: Value<'js>,
    is_handled: bool,
) {
    // Steps 1-5. The global: the current one (there are no muted classic scripts).
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let mut lists = global.rejected_promises().0.borrow_mut();
    // Step 6. If operation is "reject", append promise to the about-to-be-notified list.
    if !is_handled {
        lists.about_to_be_notified.push((promise, reason));
        return;
    }
    // Step 7. Operation "handle":
    // Step 7.1. If the about-to-be-notified list contains promise, remove it and return...
    if let Some(i) = lists
        .about_to_be_notified
        .iter()
        .position(|(p, _)| *p == promise)
    {
        lists.about_to_be_notified.remove(i);
        return;
    }
    // ... as when notify about rejected promises took it but its task has not run yet (step
    // 4.1.1 of that algorithm would skip it: it is handled now).
    if let Some(i) = lists.notifying.iter().position(|(p, _)| *p == promise) {
        lists.notifying.remove(i);
        return;
    }
    // Steps 7.2-7.3. If the outstanding set does not contain promise, return; else remove it.
    let Some(i) = lists.outstanding.iter().position(|p| *p == promise) else {
        return;
    };
    lists.outstanding.remove(i);
    drop(lists);
    // Step 7.4. Queue a global task on the DOM manipulation task source to fire
    // rejectionhandled at global.
    global.queue_task(Box::new(move |ctx: &Ctx<'js>| {
        let Some(global) = GlobalScope::current(ctx) else {
            return Ok(());
        };
        let Some(promise_obj) = promise.clone().into_object() else {
            return Ok(());
        };
        let event = PromiseRejectionEvent::new_trusted(
            ctx,
            "rejectionhandled",
            false,
            promise_obj,
            reason_of(ctx, &promise),
        )?;
        let target = GlobalScope::as_event_target(&global);
        dispatch(ctx, &event.upcast(), &target)?;
        Ok(())
    }));
}

/// <https://html.spec.whatwg.org/#notify-about-rejected-promises>, given `global`. (The spec
/// runs it in step 4 of "perform a microtask checkpoint"; the event loop runs it after the
/// checkpoint of each task.)
pub fn notify_about_rejected_promises<'js>(global: &Dom<'js, GlobalScope<'js>>) {
    let mut lists = global.rejected_promises().0.borrow_mut();
    // Steps 1-2. Let list be a clone of the about-to-be-notified list; if empty, return.
    if lists.about_to_be_notified.is_empty() {
        return;
    }
    // Step 3. Empty the about-to-be-notified list. (A task is already queued if `notifying`
    // was not empty: it takes these too.)
    let queue_task = lists.notifying.is_empty();
    let list = std::mem::take(&mut lists.about_to_be_notified);
    lists.notifying.extend(list);
    drop(lists);
    if !queue_task {
        return;
    }
    // Step 4. Queue a global task on the DOM manipulation task source given global.
    global.queue_task(Box::new(move |ctx: &Ctx<'js>| {
        let Some(global) = GlobalScope::current(ctx) else {
            return Ok(());
        };
        // Step 4.1. For each promise p of list (step 4.1.1: one handled since then, with
        // [[PromiseIsHandled]] true, was removed from the list by the tracker):
        loop {
            let next = {
                let mut lists = global.rejected_promises().0.borrow_mut();
                if lists.notifying.is_empty() {
                    break;
                }
                lists.notifying.remove(0)
            };
            notify_one(ctx, &global, next)?;
        }
        Ok(())
    }));
}

/// Steps 4.1.2-4.1.4 of "notify about rejected promises", for one (promise, reason).
fn notify_one<'js>(
    ctx: &Ctx<'js>,
    global: &Dom<'js, GlobalScope<'js>>,
    (promise, reason): (Value<'js>, Value<'js>),
) -> Fallible<()> {
    let Some(promise_obj) = promise.clone().into_object() else {
        return Ok(());
    };
    // Step 4.1.2. Let notCanceled be the result of firing a cancelable unhandledrejection
    // event at global.
    let event = PromiseRejectionEvent::new_trusted(
        ctx,
        "unhandledrejection",
        true,
        promise_obj,
        reason.clone(),
    )?;
    let target = GlobalScope::as_event_target(global);
    let not_canceled = dispatch(ctx, &event.upcast(), &target)?;
    // Step 4.1.3. If notCanceled is true, report the reason to a developer console (and the
    // embedder).
    if not_canceled {
        let description = describe_exception(ctx, &reason);
        log::error!(target: "script", "Uncaught (in promise) {description}");
        global.send(GlobalEvent::UnhandledRejection {
            message: description,
        });
    }
    // Step 4.1.4. If p is still not handled, append it to the outstanding rejected promises
    // weak set.
    let mut lists = global.rejected_promises().0.borrow_mut();
    lists.outstanding.push_back(promise);
    if lists.outstanding.len() > OUTSTANDING_LIMIT {
        lists.outstanding.pop_front();
    }
    Ok(())
}

/// promise.[[PromiseResult]] of a rejected promise (undefined if it is not one).
fn reason_of<'js>(ctx: &Ctx<'js>, promise: &Value<'js>) -> Value<'js> {
    promise
        .as_promise()
        .and_then(|p| p.result::<Value>())
        .and_then(|r| r.err())
        .map(|_| ctx.catch())
        .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
}
