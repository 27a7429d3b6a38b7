//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-li-element>

use crate::dom::bindings::codegen::HTMLLIElementBinding::HTMLLIElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-li-element>
    HTMLLIElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLLIElementMethods<'js> for HTMLLIElement<'js> {}
