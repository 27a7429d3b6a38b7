//! HTML's timers (<https://html.spec.whatwg.org/#timers>): `setTimeout()` and
//! `setInterval()` through the timer initialization steps, the global's map of setTimeout and
//! setInterval IDs (the "map of active timers" of older revisions), `clearTimeout()`, and "run
//! steps after a timeout" for the user agent's own timers.
//!
//! Each global has one [`Timers`] (in its `GlobalScope`). The event loop
//! (`script_thread::event_loop`) asks it when the next timer is due ([`Timers::next_due`]),
//! takes a due one ([`Timers::pop_due`]) and runs that timer's task ([`run_timer_task`]).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::TimerHandler;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::time::{Duration, Instant};

/// One entry of the map of active timers, with what its task runs.
struct Timer<'js> {
    handler: TimerHandler<'js>,
    arguments: Vec<Value<'js>>,
    timeout: Duration,
    repeat: bool,
    /// The task's timer nesting level (step 11).
    nesting: u32,
    /// A user agent timer ("run steps after a timeout"): clearTimeout cannot cancel it.
    internal: bool,
}

impl<'js> Trace<'js> for Timer<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.handler.trace(tracer);
        self.arguments.trace(tracer);
    }
}

/// The map of active timers and the order in which they come due.
struct TimerMap<'js> {
    /// The last id given to a page's timer (the next is one more).
    next_id: i32,
    active: BTreeMap<i32, Timer<'js>>,
    /// (due time, sequence, id): equal due times fire in scheduling order.
    schedule: BinaryHeap<Reverse<(Instant, u64, i32)>>,
    sequence: u64,
    /// The last id given to a user agent timer (negative, counting down).
    next_internal_id: i32,
}

impl<'js> Trace<'js> for TimerMap<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for t in self.active.values() {
            t.trace(tracer)
        }
    }
}

impl<'js> TimerMap<'js> {
    /// Records `timer` as `id` and schedules its task `timer.timeout` from now.
    fn insert(&mut self, id: i32, timer: Timer<'js>) {
        let due = Instant::now() + timer.timeout;
        self.active.insert(id, timer);
        self.sequence += 1;
        self.schedule.push(Reverse((due, self.sequence, id)));
    }
}

/// A global's timers: see the module documentation.
pub struct Timers<'js> {
    map: DomRefCell<TimerMap<'js>>,
    /// The timer nesting level of the timer task running now (0 outside timer tasks).
    nesting_level: Cell<u32>,
}

impl<'js> Trace<'js> for Timers<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.map.trace(tracer)
    }
}

impl<'js> Default for Timers<'js> {
    fn default() -> Self {
        Timers {
            map: DomRefCell::new(TimerMap {
                next_id: 1,
                active: BTreeMap::new(),
                schedule: BinaryHeap::new(),
                sequence: 0,
                next_internal_id: 0,
            }),
            nesting_level: Cell::new(0),
        }
    }
}

impl<'js> Timers<'js> {
    /// When the next scheduled timer is due.
    pub fn next_due(&self) -> Option<Instant> {
        let mut map = self.map.borrow_mut();
        // Drop entries of cleared timers so they do not wake the loop.
        while let Some(Reverse((_, _, id))) = map.schedule.peek().copied() {
            if map.active.contains_key(&id) {
                break;
            }
            map.schedule.pop();
        }
        map.schedule.peek().map(|Reverse((due, _, _))| *due)
    }

    /// The id of a timer due at `now`, removed from the schedule.
    pub fn pop_due(&self, now: Instant) -> Option<i32> {
        let mut map = self.map.borrow_mut();
        while let Some(Reverse((due, _, id))) = map.schedule.peek().copied() {
            if due > now {
                return None;
            }
            map.schedule.pop();
            if map.active.contains_key(&id) {
                return Some(id);
            }
        }
        None
    }

    /// How many timers are in the map of active timers.
    pub fn active_count(&self) -> usize {
        self.map.borrow().active.len()
    }

    /// Called by the event loop once a task and its microtasks are done: the timer nesting
    /// level applies to everything the timer's task ran, microtasks included.
    pub fn end_task(&self) {
        self.nesting_level.set(0);
    }

    /// Drops every timer (global shutdown).
    pub fn clear(&self) {
        let mut map = self.map.borrow_mut();
        map.active.clear();
        map.schedule.clear();
    }
}

/// <https://html.spec.whatwg.org/#timer-initialisation-steps>, for `global`; returns the id.
pub fn timer_initialization_steps<'js>(
    global: &GlobalScope<'js>,
    handler: TimerHandler<'js>,
    timeout: i32,
    arguments: Vec<Value<'js>>,
    repeat: bool,
    previous_id: Option<i32>,
) -> i32 {
    let timers = global.timers();
    let mut map = timers.map.borrow_mut();
    // Step 1. thisArg is the global object itself (there is no WindowProxy): see
    // run_timer_task.
    // Step 2. The id: previousId, or a new one greater than zero.
    let id = match previous_id {
        Some(id) => id,
        None => {
            let id = map.next_id;
            map.next_id = map.next_id.checked_add(1).unwrap_or(1);
            id
        }
    };
    // Step 3. The nesting level of the running timer task, if any (0 otherwise).
    let nesting = timers.nesting_level.get();
    // Step 4. If timeout is less than 0, set it to 0.
    let mut timeout = timeout.max(0) as u64;
    // Step 5. If nesting level is greater than 5 and timeout less than 4, set it to 4.
    if nesting > 5 && timeout < 4 {
        timeout = 4;
    }
    // TODO(spec steps 6-8): realm, initiating script and uniqueHandle; a string handler runs
    // with the global's API base URL.
    // Steps 9-11. The task (run_timer_task) runs at the incremented nesting level.
    let timer = Timer {
        handler,
        arguments,
        timeout: Duration::from_millis(timeout),
        repeat,
        nesting: nesting + 1,
        internal: false,
    };
    // Steps 12-14. Run the task after timeout ms, on the timer task source, and remember it.
    map.insert(id, timer);
    // Step 15. Return id.
    id
}

/// <https://html.spec.whatwg.org/#dom-cleartimeout> and
/// <https://html.spec.whatwg.org/#dom-clearinterval>: remove `id` from the map of active
/// timers (never a user agent timer).
pub fn clear_timer(global: &GlobalScope<'_>, id: i32) {
    let mut map = global.timers().map.borrow_mut();
    if map.active.get(&id).is_some_and(|t| !t.internal) {
        map.active.remove(&id);
    }
}

/// <https://html.spec.whatwg.org/#run-steps-after-a-timeout>: calls `callback` after `ms`
/// milliseconds on the timer task source. Not a setTimeout timer: its id (negative) is not
/// the page's, clearTimeout cannot cancel it, and no nesting clamp applies.
pub fn run_steps_after_a_timeout<'js>(
    global: &GlobalScope<'js>,
    callback: TimerHandler<'js>,
    ms: u64,
) {
    let mut map = global.timers().map.borrow_mut();
    map.next_internal_id = map.next_internal_id.checked_sub(1).unwrap_or(-1);
    let id = map.next_internal_id;
    let timer = Timer {
        handler: callback,
        arguments: Vec::new(),
        timeout: Duration::from_millis(ms),
        repeat: false,
        nesting: 0,
        internal: true,
    };
    map.insert(id, timer);
}

/// The task of timer `id`: step 9 of the timer initialization steps (or the callback of
/// "run steps after a timeout").
pub fn run_timer_task<'js>(global: &Dom<'js, GlobalScope<'js>>, ctx: &Ctx<'js>, id: i32) {
    let timers = global.timers();
    // Step 9.2. If id does not exist in the map of active timers, abort these steps.
    let (handler, arguments, repeat, timeout, nesting) = {
        let map = timers.map.borrow();
        let Some(t) = map.active.get(&id) else {
            return;
        };
        (
            t.handler.clone(),
            t.arguments.clone(),
            t.repeat,
            t.timeout,
            t.nesting,
        )
    };
    // Step 11 (for this task). The task's timer nesting level.
    timers.nesting_level.set(nesting);
    // TODO(spec steps 9.3-9.4): uniqueHandle check and timing info.
    let this_arg = global.reflector().clone().into_value();
    // Steps 9.5-9.6. Invoke the function with "report", or run the string as a classic
    // (sloppy) script.
    let result = match handler.clone() {
        TimerHandler::Function(f) => f.call(ctx, this_arg, arguments.clone()).map(|_| ()),
        TimerHandler::String(code) => ctx
            .eval_with_options::<Value, _>(code, crate::script_thread::classic_script_options(None))
            .map(|_| ())
            .map_err(Error::from),
    };
    if let Err(e) = result {
        GlobalScope::report_error(ctx, e);
    }
    // Step 9.7. If id no longer exists in the map of active timers (cleared meanwhile),
    // abort these steps.
    if !timers.map.borrow().active.contains_key(&id) {
        return;
    }
    if repeat {
        // Step 9.9. Repeat: the timer initialization steps again, given previousId id.
        timer_initialization_steps(
            global,
            handler,
            timeout.as_millis() as i32,
            arguments,
            true,
            Some(id),
        );
    } else {
        // Step 9.10. Otherwise, remove the map of active timers[id].
        timers.map.borrow_mut().active.remove(&id);
    }
}
