//! <https://html.spec.whatwg.org/multipage/semantics.html#the-link-element>

use crate::dom::bindings::codegen::HTMLLinkElementBinding::HTMLLinkElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/semantics.html#the-link-element>
    HTMLLinkElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLLinkElementMethods<'js> for HTMLLinkElement<'js> {}
