//! Where a profile's `BroadcastChannel` objects are found: by storage key (the origin here)
//! and channel name, in creation order, with the event loop each lives on. A global's
//! channels leave it when they close or the global ends.

use crate::global_handle::TaskSender;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::sync::Arc;

/// See the module documentation. Cheap to clone: clones are the same router.
#[derive(Clone, Default)]
pub struct BroadcastRouter(Arc<Mutex<Channels>>);

#[derive(Default)]
struct Channels {
    next: u64,
    /// By id, which grows with creation: iteration is creation order.
    open: BTreeMap<u64, Channel>,
}

struct Channel {
    storage_key: String,
    name: String,
    tasks: TaskSender,
}

impl BroadcastRouter {
    /// A new channel of `storage_key` named `name`, whose messages are delivered as tasks
    /// on `tasks`: its id.
    pub fn add(&self, storage_key: &str, name: &str, tasks: TaskSender) -> u64 {
        let mut c = self.0.lock();
        c.next += 1;
        let id = c.next;
        c.open.insert(
            id,
            Channel {
                storage_key: storage_key.to_string(),
                name: name.to_string(),
                tasks,
            },
        );
        id
    }

    /// The channel closed (or its global ended): no message reaches it any more.
    pub fn remove(&self, id: u64) {
        self.0.lock().open.remove(&id);
    }

    /// The other channels of `storage_key` named `name` than `source`, in creation order,
    /// with where to deliver to each.
    pub fn destinations(
        &self,
        storage_key: &str,
        name: &str,
        source: u64,
    ) -> Vec<(u64, TaskSender)> {
        self.0
            .lock()
            .open
            .iter()
            .filter(|(id, c)| **id != source && c.storage_key == storage_key && c.name == name)
            .map(|(id, c)| (*id, c.tasks.clone()))
            .collect()
    }
}
