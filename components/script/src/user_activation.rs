//! User activation (<https://html.spec.whatwg.org/#tracking-user-activation>) and a service
//! worker's permission to interact with windows.
//!
//! A window is activated when the user interacts with it: the embedder says so
//! ([`crate::GlobalHandle::activate`]; the WPT runner's `test_driver.click()`/`bless()` do
//! too). Its last activation timestamp then gives it transient activation for
//! [`TRANSIENT_ACTIVATION_DURATION`] (until an API consumes it) and sticky activation for
//! good. The profile records which windows of which origin are activated
//! ([`UserActivations`]), which is how a service worker learns that "a Window in this
//! origin has transient activation" (Service Workers' `openWindow()` and `focus()`).
//!
//! A service worker is also allowed to open or focus a window while it handles the user's
//! click on one of its notifications or on a background fetch's UI (`notificationclick`,
//! `backgroundfetchclick`): from dispatch, for [`WINDOW_INTERACTION_DURATION`], once (the
//! first `openWindow()` or `focus()` consumes it), as Chromium allows.

use parking_lot::Mutex;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// HTML's transient activation duration (user-agent defined; Chromium's is 5 s).
pub const TRANSIENT_ACTIVATION_DURATION: Duration = Duration::from_secs(5);

/// How long after a `notificationclick` or `backgroundfetchclick` event the service worker
/// may open or focus a window.
pub const WINDOW_INTERACTION_DURATION: Duration = Duration::from_secs(10);

/// HTML's "last activation timestamp" of a window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum LastActivation {
    /// Positive infinity: never activated.
    #[default]
    Never,
    /// Negative infinity: activated once, then consumed.
    Consumed,
    At(Instant),
}

/// The activated windows of a profile, by client id (their origin and last activation), and
/// the window that has focus (the one the user last used, or a service worker focused).
#[derive(Clone, Default)]
pub struct UserActivations(Arc<Mutex<Windows>>);

#[derive(Default)]
struct Windows {
    activated: HashMap<String, (String, Instant)>,
    focused: Option<String>,
}

impl UserActivations {
    fn record(&self, client: &str, origin: &str, at: Instant) {
        let mut w = self.0.lock();
        w.activated
            .insert(client.to_string(), (origin.to_string(), at));
        w.focused = Some(client.to_string());
    }

    fn forget(&self, client: &str) {
        self.0.lock().activated.remove(client);
    }

    fn gone(&self, client: &str) {
        let mut w = self.0.lock();
        w.activated.remove(client);
        if w.focused.as_deref() == Some(client) {
            w.focused = None;
        }
    }

    /// Whether a window of `origin` has transient activation now.
    pub fn any_transient(&self, origin: &str) -> bool {
        let now = Instant::now();
        self.0
            .lock()
            .activated
            .values()
            .any(|(o, at)| o == origin && now.duration_since(*at) < TRANSIENT_ACTIVATION_DURATION)
    }

    /// HTML's "focusing steps" for the window `client` (`WindowClient.focus()`).
    pub fn focus(&self, client: &str) {
        self.0.lock().focused = Some(client.to_string());
    }

    /// HTML's "has focus steps": whether the window `client` has focus.
    pub fn has_focus(&self, client: &str) -> bool {
        self.0.lock().focused.as_deref() == Some(client)
    }
}

/// This thread's global's activation state (one global per thread).
#[derive(Default)]
struct Local {
    /// The global's client id, origin and profile record (set when its realm is set up).
    identity: Option<(String, String, UserActivations)>,
    last_activation: LastActivation,
    /// A service worker's window interaction allowance ends then.
    window_interaction_until: Option<Instant>,
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
}

/// Called when a global's realm is set up: which client it is, of which origin, recorded
/// where.
pub(crate) fn set_up(client: &str, origin: &str, record: UserActivations) {
    LOCAL.with(|l| {
        *l.borrow_mut() = Local {
            identity: Some((client.to_string(), origin.to_string(), record)),
            ..Local::default()
        }
    });
}

/// The global is going away: its activation no longer counts for its origin.
pub(crate) fn tear_down() {
    LOCAL.with(|l| {
        if let Some((client, _, record)) = l.borrow_mut().identity.take() {
            record.gone(&client);
        }
    });
}

/// <https://html.spec.whatwg.org/#activation-notification>: the user interacted with this
/// global's window (there are no nested frames to propagate to).
pub fn activation_notification() {
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        let now = Instant::now();
        l.last_activation = LastActivation::At(now);
        if let Some((client, origin, record)) = &l.identity {
            record.record(client, origin, now);
        }
    });
}

/// <https://html.spec.whatwg.org/#transient-activation>
pub fn has_transient_activation() -> bool {
    LOCAL.with(|l| match l.borrow().last_activation {
        LastActivation::At(at) => at.elapsed() < TRANSIENT_ACTIVATION_DURATION,
        _ => false,
    })
}

/// <https://html.spec.whatwg.org/#sticky-activation>
pub fn has_sticky_activation() -> bool {
    LOCAL.with(|l| l.borrow().last_activation != LastActivation::Never)
}

/// <https://html.spec.whatwg.org/#consume-user-activation>
pub fn consume_user_activation() {
    LOCAL.with(|l| {
        let mut l = l.borrow_mut();
        if l.last_activation != LastActivation::Never {
            l.last_activation = LastActivation::Consumed;
        }
        if let Some((client, _, record)) = &l.identity {
            record.forget(client);
        }
    });
}

/// A `notificationclick` or `backgroundfetchclick` event is being dispatched at this
/// service worker: it may open or focus a window for a while.
pub fn allow_window_interaction() {
    LOCAL.with(|l| {
        l.borrow_mut().window_interaction_until = Some(Instant::now() + WINDOW_INTERACTION_DURATION)
    });
}

/// Service Workers' "a Window in this origin has transient activation" for `openWindow()`
/// and `focus()`, or this worker's window interaction allowance.
pub fn window_interaction_allowed() -> bool {
    LOCAL.with(|l| {
        let l = l.borrow();
        let allowed = l
            .window_interaction_until
            .is_some_and(|until| Instant::now() < until);
        allowed
            || l.identity
                .as_ref()
                .is_some_and(|(_, origin, record)| record.any_transient(origin))
    })
}

/// The worker used its allowance (one window per click).
pub fn consume_window_interaction() {
    LOCAL.with(|l| l.borrow_mut().window_interaction_until = None);
}
