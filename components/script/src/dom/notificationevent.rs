//! <https://notifications.spec.whatwg.org/#notificationevent>: `notificationclick` and
//! `notificationclose` at a service worker.

use crate::dom::bindings::codegen::NotificationEventBinding::NotificationEventMethods;
use crate::dom::bindings::codegen::{EventInit, NotificationEventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::extendableevent::ExtendableEvent;
use crate::dom::globalscope::GlobalScope;
use crate::dom::notification::Notification;
use crate::notifications::NotificationRecord;
use std::sync::Arc;

/// <https://notifications.spec.whatwg.org/#notificationevent>
pub struct NotificationEvent<'js> {
    extendable_event: ExtendableEvent<'js>,
    notification: Dom<'js, Notification<'js>>,
    action: String,
}

impl<'js> HasParent<'js> for NotificationEvent<'js> {
    type Parent = ExtendableEvent<'js>;
    fn parent(&self) -> &ExtendableEvent<'js> {
        &self.extendable_event
    }
}

impl<'js> Trace<'js> for NotificationEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.extendable_event.trace(tracer);
        self.notification.trace(tracer);
    }
}

impl<'js> NotificationEventMethods<'js> for NotificationEvent<'js> {
    fn notification(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Notification<'js>>> {
        Ok(self.notification.clone())
    }
    fn action(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.action.clone())
    }
    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: NotificationEventInit<'js>,
    ) -> Fallible<Self> {
        Ok(NotificationEvent {
            extendable_event: ExtendableEvent::new_inherited(&cx.ctx, &type_, &init.parent.parent),
            notification: init.notification,
            action: init.action.to_string(),
        })
    }
}

/// <https://notifications.spec.whatwg.org/#fire-a-service-worker-notification-event>, on the
/// service worker's global: a trusted NotificationEvent named `name` whose `notification` is
/// a new object representing `record`. During `notificationclick` the worker may open or
/// focus a window.
pub fn dispatch_notification_event(
    ctx: &Ctx<'_>,
    name: &'static str,
    record: &Arc<NotificationRecord>,
    action: String,
    done: Box<dyn FnOnce(bool) + Send>,
) {
    let Some(global) = GlobalScope::current(ctx) else {
        return done(false);
    };
    let made = (|| -> Fallible<Dom<'_, ExtendableEvent<'_>>> {
        let notification = Notification::represent(ctx, record.clone())?;
        let init = EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let event = reflect_dom_object(
            ctx,
            NotificationEvent {
                extendable_event: ExtendableEvent::new_inherited(ctx, name, &init),
                notification,
                action,
            },
        )?;
        event.extendable_event.event().set_trusted(true);
        Ok(event.upcast::<ExtendableEvent>())
    })();
    let event = match made {
        Ok(e) => e,
        Err(e) => {
            GlobalScope::report_error(ctx, e);
            return done(false);
        }
    };
    if name == "notificationclick" {
        crate::user_activation::allow_window_interaction();
    }
    crate::dom::extendableevent::dispatch_functional_event_object(ctx, &global, event, done);
}
