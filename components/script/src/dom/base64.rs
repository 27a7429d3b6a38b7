//! `atob()` and `btoa()` (HTML §8.3 "Base64 utility methods") with the Infra standard's
//! forgiving-base64 decode.

use crate::dom::bindings::conversions::ByteString;
use crate::dom::bindings::error::{DomErrorName, Error, Fallible};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// <https://html.spec.whatwg.org/#dom-btoa>
pub fn btoa(data: &str) -> Fallible<String> {
    // Step 1. A code point above U+00FF is an InvalidCharacterError.
    let mut bytes = Vec::with_capacity(data.len());
    for c in data.chars() {
        let b = u8::try_from(c as u32).map_err(|_| {
            Error::dom(
                DomErrorName::InvalidCharacterError,
                "btoa: the string contains characters outside the Latin1 range",
            )
        })?;
        bytes.push(b);
    }
    // Step 2. Forgiving-base64 encode.
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    Ok(out)
}

/// <https://infra.spec.whatwg.org/#forgiving-base64-decode>; failure is an
/// InvalidCharacterError (HTML's atob step 2).
pub fn atob(data: &str) -> Fallible<ByteString> {
    let fail = || {
        Error::dom(
            DomErrorName::InvalidCharacterError,
            "atob: the string is not correctly encoded",
        )
    };
    // Step 1. Remove ASCII whitespace.
    let mut s: Vec<u8> = Vec::with_capacity(data.len());
    for c in data.chars() {
        match c {
            '\t' | '\n' | '\x0C' | '\r' | ' ' => {}
            c if c.is_ascii() => s.push(c as u8),
            _ => return Err(fail()),
        }
    }
    // Step 2. A length divisible by 4 may end in one or two "=", which go.
    if s.len().is_multiple_of(4) {
        if s.ends_with(b"==") {
            s.truncate(s.len() - 2);
        } else if s.ends_with(b"=") {
            s.truncate(s.len() - 1);
        }
    }
    // Step 3. A remainder of 1 is failure.
    if s.len() % 4 == 1 {
        return Err(fail());
    }
    // Step 4. Only the alphabet remains.
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in &s {
        let v = ALPHABET.iter().position(|&a| a == b).ok_or_else(fail)? as u32;
        // Steps 6-7. Append six bits; every 24 bits are three bytes.
        buffer = buffer << 6 | v;
        bits += 6;
        if bits == 24 {
            out.extend_from_slice(&[(buffer >> 16) as u8, (buffer >> 8) as u8, buffer as u8]);
            buffer = 0;
            bits = 0;
        }
    }
    // Step 8. What is left: 12 bits are one byte, 18 bits are two.
    match bits {
        12 => out.push((buffer >> 4) as u8),
        18 => out.extend_from_slice(&[(buffer >> 10) as u8, (buffer >> 2) as u8]),
        _ => {}
    }
    Ok(ByteString(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in ["", "a", "ab", "abc", "abcd", "\u{ff}\u{0}\u{80}"] {
            let encoded = btoa(s).unwrap();
            let decoded: String = atob(&encoded)
                .unwrap()
                .0
                .iter()
                .map(|&b| b as char)
                .collect();
            assert_eq!(decoded, s);
        }
        assert_eq!(btoa("Hello").unwrap(), "SGVsbG8=");
        assert_eq!(atob(" SGVs\nbG8 ").unwrap().0, b"Hello");
        assert_eq!(atob("SGVsbG8").unwrap().0, b"Hello", "padding is optional");
        assert!(atob("SGVsbG8==").is_err(), "wrong padding");
        assert!(atob("a").is_err());
        assert!(atob("ab=c").is_err());
        assert!(btoa("\u{100}").is_err());
    }
}
