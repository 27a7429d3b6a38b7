//! The embedder's permission store (<https://w3c.github.io/permissions/>): a permission
//! state per (origin, powerful feature name). Shared between threads; the WPT runner's
//! `test_driver.set_permission` writes it, Background Fetch reads "background-fetch".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// <https://w3c.github.io/permissions/#dom-permissionstate>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionState {
    Granted,
    Denied,
    Prompt,
}

impl PermissionState {
    pub fn parse(s: &str) -> Option<PermissionState> {
        match s {
            "granted" => Some(PermissionState::Granted),
            "denied" => Some(PermissionState::Denied),
            "prompt" => Some(PermissionState::Prompt),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionState::Granted => "granted",
            PermissionState::Denied => "denied",
            PermissionState::Prompt => "prompt",
        }
    }
}

/// Permission states by (origin, name); unset ones are "prompt".
#[derive(Clone, Debug, Default)]
pub struct PermissionStore {
    states: Arc<Mutex<HashMap<(String, String), PermissionState>>>,
}

impl PermissionStore {
    pub fn get(&self, origin: &str, name: &str) -> PermissionState {
        self.states
            .lock()
            .map(|m| m.get(&(origin.to_string(), name.to_string())).copied())
            .ok()
            .flatten()
            .unwrap_or(PermissionState::Prompt)
    }
    pub fn set(&self, origin: &str, name: &str, state: PermissionState) {
        if let Ok(mut m) = self.states.lock() {
            m.insert((origin.to_string(), name.to_string()), state);
        }
    }
}
