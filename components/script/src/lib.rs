//! `script`: the script-thread side of the engine.
//!
//! Each global (window, dedicated/shared/service worker) runs on its own thread with its own
//! QuickJS runtime (rquickjs) and an HTML-style event loop ([`script_thread`]); the embedder
//! starts and drives it through a [`GlobalHandle`] ([`global_handle`]); DOM objects
//! live in [`dom`], one file per interface, and are reached from JS through bindings generated
//! from `webidls/` by `webidl_codegen`.
//!
//! JS values never leave their thread; other threads talk to a global through its
//! [`GlobalHandle`] (and, with the network thread, `net_traits` messages). Nothing here may
//! panic across the JS boundary: every generated entry point catches panics and reports
//! errors as the JS exceptions WebIDL names.

pub mod blob_url;
pub mod broadcast_router;
pub use net_traits::csp;
pub mod dom;
pub mod global_handle;
pub mod message_router;
pub mod mime;
pub mod module_scripts;
pub(crate) mod nested;
pub mod notifications;
pub mod permissions;
pub mod profile;
pub mod script_thread;
pub mod service_workers;
pub mod setup_hooks;
pub mod user_activation;
pub mod user_prompts;
pub mod workers;

pub use dom::bindings::codegen::GlobalKind;
pub use global_handle::{
    BackgroundFetcher, CacheStorer, CookieConnector, EvalError, Fetcher, GlobalHandle,
    GlobalOptions, IndexedDbConnector, SetupHook, ShutdownReport, TaskSender,
};
pub use permissions::{PermissionState, PermissionStore};
pub use profile::Profile;
pub use service_workers::ServiceWorkerRegistry;

/// What a global reports to its embedder (console output, uncaught errors).
#[derive(Clone, Debug, PartialEq)]
pub enum GlobalEvent {
    /// A console message.
    Console { level: log::Level, message: String },
    /// An exception no `error` event handler canceled ("report an exception").
    UncaughtError {
        message: String,
        filename: String,
        lineno: u32,
        colno: u32,
    },
    /// A rejected promise nobody handled (and no `unhandledrejection` handler canceled).
    UnhandledRejection { message: String },
    /// A script was interrupted (by [`GlobalHandle::interrupt`] or the script timeout).
    Interrupted { message: String },
    /// A bug: Rust code of the engine panicked while script called it. The page goes on (the
    /// call threw a TypeError "internal error"), but the embedder should treat it as a crash
    /// to report (the WPT runner makes the file a CRASH).
    Panic {
        message: String,
        /// `file:line:column` of the panic.
        location: String,
    },
}
