//! A profile's list of notifications (<https://notifications.spec.whatwg.org/#list-of-notifications>)
//! and the embedder's notification platform: what the user sees of them, clicks and closes.
//!
//! A notification is persistent (shown by `ServiceWorkerRegistration.showNotification()`: its
//! events go to the registration's active worker, started if needed) or non-persistent (made
//! by `new Notification()` in a window or worker: its events go to that object). The list
//! lives as long as the profile runs; the embedder shows and hides what it is told
//! ([`NotificationPlatform`]) and reports the user's clicks and closes
//! ([`NotificationList::click`], [`NotificationList::close`]).

use crate::dom::bindings::structuredclone::Serialized;
use crate::global_handle::TaskSender;
use crate::service_workers::{RegistrationId, ServiceWorkerContext};
use parking_lot::Mutex;
use std::sync::Arc;

/// <https://notifications.spec.whatwg.org/#concept-notification-action>
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationActionRecord {
    pub name: String,
    pub title: String,
    pub navigate: Option<String>,
    pub icon: Option<String>,
}

/// <https://notifications.spec.whatwg.org/#concept-notification>
#[derive(Debug)]
pub struct NotificationRecord {
    /// The profile's number for it (what the embedder reports clicks and closes with).
    pub id: u64,
    pub origin: String,
    /// A persistent notification's service worker registration.
    pub registration: Option<RegistrationId>,
    pub title: String,
    /// "auto", "ltr" or "rtl".
    pub direction: &'static str,
    pub language: String,
    pub body: String,
    pub navigate: Option<String>,
    pub tag: String,
    pub image: Option<String>,
    pub icon: Option<String>,
    pub badge: Option<String>,
    pub vibrate: Vec<u32>,
    pub timestamp: u64,
    pub renotify: bool,
    pub silent: Option<bool>,
    pub require_interaction: bool,
    /// StructuredSerializeForStorage(options["data"]).
    pub data: Serialized,
    pub actions: Vec<NotificationActionRecord>,
    /// A non-persistent notification's object: its global's event loop and its key there.
    pub owner: Option<(TaskSender, u64)>,
}

impl NotificationRecord {
    pub fn is_persistent(&self) -> bool {
        self.registration.is_some()
    }

    /// What the embedder shows.
    pub fn info(&self) -> NotificationInfo {
        NotificationInfo {
            id: self.id,
            origin: self.origin.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            tag: self.tag.clone(),
            direction: self.direction,
            language: self.language.clone(),
            icon: self.icon.clone(),
            image: self.image.clone(),
            badge: self.badge.clone(),
            timestamp: self.timestamp,
            renotify: self.renotify,
            silent: self.silent,
            require_interaction: self.require_interaction,
            actions: self
                .actions
                .iter()
                .map(|a| (a.name.clone(), a.title.clone()))
                .collect(),
            persistent: self.is_persistent(),
        }
    }
}

/// What the embedder shows of a notification (show the origin with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationInfo {
    pub id: u64,
    pub origin: String,
    pub title: String,
    pub body: String,
    /// A notification with the same tag and origin replaces the one shown before.
    pub tag: String,
    pub direction: &'static str,
    pub language: String,
    pub icon: Option<String>,
    pub image: Option<String>,
    pub badge: Option<String>,
    /// Milliseconds since the Unix epoch.
    pub timestamp: u64,
    /// Alert the user again when it replaces another.
    pub renotify: bool,
    pub silent: Option<bool>,
    pub require_interaction: bool,
    /// `(action name, button title)`: what [`NotificationList::click`] gets back.
    pub actions: Vec<(String, String)>,
    /// Shown by a service worker (clicks start it if needed).
    pub persistent: bool,
}

/// The embedder's notification platform.
pub trait NotificationPlatform: Send + Sync {
    /// Display the notification (or replace the one with the same id's tag).
    fn show(&self, notification: &NotificationInfo);
    /// Take notification `id` away (script closed it, or another replaced it).
    fn close(&self, id: u64);
    /// Ask the user whether `origin` may show notifications; `answer(true)` grants.
    fn request_permission(&self, origin: &str, answer: Box<dyn FnOnce(bool) + Send>);
}

/// See the module documentation. Cheap to clone: clones are the same list.
#[derive(Clone, Default)]
pub struct NotificationList(Arc<Mutex<List>>);

#[derive(Default)]
struct List {
    next: u64,
    shown: Vec<Arc<NotificationRecord>>,
    platform: Option<Arc<dyn NotificationPlatform>>,
}

impl NotificationList {
    /// The embedder's platform (without one, nothing is displayed and permission requests
    /// leave the state as it is).
    pub fn set_platform(&self, platform: Arc<dyn NotificationPlatform>) {
        self.0.lock().platform = Some(platform);
    }

    /// A new notification's number.
    pub fn next_id(&self) -> u64 {
        let mut l = self.0.lock();
        l.next += 1;
        l.next
    }

    /// Requests permission to use "notifications" for `origin` (the embedder asks the
    /// user); `None` without a platform to ask.
    pub fn request_permission(&self, origin: &str, answer: Box<dyn FnOnce(bool) + Send>) -> bool {
        let platform = self.0.lock().platform.clone();
        match platform {
            Some(p) => {
                p.request_permission(origin, answer);
                true
            }
            None => false,
        }
    }

    /// <https://notifications.spec.whatwg.org/#notification-show-steps> (the embedder fetches
    /// the images it shows): a notification with the same tag and origin is replaced.
    pub fn show(&self, notification: Arc<NotificationRecord>) {
        let (old, platform) = {
            let mut l = self.0.lock();
            // Steps 4-5. oldNotification: same non-empty tag, same origin.
            let old = (!notification.tag.is_empty())
                .then(|| {
                    l.shown
                        .iter()
                        .position(|n| n.tag == notification.tag && n.origin == notification.origin)
                })
                .flatten();
            // Step 6 (the platform supports replacement): replace it in the list, or
            // step 7: append.
            let old = match old {
                Some(i) => Some(std::mem::replace(&mut l.shown[i], notification.clone())),
                None => {
                    l.shown.push(notification.clone());
                    None
                }
            };
            (old, l.platform.clone())
        };
        // Step 6.1. Handle close events with oldNotification (not closed by the user).
        if let Some(old) = &old {
            handle_close_events(old, false, None);
            if let Some(p) = &platform {
                p.close(old.id);
            }
        }
        // Display it.
        if let Some(p) = &platform {
            p.show(&notification.info());
        }
        // Step 9. A non-persistent notification's object gets `show`.
        queue_object_event(&notification, "show");
    }

    /// <https://notifications.spec.whatwg.org/#close-steps>: `by_user` when the user (or the
    /// platform) closed it, not script; a persistent notification closed by the user fires
    /// `notificationclose` at its worker (through `sw`).
    pub fn close(&self, id: u64, by_user: bool, sw: Option<&ServiceWorkerContext>) {
        let (removed, platform) = {
            let mut l = self.0.lock();
            // Step 1. Not in the list: abort.
            let Some(i) = l.shown.iter().position(|n| n.id == id) else {
                return;
            };
            // Step 3. Remove it.
            (l.shown.remove(i), l.platform.clone())
        };
        // Step 2. Handle close events.
        handle_close_events(&removed, by_user, sw);
        if !by_user {
            if let Some(p) = platform {
                p.close(id);
            }
        }
    }

    /// The user activated notification `id` (with `action`, one of its action names, or
    /// none for the notification itself): <https://notifications.spec.whatwg.org/#activating-a-notification>.
    /// False if it is not shown.
    pub fn click(&self, id: u64, action: Option<&str>, sw: &ServiceWorkerContext) -> bool {
        let Some(notification) = self.get(id) else {
            return false;
        };
        // Steps 1-2. The activated action, if it is one of the notification's.
        let action = action.and_then(|name| notification.actions.iter().find(|a| a.name == name));
        // Steps 3-4. A navigation URL (the action's, else the notification's) would
        // navigate; this engine fires the event instead (as before navigation URLs).
        match notification.registration {
            // Step 5. Persistent: notificationclick at its worker.
            Some(registration) => sw.fire_notification_event(
                registration,
                "notificationclick",
                notification.clone(),
                action.map(|a| a.name.clone()).unwrap_or_default(),
            ),
            // Step 6. Non-persistent: click at its object.
            None => queue_object_event(&notification, "click"),
        }
        true
    }

    /// Notification `id`, while it is shown.
    pub fn get(&self, id: u64) -> Option<Arc<NotificationRecord>> {
        self.0.lock().shown.iter().find(|n| n.id == id).cloned()
    }

    /// The notifications of `origin` shown by `registration`, with `tag` unless it is
    /// empty, in creation order (getNotifications()).
    pub fn matching(
        &self,
        origin: &str,
        registration: RegistrationId,
        tag: &str,
    ) -> Vec<Arc<NotificationRecord>> {
        let mut found: Vec<_> = self
            .0
            .lock()
            .shown
            .iter()
            .filter(|n| {
                n.origin == origin
                    && n.registration == Some(registration)
                    && (tag.is_empty() || n.tag == tag)
            })
            .cloned()
            .collect();
        found.sort_by_key(|n| n.id);
        found
    }

    /// What is shown now, for the embedder.
    pub fn shown(&self) -> Vec<NotificationInfo> {
        self.0.lock().shown.iter().map(|n| n.info()).collect()
    }
}

/// <https://notifications.spec.whatwg.org/#handle-close-events>
fn handle_close_events(
    notification: &Arc<NotificationRecord>,
    by_user: bool,
    sw: Option<&ServiceWorkerContext>,
) {
    // Step 1. Persistent and closed by the user: notificationclose at its worker.
    if let (Some(registration), true, Some(sw)) = (notification.registration, by_user, sw) {
        sw.fire_notification_event(
            registration,
            "notificationclose",
            notification.clone(),
            String::new(),
        );
    }
    // Step 2. Non-persistent: close at its object.
    queue_object_event(notification, "close");
}

/// Queues a task firing `name` at a non-persistent notification's object.
fn queue_object_event(notification: &NotificationRecord, name: &'static str) {
    if let Some((tasks, key)) = &notification.owner {
        let key = *key;
        tasks.queue(move |ctx| crate::dom::notification::fire_object_event(ctx, key, name));
    }
}
