//! <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-time-element>

use crate::dom::bindings::codegen::HTMLTimeElementBinding::HTMLTimeElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-time-element>
    HTMLTimeElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLTimeElementMethods<'js> for HTMLTimeElement<'js> {}
