//! IndexedDB (<https://w3c.github.io/IndexedDB/>) between script threads and a profile's
//! database service: keys and their byte encoding, key paths, the requests a connection
//! sends and the answers it gets.
//!
//! The script side does every synchronous check of the API (names, modes, valid keys, key
//! paths) and turns values into bytes; the service runs the "in parallel" steps: the
//! connection queue and version changes, transaction scheduling, and the storage
//! operations, in the order each transaction placed them.
//!
//! Keys cross as [`KeyBytes`]: an encoding whose byte order (memcmp) is the key order of
//! <https://w3c.github.io/IndexedDB/#compare-two-keys>, so the service compares, sorts and
//! ranges over keys without decoding them.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::sync::Arc;

/// A key encoded by [`Key::encode`].
pub type KeyBytes = Vec<u8>;

/// <https://w3c.github.io/IndexedDB/#key-construct>
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Key {
    Number(f64),
    Date(f64),
    /// A string's UTF-16 code units (keys compare by code unit).
    String(Vec<u16>),
    Binary(Vec<u8>),
    Array(Vec<Key>),
}

// Type tags, in the order of the key types (array > binary > string > date > number).
const TAG_END: u8 = 0x00;
const TAG_NUMBER: u8 = 0x10;
const TAG_DATE: u8 = 0x20;
const TAG_STRING: u8 = 0x30;
const TAG_BINARY: u8 = 0x40;
const TAG_ARRAY: u8 = 0x50;
/// Array keys nest at most this deep (the script side refuses deeper ones).
pub const MAX_DEPTH: usize = 2000;
/// Precedes each code unit or byte of a string or binary key (the end marker sorts first,
/// so a prefix sorts before what it prefixes).
const UNIT: u8 = 0x01;

impl Key {
    /// The key's bytes: comparing two encodings byte by byte compares the keys.
    pub fn encode(&self) -> KeyBytes {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Key::Number(n) => {
                out.push(TAG_NUMBER);
                out.extend_from_slice(&ordered_f64(*n));
            }
            Key::Date(n) => {
                out.push(TAG_DATE);
                out.extend_from_slice(&ordered_f64(*n));
            }
            Key::String(units) => {
                out.push(TAG_STRING);
                for u in units {
                    out.push(UNIT);
                    out.extend_from_slice(&u.to_be_bytes());
                }
                out.push(TAG_END);
            }
            Key::Binary(bytes) => {
                out.push(TAG_BINARY);
                for b in bytes {
                    out.push(UNIT);
                    out.push(*b);
                }
                out.push(TAG_END);
            }
            Key::Array(items) => {
                out.push(TAG_ARRAY);
                for k in items {
                    k.encode_into(out);
                }
                out.push(TAG_END);
            }
        }
    }

    /// The key `bytes` encode, or `None` if they are not an encoding (or nest arrays deeper
    /// than [`MAX_DEPTH`]). Iterative: no input can exhaust the stack.
    pub fn decode(bytes: &[u8]) -> Option<Key> {
        // The arrays being decoded, innermost last.
        let mut open: Vec<Vec<Key>> = Vec::new();
        let mut rest = bytes;
        loop {
            let (&tag, tail) = rest.split_first()?;
            let key = match tag {
                TAG_ARRAY => {
                    if open.len() > MAX_DEPTH {
                        return None;
                    }
                    open.push(Vec::new());
                    rest = tail;
                    continue;
                }
                TAG_END => {
                    rest = tail;
                    Key::Array(open.pop()?)
                }
                TAG_NUMBER | TAG_DATE => {
                    let n = f64_from_ordered(tail.get(..8)?.try_into().ok()?);
                    rest = &tail[8..];
                    if tag == TAG_NUMBER {
                        Key::Number(n)
                    } else {
                        Key::Date(n)
                    }
                }
                TAG_STRING => {
                    let mut units = Vec::new();
                    rest = tail;
                    loop {
                        match rest {
                            [TAG_END, t @ ..] => {
                                rest = t;
                                break;
                            }
                            [UNIT, hi, lo, t @ ..] => {
                                units.push(u16::from_be_bytes([*hi, *lo]));
                                rest = t;
                            }
                            _ => return None,
                        }
                    }
                    Key::String(units)
                }
                TAG_BINARY => {
                    let mut out = Vec::new();
                    rest = tail;
                    loop {
                        match rest {
                            [TAG_END, t @ ..] => {
                                rest = t;
                                break;
                            }
                            [UNIT, b, t @ ..] => {
                                out.push(*b);
                                rest = t;
                            }
                            _ => return None,
                        }
                    }
                    Key::Binary(out)
                }
                _ => return None,
            };
            match open.last_mut() {
                Some(items) => items.push(key),
                None => return rest.is_empty().then_some(key),
            }
        }
    }

    /// <https://w3c.github.io/IndexedDB/#compare-two-keys>
    pub fn compare(&self, other: &Key) -> Ordering {
        self.encode().cmp(&other.encode())
    }
}

/// A number's bytes in an order that sorts as the numbers do (-0 is 0; no NaN in keys).
fn ordered_f64(n: f64) -> [u8; 8] {
    let n = if n == 0.0 { 0.0 } else { n };
    let bits = n.to_bits();
    let bits = if bits >> 63 == 1 {
        !bits
    } else {
        bits ^ (1 << 63)
    };
    bits.to_be_bytes()
}

fn f64_from_ordered(b: [u8; 8]) -> f64 {
    let bits = u64::from_be_bytes(b);
    let bits = if bits >> 63 == 1 {
        bits ^ (1 << 63)
    } else {
        !bits
    };
    f64::from_bits(bits)
}

/// The number a key is, if it is a number key (the key generator looks at these).
pub fn number_key(bytes: &[u8]) -> Option<f64> {
    match Key::decode(bytes)? {
        Key::Number(n) => Some(n),
        _ => None,
    }
}

/// <https://w3c.github.io/IndexedDB/#key-path-construct>
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyPath {
    String(String),
    Sequence(Vec<String>),
}

/// <https://w3c.github.io/IndexedDB/#range-construct> over encoded keys (a bound of
/// `None` is unbounded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRange {
    pub lower: Option<KeyBytes>,
    pub upper: Option<KeyBytes>,
    pub lower_open: bool,
    pub upper_open: bool,
}

impl KeyRange {
    /// The unbounded range.
    pub fn all() -> KeyRange {
        KeyRange::default()
    }

    /// The range containing only `key`.
    pub fn only(key: KeyBytes) -> KeyRange {
        KeyRange {
            lower: Some(key.clone()),
            upper: Some(key),
            lower_open: false,
            upper_open: false,
        }
    }

    /// <https://w3c.github.io/IndexedDB/#in>
    pub fn contains(&self, key: &[u8]) -> bool {
        let above_lower = match &self.lower {
            None => true,
            Some(l) if self.lower_open => key > l.as_slice(),
            Some(l) => key >= l.as_slice(),
        };
        let below_upper = match &self.upper {
            None => true,
            Some(u) if self.upper_open => key < u.as_slice(),
            Some(u) => key <= u.as_slice(),
        };
        above_lower && below_upper
    }
}

/// <https://w3c.github.io/IndexedDB/#transaction-mode>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    ReadOnly,
    ReadWrite,
    VersionChange,
}

/// <https://w3c.github.io/IndexedDB/#cursor-direction>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Next,
    NextUnique,
    Prev,
    PrevUnique,
}

/// What an operation reads: an object store or an index (by the ids the service gave).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Store(i64),
    Index(i64),
}

/// A connection, allocated by [`IndexedDbService::next_id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ConnectionId(pub u64);

/// A transaction, allocated by [`IndexedDbService::next_id`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TransactionId(pub u64);

/// <https://w3c.github.io/IndexedDB/#database-construct> as a connection sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    pub name: String,
    pub version: u64,
    pub stores: Vec<StoreInfo>,
}

/// <https://w3c.github.io/IndexedDB/#object-store-construct>
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoreInfo {
    pub id: i64,
    pub name: String,
    pub key_path: Option<KeyPath>,
    pub auto_increment: bool,
    pub indexes: Vec<IndexInfo>,
}

/// <https://w3c.github.io/IndexedDB/#index-construct>
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexInfo {
    pub id: i64,
    pub name: String,
    pub key_path: KeyPath,
    pub unique: bool,
    pub multi_entry: bool,
}

/// A record's value: its serialization, and the bytes of the Blobs and Files it holds
/// (stored as files of the profile, not in the database's rows).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredValue {
    pub bytes: Vec<u8>,
    pub blobs: Vec<Vec<u8>>,
}

/// An object store record as read: its (primary) key and value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub key: KeyBytes,
    pub value: StoredValue,
}

/// What a cursor moved to: the key (the index key for an index), the primary key, and the
/// value unless the cursor is a key cursor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CursorRecord {
    pub key: KeyBytes,
    pub primary_key: KeyBytes,
    pub value: Option<StoredValue>,
}

/// The DOMException an operation failed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdbErrorName {
    ConstraintError,
    DataError,
    VersionError,
    QuotaExceededError,
    AbortError,
    UnknownError,
    NotFoundError,
    InvalidStateError,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdbError {
    pub name: IdbErrorName,
    pub message: String,
}

impl IdbError {
    pub fn new(name: IdbErrorName, message: impl Into<String>) -> IdbError {
        IdbError {
            name,
            message: message.into(),
        }
    }
}

/// The storage operations of a transaction, run in the order they were placed. Ids are the
/// service's (from [`DatabaseInfo`] or the reply that created the store or index).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Operation {
    /// Version change only. Answer: `StoreCreated`.
    CreateObjectStore {
        name: String,
        key_path: Option<KeyPath>,
        auto_increment: bool,
    },
    /// Version change only: the store, its records and its indexes go.
    DeleteObjectStore {
        store: i64,
    },
    RenameObjectStore {
        store: i64,
        name: String,
    },
    /// Version change only. `entries` are the index keys of the store's existing records
    /// (primary key, index keys: what the script side extracted from each value of
    /// `AllRecords`). Answer: `IndexCreated`, or `ConstraintError` when a unique index
    /// would hold a key twice (then nothing was created).
    CreateIndex {
        store: i64,
        name: String,
        key_path: KeyPath,
        unique: bool,
        multi_entry: bool,
        entries: Vec<(KeyBytes, Vec<KeyBytes>)>,
    },
    DeleteIndex {
        index: i64,
    },
    RenameIndex {
        index: i64,
        name: String,
    },
    /// Every record of a store, in key order. Answer: `Records`.
    AllRecords {
        store: i64,
    },
    /// <https://w3c.github.io/IndexedDB/#store-a-record-into-an-object-store>: `key` is
    /// `None` when the store's key generator makes it (the store has one). `index_keys` are
    /// the value's keys in each of the store's indexes (already extracted, multiEntry
    /// expanded, duplicates removed); a NaN number in an index key (never a valid key)
    /// stands for the record's key when the key generator makes it. Answer: `Key` (the record's key), or
    /// `ConstraintError` (`no_overwrite` and the key exists, a unique index would hold a
    /// key twice, or the key generator is spent).
    Put {
        store: i64,
        key: Option<KeyBytes>,
        value: StoredValue,
        index_keys: Vec<(i64, Vec<KeyBytes>)>,
        no_overwrite: bool,
    },
    /// The first record in `range`: for a store, the record; for an index, the record its
    /// first entry references. Answer: `Record`.
    Get {
        source: Source,
        range: KeyRange,
    },
    /// The first key in `range`: for an index, the primary key its first entry references.
    /// Answer: `Keys` (none or one).
    GetKey {
        source: Source,
        range: KeyRange,
    },
    /// Up to `count` records (all for `None`) in `range`, in key order (index key order for
    /// an index). Answer: `Records`.
    GetAll {
        source: Source,
        range: KeyRange,
        count: Option<u32>,
    },
    /// The primary keys of what `GetAll` would return. Answer: `Keys`.
    GetAllKeys {
        source: Source,
        range: KeyRange,
        count: Option<u32>,
    },
    /// Answer: `Count`.
    Count {
        source: Source,
        range: KeyRange,
    },
    /// The store's records in `range`, with their index entries. Answer: `Done`.
    Delete {
        store: i64,
        range: KeyRange,
    },
    /// Answer: `Done`.
    Clear {
        store: i64,
    },
    /// <https://w3c.github.io/IndexedDB/#iterate-a-cursor> from the cursor's `position`
    /// (and `object_store_position` for an index cursor), `None` before the first step;
    /// `key` and `primary_key` are continue()'s and continuePrimaryKey()'s arguments;
    /// `count` is advance()'s (1 otherwise). Answer: `Cursor` (`None`: no more records).
    Iterate {
        source: Source,
        range: KeyRange,
        direction: Direction,
        position: Option<KeyBytes>,
        object_store_position: Option<KeyBytes>,
        key: Option<KeyBytes>,
        primary_key: Option<KeyBytes>,
        count: u32,
        with_value: bool,
    },
}

/// What a script thread asks of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IdbRequest {
    /// <https://w3c.github.io/IndexedDB/#open-a-database-connection> as `connection`,
    /// whose version change events go to the sink given with [`IndexedDbService::open`].
    /// Answers, in order: `Blocked` (if other connections stay open after their
    /// versionchange events), `Upgrade` (the upgrade transaction `upgrade` started: its
    /// operations may be sent now), then `Opened`, or `Failed` (`VersionError`;
    /// `AbortError` when the upgrade transaction aborted or the connection closed first).
    Open {
        name: String,
        version: Option<u64>,
        connection: ConnectionId,
        upgrade: TransactionId,
    },
    /// <https://w3c.github.io/IndexedDB/#delete-a-database>. Answers: `Blocked`, then
    /// `Deleted`.
    DeleteDatabase { name: String },
    /// <https://w3c.github.io/IndexedDB/#dom-idbfactory-databases>. Answer: `Databases`.
    Databases,
    /// A connection's versionchange event was dispatched (the service waits for these
    /// before deciding whether an open or delete is blocked). Answer: `Done`.
    VersionChangeFired { connection: ConnectionId },
    /// <https://w3c.github.io/IndexedDB/#close-a-database-connection>: the connection is
    /// closed once its transactions finished. Answer: `Done` (at once).
    Close { connection: ConnectionId },
    /// A transaction was created on `connection` over the stores `scope`; it starts when
    /// the scheduling rules allow, and its operations wait until then. No answer (`Done`).
    Begin {
        connection: ConnectionId,
        transaction: TransactionId,
        mode: Mode,
        scope: Vec<i64>,
    },
    /// An operation of a transaction. Answered when it ran (see [`Operation`]).
    Run {
        transaction: TransactionId,
        operation: Operation,
    },
    /// <https://w3c.github.io/IndexedDB/#commit-a-transaction> (after every operation sent
    /// before it). Answer: `Done` once durable, or `Failed` (then it was rolled back).
    Commit { transaction: TransactionId },
    /// <https://w3c.github.io/IndexedDB/#abort-a-transaction>: its changes are rolled back.
    /// Answer: `Done`. Operations sent after it are answered `Failed` (`AbortError`).
    Abort { transaction: TransactionId },
}

/// The service's answer to an [`IdbRequest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IdbReply {
    Blocked {
        old_version: u64,
        new_version: Option<u64>,
    },
    Upgrade {
        old_version: u64,
        info: DatabaseInfo,
    },
    Opened(DatabaseInfo),
    Deleted {
        old_version: u64,
    },
    Databases(Vec<(String, u64)>),
    Done,
    StoreCreated(i64),
    IndexCreated(i64),
    Key(KeyBytes),
    Record(Option<Record>),
    Records(Vec<Record>),
    Keys(Vec<KeyBytes>),
    Count(u64),
    Cursor(Option<CursorRecord>),
    Failed(IdbError),
}

/// What the service tells an open connection, unasked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConnectionEvent {
    /// <https://w3c.github.io/IndexedDB/#fire-a-version-change-event> named versionchange:
    /// another connection wants `new_version` (`None`: the database is being deleted).
    /// Answer it with [`IdbRequest::VersionChangeFired`] once dispatched.
    VersionChange {
        old_version: u64,
        new_version: Option<u64>,
    },
}

/// Where the answers to one request go; called once per answer (several for `Open` and
/// `DeleteDatabase`), on the service's thread.
pub type IdbReplySink = Box<dyn FnMut(IdbReply) + Send>;

/// Where a connection's events go; returns false when the connection's global is gone (the
/// service then closes the connection).
pub type ConnectionEventSink = Arc<dyn Fn(ConnectionEvent) -> bool + Send + Sync>;

/// A profile's IndexedDB, as script threads reach it. Every request is for a storage key
/// (an origin); a transaction's requests are run in the order they were sent.
pub trait IndexedDbService: Send + Sync {
    /// A new connection or transaction id (unique in the profile).
    fn next_id(&self) -> u64;
    /// Sends `request` for `storage_key`; `reply` gets the answers.
    fn send(&self, storage_key: &str, request: IdbRequest, reply: IdbReplySink);
    /// Sends an [`IdbRequest::Open`], with the sink the new connection's events go to.
    fn open(
        &self,
        storage_key: &str,
        request: IdbRequest,
        events: ConnectionEventSink,
        reply: IdbReplySink,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Key {
        Key::String(x.encode_utf16().collect())
    }

    #[test]
    fn encodings_sort_as_keys_compare() {
        // Ascending, per "compare two keys".
        let keys = vec![
            Key::Number(f64::NEG_INFINITY),
            Key::Number(-1e300),
            Key::Number(-1.5),
            Key::Number(-0.0),
            Key::Number(1e-300),
            Key::Number(1.0),
            Key::Number(f64::INFINITY),
            Key::Date(-5.0),
            Key::Date(0.0),
            s(""),
            s("\0"),
            s("a"),
            s("a\0"),
            s("ab"),
            s("b"),
            s("\u{ffff}"),
            Key::String(vec![0xffff, 0]),
            Key::Binary(vec![]),
            Key::Binary(vec![0]),
            Key::Binary(vec![0, 0]),
            Key::Binary(vec![255]),
            Key::Array(vec![]),
            Key::Array(vec![Key::Number(1.0)]),
            Key::Array(vec![Key::Number(1.0), Key::Number(0.0)]),
            Key::Array(vec![s("")]),
            Key::Array(vec![Key::Array(vec![])]),
        ];
        for (i, a) in keys.iter().enumerate() {
            assert_eq!(
                Key::decode(&a.encode()).as_ref(),
                Some(a),
                "{a:?} round-trips"
            );
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(a.compare(b), i.cmp(&j), "{a:?} vs {b:?}");
            }
        }
        assert_eq!(
            Key::Number(0.0).compare(&Key::Number(-0.0)),
            Ordering::Equal
        );
        assert_eq!(Key::decode(&[TAG_STRING, UNIT, 0]), None, "truncated");
        assert_eq!(Key::decode(&[0x77]), None);
        // Nested deeper than script can make: refused, not a stack overflow.
        let deep: Vec<u8> = std::iter::repeat_n(TAG_ARRAY, 100_000)
            .chain(std::iter::repeat_n(TAG_END, 100_000))
            .collect();
        assert_eq!(Key::decode(&deep), None);
        let ok: Vec<u8> = std::iter::repeat_n(TAG_ARRAY, MAX_DEPTH)
            .chain(std::iter::repeat_n(TAG_END, MAX_DEPTH))
            .collect();
        assert!(Key::decode(&ok).is_some());
    }

    #[test]
    fn ranges_contain_by_encoding() {
        let e = |n: f64| Key::Number(n).encode();
        let r = KeyRange {
            lower: Some(e(1.0)),
            upper: Some(e(3.0)),
            lower_open: true,
            upper_open: false,
        };
        assert!(!r.contains(&e(1.0)));
        assert!(r.contains(&e(2.0)));
        assert!(r.contains(&e(3.0)));
        assert!(!r.contains(&e(4.0)));
        assert!(KeyRange::all().contains(&s("x").encode()));
        assert!(KeyRange::only(e(2.0)).contains(&e(2.0)));
        assert_eq!(number_key(&e(7.0)), Some(7.0));
        assert_eq!(number_key(&s("7").encode()), None);
    }
}
