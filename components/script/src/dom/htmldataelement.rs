//! <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-data-element>

use crate::dom::bindings::codegen::HTMLDataElementBinding::HTMLDataElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-data-element>
    HTMLDataElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLDataElementMethods<'js> for HTMLDataElement<'js> {}
