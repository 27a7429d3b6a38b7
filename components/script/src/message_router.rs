//! A profile's side of HTML's message ports
//! (<https://html.spec.whatwg.org/#message-ports>): which port is entangled with which, each
//! port's *port message queue*, and which global owns the port now. Every profile has its
//! own router ([`crate::Profile`]): a port never reaches a global of another profile.
//!
//! A `MessagePort` object lives on one script thread; its queue lives here, keyed by a
//! [`PortId`] that stays the same when the port is transferred, so messages already queued
//! move with the port (the transfer-receiving steps' "move all the tasks"). Delivery is a task
//! queued on the owner's event loop through its [`TaskSender`]: one task per message, each
//! taking the message at the head of the queue, so tasks of other sources interleave as they
//! would with a real task queue. Nothing here holds a JS value.

use crate::dom::bindings::structuredclone::Serialized;
use crate::dom::messageport::run_port_task;
use crate::global_handle::TaskSender;
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A message port's identity, the same on every thread and across transfers.
pub type PortId = u64;

/// What the owner's event loop is asked to do for a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortTask {
    /// Deliver the message at the head of the port message queue.
    Message,
    /// Fire `close` at the port: its entangled port went away.
    Close,
}

#[derive(Default)]
struct PortEntry {
    /// The port this one is entangled with.
    entangled: Option<PortId>,
    /// `None` while the port is in transit (serialized in a message not yet received).
    owner: Option<TaskSender>,
    /// Bumped on every change of owner, so tasks queued for a former owner do nothing.
    generation: u64,
    /// The port message queue's enabled flag (start(), or setting onmessage).
    enabled: bool,
    /// A delivery task is queued for the current owner.
    scheduled: bool,
    /// The port message queue.
    queue: VecDeque<Serialized>,
    /// A close event waits for the port to have an owner.
    close_pending: bool,
}

#[derive(Default)]
struct Router {
    ports: HashMap<PortId, PortEntry>,
}

#[derive(Default)]
struct Shared {
    router: Mutex<Router>,
    next_id: AtomicU64,
}

/// One profile's message ports (see the module documentation). Cheap to clone: clones are
/// the same router.
#[derive(Clone, Default)]
pub struct MessageRouter(Arc<Shared>);

impl std::fmt::Debug for MessageRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MessageRouter({} ports)", self.port_count())
    }
}

/// Two handles are equal when they are the same router.
impl PartialEq for MessageRouter {
    fn eq(&self, other: &MessageRouter) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Router {
    /// Queues a delivery task on the owner if a message can be delivered and none is queued.
    fn schedule(&mut self, id: PortId) {
        let Some(entry) = self.ports.get_mut(&id) else {
            return;
        };
        let Some(owner) = &entry.owner else {
            return;
        };
        if entry.close_pending {
            entry.close_pending = false;
            let generation = entry.generation;
            owner.queue(move |ctx| run_port_task(ctx, id, generation, PortTask::Close));
        }
        if entry.enabled && !entry.scheduled && !entry.queue.is_empty() {
            entry.scheduled = true;
            let generation = entry.generation;
            owner.queue(move |ctx| run_port_task(ctx, id, generation, PortTask::Message));
        }
    }

    /// Disentangles `id` from its peer; the peer gets a close event.
    fn disentangle(&mut self, id: PortId) {
        let Some(other) = self.ports.get_mut(&id).and_then(|e| e.entangled.take()) else {
            return;
        };
        if let Some(o) = self.ports.get_mut(&other) {
            o.entangled = None;
            o.close_pending = true;
        }
        self.schedule(other);
    }
}

impl MessageRouter {
    fn new_id(&self) -> PortId {
        self.0.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Creates two entangled ports owned by the global behind `tasks` (MessageChannel's
    /// constructor).
    pub fn create_entangled_pair(&self, tasks: &TaskSender) -> (PortId, PortId) {
        let (a, b) = (self.new_id(), self.new_id());
        let mut r = self.0.router.lock();
        for (id, other) in [(a, b), (b, a)] {
            r.ports.insert(
                id,
                PortEntry {
                    entangled: Some(other),
                    owner: Some(tasks.clone()),
                    ..Default::default()
                },
            );
        }
        (a, b)
    }

    /// A port entangled with nothing, owned by the global behind `tasks` (what a global of
    /// this profile receives in place of a port from another profile).
    pub fn create_unentangled(&self, tasks: &TaskSender) -> PortId {
        let id = self.new_id();
        self.0.router.lock().ports.insert(
            id,
            PortEntry {
                owner: Some(tasks.clone()),
                ..Default::default()
            },
        );
        id
    }

    /// The port `id` is entangled with now, if any.
    pub fn entangled_with(&self, id: PortId) -> Option<PortId> {
        self.0
            .router
            .lock()
            .ports
            .get(&id)
            .and_then(|e| e.entangled)
    }

    /// Adds a message to the port message queue of the port entangled with `from`. Returns the
    /// message back when there is no such port (the caller disposes of it).
    pub fn post(&self, from: PortId, message: Serialized) -> Result<(), Serialized> {
        let mut r = self.0.router.lock();
        let Some(target) = r.ports.get(&from).and_then(|e| e.entangled) else {
            return Err(message);
        };
        match r.ports.get_mut(&target) {
            Some(t) => t.queue.push_back(message),
            None => return Err(message),
        }
        r.schedule(target);
        Ok(())
    }

    /// Enables the port message queue (`start()`); queued messages start to be delivered.
    pub fn enable(&self, id: PortId) {
        let mut r = self.0.router.lock();
        if let Some(e) = r.ports.get_mut(&id) {
            e.enabled = true;
        }
        r.schedule(id);
    }

    /// Takes the message at the head of `id`'s queue for a delivery task, if the task is still
    /// current (same owner generation), and queues the next delivery.
    pub fn take_message(&self, id: PortId, generation: u64) -> Option<Serialized> {
        let mut r = self.0.router.lock();
        let entry = r.ports.get_mut(&id)?;
        if entry.generation != generation {
            return None;
        }
        entry.scheduled = false;
        let message = entry.queue.pop_front();
        r.schedule(id);
        message
    }

    /// Whether a close task is still current for this port.
    pub fn is_current(&self, id: PortId, generation: u64) -> bool {
        self.0
            .router
            .lock()
            .ports
            .get(&id)
            .is_some_and(|e| e.generation == generation)
    }

    /// The transfer steps: the port leaves its global (its queue goes with it, disabled).
    pub fn detach_for_transfer(&self, id: PortId) {
        let mut r = self.0.router.lock();
        if let Some(e) = r.ports.get_mut(&id) {
            e.owner = None;
            e.generation += 1;
            e.enabled = false;
            e.scheduled = false;
        }
    }

    /// The transfer-receiving steps: the port arrives in the global behind `tasks`; its queue
    /// stays disabled until `start()`.
    pub fn adopt(&self, id: PortId, tasks: &TaskSender) -> u64 {
        let mut r = self.0.router.lock();
        let entry = r.ports.entry(id).or_default();
        entry.owner = Some(tasks.clone());
        entry.generation += 1;
        entry.scheduled = false;
        let generation = entry.generation;
        r.schedule(id);
        generation
    }

    /// The port's current owner generation (0 for an unknown port).
    pub fn generation(&self, id: PortId) -> u64 {
        self.0
            .router
            .lock()
            .ports
            .get(&id)
            .map_or(0, |e| e.generation)
    }

    /// `close()`, or the port's global going away: disentangle and forget the port (messages
    /// still queued for it are dropped, and ports inside them closed too).
    pub fn close(&self, id: PortId) {
        let dropped = {
            let mut r = self.0.router.lock();
            r.disentangle(id);
            r.ports.remove(&id).map(|e| e.queue)
        };
        for message in dropped.into_iter().flatten() {
            message.dispose();
        }
    }

    /// A message that will never be delivered: the ports it carried can never be received, so
    /// they are closed (their entangled ports get close events).
    pub fn dispose(&self, message: Serialized) {
        for id in message.transferred_ports() {
            self.close(id);
        }
    }

    /// How many ports the router knows (for tests: closed and collected ports are forgotten).
    pub fn port_count(&self) -> usize {
        self.0.router.lock().ports.len()
    }
}
