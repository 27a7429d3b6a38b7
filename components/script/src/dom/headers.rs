//! <https://fetch.spec.whatwg.org/#headers-class>, with the header list algorithms of Fetch
//! §2.2.2 (names compared byte-case-insensitively, values normalized, guards).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HeadersBinding::HeadersMethods;
use crate::dom::bindings::codegen::HeadersInit;
use crate::dom::bindings::codegen_prelude::*;
use net_traits::headers::{
    is_no_cors_safelisted_request_header, is_no_cors_safelisted_request_header_name,
};
use std::cell::Cell;

/// <https://fetch.spec.whatwg.org/#concept-headers-guard>
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    Immutable,
    Request,
    RequestNoCors,
    Response,
    None,
}

/// A header list: (name, value) byte pairs in order.
pub type HeaderList = Vec<(Vec<u8>, Vec<u8>)>;

/// <https://fetch.spec.whatwg.org/#headers-class>
pub struct Headers<'js> {
    /// The header list.
    list: DomRefCell<HeaderList>,
    /// The guard.
    guard: Cell<Guard>,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Headers<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// HTTP whitespace bytes (tab, LF, CR, space).
fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

/// <https://fetch.spec.whatwg.org/#concept-header-value-normalize>: leading and trailing HTTP
/// whitespace removed.
pub fn normalize_value(v: &[u8]) -> Vec<u8> {
    let start = v
        .iter()
        .position(|&b| !is_http_whitespace(b))
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&b| !is_http_whitespace(b))
        .map_or(start, |e| e + 1);
    v[start..end].to_vec()
}

/// A header name: an HTTP token.
pub fn is_header_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value (already normalized): no NUL, CR or LF.
pub fn is_header_value(value: &[u8]) -> bool {
    !value.iter().any(|&b| matches!(b, 0 | b'\r' | b'\n'))
}

fn lower(name: &[u8]) -> Vec<u8> {
    name.to_ascii_lowercase()
}

/// <https://fetch.spec.whatwg.org/#forbidden-request-header>
pub fn is_forbidden_request_header(name: &[u8], value: &[u8]) -> bool {
    let n = lower(name);
    const FORBIDDEN: &[&[u8]] = &[
        b"accept-charset",
        b"accept-encoding",
        b"access-control-request-headers",
        b"access-control-request-method",
        b"connection",
        b"content-length",
        b"cookie",
        b"cookie2",
        b"date",
        b"dnt",
        b"expect",
        b"host",
        b"keep-alive",
        b"origin",
        b"referer",
        b"set-cookie",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"via",
    ];
    if FORBIDDEN.contains(&n.as_slice()) || n.starts_with(b"proxy-") || n.starts_with(b"sec-") {
        return true;
    }
    // A method-override header naming a forbidden method.
    if matches!(
        n.as_slice(),
        b"x-http-method" | b"x-http-method-override" | b"x-method-override"
    ) {
        return String::from_utf8_lossy(value).split(',').any(|m| {
            let m = m.trim().to_ascii_uppercase();
            matches!(m.as_str(), "CONNECT" | "TRACE" | "TRACK")
        });
    }
    false
}

/// <https://fetch.spec.whatwg.org/#forbidden-response-header-name>
pub fn is_forbidden_response_header_name(name: &[u8]) -> bool {
    matches!(lower(name).as_slice(), b"set-cookie" | b"set-cookie2")
}

/// <https://fetch.spec.whatwg.org/#concept-header-list-get>: the values joined by ", ".
pub fn list_get(list: &HeaderList, name: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (n, v) in list {
        if n.eq_ignore_ascii_case(name) {
            match &mut out {
                Some(o) => {
                    o.extend_from_slice(b", ");
                    o.extend_from_slice(v);
                }
                None => out = Some(v.clone()),
            }
        }
    }
    out
}

/// <https://fetch.spec.whatwg.org/#concept-header-list-set>
pub fn list_set(list: &mut HeaderList, name: &[u8], value: &[u8]) {
    match list.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(first) => {
            list[first].1 = value.to_vec();
            let mut i = 0;
            list.retain(|(n, _)| {
                let keep = i == first || !n.eq_ignore_ascii_case(name);
                i += 1;
                keep
            });
        }
        None => list.push((name.to_vec(), value.to_vec())),
    }
}

/// <https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine>
pub fn sort_and_combine(list: &HeaderList) -> HeaderList {
    let mut names: Vec<Vec<u8>> = list.iter().map(|(n, _)| lower(n)).collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        if name == b"set-cookie" {
            // Each Set-Cookie value on its own.
            for (n, v) in list {
                if n.eq_ignore_ascii_case(&name) {
                    out.push((name.clone(), v.clone()));
                }
            }
        } else if let Some(v) = list_get(list, &name) {
            out.push((name, v));
        }
    }
    out
}

impl<'js> Headers<'js> {
    pub fn new_inherited(list: HeaderList, guard: Guard) -> Headers<'js> {
        Headers {
            list: DomRefCell::new(list),
            guard: Cell::new(guard),
            _js: std::marker::PhantomData,
        }
    }

    pub fn list(&self) -> HeaderList {
        self.list.borrow().clone()
    }

    pub fn set_list(&self, list: HeaderList) {
        *self.list.borrow_mut() = list;
    }

    pub fn guard(&self) -> Guard {
        self.guard.get()
    }

    pub fn set_guard(&self, guard: Guard) {
        self.guard.set(guard)
    }

    /// <https://fetch.spec.whatwg.org/#headers-validate>: false means "do nothing".
    fn validate(&self, name: &[u8], value: &[u8]) -> Fallible<bool> {
        // Step 1. Not a header name or value: TypeError.
        if !is_header_name(name) {
            return Err(Error::Type(format!(
                "{:?} is not a valid header name",
                String::from_utf8_lossy(name)
            )));
        }
        if !is_header_value(value) {
            return Err(Error::Type(format!(
                "the value of {:?} is not a valid header value",
                String::from_utf8_lossy(name)
            )));
        }
        match self.guard.get() {
            // Step 2. Immutable: TypeError.
            Guard::Immutable => Err(Error::Type("the headers are immutable".into())),
            // Step 3. A forbidden request-header is ignored.
            Guard::Request if is_forbidden_request_header(name, value) => Ok(false),
            // Step 4. A forbidden response-header name is ignored.
            Guard::Response if is_forbidden_response_header_name(name) => Ok(false),
            _ => Ok(true),
        }
    }

    /// <https://fetch.spec.whatwg.org/#concept-headers-append>
    pub fn append_header(&self, name: &[u8], value: &[u8]) -> Fallible<()> {
        // Step 1. Normalize the value.
        let value = normalize_value(value);
        // Step 2. Validate.
        if !self.validate(name, &value)? {
            return Ok(());
        }
        // Step 3. The no-cors guard keeps only safelisted headers, combined.
        if self.guard.get() == Guard::RequestNoCors {
            let mut combined = list_get(&self.list.borrow(), name).unwrap_or_default();
            if !combined.is_empty() {
                combined.extend_from_slice(b", ");
            }
            combined.extend_from_slice(&value);
            if !is_no_cors_safelisted_request_header(name, &combined) {
                return Ok(());
            }
        }
        // Step 4. Append.
        self.list.borrow_mut().push((name.to_vec(), value));
        // Step 5. No-cors: remove privileged no-cors headers (only Range is, and it is not
        // safelisted above).
        Ok(())
    }

    /// <https://fetch.spec.whatwg.org/#concept-headers-fill>
    pub fn fill(&self, init: HeadersInit) -> Fallible<()> {
        match init {
            HeadersInit::ByteStringSequenceSequence(pairs) => {
                for pair in pairs {
                    if pair.len() != 2 {
                        return Err(Error::Type(format!(
                            "a header needs a name and a value, not {} items",
                            pair.len()
                        )));
                    }
                    self.append_header(pair[0].as_bytes(), pair[1].as_bytes())?;
                }
            }
            HeadersInit::ByteStringByteStringRecord(record) => {
                for (name, value) in record {
                    self.append_header(name.as_bytes(), value.as_bytes())?;
                }
            }
        }
        Ok(())
    }
}

impl<'js> HeadersMethods<'js> for Headers<'js> {
    /// <https://fetch.spec.whatwg.org/#dom-headers-append>
    fn append(&self, _cx: &Cx<'js>, name: ByteString, value: ByteString) -> Fallible<()> {
        self.append_header(name.as_bytes(), value.as_bytes())
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers-delete>
    fn delete(&self, _cx: &Cx<'js>, name: ByteString) -> Fallible<()> {
        let name = name.as_bytes();
        // Step 1. Validate (with an empty value).
        if !self.validate(name, b"")? {
            return Ok(());
        }
        // Step 2. No-cors: only no-cors-safelisted names (and not privileged ones).
        if self.guard.get() == Guard::RequestNoCors
            && !is_no_cors_safelisted_request_header_name(name)
        {
            return Ok(());
        }
        // Steps 3-4. Remove them all.
        self.list
            .borrow_mut()
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        Ok(())
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers-get>
    fn get(&self, _cx: &Cx<'js>, name: ByteString) -> Fallible<Option<ByteString>> {
        let name = name.as_bytes();
        // Step 1. Not a header name: TypeError.
        if !is_header_name(name) {
            return Err(Error::Type(format!(
                "{:?} is not a valid header name",
                String::from_utf8_lossy(name)
            )));
        }
        // Step 2.
        Ok(list_get(&self.list.borrow(), name).map(ByteString))
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers-getsetcookie>
    fn getSetCookie(&self, _cx: &Cx<'js>) -> Fallible<Vec<ByteString>> {
        Ok(self
            .list
            .borrow()
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(b"set-cookie"))
            .map(|(_, v)| ByteString(v.clone()))
            .collect())
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers-has>
    fn has(&self, _cx: &Cx<'js>, name: ByteString) -> Fallible<bool> {
        let name = name.as_bytes();
        if !is_header_name(name) {
            return Err(Error::Type(format!(
                "{:?} is not a valid header name",
                String::from_utf8_lossy(name)
            )));
        }
        Ok(self
            .list
            .borrow()
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name)))
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers-set>
    fn set(&self, _cx: &Cx<'js>, name: ByteString, value: ByteString) -> Fallible<()> {
        let name = name.as_bytes();
        // Step 1. Normalize the value.
        let value = normalize_value(value.as_bytes());
        // Step 2. Validate.
        if !self.validate(name, &value)? {
            return Ok(());
        }
        // Step 3. No-cors: only safelisted headers.
        if self.guard.get() == Guard::RequestNoCors
            && !is_no_cors_safelisted_request_header(name, &value)
        {
            return Ok(());
        }
        // Step 4. Set.
        list_set(&mut self.list.borrow_mut(), name, &value);
        Ok(())
    }

    /// The value pairs to iterate over: the header list sorted and combined.
    fn value_pairs(&self, _cx: &Cx<'js>) -> Fallible<Vec<(ByteString, ByteString)>> {
        Ok(sort_and_combine(&self.list.borrow())
            .into_iter()
            .map(|(n, v)| (ByteString(n), ByteString(v)))
            .collect())
    }

    /// <https://fetch.spec.whatwg.org/#dom-headers>
    fn Constructor(_cx: &Cx<'js>, init: Option<HeadersInit>) -> Fallible<Self> {
        // Step 1. The guard is "none".
        let headers = Headers::new_inherited(Vec::new(), Guard::None);
        // Step 2. Fill with init.
        if let Some(init) = init {
            headers.fill(init)?;
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_list_algorithms() {
        assert_eq!(normalize_value(b" \t a b \r\n"), b"a b");
        assert_eq!(normalize_value(b"   "), b"");
        assert!(is_header_name(b"X-Custom"));
        assert!(!is_header_name(b"X Custom"));
        assert!(!is_header_name(b""));
        assert!(!is_header_value(b"a\nb"));
        assert!(is_forbidden_request_header(b"Sec-Fetch-Mode", b""));
        assert!(is_forbidden_request_header(
            b"X-HTTP-Method-Override",
            b"get, TRACE"
        ));
        assert!(!is_forbidden_request_header(
            b"X-HTTP-Method-Override",
            b"PATCH"
        ));
        let list: HeaderList = vec![
            (b"B".to_vec(), b"2".to_vec()),
            (b"a".to_vec(), b"1".to_vec()),
            (b"Set-Cookie".to_vec(), b"x".to_vec()),
            (b"b".to_vec(), b"3".to_vec()),
            (b"set-cookie".to_vec(), b"y".to_vec()),
        ];
        let sorted = sort_and_combine(&list);
        assert_eq!(
            sorted,
            vec![
                (b"a".to_vec(), b"1".to_vec()),
                (b"b".to_vec(), b"2, 3".to_vec()),
                (b"set-cookie".to_vec(), b"x".to_vec()),
                (b"set-cookie".to_vec(), b"y".to_vec()),
            ]
        );
        let mut l = list.clone();
        list_set(&mut l, b"b", b"9");
        assert_eq!(list_get(&l, b"B").unwrap(), b"9");
        assert_eq!(l.len(), 4);
    }
}
