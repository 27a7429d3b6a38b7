//! <https://html.spec.whatwg.org/#user-prompts>: `alert()`, `confirm()` and `prompt()` go to
//! the embedder's [`UserPrompts`] (set on the profile), which answers synchronously, as the
//! user would while the page's script waits. Without one, `alert` logs, `confirm` answers
//! false and `prompt` null (what a user agent that cannot show simple dialogs does).

use std::sync::Arc;

/// The embedder's dialogs. `url` is the page's URL (whose dialog it is).
pub trait UserPrompts: Send + Sync {
    fn alert(&self, url: &str, message: &str);
    fn confirm(&self, url: &str, message: &str) -> bool;
    fn prompt(&self, url: &str, message: &str, default: &str) -> Option<String>;
}

/// The profile's prompts, if the embedder set them.
#[derive(Default)]
pub struct PromptSlot(parking_lot::Mutex<Option<Arc<dyn UserPrompts>>>);

impl PromptSlot {
    pub fn set(&self, prompts: Arc<dyn UserPrompts>) {
        *self.0.lock() = Some(prompts);
    }
    pub fn get(&self) -> Option<Arc<dyn UserPrompts>> {
        self.0.lock().clone()
    }
}

/// The message as the spec shows it: newlines normalized
/// (<https://infra.spec.whatwg.org/#normalize-newlines>).
pub fn normalize_newlines(message: &str) -> String {
    message.replace("\r\n", "\n").replace('\r', "\n")
}
