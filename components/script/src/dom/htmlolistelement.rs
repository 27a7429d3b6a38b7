//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-ol-element>

use crate::dom::bindings::codegen::HTMLOListElementBinding::HTMLOListElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-ol-element>
    HTMLOListElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLOListElementMethods<'js> for HTMLOListElement<'js> {}
