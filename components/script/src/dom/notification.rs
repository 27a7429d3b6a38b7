//! <https://notifications.spec.whatwg.org/#api>: the `Notification` interface (a
//! non-persistent notification made by its constructor, or an object representing a
//! persistent one from `getNotifications()` or a `NotificationEvent`). The profile's list of
//! notifications and the embedder's platform are in [`crate::notifications`].

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::NotificationBinding::NotificationMethods;
use crate::dom::bindings::codegen::{
    NotificationAction, NotificationDirection, NotificationOptions, NotificationPermission,
    NotificationPermissionCallback, VibratePattern,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::structuredclone;
use crate::dom::eventtarget::{self, EventTarget};
use crate::dom::globalscope::GlobalScope;
use crate::notifications::{NotificationActionRecord, NotificationRecord};
use crate::permissions::PermissionState;
use std::sync::Arc;

/// The maximum number of actions supported (Chromium's).
pub const MAX_ACTIONS: usize = 2;

/// <https://notifications.spec.whatwg.org/#notification>
pub struct Notification<'js> {
    event_target: EventTarget<'js>,
    /// The notification this object represents.
    record: Arc<NotificationRecord>,
    /// [SameObject] `data`, `vibrate` and `actions`, made when first read.
    data: DomRefCell<Option<Value<'js>>>,
    vibrate: DomRefCell<Option<FrozenArray<'js>>>,
    actions: DomRefCell<Option<FrozenArray<'js>>>,
}

impl<'js> HasParent<'js> for Notification<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for Notification<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.data.trace(tracer);
        self.vibrate.trace(tracer);
        self.actions.trace(tracer);
    }
}

impl<'js> Notification<'js> {
    /// A new object representing `record`.
    pub fn represent(ctx: &Ctx<'js>, record: Arc<NotificationRecord>) -> Fallible<Dom<'js, Self>> {
        reflect_dom_object(ctx, Notification::new_inherited(record))
    }

    fn new_inherited(record: Arc<NotificationRecord>) -> Self {
        Notification {
            event_target: EventTarget::new_inherited(),
            record,
            data: Default::default(),
            vibrate: Default::default(),
            actions: Default::default(),
        }
    }

    pub fn record(&self) -> &Arc<NotificationRecord> {
        &self.record
    }
}

/// <https://notifications.spec.whatwg.org/#get-the-notifications-permission-state>
pub fn get_the_notifications_permission_state(global: &GlobalScope<'_>) -> NotificationPermission {
    match global
        .info()
        .permissions
        .get(&global.info().origin, "notifications")
    {
        PermissionState::Granted => NotificationPermission::Granted,
        PermissionState::Denied => NotificationPermission::Denied,
        PermissionState::Prompt => NotificationPermission::Default,
    }
}

/// <https://notifications.spec.whatwg.org/#create-a-notification-with-a-settings-object>
/// (and "create a notification"): the notification of `global` with `title` and `options`;
/// persistent when `registration` is given, else its object's events go to `owner`.
pub fn create_a_notification<'js>(
    ctx: &Ctx<'js>,
    global: &GlobalScope<'js>,
    title: String,
    options: NotificationOptions<'js>,
    registration: Option<crate::service_workers::RegistrationId>,
    with_owner: bool,
) -> Fallible<NotificationRecord> {
    // Step 2. silent true with a vibration pattern: TypeError.
    if options.silent == Some(true) && options.vibrate.is_some() {
        return Err(Error::Type(
            "a silent notification cannot have a vibration pattern".into(),
        ));
    }
    // Step 3. renotify without a tag: TypeError.
    if options.renotify && options.tag.is_empty() {
        return Err(Error::Type(
            "renotify needs a tag (it is about replacing a notification)".into(),
        ));
    }
    // Step 4. data: StructuredSerializeForStorage (a DataCloneError is rethrown).
    let data = structuredclone::serialize(ctx, options.data, Vec::new())?;
    // URLs parsed against the API base URL; a failure leaves them unset.
    let parse = |u: &Option<String>| {
        u.as_ref()
            .and_then(|u| global.parse_url(u).ok())
            .map(|u| u.to_string())
    };
    let id = global.profile().notifications().next_id();
    Ok(NotificationRecord {
        id,
        origin: global.info().origin.clone(),
        registration,
        title,
        direction: match options.dir {
            NotificationDirection::Auto => "auto",
            NotificationDirection::Ltr => "ltr",
            NotificationDirection::Rtl => "rtl",
        },
        language: options.lang.to_string(),
        body: options.body.to_string(),
        navigate: parse(&options.navigate),
        tag: options.tag.to_string(),
        image: parse(&options.image),
        icon: parse(&options.icon),
        badge: parse(&options.badge),
        // Step 17. Validate and normalize the vibration pattern.
        vibrate: options
            .vibrate
            .map(validate_and_normalize)
            .unwrap_or_default(),
        // Step 18. The timestamp, or now.
        timestamp: options.timestamp.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64)
        }),
        renotify: options.renotify,
        silent: options.silent,
        data,
        require_interaction: options.requireInteraction,
        // Step 23. The actions, up to the maximum supported.
        actions: options
            .actions
            .into_iter()
            .take(MAX_ACTIONS)
            .map(|a| NotificationActionRecord {
                name: a.action.to_string(),
                title: a.title.to_string(),
                navigate: parse(&a.navigate),
                icon: parse(&a.icon),
            })
            .collect(),
        owner: with_owner.then(|| (global.info().tasks.clone(), id)),
    })
}

/// <https://w3c.github.io/vibration/#dfn-validate-and-normalize>
fn validate_and_normalize(pattern: VibratePattern) -> Vec<u32> {
    const MAX_LENGTH: usize = 10;
    const MAX_DURATION: u32 = 10_000;
    let mut pattern = match pattern {
        VibratePattern::UnsignedLong(v) => vec![v],
        VibratePattern::UnsignedLongSequence(v) => v,
    };
    pattern.truncate(MAX_LENGTH);
    if pattern.len() % 2 == 0 {
        pattern.pop();
    }
    for v in &mut pattern {
        *v = (*v).min(MAX_DURATION);
    }
    pattern
}

/// Fires `name` at the non-persistent notification object `key` of this global (`click`
/// is cancelable); after `close`, the global no longer keeps it.
pub fn fire_object_event(ctx: &Ctx<'_>, key: u64, name: &'static str) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    let Some(object) = global.notifications.borrow().get(&key).cloned() else {
        return;
    };
    if name == "close" {
        global.notifications.borrow_mut().remove(&key);
    }
    if let Err(e) = eventtarget::fire_event(ctx, &object.upcast(), name, false, name == "click") {
        GlobalScope::report_error(ctx, e);
    }
}

impl<'js> NotificationMethods<'js> for Notification<'js> {
    /// <https://notifications.spec.whatwg.org/#dom-notification-notification>
    fn Constructor(
        cx: &Cx<'js>,
        title: DOMString,
        options: NotificationOptions<'js>,
    ) -> Fallible<Self> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("Notification needs a global"))?;
        // Step 1. Not in a service worker (persistent ones come from showNotification()).
        if global.info().kind == crate::GlobalKind::ServiceWorkerGlobalScope {
            return Err(Error::Type(
                "use registration.showNotification() in a service worker".into(),
            ));
        }
        // Step 2. Actions are for persistent notifications only.
        if !options.actions.is_empty() {
            return Err(Error::Type(
                "only persistent notifications (showNotification()) have actions".into(),
            ));
        }
        // Steps 3-4. Create the notification; this object represents it.
        let record =
            create_a_notification(&cx.ctx, &global, title.to_string(), options, None, true)?;
        Ok(Notification::new_inherited(Arc::new(record)))
    }

    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("Notification needs a global"))?;
        // The global keeps the object while its notification can still fire events at it.
        let record = this.record.clone();
        global
            .notifications
            .borrow_mut()
            .insert(record.id, this.clone());
        // Step 5, in parallel: without permission, error at this; else show it.
        if get_the_notifications_permission_state(&global) != NotificationPermission::Granted {
            let id = record.id;
            global.queue_task(Box::new(move |ctx| {
                let Some(global) = GlobalScope::current(ctx) else {
                    return Ok(());
                };
                let object = global.notifications.borrow_mut().remove(&id);
                if let Some(object) = object {
                    eventtarget::fire_event(ctx, &object.upcast(), "error", false, false)?;
                }
                Ok(())
            }));
            return Ok(());
        }
        global.profile().notifications().show(record);
        Ok(())
    }

    /// <https://notifications.spec.whatwg.org/#dom-notification-permission>
    fn permission(cx: &Cx<'js>) -> Fallible<NotificationPermission> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("Notification.permission needs a global"))?;
        Ok(get_the_notifications_permission_state(&global))
    }

    /// <https://notifications.spec.whatwg.org/#dom-notification-requestpermission>
    fn requestPermission(
        cx: &Cx<'js>,
        deprecated_callback: Option<NotificationPermissionCallback<'js>>,
    ) -> Fallible<Promise<'js>> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("requestPermission() needs a global"))?;
        // Steps 1-2. The promise (the deprecated callback is invoked as it resolves).
        let (promise, resolve, reject) = cx.ctx.promise()?;
        if let Some(callback) = deprecated_callback {
            fn invoke<'a, 'js>(
                callback: &NotificationPermissionCallback<'js>,
                params: &Params<'a, 'js>,
            ) -> Fallible<Value<'js>> {
                let ctx = params.ctx();
                let state = crate::dom::bindings::glue::arg(params, 0);
                let state = match state
                    .as_string()
                    .and_then(|s| s.to_string().ok())
                    .as_deref()
                {
                    Some("granted") => NotificationPermission::Granted,
                    Some("denied") => NotificationPermission::Denied,
                    _ => NotificationPermission::Default,
                };
                callback.call(ctx, Value::new_undefined(ctx.clone()), state)?;
                Ok(Value::new_undefined(ctx.clone()))
            }
            fn ignore<'a, 'js>(
                _: &NotificationPermissionCallback<'js>,
                params: &Params<'a, 'js>,
            ) -> Fallible<Value<'js>> {
                Ok(Value::new_undefined(params.ctx().clone()))
            }
            crate::dom::bindings::callback::react(&cx.ctx, &promise, callback, invoke, ignore)?;
        }
        let id = global.promises.borrow_mut().add(resolve, reject);
        // Step 3, in parallel: request permission to use "notifications" (a state already
        // decided is the answer; "prompt" asks the embedder).
        let settle = move |tasks: &crate::TaskSender, state: NotificationPermission| {
            tasks.queue(move |ctx| {
                let Some(global) = GlobalScope::current(ctx) else {
                    return;
                };
                let resolve = global.promises.borrow_mut().take(id);
                if let Some((resolve, _)) = resolve {
                    let value = state.to_js(ctx);
                    if let Err(e) = value.and_then(|v| Ok(resolve.call::<_, ()>((v,))?)) {
                        GlobalScope::report_error(ctx, e);
                    }
                }
            });
        };
        let tasks = global.info().tasks.clone();
        let state = get_the_notifications_permission_state(&global);
        if state != NotificationPermission::Default {
            settle(&tasks, state);
            return Ok(promise);
        }
        let (permissions, origin) = (
            global.info().permissions.clone(),
            global.info().origin.clone(),
        );
        let answer_tasks = tasks.clone();
        let asked = global.profile().notifications().request_permission(
            &origin.clone(),
            Box::new(move |granted| {
                let (stored, state) = if granted {
                    (PermissionState::Granted, NotificationPermission::Granted)
                } else {
                    (PermissionState::Denied, NotificationPermission::Denied)
                };
                permissions.set(&origin, "notifications", stored);
                settle(&answer_tasks, state);
            }),
        );
        // Nobody to ask: the state stays "default".
        if !asked {
            settle(&tasks, NotificationPermission::Default);
        }
        Ok(promise)
    }

    fn maxActions(_cx: &Cx<'js>) -> Fallible<u32> {
        Ok(MAX_ACTIONS as u32)
    }

    fn title(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.record.title.clone())
    }
    fn dir(&self, _cx: &Cx<'js>) -> Fallible<NotificationDirection> {
        Ok(match self.record.direction {
            "ltr" => NotificationDirection::Ltr,
            "rtl" => NotificationDirection::Rtl,
            _ => NotificationDirection::Auto,
        })
    }
    fn lang(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.record.language.clone())
    }
    fn body(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.record.body.clone())
    }
    fn navigate(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.record.navigate.clone().unwrap_or_default())
    }
    fn tag(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.record.tag.clone())
    }
    fn image(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.record.image.clone().unwrap_or_default())
    }
    fn icon(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.record.icon.clone().unwrap_or_default())
    }
    fn badge(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.record.badge.clone().unwrap_or_default())
    }
    fn vibrate(&self, cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        if let Some(v) = self.vibrate.borrow().clone() {
            return Ok(v);
        }
        let v = FrozenArray::new(&cx.ctx, self.record.vibrate.clone())?;
        *self.vibrate.borrow_mut() = Some(v.clone());
        Ok(v)
    }
    fn timestamp(&self, _cx: &Cx<'js>) -> Fallible<u64> {
        Ok(self.record.timestamp)
    }
    fn renotify(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.record.renotify)
    }
    fn silent(&self, _cx: &Cx<'js>) -> Fallible<Option<bool>> {
        Ok(self.record.silent)
    }
    fn requireInteraction(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.record.require_interaction)
    }
    /// <https://notifications.spec.whatwg.org/#dom-notification-data>: StructuredDeserialize
    /// of the data (null if that throws), the same object every time.
    fn data(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        if let Some(v) = self.data.borrow().clone() {
            return Ok(v);
        }
        let v = structuredclone::deserialize(&cx.ctx, self.record.data.clone())
            .unwrap_or_else(|_| Value::new_null(cx.ctx.clone()));
        *self.data.borrow_mut() = Some(v.clone());
        Ok(v)
    }
    /// <https://notifications.spec.whatwg.org/#dom-notification-actions>
    fn actions(&self, cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
        if let Some(v) = self.actions.borrow().clone() {
            return Ok(v);
        }
        let actions: Vec<NotificationAction> = self
            .record
            .actions
            .iter()
            .map(|a| NotificationAction {
                action: a.name.clone(),
                title: a.title.clone(),
                navigate: a.navigate.clone(),
                icon: a.icon.clone(),
            })
            .collect();
        let v = FrozenArray::new(&cx.ctx, actions)?;
        *self.actions.borrow_mut() = Some(v.clone());
        Ok(v)
    }
    /// <https://notifications.spec.whatwg.org/#dom-notification-close>: the close steps.
    fn close(&self, cx: &Cx<'js>) -> Fallible<()> {
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            global.profile().notifications().close(
                self.record.id,
                false,
                global.info().service_workers.as_ref(),
            );
        }
        Ok(())
    }
}
