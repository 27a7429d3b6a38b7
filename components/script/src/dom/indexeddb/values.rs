//! Record values as stored: a structured serialization ([`Sv`]) written as bytes, with the
//! bytes of its Blobs and Files set apart ([`StoredValue::blobs`]) so the service keeps them
//! as files of the profile rather than in rows.
//!
//! The format is this crate's own (a version byte, then the record tree with LEB128
//! lengths); it only ever meets bytes it wrote, but corrupt bytes are an error, not a panic.

use crate::dom::bindings::error::{DomErrorName, Error, Fallible};
use crate::dom::bindings::structuredclone::{Serialized, Sv, SvObject, ViewKind};
use net_traits::indexed_db::StoredValue;

const VERSION: u8 = 1;

const VIEW_KINDS: [ViewKind; 12] = [
    ViewKind::Int8Array,
    ViewKind::Uint8Array,
    ViewKind::Uint8ClampedArray,
    ViewKind::Int16Array,
    ViewKind::Uint16Array,
    ViewKind::Int32Array,
    ViewKind::Uint32Array,
    ViewKind::Float32Array,
    ViewKind::Float64Array,
    ViewKind::BigInt64Array,
    ViewKind::BigUint64Array,
    ViewKind::DataView,
];

/// A serialization (without transferred objects: IndexedDB clones never transfer) as a
/// stored value.
pub fn to_stored(serialized: &Serialized) -> StoredValue {
    let mut w = Writer {
        out: vec![VERSION],
        blobs: Vec::new(),
    };
    w.sv(&serialized.root);
    StoredValue {
        bytes: w.out,
        blobs: w.blobs,
    }
}

/// The serialization a stored value holds.
pub fn from_stored(value: StoredValue) -> Fallible<Serialized> {
    let corrupt = || Error::dom(DomErrorName::UnknownError, "a stored value is corrupt");
    let mut r = Reader {
        bytes: &value.bytes,
        pos: 0,
        blobs: value.blobs,
    };
    if r.u8().ok_or_else(corrupt)? != VERSION {
        return Err(Error::dom(
            DomErrorName::UnknownError,
            "a stored value was written by a newer version",
        ));
    }
    let root = r.sv(0).ok_or_else(corrupt)?;
    if r.pos != r.bytes.len() {
        return Err(corrupt());
    }
    Ok(Serialized {
        root,
        transferred: Vec::new(),
        router: None,
    })
}

struct Writer {
    out: Vec<u8>,
    blobs: Vec<Vec<u8>>,
}

impl Writer {
    fn uint(&mut self, mut n: u64) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.out.push(b);
                return;
            }
            self.out.push(b | 0x80);
        }
    }
    fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.out.extend_from_slice(b);
    }
    fn f64(&mut self, n: f64) {
        self.out.extend_from_slice(&n.to_le_bytes());
    }
    fn blob(&mut self, bytes: &[u8]) {
        self.uint(self.blobs.len() as u64);
        self.blobs.push(bytes.to_vec());
    }
    fn props(&mut self, props: &[(String, Sv)]) {
        self.uint(props.len() as u64);
        for (k, v) in props {
            self.bytes(k.as_bytes());
            self.sv(v);
        }
    }

    fn sv(&mut self, v: &Sv) {
        match v {
            Sv::Undefined => self.out.push(0),
            Sv::Null => self.out.push(1),
            Sv::Bool(false) => self.out.push(2),
            Sv::Bool(true) => self.out.push(3),
            Sv::Number(n) => {
                self.out.push(4);
                self.f64(*n);
            }
            Sv::BigInt(s) => {
                self.out.push(5);
                self.bytes(s.as_bytes());
            }
            Sv::String(b) => {
                self.out.push(6);
                self.bytes(b);
            }
            Sv::Ref(i) => {
                self.out.push(7);
                self.uint(*i as u64);
            }
            Sv::Object(i, o) => {
                self.out.push(8);
                self.uint(*i as u64);
                self.object(o);
            }
        }
    }

    fn object(&mut self, o: &SvObject) {
        match o {
            SvObject::BooleanObject(b) => {
                self.out.push(0);
                self.out.push(*b as u8);
            }
            SvObject::NumberObject(n) => {
                self.out.push(1);
                self.f64(*n);
            }
            SvObject::BigIntObject(s) => {
                self.out.push(2);
                self.bytes(s.as_bytes());
            }
            SvObject::StringObject(b) => {
                self.out.push(3);
                self.bytes(b);
            }
            SvObject::Date(t) => {
                self.out.push(4);
                self.f64(*t);
            }
            SvObject::RegExp { source, flags } => {
                self.out.push(5);
                self.bytes(source.as_bytes());
                self.bytes(flags.as_bytes());
            }
            SvObject::ArrayBuffer(b) => {
                self.out.push(6);
                self.bytes(b);
            }
            // Never made without a transfer list; kept as undefined if it were.
            SvObject::Transferred(_) => self.out.push(7),
            SvObject::View {
                kind,
                buffer,
                byte_offset,
                length,
            } => {
                self.out.push(8);
                let k = VIEW_KINDS.iter().position(|x| x == kind).unwrap_or(1);
                self.out.push(k as u8);
                self.sv(buffer);
                self.uint(*byte_offset as u64);
                self.uint(*length as u64);
            }
            SvObject::Map(entries) => {
                self.out.push(9);
                self.uint(entries.len() as u64);
                for (k, v) in entries {
                    self.sv(k);
                    self.sv(v);
                }
            }
            SvObject::Set(items) => {
                self.out.push(10);
                self.uint(items.len() as u64);
                for v in items {
                    self.sv(v);
                }
            }
            SvObject::Array { length, properties } => {
                self.out.push(11);
                self.uint(*length as u64);
                self.props(properties);
            }
            SvObject::Plain(properties) => {
                self.out.push(12);
                self.props(properties);
            }
            SvObject::Error { name, message } => {
                self.out.push(13);
                self.bytes(name.as_bytes());
                match message {
                    Some(m) => {
                        self.out.push(1);
                        self.bytes(m.as_bytes());
                    }
                    None => self.out.push(0),
                }
            }
            SvObject::Blob { bytes, type_ } => {
                self.out.push(14);
                self.blob(bytes);
                self.bytes(type_.as_bytes());
            }
            SvObject::File {
                bytes,
                type_,
                name,
                last_modified,
            } => {
                self.out.push(15);
                self.blob(bytes);
                self.bytes(type_.as_bytes());
                self.bytes(name.as_bytes());
                self.out.extend_from_slice(&last_modified.to_le_bytes());
            }
            SvObject::DomException { name, message } => {
                self.out.push(16);
                self.bytes(name.as_bytes());
                self.bytes(message.as_bytes());
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    blobs: Vec<Vec<u8>>,
}

/// Nesting deeper than this is corrupt (the serializer refuses values nested deeper than
/// 2000; a record is a few levels more than its value).
const MAX_DEPTH: usize = 2_100;

impl Reader<'_> {
    fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }
    fn uint(&mut self) -> Option<u64> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            n |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        // A length can never exceed what is left to read.
        (n <= self.bytes.len() - self.pos).then_some(n)
    }
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.len()?;
        let b = self.bytes.get(self.pos..self.pos + n)?.to_vec();
        self.pos += n;
        Some(b)
    }
    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?).ok()
    }
    fn f64(&mut self) -> Option<f64> {
        let b = self.bytes.get(self.pos..self.pos + 8)?;
        self.pos += 8;
        Some(f64::from_le_bytes(b.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        let b = self.bytes.get(self.pos..self.pos + 8)?;
        self.pos += 8;
        Some(i64::from_le_bytes(b.try_into().ok()?))
    }
    fn blob(&mut self) -> Option<Vec<u8>> {
        let i = usize::try_from(self.uint()?).ok()?;
        self.blobs.get_mut(i).map(std::mem::take)
    }
    fn props(&mut self, depth: usize) -> Option<Vec<(String, Sv)>> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let k = self.string()?;
            out.push((k, self.sv(depth + 1)?));
        }
        Some(out)
    }

    fn sv(&mut self, depth: usize) -> Option<Sv> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.u8()? {
            0 => Sv::Undefined,
            1 => Sv::Null,
            2 => Sv::Bool(false),
            3 => Sv::Bool(true),
            4 => Sv::Number(self.f64()?),
            5 => Sv::BigInt(self.string()?),
            6 => Sv::String(self.bytes()?),
            7 => Sv::Ref(u32::try_from(self.uint()?).ok()?),
            8 => {
                let i = u32::try_from(self.uint()?).ok()?;
                Sv::Object(i, self.object(depth)?)
            }
            _ => return None,
        })
    }

    fn object(&mut self, depth: usize) -> Option<SvObject> {
        Some(match self.u8()? {
            0 => SvObject::BooleanObject(self.u8()? != 0),
            1 => SvObject::NumberObject(self.f64()?),
            2 => SvObject::BigIntObject(self.string()?),
            3 => SvObject::StringObject(self.bytes()?),
            4 => SvObject::Date(self.f64()?),
            5 => SvObject::RegExp {
                source: self.string()?,
                flags: self.string()?,
            },
            6 => SvObject::ArrayBuffer(self.bytes()?),
            8 => {
                let kind = *VIEW_KINDS.get(self.u8()? as usize)?;
                let buffer = Box::new(self.sv(depth + 1)?);
                SvObject::View {
                    kind,
                    buffer,
                    byte_offset: usize::try_from(self.uint()?).ok()?,
                    length: usize::try_from(self.uint()?).ok()?,
                }
            }
            9 => {
                let n = self.len()?;
                let mut entries = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    let k = self.sv(depth + 1)?;
                    entries.push((k, self.sv(depth + 1)?));
                }
                SvObject::Map(entries)
            }
            10 => {
                let n = self.len()?;
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.sv(depth + 1)?);
                }
                SvObject::Set(items)
            }
            11 => SvObject::Array {
                length: u32::try_from(self.uint()?).ok()?,
                properties: self.props(depth)?,
            },
            12 => SvObject::Plain(self.props(depth)?),
            13 => {
                let name = self.string()?;
                let message = match self.u8()? {
                    0 => None,
                    _ => Some(self.string()?),
                };
                SvObject::Error { name, message }
            }
            14 => SvObject::Blob {
                bytes: self.blob()?,
                type_: self.string()?,
            },
            15 => SvObject::File {
                bytes: self.blob()?,
                type_: self.string()?,
                name: self.string()?,
                last_modified: self.i64()?,
            },
            16 => SvObject::DomException {
                name: self.string()?,
                message: self.string()?,
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(root: Sv) {
        let s = Serialized {
            root: root.clone(),
            transferred: Vec::new(),
            router: None,
        };
        let stored = to_stored(&s);
        assert_eq!(from_stored(stored).unwrap().root, root);
    }

    #[test]
    fn every_record_round_trips_and_blobs_are_set_apart() {
        round_trip(Sv::Number(-0.5));
        round_trip(Sv::String("é\u{1F600}".as_bytes().to_vec()));
        let tree = Sv::Object(
            0,
            SvObject::Plain(vec![
                ("a".into(), Sv::Object(1, SvObject::Date(5.0))),
                (
                    "b".into(),
                    Sv::Object(
                        2,
                        SvObject::Array {
                            length: 3,
                            properties: vec![("0".into(), Sv::Ref(0)), ("x".into(), Sv::Null)],
                        },
                    ),
                ),
                (
                    "m".into(),
                    Sv::Object(
                        3,
                        SvObject::Map(vec![(Sv::Bool(true), Sv::BigInt("12".into()))]),
                    ),
                ),
                (
                    "v".into(),
                    Sv::Object(
                        4,
                        SvObject::View {
                            kind: ViewKind::Float64Array,
                            buffer: Box::new(Sv::Object(5, SvObject::ArrayBuffer(vec![0; 16]))),
                            byte_offset: 8,
                            length: 1,
                        },
                    ),
                ),
                (
                    "f".into(),
                    Sv::Object(
                        6,
                        SvObject::File {
                            bytes: vec![1, 2, 3],
                            type_: "text/plain".into(),
                            name: "n.txt".into(),
                            last_modified: -7,
                        },
                    ),
                ),
                (
                    "e".into(),
                    Sv::Object(
                        7,
                        SvObject::Error {
                            name: "TypeError".into(),
                            message: None,
                        },
                    ),
                ),
            ]),
        );
        round_trip(tree.clone());
        let stored = to_stored(&Serialized {
            root: tree,
            transferred: Vec::new(),
            router: None,
        });
        assert_eq!(
            stored.blobs,
            vec![vec![1, 2, 3]],
            "blob bytes are not in the row"
        );
        assert!(!stored.bytes.windows(3).any(|w| w == [1, 2, 3]));
    }

    #[test]
    fn corrupt_bytes_are_an_error() {
        for bytes in [
            vec![],
            vec![9],
            vec![VERSION, 8, 0, 12, 200],
            vec![VERSION, 4, 0],
        ] {
            assert!(from_stored(StoredValue {
                bytes,
                blobs: Vec::new()
            })
            .is_err());
        }
        // A blob index with no blob.
        assert!(from_stored(StoredValue {
            bytes: vec![VERSION, 8, 0, 14, 0, 0],
            blobs: Vec::new()
        })
        .is_err());
    }
}
