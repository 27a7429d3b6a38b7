//! <https://xhr.spec.whatwg.org/#interface-formdata>, and the multipart/form-data encoding
//! (HTML §4.10.21.8) and parsing (Fetch's formData()).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::FormDataBinding::FormDataMethods;
use crate::dom::bindings::codegen::FormDataEntryValue;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::blob::Blob;
use crate::dom::file::{now_ms, File};

/// An entry's value: a string or a File.
#[derive(Clone)]
pub enum EntryValue<'js> {
    String(String),
    File(Dom<'js, File<'js>>),
}

impl<'js> Trace<'js> for EntryValue<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let EntryValue::File(f) = self {
            f.trace(tracer)
        }
    }
}

impl<'js> EntryValue<'js> {
    fn to_idl(&self) -> FormDataEntryValue<'js> {
        match self {
            EntryValue::String(s) => FormDataEntryValue::USVString(s.clone()),
            EntryValue::File(f) => FormDataEntryValue::File(f.clone()),
        }
    }
}

/// <https://xhr.spec.whatwg.org/#interface-formdata>
pub struct FormData<'js> {
    /// The entry list.
    entries: DomRefCell<Vec<(String, EntryValue<'js>)>>,
}

impl<'js> Trace<'js> for FormData<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        for (_, v) in self.entries.borrow().iter() {
            v.trace(tracer);
        }
    }
}

/// <https://html.spec.whatwg.org/#create-an-entry> for a Blob value: a File named `filename`
/// (or the File's own name, or "blob").
fn file_entry<'js>(
    ctx: &Ctx<'js>,
    blob: &Dom<'js, Blob<'js>>,
    filename: Option<String>,
) -> Fallible<Dom<'js, File<'js>>> {
    let existing = <File as DomInterface>::unwrap(&blob.reflector().clone().into_value());
    if let (Some(file), None) = (&existing, &filename) {
        return Ok(file.clone());
    }
    let name = filename.unwrap_or_else(|| match &existing {
        Some(f) => f.name_string().to_string(),
        None => "blob".into(),
    });
    let last_modified = now_ms();
    let file = File::new_inherited(
        blob.bytes().to_vec(),
        blob.type_string(),
        &name,
        last_modified,
    );
    reflect_dom_object(ctx, file)
}

impl<'js> FormData<'js> {
    pub fn new_inherited(entries: Vec<(String, EntryValue<'js>)>) -> FormData<'js> {
        FormData {
            entries: DomRefCell::new(entries),
        }
    }

    pub fn entries(&self) -> Vec<(String, EntryValue<'js>)> {
        self.entries.borrow().clone()
    }

    fn set_entry(&self, name: String, value: EntryValue<'js>) {
        let mut entries = self.entries.borrow_mut();
        match entries.iter().position(|(n, _)| *n == name) {
            Some(first) => {
                entries[first].1 = value;
                let mut i = 0;
                entries.retain(|(n, _)| {
                    let keep = i == first || *n != name;
                    i += 1;
                    keep
                });
            }
            None => entries.push((name, value)),
        }
    }
}

/// CR or LF not in a CRLF pair become CRLF.
fn normalize_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                out.push_str("\r\n");
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\n' => out.push_str("\r\n"),
            c => out.push(c),
        }
    }
    out
}

/// The escaping of names and filenames in Content-Disposition (HTML: LF, CR and `"`
/// percent-encoded).
fn escape(s: &str) -> String {
    s.replace('\n', "%0A")
        .replace('\r', "%0D")
        .replace('"', "%22")
}

/// A boundary string no entry is likely to contain.
pub fn new_boundary() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(now_ms() as u64);
    let a = h.finish();
    h.write_u64(a);
    format!("----formdata-bgfetch-{:016x}{:016x}", a, h.finish())
}

/// <https://html.spec.whatwg.org/#multipart/form-data-encoding-algorithm>
pub fn multipart_encode(entries: &[(String, EntryValue<'_>)], boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in entries {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let name = escape(&normalize_newlines(name));
        match value {
            EntryValue::String(s) => {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                out.extend_from_slice(normalize_newlines(s).as_bytes());
            }
            EntryValue::File(f) => {
                let blob = f.upcast::<Blob>();
                let ty = match blob.type_string() {
                    "" => "application/octet-stream",
                    t => t,
                };
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: {ty}\r\n\r\n",
                        escape(f.name_string())
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(blob.bytes());
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// A part of a multipart/form-data body.
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A `name="value"` parameter of a Content-Disposition header (quotes removed, the HTML
/// escapes decoded).
fn disposition_param(header: &str, param: &str) -> Option<String> {
    let needle = format!("{param}=\"");
    let mut search = header;
    loop {
        let at = search.find(&needle)?;
        // Whole parameter names only ("filename" is not "name").
        let before = search[..at].chars().last();
        if before.is_none() || matches!(before, Some(';' | ' ' | '\t')) {
            let rest = &search[at + needle.len()..];
            let end = rest.find('"')?;
            return Some(
                rest[..end]
                    .replace("%0A", "\n")
                    .replace("%0D", "\r")
                    .replace("%22", "\""),
            );
        }
        search = &search[at + needle.len()..];
    }
}

/// Parses a multipart/form-data body; `None` if it is malformed.
pub fn multipart_parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut pos = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        // "--" after a delimiter ends the body.
        if body.get(pos..pos + 2) == Some(b"--") {
            return Some(parts);
        }
        if body.get(pos..pos + 2) != Some(b"\r\n") {
            return None;
        }
        pos += 2;
        let headers_end = find(body, b"\r\n\r\n", pos)?;
        let headers = String::from_utf8_lossy(&body[pos..headers_end]).into_owned();
        let content_start = headers_end + 4;
        let mut next_delimiter = b"\r\n".to_vec();
        next_delimiter.extend_from_slice(&delimiter);
        let content_end = find(body, &next_delimiter, content_start)?;
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in headers.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            match k.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    name = disposition_param(v, "name");
                    filename = disposition_param(v, "filename");
                }
                "content-type" => content_type = Some(v.trim().to_string()),
                _ => {}
            }
        }
        parts.push(Part {
            name: name?,
            filename,
            content_type,
            body: body[content_start..content_end].to_vec(),
        });
        pos = content_end + next_delimiter.len();
    }
}

impl<'js> FormDataMethods<'js> for FormData<'js> {
    /// <https://xhr.spec.whatwg.org/#dom-formdata-append>
    fn append(&self, _cx: &Cx<'js>, name: USVString, value: USVString) -> Fallible<()> {
        self.entries
            .borrow_mut()
            .push((name, EntryValue::String(value)));
        Ok(())
    }
    fn append_1(
        &self,
        cx: &Cx<'js>,
        name: USVString,
        blob: Dom<'js, Blob<'js>>,
        filename: Option<USVString>,
    ) -> Fallible<()> {
        let file = file_entry(&cx.ctx, &blob, filename)?;
        self.entries
            .borrow_mut()
            .push((name, EntryValue::File(file)));
        Ok(())
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata-delete>
    fn delete(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<()> {
        self.entries.borrow_mut().retain(|(n, _)| *n != name);
        Ok(())
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata-get>
    fn get(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<Option<FormDataEntryValue<'js>>> {
        Ok(self
            .entries
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_idl()))
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata-getall>
    fn getAll(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<Vec<FormDataEntryValue<'js>>> {
        Ok(self
            .entries
            .borrow()
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.to_idl())
            .collect())
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata-has>
    fn has(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<bool> {
        Ok(self.entries.borrow().iter().any(|(n, _)| *n == name))
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata-set>
    fn set(&self, _cx: &Cx<'js>, name: USVString, value: USVString) -> Fallible<()> {
        self.set_entry(name, EntryValue::String(value));
        Ok(())
    }
    fn set_1(
        &self,
        cx: &Cx<'js>,
        name: USVString,
        blob: Dom<'js, Blob<'js>>,
        filename: Option<USVString>,
    ) -> Fallible<()> {
        let file = file_entry(&cx.ctx, &blob, filename)?;
        self.set_entry(name, EntryValue::File(file));
        Ok(())
    }
    fn value_pairs(&self, _cx: &Cx<'js>) -> Fallible<Vec<(USVString, FormDataEntryValue<'js>)>> {
        Ok(self
            .entries
            .borrow()
            .iter()
            .map(|(n, v)| (n.clone(), v.to_idl()))
            .collect())
    }
    /// <https://xhr.spec.whatwg.org/#dom-formdata>
    /// <https://xhr.spec.whatwg.org/#dom-formdata>
    fn Constructor(
        cx: &Cx<'js>,
        form: Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>,
        submitter: Option<Dom<'js, crate::dom::htmlelement::HTMLElement<'js>>>,
    ) -> Fallible<Self> {
        // Step 1. If form is given:
        let Some(form) = form else {
            return Ok(FormData::new_inherited(Vec::new()));
        };
        let form = form.upcast::<crate::dom::element::Element>();
        let submitter = submitter.map(|s| s.upcast::<crate::dom::element::Element>());
        if let Some(s) = &submitter {
            // Step 1.1.1. If submitter is not a submit button, throw a TypeError.
            if !crate::dom::htmlformelement::is_submit_button(s) {
                return Err(Error::Type("the submitter is not a submit button".into()));
            }
            // Step 1.1.2. If submitter's form owner is not form, throw a "NotFoundError".
            if !crate::dom::forms::form_owner(s).is_some_and(|f| f.ptr_eq(&form)) {
                return Err(Error::dom(
                    crate::dom::bindings::error::DomErrorName::NotFoundError,
                    "the submitter's form owner is not the form",
                ));
            }
        }
        // Steps 1.2-1.4. Construct the entry list with form and submitter.
        let entries =
            crate::dom::forms::construct_the_entry_list(&cx.ctx, &form, submitter.as_ref())?;
        Ok(FormData::new_inherited(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_round_trip_of_strings() {
        let entries = vec![
            (
                "a\"b".to_string(),
                EntryValue::String("line1\nline2\r".into()),
            ),
            ("plain".to_string(), EntryValue::String(String::new())),
        ];
        let body = multipart_encode(&entries, "XyZ");
        let text = String::from_utf8(body.clone()).unwrap();
        assert_eq!(
            text,
            "--XyZ\r\nContent-Disposition: form-data; name=\"a%22b\"\r\n\r\nline1\r\nline2\r\n\r\n\
             --XyZ\r\nContent-Disposition: form-data; name=\"plain\"\r\n\r\n\r\n--XyZ--\r\n"
        );
        let parts = multipart_parse(&body, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "a\"b");
        assert_eq!(parts[0].body, b"line1\r\nline2\r\n");
        assert_eq!(parts[1].body, b"");
        assert!(multipart_parse(b"garbage", "XyZ").is_none());
        assert_eq!(
            disposition_param("form-data; name=\"n\"; filename=\"f.txt\"", "name").as_deref(),
            Some("n")
        );
        assert_eq!(
            disposition_param("form-data; filename=\"f.txt\"; name=\"n\"", "name").as_deref(),
            Some("n")
        );
    }
}
