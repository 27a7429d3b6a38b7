//! <https://html.spec.whatwg.org/#domstringmap>: `element.dataset`, the element's `data-*`
//! attributes as named properties.

use crate::dom::bindings::codegen::DOMStringMapBinding::DOMStringMapMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;

pub struct DOMStringMap<'js> {
    element: Dom<'js, Element<'js>>,
}

impl<'js> Trace<'js> for DOMStringMap<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.element.trace(tracer)
    }
}

impl<'js> DOMStringMap<'js> {
    pub fn new_inherited(element: Dom<'js, Element<'js>>) -> DOMStringMap<'js> {
        DOMStringMap { element }
    }
}

/// A property name as its `data-*` attribute name: "-" and the lowercase of each ASCII upper
/// alpha (the setter's step 2 and the getter's name-to-attribute mapping).
fn attribute_name(name: &str) -> String {
    let mut out = String::from("data-");
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('-');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The property name of a `data-*` attribute name, if it has one: the name after "data-"
/// with no ASCII upper alpha, each "-" before an ASCII lower alpha removed and that letter
/// uppercased.
fn property_name(attr: &str) -> Option<String> {
    let rest = attr.strip_prefix("data-")?;
    if rest.chars().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' {
            if let Some(n) = chars.peek().copied().filter(char::is_ascii_lowercase) {
                out.push(n.to_ascii_uppercase());
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    Some(out)
}

impl<'js> DOMStringMapMethods<'js> for DOMStringMap<'js> {
    /// <https://html.spec.whatwg.org/#dom-domstringmap-nameditem>
    fn named_getter(&self, _cx: &Cx<'js>, name: DOMString) -> Fallible<Option<DOMString>> {
        // The value of the name-value pair whose name is name.
        for (attr, value) in self.element.attrs_clone() {
            if property_name(&attr).as_deref() == Some(name.as_str()) {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }
    /// <https://html.spec.whatwg.org/#concept-domstringmap-pairs>, in attribute order.
    fn supported_property_names(&self, _cx: &Cx<'js>) -> Fallible<Vec<DOMString>> {
        Ok(self
            .element
            .attrs_clone()
            .iter()
            .filter_map(|(a, _)| property_name(a))
            .collect())
    }
    /// <https://html.spec.whatwg.org/#dom-domstringmap-setitem>
    fn named_setter(&self, cx: &Cx<'js>, name: DOMString, value: DOMString) -> Fallible<()> {
        // Step 1. If name contains a "-" followed by an ASCII lower alpha, throw a
        // "SyntaxError" DOMException.
        let b = name.as_bytes();
        if b.windows(2)
            .any(|w| w[0] == b'-' && w[1].is_ascii_lowercase())
        {
            return Err(Error::dom(
                DomErrorName::SyntaxError,
                format!("'{name}' has a '-' followed by a lowercase letter"),
            ));
        }
        // Steps 2-3. Each ASCII upper alpha becomes "-" and its lowercase; "data-" first.
        let attr = attribute_name(&name);
        // Step 4. If name is not a valid attribute local name, throw an
        // "InvalidCharacterError" DOMException.
        if !crate::dom::element::is_valid_attribute_local_name(&attr) {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{attr}' is not a valid attribute name"),
            ));
        }
        // Step 5. Set an attribute value for the element using name and value.
        let _ = cx;
        self.element.set_attr(&cx.ctx, &self.element, &attr, value);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-domstringmap-removeitem>
    fn named_deleter(&self, cx: &Cx<'js>, name: DOMString) -> Fallible<()> {
        // Steps 1-3. The attribute name, then remove an attribute by name.
        let attr = attribute_name(&name);
        self.element.remove_attr(&cx.ctx, &self.element, &attr);
        Ok(())
    }
}
