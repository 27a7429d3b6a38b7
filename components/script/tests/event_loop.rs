//! The runtime host through its public API: the event loop (tasks, timers, microtasks),
//! error and rejection reporting, interrupts, and clean shutdown.

use crossbeam_channel::Receiver;
use script::{EvalError, GlobalEvent, GlobalHandle, GlobalKind, GlobalOptions};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

fn global_with_events(kind: GlobalKind) -> (GlobalHandle, Receiver<GlobalEvent>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut options = GlobalOptions::new(kind);
    options.events = Some(tx);
    (GlobalHandle::spawn(options).expect("global starts"), rx)
}

fn eval_ok(g: &GlobalHandle, src: &str) -> String {
    g.eval(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn await_ok(g: &GlobalHandle, src: &str) -> String {
    g.eval_promise(src, WAIT)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Events received until `pred` matches one (or the wait runs out).
fn wait_for(
    rx: &Receiver<GlobalEvent>,
    pred: impl Fn(&GlobalEvent) -> bool,
) -> Option<GlobalEvent> {
    let deadline = Instant::now() + WAIT;
    while let Ok(e) = rx.recv_deadline(deadline) {
        if pred(&e) {
            return Some(e);
        }
    }
    None
}

#[test]
fn timers_run_in_order_with_arguments_and_this() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    let r = await_ok(
        &g,
        r#"
        new Promise(resolve => {
            const log = [];
            setTimeout(() => log.push("b"), 20);
            setTimeout((x, y) => log.push("a" + x + y), 0, 1, 2);
            setTimeout(function () { log.push(this === self ? "this" : "bad this"); }, 0);
            const cleared = setTimeout(() => log.push("cleared"), 5);
            clearTimeout(cleared);
            let n = 0;
            const id = setInterval(() => { log.push("i" + ++n); if (n === 3) clearInterval(id); }, 1);
            setTimeout("log.push('string handler')", 10);
            globalThis.log = log;
            setTimeout(() => resolve(log.join()), 60);
        })
        "#,
    );
    assert_eq!(r, "a12,this,i1,i2,i3,string handler,b");
    // Ids are positive and distinct; clearTimeout converts its argument (null -> 0).
    assert_eq!(
        eval_ok(&g, "const a = setTimeout(() => {}), b = setTimeout(() => {}); clearTimeout(null); clearTimeout(a); clearTimeout(b); a > 0 && b !== a"),
        "true"
    );
}

#[test]
fn string_timer_handlers_are_sloppy_classic_scripts() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    let r = await_ok(
        &g,
        "setTimeout('undeclared = 5'); new Promise(r => setTimeout(() => r(globalThis.undeclared), 1))",
    );
    assert_eq!(r, "5");
}

#[test]
fn microtasks_run_between_listeners_the_user_agent_calls() {
    // An error event dispatched by the user agent (no script on the stack): each listener's
    // microtasks run before the next listener (HTML "clean up after running script").
    let (g, _rx) = global_with_events(GlobalKind::Window);
    let r = await_ok(
        &g,
        r#"
        new Promise(resolve => {
            const log = [];
            self.addEventListener("error", e => {
                log.push("l1");
                queueMicrotask(() => log.push("m1"));
                e.preventDefault();
            });
            self.addEventListener("error", () => log.push("l2"));
            setTimeout(() => { throw new Error("x"); }, 0);
            setTimeout(() => resolve(log.join()), 5);
        })
        "#,
    );
    assert_eq!(r, "l1,m1,l2");
}

#[test]
fn microtasks_run_after_each_task_in_order() {
    let (g, _rx) = global_with_events(GlobalKind::DedicatedWorkerGlobalScope);
    let r = await_ok(
        &g,
        r#"
        new Promise(resolve => {
            const log = [];
            setTimeout(() => {
                log.push("task1");
                queueMicrotask(() => log.push("micro1"));
                Promise.resolve().then(() => log.push("promise1"));
            }, 0);
            setTimeout(() => {
                log.push("task2");
                resolve(log.join());
            }, 0);
        })
        "#,
    );
    assert_eq!(r, "task1,micro1,promise1,task2");
}

#[test]
fn uncaught_errors_fire_error_events_and_reach_the_embedder() {
    let (g, rx) = global_with_events(GlobalKind::Window);
    // onerror gets five arguments at a global; returning true cancels the report.
    eval_ok(
        &g,
        r#"
        globalThis.seen = [];
        self.onerror = (message, filename, lineno, colno, error) => {
            seen.push([typeof message, error && error.message].join(":"));
            return error && error.message === "handled";
        };
        self.addEventListener("error", e => seen.push("listener:" + (e instanceof ErrorEvent) + ":" + e.error.message));
        setTimeout(() => { throw new Error("handled"); }, 0);
        setTimeout(() => { throw new Error("unhandled"); }, 0);
        1
        "#,
    );
    let e = wait_for(&rx, |e| matches!(e, GlobalEvent::UncaughtError { .. }))
        .expect("an uncaught error");
    match e {
        GlobalEvent::UncaughtError { message, .. } => {
            assert!(message.contains("unhandled"), "{message}")
        }
        _ => unreachable!(),
    }
    let seen = await_ok(&g, "new Promise(r => setTimeout(() => r(seen.join()), 0))");
    assert_eq!(
        seen,
        "string:handled,listener:true:handled,string:unhandled,listener:true:unhandled"
    );
    // reportError goes the same way.
    eval_ok(
        &g,
        "self.onerror = null; reportError(new TypeError('reported')); 1",
    );
    let e = wait_for(
        &rx,
        |e| matches!(e, GlobalEvent::UncaughtError { message, .. } if message.contains("reported")),
    );
    assert!(e.is_some());
    // An exception in an event listener is reported and dispatch goes on.
    let r = eval_ok(
        &g,
        r#"
        const t = new EventTarget(); let after = false;
        t.addEventListener("x", () => { throw new Error("in listener"); });
        t.addEventListener("x", () => { after = true; });
        t.dispatchEvent(new Event("x")); after
        "#,
    );
    assert_eq!(r, "true");
    assert!(wait_for(&rx, |e| matches!(e, GlobalEvent::UncaughtError { message, .. } if message.contains("in listener"))).is_some());
}

#[test]
fn unhandled_rejections_fire_events_and_reach_the_embedder() {
    let (g, rx) = global_with_events(GlobalKind::ServiceWorkerGlobalScope);
    eval_ok(
        &g,
        r#"
        globalThis.events = [];
        self.addEventListener("unhandledrejection", e => {
            events.push("unhandled:" + e.reason.message + ":" + (e.promise instanceof Promise));
            if (e.reason.message === "silenced") e.preventDefault();
        });
        self.onrejectionhandled = e => events.push("handled-late:" + e.reason.message);
        Promise.reject(new Error("silenced"));
        globalThis.late = Promise.reject(new Error("late"));
        Promise.reject(new Error("handled in time")).catch(() => {});
        1
        "#,
    );
    let e =
        wait_for(&rx, |e| matches!(e, GlobalEvent::UnhandledRejection { .. })).expect("reported");
    match e {
        GlobalEvent::UnhandledRejection { message } => {
            assert!(message.contains("late"), "{message}")
        }
        _ => unreachable!(),
    }
    // Handling it afterwards fires rejectionhandled.
    let r = await_ok(
        &g,
        "late.catch(() => {}); new Promise(r => setTimeout(() => setTimeout(() => r(events.join()), 0), 0))",
    );
    assert_eq!(
        r,
        "unhandled:silenced:true,unhandled:late:true,handled-late:late"
    );
}

#[test]
fn a_rejection_handled_by_a_later_task_is_not_reported() {
    let (g, rx) = global_with_events(GlobalKind::Window);
    // The rejection happens in one task; a message task queued during that same task (so
    // ahead of the notification task HTML queues at its end) handles the promise:
    // [[PromiseIsHandled]] is checked when the notification task runs, so nothing fires.
    let a = g.eval_async(
        "globalThis.events = []; self.onunhandledrejection = () => events.push('fired'); \
         globalThis.p = Promise.reject(new Error('late')); \
         const mc = new MessageChannel(); \
         mc.port1.onmessage = () => { p.catch(() => {}); events.push('handled'); }; \
         mc.port2.postMessage(0); 1",
    );
    assert_eq!(a.recv_timeout(WAIT).unwrap(), Ok("1".into()));
    assert!(g.wait_idle(WAIT));
    assert_eq!(eval_ok(&g, "events.join()"), "handled");
    assert!(
        !rx.try_iter()
            .any(|e| matches!(e, GlobalEvent::UnhandledRejection { .. })),
        "nothing reported"
    );
}

#[test]
fn console_is_routed_to_the_embedder() {
    let (g, rx) = global_with_events(GlobalKind::SharedWorkerGlobalScope);
    eval_ok(
        &g,
        "console.warn('%s has %d items', 'list', 3.7, {}); console.count(); console.count(); console.log(1e20, -0.5); 1",
    );
    let got: Vec<GlobalEvent> = (0..4).filter_map(|_| rx.recv_timeout(WAIT).ok()).collect();
    assert_eq!(
        got,
        vec![
            GlobalEvent::Console {
                level: log::Level::Warn,
                message: "list has 3 items [object Object]".into()
            },
            GlobalEvent::Console {
                level: log::Level::Info,
                message: "default: 1".into()
            },
            GlobalEvent::Console {
                level: log::Level::Info,
                message: "default: 2".into()
            },
            GlobalEvent::Console {
                level: log::Level::Info,
                message: "100000000000000000000 -0.5".into()
            },
        ]
    );
}

#[test]
fn a_hung_script_is_interrupted_on_request() {
    let (g, rx) = global_with_events(GlobalKind::Window);
    let pending = g.eval_async("while (true) {}");
    std::thread::sleep(Duration::from_millis(100));
    g.interrupt();
    let r = pending.recv_timeout(WAIT).expect("the script returns");
    match r {
        Err(EvalError::Exception(message)) => assert!(message.contains("interrupted"), "{message}"),
        other => panic!("expected an interruption, got {other:?}"),
    }
    // The global keeps working afterwards.
    assert_eq!(eval_ok(&g, "6 * 7"), "42");
    drop(rx);
}

#[test]
fn a_script_running_past_the_timeout_is_interrupted() {
    let (tx, rx) = crossbeam_channel::unbounded();
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.events = Some(tx);
    options.script_timeout = Some(Duration::from_millis(200));
    let g = GlobalHandle::spawn(options).unwrap();
    // A hung timer callback is a task too; it is interrupted and reported.
    eval_ok(&g, "setTimeout(() => { for (;;) {} }, 0); 1");
    let e = wait_for(&rx, |e| matches!(e, GlobalEvent::Interrupted { .. }));
    assert!(e.is_some(), "the timeout interrupts the task");
    assert_eq!(eval_ok(&g, "'alive'"), "alive");
}

#[test]
fn shutdown_with_pending_promises_timers_and_live_objects() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    eval_ok(
        &g,
        r#"
        // Cycles through Rust-held values: a listener closing over its target, an event kept
        // as an expando on the promise its waitUntil-like reaction waits for, a never-settling
        // promise with reactions, timers far in the future, a handler on the global.
        const t = new EventTarget();
        t.addEventListener("x", () => t);
        t.self = t;
        const e = new Event("y");
        const p = new Promise(() => {});
        p.then(() => e);
        e.p = p;
        globalThis.keep = [t, e, p, new DOMException("m"), new QuotaExceededError("q")];
        setTimeout(() => keep, 3600 * 1000);
        setInterval(() => keep, 3600 * 1000);
        self.onerror = () => keep;
        queueMicrotask(() => keep);
        1
        "#,
    );
    // A task still queued when shutdown starts is dropped, not run.
    g.queue(|ctx| {
        let _: rquickjs::Value = ctx.eval("keep").unwrap();
    });
    let report = g.shutdown();
    assert_eq!(report.pending_timers, 2);
}

#[test]
fn wait_idle_after_a_script_returns_at_once_and_waits_for_timers() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    g.run_script("globalThis.n = 0;", "a.js").unwrap();
    assert!(g.wait_idle(WAIT), "nothing to do");
    g.run_script("setTimeout(() => n = 1, 30);", "b.js")
        .unwrap();
    assert!(g.wait_idle(WAIT));
    assert_eq!(eval_ok(&g, "n"), "1", "idle means the timer ran");
    g.run_script("setInterval(() => {}, 10);", "c.js").unwrap();
    assert!(
        !g.wait_idle(Duration::from_millis(100)),
        "an interval is never idle"
    );
}

#[test]
fn shutdown_of_a_queued_hung_script_without_a_timeout_returns() {
    // The hung script is still queued when shutdown starts; shutdown is sticky, so the task
    // is interrupted when it starts even with no script timeout.
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.script_timeout = None;
    let g = GlobalHandle::spawn(options).unwrap();
    let _a = g.eval_async("for (let i = 0; i < 1e6; i++) {}");
    let _b = g.eval_async("while (true) {}");
    let started = Instant::now();
    drop(g);
    assert!(started.elapsed() < WAIT);
}

#[test]
fn shutdown_interrupts_a_hung_script() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    let _pending = g.eval_async("for (;;) {}");
    std::thread::sleep(Duration::from_millis(50));
    let started = Instant::now();
    g.shutdown();
    assert!(started.elapsed() < WAIT);
}

#[test]
fn evaluation_errors_are_reported_to_the_caller() {
    let (g, _rx) = global_with_events(GlobalKind::Window);
    match g.eval("throw new RangeError('bad')") {
        Err(EvalError::Exception(m)) => assert!(m.starts_with("RangeError: bad"), "{m}"),
        other => panic!("{other:?}"),
    }
    match g.eval("syntax error here") {
        Err(EvalError::Exception(m)) => assert!(m.contains("SyntaxError"), "{m}"),
        other => panic!("{other:?}"),
    }
    match g.eval_promise("Promise.reject(new TypeError('no'))", WAIT) {
        Err(EvalError::Exception(m)) => assert!(m.starts_with("TypeError: no"), "{m}"),
        other => panic!("{other:?}"),
    }
    // A promise that is kept alive but never settles times out; one nothing can reach is
    // collected, and the caller learns it can never settle.
    assert_eq!(
        g.eval_promise(
            "globalThis.forever = new Promise(() => {})",
            Duration::from_millis(100)
        ),
        Err(EvalError::Timeout)
    );
    assert_eq!(
        g.eval_promise("new Promise(() => {})", WAIT),
        Err(EvalError::Unsettled)
    );
    drop(g);
}

#[test]
fn a_failing_setup_hook_is_an_error_not_a_panic() {
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.setup.push(Box::new(|ctx| {
        let _: rquickjs::Value = ctx.eval("throw new Error('setup failed')")?;
        Ok(())
    }));
    match GlobalHandle::spawn(options) {
        Err(e) => assert!(e.contains("setup failed"), "{e}"),
        Ok(_) => panic!("setup should fail"),
    }
}

#[test]
fn many_globals_start_and_stop() {
    let handles: Vec<GlobalHandle> = (0..8)
        .map(|i| {
            let kind = GlobalKind::ALL[i % GlobalKind::ALL.len()];
            GlobalHandle::spawn(GlobalOptions::new(kind)).unwrap()
        })
        .collect();
    for (i, g) in handles.iter().enumerate() {
        assert_eq!(eval_ok(g, &format!("{i} + 1")), (i + 1).to_string());
    }
    for g in handles {
        g.shutdown();
    }
}

#[test]
fn an_extendable_event_reports_when_its_lifetime_promises_settle() {
    let (g, _rx) = global_with_events(GlobalKind::ServiceWorkerGlobalScope);
    eval_ok(
        &g,
        "self.resolveLater = null;
         self.addEventListener('install', e => {
           self.seen = [e.isTrusted, e instanceof ExtendableEvent];
           e.waitUntil(new Promise(r => { self.resolveLater = r; }));
         });",
    );
    let done = g.fire_extendable_event("install");
    assert_eq!(eval_ok(&g, "String(self.seen)"), "true,true");
    // Still active: the promise is pending.
    assert!(done.recv_timeout(Duration::from_millis(100)).is_err());
    eval_ok(&g, "self.resolveLater()");
    let failed = done
        .recv_timeout(WAIT)
        .expect("inactive once the promise settles");
    assert!(!failed, "a fulfilled lifetime promise is no failure");
    // Without listeners (or without waitUntil) it is inactive right after dispatch.
    let done = g.fire_extendable_event("activate");
    assert_eq!(done.recv_timeout(WAIT), Ok(false), "inactive at once");
    // A rejected lifetime promise is a failure (an install that fails).
    eval_ok(
        &g,
        "self.addEventListener('message', e => e.waitUntil(Promise.reject(new Error('no'))));",
    );
    let done = g.fire_extendable_event("message");
    assert_eq!(
        done.recv_timeout(WAIT),
        Ok(true),
        "a rejected promise fails it"
    );
    g.shutdown();
}

#[test]
fn the_global_reads_the_embedders_permission_store() {
    use script::{PermissionState, PermissionStore};
    let store = PermissionStore::default();
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.origin = "https://a.test".into();
    options.permissions = store.clone();
    let g = GlobalHandle::spawn(options).expect("global starts");
    let read = |g: &GlobalHandle| {
        g.with(|ctx| {
            script::dom::globalscope::GlobalScope::current(ctx)
                .map(|s| s.permission_state("background-fetch"))
        })
        .expect("the global answers")
    };
    assert_eq!(read(&g), Some(PermissionState::Prompt));
    store.set(
        "https://a.test",
        "background-fetch",
        PermissionState::Granted,
    );
    assert_eq!(read(&g), Some(PermissionState::Granted));
    // Another origin's state is not this global's.
    store.set(
        "https://b.test",
        "background-fetch",
        PermissionState::Denied,
    );
    assert_eq!(read(&g), Some(PermissionState::Granted));
    g.shutdown();
}
