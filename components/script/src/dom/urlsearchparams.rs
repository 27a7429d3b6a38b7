//! <https://url.spec.whatwg.org/#interface-urlsearchparams>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::URLSearchParamsBinding::URLSearchParamsMethods;
use crate::dom::bindings::codegen::USVStringSequenceSequenceOrUSVStringUSVStringRecordOrUSVString as Init;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::url::URL;

/// <https://url.spec.whatwg.org/#interface-urlsearchparams>
pub struct URLSearchParams<'js> {
    /// The list of name-value pairs.
    list: DomRefCell<Vec<(String, String)>>,
    /// The URL object this is the query object of, if any.
    url_object: DomRefCell<Option<Dom<'js, URL<'js>>>>,
}

impl<'js> Trace<'js> for URLSearchParams<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.url_object.trace(tracer);
    }
}

/// The application/x-www-form-urlencoded parser.
pub fn parse(input: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(input.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect()
}

/// The application/x-www-form-urlencoded serializer (UTF-8).
pub fn serialize(list: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(list.iter())
        .finish()
}

impl<'js> URLSearchParams<'js> {
    pub fn new_inherited(list: Vec<(String, String)>) -> URLSearchParams<'js> {
        URLSearchParams {
            list: DomRefCell::new(list),
            url_object: DomRefCell::new(None),
        }
    }

    /// Links this query object to its URL object (for the update steps).
    pub fn set_url_object(&self, url: Dom<'js, URL<'js>>) {
        *self.url_object.borrow_mut() = Some(url);
    }

    /// Replaces the list (when the URL's query changes).
    pub fn set_list(&self, list: Vec<(String, String)>) {
        *self.list.borrow_mut() = list;
    }

    /// The application/x-www-form-urlencoded serialization of the list.
    pub fn serialized(&self) -> String {
        serialize(&self.list.borrow())
    }

    /// <https://url.spec.whatwg.org/#concept-urlsearchparams-update>
    fn update(&self) {
        // Step 1. If the URL object is null, return.
        let Some(url) = self.url_object.borrow().clone() else {
            return;
        };
        // Steps 2-4. The serialized query, or null for an empty list.
        let serialized = self.serialized();
        url.set_query_from_params(if serialized.is_empty() {
            None
        } else {
            Some(&serialized)
        });
    }
}

impl<'js> URLSearchParamsMethods<'js> for URLSearchParams<'js> {
    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-size>
    fn size(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.list.borrow().len() as u32)
    }

    /// <https://url.spec.whatwg.org/#urlsearchparams-stringification-behavior>
    fn stringifier(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.serialized())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-append>
    fn append(&self, _cx: &Cx<'js>, name: USVString, value: USVString) -> Fallible<()> {
        // Step 1. Append (name, value) to the list.
        self.list.borrow_mut().push((name, value));
        // Step 2. Update this.
        self.update();
        Ok(())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-delete>
    fn delete(&self, _cx: &Cx<'js>, name: USVString, value: Option<USVString>) -> Fallible<()> {
        // Steps 1-2. Remove the tuples whose name is name (and value is value, if given).
        self.list
            .borrow_mut()
            .retain(|(n, v)| !(*n == name && value.as_ref().is_none_or(|value| v == value)));
        // Step 3. Update this.
        self.update();
        Ok(())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-get>
    fn get(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<Option<USVString>> {
        Ok(self
            .list
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone()))
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-getall>
    fn getAll(&self, _cx: &Cx<'js>, name: USVString) -> Fallible<Vec<USVString>> {
        Ok(self
            .list
            .borrow()
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-has>
    fn has(&self, _cx: &Cx<'js>, name: USVString, value: Option<USVString>) -> Fallible<bool> {
        Ok(self
            .list
            .borrow()
            .iter()
            .any(|(n, v)| *n == name && value.as_ref().is_none_or(|value| v == value)))
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-set>
    fn set(&self, _cx: &Cx<'js>, name: USVString, value: USVString) -> Fallible<()> {
        {
            let mut list = self.list.borrow_mut();
            // Step 1. If the list contains a tuple whose name is name, set the first one's
            // value to value and remove the others.
            match list.iter().position(|(n, _)| *n == name) {
                Some(first) => {
                    list[first].1 = value;
                    let mut i = 0;
                    list.retain(|(n, _)| {
                        let keep = *n != name || i == first;
                        i += 1;
                        keep
                    });
                }
                // Step 2. Otherwise, append (name, value).
                None => list.push((name, value)),
            }
        }
        // Step 3. Update this.
        self.update();
        Ok(())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-sort>
    fn sort(&self, _cx: &Cx<'js>) -> Fallible<()> {
        // Step 1. Sort by name in code unit order, stably.
        self.list
            .borrow_mut()
            .sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
        // Step 2. Update this.
        self.update();
        Ok(())
    }

    fn value_pairs(&self, _cx: &Cx<'js>) -> Fallible<Vec<(USVString, USVString)>> {
        Ok(self.list.borrow().clone())
    }

    /// <https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams>
    fn Constructor(cx: &Cx<'js>, init: Init) -> Fallible<Self> {
        let _ = cx;
        // Step 1. If init is a string starting with "?", remove the first code point.
        let list = match init {
            // Step 2. A sequence: each pair must have exactly two items.
            Init::USVStringSequenceSequence(pairs) => {
                let mut list = Vec::with_capacity(pairs.len());
                for pair in pairs {
                    let [name, value]: [String; 2] =
                        pair.try_into().map_err(|p: Vec<String>| {
                            Error::Type(format!(
                                "URLSearchParams: each pair needs exactly two items, not {}",
                                p.len()
                            ))
                        })?;
                    list.push((name, value));
                }
                list
            }
            // Step 3. A record: its entries in order.
            Init::USVStringUSVStringRecord(record) => record,
            // Step 4. A string: parsed as application/x-www-form-urlencoded.
            Init::USVString(s) => parse(s.strip_prefix('?').unwrap_or(&s)),
        };
        Ok(URLSearchParams::new_inherited(list))
    }
}
