//! A profile's network state, the one switch everything follows: `navigator.onLine` and the
//! `online`/`offline` events of every global of the profile, and the background fetch
//! controller (offline, its GET records wait instead of failing). The embedder owns it and
//! sets it; two profiles have two signals.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

type Listener = Arc<dyn Fn(bool) + Send + Sync>;

#[derive(Default)]
struct Inner {
    offline: AtomicBool,
    listeners: Mutex<Vec<(u64, Listener)>>,
    next: AtomicU64,
}

/// See the module documentation. Cheap to clone (every clone is the same switch).
#[derive(Clone, Default)]
pub struct OnlineSignal(Arc<Inner>);

impl std::fmt::Debug for OnlineSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OnlineSignal({})", self.is_online())
    }
}

impl OnlineSignal {
    /// A new switch, online.
    pub fn new() -> OnlineSignal {
        OnlineSignal::default()
    }

    pub fn is_online(&self) -> bool {
        !self.0.offline.load(Ordering::Acquire)
    }

    /// Sets the state; every subscriber hears of a change (in subscription order, on the
    /// calling thread), nobody of a repeat.
    pub fn set_online(&self, online: bool) {
        let was_offline = self.0.offline.swap(!online, Ordering::AcqRel);
        if was_offline != online {
            // No change.
            return;
        }
        let listeners: Vec<Listener> = self
            .0
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        for listener in listeners {
            listener(online);
        }
    }

    /// Calls `listener` with every change until the returned subscription is dropped.
    pub fn subscribe(&self, listener: impl Fn(bool) + Send + Sync + 'static) -> Subscription {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed);
        self.0
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, Arc::new(listener)));
        Subscription {
            signal: Arc::downgrade(&self.0),
            id,
        }
    }

    /// Whether `self` and `other` are the same switch.
    pub fn same(&self, other: &OnlineSignal) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Keeps a listener subscribed; dropping it unsubscribes.
#[must_use = "dropping the subscription unsubscribes at once"]
pub struct Subscription {
    signal: Weak<Inner>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.signal.upgrade() {
            inner
                .listeners
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|(id, _)| *id != self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn changes_reach_subscribers_until_they_unsubscribe() {
        let signal = OnlineSignal::new();
        assert!(signal.is_online());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let sub = signal.subscribe(move |online| s.lock().unwrap().push(online));
        signal.set_online(false);
        signal.set_online(false); // no change, no call
        signal.clone().set_online(true);
        assert_eq!(*seen.lock().unwrap(), vec![false, true]);
        drop(sub);
        signal.set_online(false);
        assert_eq!(seen.lock().unwrap().len(), 2);
        assert!(!signal.is_online());
    }

    #[test]
    fn two_signals_are_two_switches() {
        let (a, b) = (OnlineSignal::new(), OnlineSignal::new());
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let _sub = b.subscribe(move |_| {
            c.fetch_add(1, Ordering::Relaxed);
        });
        a.set_online(false);
        assert!(b.is_online());
        assert_eq!(calls.load(Ordering::Relaxed), 0);
        assert!(a.same(&a.clone()) && !a.same(&b));
    }
}
