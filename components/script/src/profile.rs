//! The state one browsing profile's globals share and another profile never sees: its blob
//! URL store, its message ports, its network state, its shared workers and which of its
//! windows the user activated. An embedder
//! makes one [`Profile`] per profile and gives it to every global it starts
//! ([`crate::GlobalOptions::profile`]); the workers a global creates inherit it. Two
//! profiles in one process share nothing.

use crate::blob_url::BlobUrlStore;
use crate::message_router::MessageRouter;
use crate::workers::SharedWorkerRegistry;
use net_traits::OnlineSignal;
use std::sync::Arc;

struct Shared {
    blob_urls: BlobUrlStore,
    ports: MessageRouter,
    online: OnlineSignal,
    shared_workers: SharedWorkerRegistry,
    activations: crate::user_activation::UserActivations,
    broadcast: crate::broadcast_router::BroadcastRouter,
    notifications: crate::notifications::NotificationList,
    prompts: crate::user_prompts::PromptSlot,
}

/// See the module documentation. Cheap to clone: clones are the same profile.
#[derive(Clone)]
pub struct Profile(Arc<Shared>);

impl Default for Profile {
    fn default() -> Profile {
        Profile::new()
    }
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("online", &self.0.online.is_online())
            .finish_non_exhaustive()
    }
}

impl Profile {
    /// A new profile, online, with its own network state.
    pub fn new() -> Profile {
        Profile::with_online(OnlineSignal::new())
    }

    /// A new profile that follows `online` (the embedder's switch, which its background fetch
    /// controller follows too).
    pub fn with_online(online: OnlineSignal) -> Profile {
        Profile(Arc::new(Shared {
            blob_urls: BlobUrlStore::default(),
            ports: MessageRouter::default(),
            online,
            shared_workers: SharedWorkerRegistry::default(),
            activations: Default::default(),
            broadcast: Default::default(),
            notifications: Default::default(),
            prompts: Default::default(),
        }))
    }

    /// The network state: `navigator.onLine`, the `online`/`offline` events.
    pub fn online(&self) -> &OnlineSignal {
        &self.0.online
    }

    /// The blob URL store (`URL.createObjectURL`, `blob:` fetches).
    pub fn blob_urls(&self) -> &BlobUrlStore {
        &self.0.blob_urls
    }

    /// The message port router (MessageChannel, workers' implicit ports, transfers).
    pub fn ports(&self) -> &MessageRouter {
        &self.0.ports
    }

    /// The shared workers (`new SharedWorker` finds a running one of the same profile).
    pub fn shared_workers(&self) -> &SharedWorkerRegistry {
        &self.0.shared_workers
    }

    /// The open BroadcastChannels of the profile's globals.
    pub fn broadcast_channels(&self) -> &crate::broadcast_router::BroadcastRouter {
        &self.0.broadcast
    }

    /// The list of notifications (and the embedder's notification platform).
    pub fn notifications(&self) -> &crate::notifications::NotificationList {
        &self.0.notifications
    }

    /// Which windows of which origin the user activated.
    pub fn user_activations(&self) -> &crate::user_activation::UserActivations {
        &self.0.activations
    }

    /// Whether `self` and `other` are the same profile.
    /// The embedder's `alert()`/`confirm()`/`prompt()` dialogs.
    pub fn user_prompts(&self) -> &crate::user_prompts::PromptSlot {
        &self.0.prompts
    }

    pub fn same(&self, other: &Profile) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}
