//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-div-element>

use crate::dom::bindings::codegen::HTMLDivElementBinding::HTMLDivElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-div-element>
    HTMLDivElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLDivElementMethods<'js> for HTMLDivElement<'js> {}
