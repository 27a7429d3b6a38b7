//! Subresource Integrity (<https://w3c.github.io/webappsec-subresource-integrity/>): the
//! integrity metadata of a request, and whether a response's bytes match it. Fetch's main
//! fetch runs it over the whole body before the response is handed over; a mismatch is a
//! network error.

use base64::Engine as _;
use ring::digest;

/// One item of parsed metadata: a known hash algorithm and the expected base64 value.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Metadata {
    algorithm: Algorithm,
    value: String,
}

/// The valid SRI hash algorithm tokens, weakest first (their order is their priority).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Algorithm {
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// "A valid SRI hash algorithm token": its ASCII lowercase is one of the set.
    fn from_token(token: &str) -> Option<Algorithm> {
        match token.to_ascii_lowercase().as_str() {
            "sha256" => Some(Algorithm::Sha256),
            "sha384" => Some(Algorithm::Sha384),
            "sha512" => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    fn ring(self) -> &'static digest::Algorithm {
        match self {
            Algorithm::Sha256 => &digest::SHA256,
            Algorithm::Sha384 => &digest::SHA384,
            Algorithm::Sha512 => &digest::SHA512,
        }
    }
}

/// <https://w3c.github.io/webappsec-subresource-integrity/#parse-metadata>
fn parse_metadata(metadata: &str) -> Vec<Metadata> {
    // Step 1. Let result be the empty set.
    let mut result = Vec::new();
    // Step 2. For each item returned by splitting metadata on spaces:
    for item in metadata.split_ascii_whitespace() {
        // Steps 2.1-2.2. The options after "?" are ignored.
        let algorithm_expression = item.split('?').next().unwrap_or("");
        // Steps 2.3-2.6. The algorithm, then the base64 value after the first "-".
        let (algorithm, value) = match algorithm_expression.split_once('-') {
            Some((a, v)) => (a, v),
            None => (algorithm_expression, ""),
        };
        // Step 2.7. Not a valid SRI hash algorithm token: ignored.
        let Some(algorithm) = Algorithm::from_token(algorithm) else {
            continue;
        };
        // Steps 2.8-2.9.
        result.push(Metadata {
            algorithm,
            value: value.to_string(),
        });
    }
    result
}

/// <https://w3c.github.io/webappsec-subresource-integrity/#get-the-strongest-metadata>: every
/// item of the strongest algorithm present.
fn strongest(set: Vec<Metadata>) -> Vec<Metadata> {
    let Some(best) = set.iter().map(|m| m.algorithm).max() else {
        return Vec::new();
    };
    set.into_iter().filter(|m| m.algorithm == best).collect()
}

/// A value as compared: base64url spelled as base64, without padding (the digest is what
/// counts, whichever alphabet the page wrote it in, as browsers accept).
fn normalized(value: &str) -> String {
    value
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect()
}

/// "Do bytes match metadataList", computed as the bytes arrive: [`IntegrityCheck::update`]
/// with each piece, then [`IntegrityCheck::matches`].
pub struct IntegrityCheck {
    /// The strongest metadata; empty when the list had no valid item (anything matches).
    expected: Vec<Metadata>,
    context: Option<digest::Context>,
}

impl IntegrityCheck {
    /// For a request's integrity metadata (the empty string: no check, `None`).
    pub fn new(integrity: &str) -> Option<IntegrityCheck> {
        if integrity.is_empty() {
            return None;
        }
        // Steps 1-3 of "do bytes match metadataList".
        let expected = strongest(parse_metadata(integrity));
        let context = expected
            .first()
            .map(|m| digest::Context::new(m.algorithm.ring()));
        Some(IntegrityCheck { expected, context })
    }

    pub fn update(&mut self, bytes: &[u8]) {
        if let Some(c) = &mut self.context {
            c.update(bytes);
        }
    }

    /// Step 4: the bytes match if the digest equals any of the strongest items' values.
    pub fn matches(self) -> bool {
        // Step 2. No valid metadata: true.
        let Some(context) = self.context else {
            return true;
        };
        let actual = base64::engine::general_purpose::STANDARD.encode(context.finish());
        let actual = normalized(&actual);
        self.expected.iter().any(|m| normalized(&m.value) == actual)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(integrity: &str, bytes: &[u8]) -> bool {
        let mut c = IntegrityCheck::new(integrity).expect("metadata");
        for piece in bytes.chunks(3) {
            c.update(piece);
        }
        c.matches()
    }

    // sha256/384/512 of "Hello, world." (printf 'Hello, world.' | openssl dgst -binary | base64)
    const SHA256: &str = "sha256-+MO/YqmqPm/BYZwlDkir51GTc9Pt9BvmLrXcRRma8u8=";
    const SHA384: &str = "sha384-S7LmUoguRQsq3IHIZ0Xhm5jjCDqH6uUQbumuj5CnrIFDk+RyBW/dWuqzEiV4mPaB";
    const SHA512: &str = "sha512-rQw3wx1psxXzqB8TyM3nAQlK2RcluhsNwxmcqXE2YbgoDW735o8TPmIR4uWpoxUERddvFwjgRSGw7gNPCwuvJg==";

    #[test]
    fn the_strongest_algorithm_decides() {
        let body = b"Hello, world.";
        assert!(check(SHA256, body));
        assert!(check(SHA384, body));
        assert!(check(SHA512, body));
        assert!(!check(SHA256, b"Hello, world!"));
        // A wrong sha512 beside a right sha256: the strongest (wrong) one decides.
        assert!(!check(&format!("{SHA256} sha512-AAAA"), body));
        // Any item of the strongest algorithm may match.
        assert!(check(&format!("sha384-AAAA {SHA384}?opt"), body));
        // Unknown algorithms are ignored; nothing valid: anything matches.
        assert!(check(&format!("md5-AAAA {SHA256}"), body));
        assert!(check("md5-AAAA sha1-BBBB", b"anything"));
        assert!(check("  ", b"anything"));
        // Algorithm tokens are case-insensitive; base64url and missing padding are accepted.
        assert!(check(&SHA256.replace("sha256", "SHA256"), body));
        let url_safe = SHA512.replace('+', "-").replace('/', "_").replace('=', "");
        assert!(check(&url_safe, body));
        assert!(IntegrityCheck::new("").is_none());
    }
}
