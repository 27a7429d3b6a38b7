//! `net_traits`: the messages that cross threads between script threads and the network
//! thread (script -> net requests, net -> script replies and broadcasts), with the ids that
//! tie a reply to what it answers.
//!
//! Nothing here is a JS value and nothing here does work: plain serde types (and, in
//! [`headers`], the Fetch spec's pure header classifications both sides apply), so any
//! thread (or process) can hold them, and `script` and `net` never depend on each other.
//!
//! A script thread connects to the network thread once and gets a [`ClientId`]; its
//! requests carry that id and a [`RequestId`] of its choosing, and every reply carries the
//! `RequestId` back. Broadcasts ("update background fetch instances") go to every connected
//! client of the background fetch's origin.

pub mod background_fetch;
pub mod cache;
pub mod cookies;
pub mod csp;
pub mod fetch;
pub mod headers;
pub mod indexed_db;
pub mod online;
pub mod request;
pub mod security;
pub mod service_workers;

pub use background_fetch::*;
pub use fetch::*;
pub use online::OnlineSignal;

/// The default `User-Agent` value (HTML), sent with every request that sets none and given
/// by `navigator.userAgent`.
pub const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (X11; Linux x86_64) bgfetch/",
    env!("CARGO_PKG_VERSION")
);
pub use request::*;

use serde::{Deserialize, Serialize};

/// A connected script thread (a window, worker or service worker global), assigned by the
/// network thread when the thread connects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ClientId(pub u64);

/// Chosen by the requesting thread; its reply carries the same id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RequestId(pub u64);

/// A byte string (header names and values are bytes in HTTP). Serialized as a string whose
/// characters are the bytes (U+0000 to U+00FF), so ASCII stays readable and nothing is lost.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ByteString(pub Vec<u8>);

impl ByteString {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes as text, each byte a character (isomorphic decode).
    pub fn to_latin1(&self) -> String {
        self.0.iter().map(|&b| b as char).collect()
    }

    /// Isomorphic encode: `None` if a character is above U+00FF.
    pub fn from_latin1(s: &str) -> Option<ByteString> {
        s.chars()
            .map(|c| u8::try_from(c as u32).ok())
            .collect::<Option<Vec<u8>>>()
            .map(ByteString)
    }
}

impl From<&str> for ByteString {
    fn from(s: &str) -> ByteString {
        ByteString(s.as_bytes().to_vec())
    }
}

impl std::fmt::Debug for ByteString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_latin1())
    }
}

impl Serialize for ByteString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_latin1())
    }
}

impl<'de> Deserialize<'de> for ByteString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ByteString, D::Error> {
        let s = String::deserialize(d)?;
        ByteString::from_latin1(&s)
            .ok_or_else(|| serde::de::Error::custom("a byte string holds characters up to U+00FF"))
    }
}

/// A header list: names and values as bytes, in order, duplicates kept (Fetch §2.2.2).
pub type HeaderList = Vec<(ByteString, ByteString)>;

/// The combined value of `name` in `headers` (Fetch "get"): values joined by ", ", or `None`.
pub fn header_get(headers: &HeaderList, name: &str) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (n, v) in headers {
        if n.0.eq_ignore_ascii_case(name.as_bytes()) {
            match &mut out {
                Some(o) => {
                    o.extend_from_slice(b", ");
                    o.extend_from_slice(&v.0);
                }
                None => out = Some(v.0.clone()),
            }
        }
    }
    out
}

/// The state of a permission (<https://w3c.github.io/permissions/#dom-permissionstate>), as
/// the script side read it from the embedder's store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PermissionState {
    Granted,
    Denied,
    Prompt,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_strings_round_trip_through_json() {
        let b = ByteString(vec![b'a', 0, 0xff, b'"']);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<ByteString>(&json).unwrap(), b);
        assert!(serde_json::from_str::<ByteString>("\"\\u0100\"").is_err());
    }

    #[test]
    fn combined_header_values() {
        let h: HeaderList = vec![
            ("ETag".into(), "\"a\"".into()),
            ("x".into(), "1".into()),
            ("X".into(), "2".into()),
        ];
        assert_eq!(header_get(&h, "etag").unwrap(), b"\"a\"");
        assert_eq!(header_get(&h, "x").unwrap(), b"1, 2");
        assert_eq!(header_get(&h, "y"), None);
    }
}
