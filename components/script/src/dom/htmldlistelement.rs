//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-dl-element>

use crate::dom::bindings::codegen::HTMLDListElementBinding::HTMLDListElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-dl-element>
    HTMLDListElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLDListElementMethods<'js> for HTMLDListElement<'js> {}
