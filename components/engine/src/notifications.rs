//! The profile's notification platform: what the service workers and pages show goes to
//! the [`crate::Delegate`] (`show_notification`, `close_notification`), permission requests
//! to its prompt (`request_permission` with the name "notifications"); the embedder reports
//! clicks and closes through [`crate::Engine::notification_clicked`] and
//! [`crate::Engine::notification_closed`].

use crate::delegate::{PermissionAnswer, PermissionRequest};
use crate::Shared;
use script::notifications::{NotificationInfo, NotificationPlatform};
use std::sync::Weak;

pub(crate) struct DelegatePlatform(pub(crate) Weak<Shared>);

impl NotificationPlatform for DelegatePlatform {
    fn show(&self, notification: &NotificationInfo) {
        if let Some(shared) = self.0.upgrade() {
            shared.delegate.show_notification(notification);
        }
    }

    fn close(&self, id: u64) {
        if let Some(shared) = self.0.upgrade() {
            shared.delegate.close_notification(id);
        }
    }

    fn request_permission(&self, origin: &str, answer: Box<dyn FnOnce(bool) + Send>) {
        let Some(shared) = self.0.upgrade() else {
            return answer(false);
        };
        shared.delegate.request_permission(
            PermissionRequest {
                origin: origin.to_string(),
                name: "notifications".into(),
                background_fetch: None,
            },
            PermissionAnswer { respond: answer },
        );
    }
}

/// `alert()`, `confirm()` and `prompt()` of the profile's pages: the delegate's dialogs.
pub(crate) struct DelegatePrompts(pub(crate) Weak<Shared>);

impl script::user_prompts::UserPrompts for DelegatePrompts {
    fn alert(&self, url: &str, message: &str) {
        if let Some(shared) = self.0.upgrade() {
            shared.delegate.alert(url, message);
        }
    }
    fn confirm(&self, url: &str, message: &str) -> bool {
        self.0
            .upgrade()
            .is_some_and(|shared| shared.delegate.confirm(url, message))
    }
    fn prompt(&self, url: &str, message: &str, default: &str) -> Option<String> {
        self.0
            .upgrade()
            .and_then(|shared| shared.delegate.prompt(url, message, default))
    }
}
