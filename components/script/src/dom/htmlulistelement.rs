//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-ul-element>

use crate::dom::bindings::codegen::HTMLUListElementBinding::HTMLUListElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-ul-element>
    HTMLUListElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLUListElementMethods<'js> for HTMLUListElement<'js> {}
