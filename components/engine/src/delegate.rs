//! What the user sees and decides: the embedder implements [`Delegate`] (after Chromium's
//! `BackgroundFetchDelegate` and Servo's embedder messages). Every method has a default, so an
//! embedder overrides only what it shows; [`DefaultDelegate`] denies every prompt and logs.
//!
//! The engine calls the delegate from its own threads, never from a page's: a method may
//! take its time (show a prompt, wait for the user) without stalling a page, but it should
//! hand long work to the embedder's UI thread and return.

use net_traits::{DisplayUpdate, EmbedderCommand, FetchUid};
use std::sync::Arc;

/// A page's global (window), as the engine numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u64);

/// What the background fetch UI shows of one fetch: origin (show it prominently), title,
/// icons, bytes and records done, paused and awaiting-permission state, and the result once
/// it settled. `finished`: its records are gone, the UI may go.
pub type BackgroundFetchInfo = DisplayUpdate;

/// A page asks for a powerful feature whose permission state is "prompt".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionRequest {
    /// The origin asking (show it).
    pub origin: String,
    /// The feature's permission name (`"background-fetch"`).
    pub name: String,
    /// The background fetch waiting for the answer (it is paused until then).
    pub background_fetch: Option<FetchUid>,
}

/// The user's answer to a [`PermissionRequest`], given whenever the user decides (call it
/// from any thread). Dropped unanswered, the request stays pending (the fetch stays
/// paused) until the engine shuts down.
pub struct PermissionAnswer {
    pub(crate) respond: Box<dyn FnOnce(bool) + Send>,
}

impl PermissionAnswer {
    /// The user allowed it: the permission is "granted" for the origin from now on.
    pub fn grant(self) {
        (self.respond)(true)
    }

    /// The user refused: "denied" from now on (a waiting background fetch is aborted).
    pub fn deny(self) {
        (self.respond)(false)
    }
}

/// The level of a console message.
pub use log::Level as ConsoleLevel;

/// What a page's globals report (its workers and service workers report through the page
/// that started them).
#[derive(Clone, Debug, PartialEq)]
pub enum PageEvent {
    /// `console.log()` and friends.
    Console {
        level: ConsoleLevel,
        message: String,
    },
    /// An exception no handler canceled.
    UncaughtError {
        message: String,
        filename: String,
        lineno: u32,
        colno: u32,
    },
    /// A rejected promise nobody handled.
    UnhandledRejection { message: String },
    /// A script ran too long and was stopped.
    Interrupted { message: String },
    /// A bug in the engine (Rust code panicked while script called it). The page goes on;
    /// report it.
    EngineBug { message: String, location: String },
}

impl From<script::GlobalEvent> for PageEvent {
    fn from(e: script::GlobalEvent) -> PageEvent {
        use script::GlobalEvent as G;
        match e {
            G::Console { level, message } => PageEvent::Console { level, message },
            G::UncaughtError {
                message,
                filename,
                lineno,
                colno,
            } => PageEvent::UncaughtError {
                message,
                filename,
                lineno,
                colno,
            },
            G::UnhandledRejection { message } => PageEvent::UnhandledRejection { message },
            G::Interrupted { message } => PageEvent::Interrupted { message },
            G::Panic { message, location } => PageEvent::EngineBug { message, location },
        }
    }
}

/// What a user (or an embedder standing in for one) does to a background fetch's UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchCommand {
    /// Pause (offered only when every request is a GET: `info.can_pause`).
    Pause,
    Resume,
    /// Abort it (the fetch settles "aborted").
    Abort,
    /// The user activated the UI: `backgroundfetchclick` fires in the service worker.
    Click,
}

impl FetchCommand {
    pub(crate) fn to_embedder_command(self, uid: FetchUid) -> EmbedderCommand {
        match self {
            FetchCommand::Pause => EmbedderCommand::Pause(uid),
            FetchCommand::Resume => EmbedderCommand::Resume(uid),
            FetchCommand::Abort => EmbedderCommand::Abort(uid),
            FetchCommand::Click => EmbedderCommand::Click(uid),
        }
    }
}

/// See the module documentation.
pub trait Delegate: Send + Sync {
    /// A page wants a permission the user has not decided yet. Answer with `answer.grant()`
    /// or `answer.deny()`, now or later. The default denies.
    fn request_permission(&self, request: PermissionRequest, answer: PermissionAnswer) {
        log::info!(target: "engine", "{} asked for {}: denied (no prompt UI)", request.origin, request.name);
        answer.deny();
    }

    /// The background fetch UI: a fetch appeared, made progress, was paused or resumed,
    /// changed title or icons (`updateUI()`), settled, or finished (`info.finished`: hide it).
    fn background_fetch_changed(&self, info: &BackgroundFetchInfo) {
        log::debug!(target: "engine", "background fetch {} {:?}: {}/{} bytes", info.uid.0, info.title, info.downloaded, info.download_total);
    }

    /// A service worker opened a window (`clients.openWindow(url)`, allowed while it handles
    /// the user's click on a notification or a background fetch): the engine made a new
    /// page on `url` and it loaded. Show it; take it with
    /// [`crate::Engine::take_opened_window`] to own it (the engine keeps it open until then).
    fn window_opened(&self, page: PageId, url: &str) {
        log::info!(target: "engine", "a service worker opened page {} on {url}", page.0);
    }

    /// Show a notification (a page's `new Notification()` or a service worker's
    /// `showNotification()`; one with the same `tag` and origin replaces the earlier one,
    /// which gets `close_notification` first). Report the user's clicks and closes with
    /// [`crate::Engine::notification_clicked`] and [`crate::Engine::notification_closed`].
    fn show_notification(&self, notification: &crate::NotificationInfo) {
        log::info!(target: "engine", "notification {} from {}: {}", notification.id, notification.origin, notification.title);
    }

    /// Take notification `id` away (script closed it, or a new one replaced it).
    fn close_notification(&self, id: u64) {
        log::debug!(target: "engine", "notification {id} closed");
    }

    /// A page called `alert(message)`: show it; the page's script waits until this returns.
    fn alert(&self, url: &str, message: &str) {
        log::info!(target: "engine", "alert from {url}: {message}");
    }

    /// A page called `confirm(message)`: the user's answer (the page waits). The default,
    /// with no dialog to show, is false.
    fn confirm(&self, url: &str, message: &str) -> bool {
        log::info!(target: "engine", "confirm from {url}: {message} (answered false: no dialog UI)");
        false
    }

    /// A page called `prompt(message, default)`: the text the user entered, or None if they
    /// canceled (the page waits). The default, with no dialog to show, is None.
    fn prompt(&self, url: &str, message: &str, default: &str) -> Option<String> {
        log::info!(target: "engine", "prompt from {url}: {message} [{default}] (canceled: no dialog UI)");
        None
    }

    /// What a page (or a worker it started) reported.
    fn page_event(&self, page: PageId, event: &PageEvent) {
        match event {
            PageEvent::Console { level, message } => {
                log::log!(target: "console", *level, "[page {}] {message}", page.0)
            }
            PageEvent::EngineBug { message, location } => {
                log::error!(target: "engine", "[page {}] engine bug: {message} at {location}", page.0)
            }
            other => log::warn!(target: "engine", "[page {}] {other:?}", page.0),
        }
    }
}

/// Denies every prompt and logs everything (see [`Delegate`]'s defaults).
#[derive(Clone, Copy, Debug, Default)]
pub struct DefaultDelegate;

impl Delegate for DefaultDelegate {}

/// A delegate shared between the engine's threads.
pub type SharedDelegate = Arc<dyn Delegate>;
