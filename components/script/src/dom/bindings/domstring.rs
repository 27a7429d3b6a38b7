//! A `DOMString` is any sequence of UTF-16 code units, lone surrogates included; a Rust
//! `String` cannot hold a lone surrogate. So that a DOMString survives the trip into Rust
//! and back (and two DOMStrings that differ stay different as keys: background fetch ids,
//! cache names, event types), a DOMString that is not well-formed is held in an escaped
//! form:
//!
//! - a lone surrogate `u` becomes [`ESCAPE`] followed by `U+E000 + (u - 0xD800)`;
//! - a literal [`ESCAPE`] in such a string becomes two of them.
//!
//! A well-formed DOMString (almost every one) is held as it is, at no cost. Strings going
//! back to script are unescaped ([`to_wtf8`]). [`ESCAPE`] is U+FDD0, a noncharacter, which
//! Unicode reserves for a process's internal use: this is that use. The one string that
//! does not survive is a well-formed one that itself contains U+FDD0 followed by U+FDD0 or
//! by U+E000-U+E7FF; no real text does. USVStrings are not affected: their conversion
//! replaces lone surrogates with U+FFFD, as WebIDL says.

/// The escape character (U+FDD0, a noncharacter).
pub const ESCAPE: char = '\u{FDD0}';

const PAYLOAD_BASE: u32 = 0xE000;

/// The Rust form of a string QuickJS gave as WTF-8 (valid UTF-8, except that lone
/// surrogates are 3-byte sequences `ED A0..BF xx`): the bytes themselves when they are
/// valid UTF-8, else the escaped form.
pub fn from_wtf8(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_escaping(&mut out, s);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // The first `valid_up_to` bytes are valid UTF-8.
                push_escaping(&mut out, std::str::from_utf8(valid).unwrap_or_default());
                if let [0xED, b1 @ 0xA0..=0xBF, b2 @ 0x80..=0xBF, ..] = after {
                    let unit = 0xD000 | ((*b1 as u32 & 0x3F) << 6) | (*b2 as u32 & 0x3F);
                    push_surrogate(&mut out, unit as u16);
                    rest = &after[3..];
                } else {
                    // Not WTF-8 (QuickJS does not produce it): replaced, as UTF-8 decoders do.
                    out.push('\u{FFFD}');
                    rest = &after[e.error_len().unwrap_or(after.len()).max(1)..];
                }
            }
        }
    }
    out
}

fn push_escaping(out: &mut String, s: &str) {
    for c in s.chars() {
        if c == ESCAPE {
            out.push(ESCAPE);
        }
        out.push(c);
    }
}

fn push_surrogate(out: &mut String, unit: u16) {
    out.push(ESCAPE);
    out.push(char::from_u32(PAYLOAD_BASE + (unit as u32 - 0xD800)).unwrap_or('\u{FFFD}'));
}

/// The code units an escaped payload character stands for, if it is one.
fn payload_unit(c: char) -> Option<u16> {
    let c = c as u32;
    (PAYLOAD_BASE..PAYLOAD_BASE + 0x800)
        .contains(&c)
        .then(|| (0xD800 + (c - PAYLOAD_BASE)) as u16)
}

/// What a string means, one UTF-16 code unit or character at a time.
enum Piece {
    Char(char),
    Surrogate(u16),
}

fn pieces(s: &str) -> impl Iterator<Item = Piece> + '_ {
    let mut chars = s.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        if c != ESCAPE {
            return Some(Piece::Char(c));
        }
        match chars.peek().copied() {
            Some(ESCAPE) => {
                chars.next();
                Some(Piece::Char(ESCAPE))
            }
            Some(p) => match payload_unit(p) {
                Some(unit) => {
                    chars.next();
                    Some(Piece::Surrogate(unit))
                }
                None => Some(Piece::Char(c)),
            },
            None => Some(Piece::Char(c)),
        }
    })
}

/// The WTF-8 bytes of an escaped string, for QuickJS; `None` when `s` holds no escape
/// (its UTF-8 is what QuickJS needs).
pub fn to_wtf8(s: &str) -> Option<Vec<u8>> {
    if !s.contains(ESCAPE) {
        return None;
    }
    let mut out = Vec::with_capacity(s.len());
    for piece in pieces(s) {
        match piece {
            Piece::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Piece::Surrogate(u) => out.extend_from_slice(&[
                0xED,
                0xA0 | ((u >> 6) & 0x1F) as u8,
                0x80 | (u & 0x3F) as u8,
            ]),
        }
    }
    Some(out)
}

/// The UTF-16 code units of a DOMString held in Rust (escaped or not).
pub fn utf16(s: &str) -> Vec<u16> {
    if !s.contains(ESCAPE) {
        return s.encode_utf16().collect();
    }
    let mut out = Vec::with_capacity(s.len());
    for piece in pieces(s) {
        match piece {
            Piece::Char(c) => out.extend_from_slice(c.encode_utf16(&mut [0; 2])),
            Piece::Surrogate(u) => out.push(u),
        }
    }
    out
}

/// The Rust form of any code units (as [`from_wtf8`] makes it).
pub fn from_utf16(units: &[u16]) -> String {
    let well_formed = char::decode_utf16(units.iter().copied()).all(|r| r.is_ok());
    let mut out = String::with_capacity(units.len());
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => {
                if c == ESCAPE && !well_formed {
                    out.push(ESCAPE);
                }
                out.push(c)
            }
            Err(e) => push_surrogate(&mut out, e.unpaired_surrogate()),
        }
    }
    out
}

/// Appends `b` to `a` as DOMStrings (code units joined: two halves of a pair meet).
pub fn push(a: &mut String, b: &str) {
    if !a.contains(ESCAPE) && !b.contains(ESCAPE) {
        return a.push_str(b);
    }
    let mut units = utf16(a);
    units.extend(utf16(b));
    *a = from_utf16(&units);
}

/// The number of UTF-16 code units of a DOMString held in Rust.
pub fn utf16_len(s: &str) -> usize {
    if !s.contains(ESCAPE) {
        return s.encode_utf16().count();
    }
    utf16(s).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QuickJS's WTF-8 for code units.
    fn wtf8(units: &[u16]) -> Vec<u8> {
        let mut out = Vec::new();
        for r in char::decode_utf16(units.iter().copied()) {
            match r {
                Ok(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                Err(e) => {
                    let u = e.unpaired_surrogate();
                    out.extend_from_slice(&[
                        0xED,
                        0xA0 | ((u >> 6) & 0x1F) as u8,
                        0x80 | (u & 0x3F) as u8,
                    ]);
                }
            }
        }
        out
    }

    #[test]
    fn lone_surrogates_survive_and_stay_distinct() {
        let cases: &[&[u16]] = &[
            &[0xD800],
            &[0xDC00],
            &[0x61, 0xDBFF, 0x62],
            &[0xD83D, 0xDE00, 0xDC00], // a pair, then a lone trail
            &[0xFDD0, 0xD800],         // a literal escape beside a lone surrogate
            &[0x61, 0x62],
        ];
        let mut seen = std::collections::HashSet::new();
        for units in cases {
            let held = from_wtf8(&wtf8(units));
            assert!(seen.insert(held.clone()), "{units:x?} collides");
            assert_eq!(utf16(&held), *units, "{units:x?}");
            assert_eq!(utf16_len(&held), units.len());
            assert_eq!(from_utf16(units), held, "{units:x?}");
            match to_wtf8(&held) {
                Some(bytes) => assert_eq!(bytes, wtf8(units)),
                None => assert_eq!(held.as_bytes(), &wtf8(units)[..]),
            }
        }
        // Well-formed strings are held as they are.
        assert_eq!(
            from_wtf8("caf\u{e9} \u{FDD0}".as_bytes()),
            "caf\u{e9} \u{FDD0}"
        );
        assert_eq!(from_utf16(&[0x61, 0xFDD0]), "a\u{FDD0}");
    }
}
