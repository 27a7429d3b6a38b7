//! `net_traits`: the messages that cross threads between script threads and the network
//! thread (script -> net requests, net -> script replies and broadcasts), with the ids that
//! tie a reply to what it answers.
//!
//! Nothing here is a JS value and nothing here does work: plain serde types only, so any
//! thread can hold them. Filled in by the background fetch engine issue; the boundary is set
//! here so `script` and `net` never depend on each other.
