//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-pre-element>

use crate::dom::bindings::codegen::HTMLPreElementBinding::HTMLPreElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-pre-element>
    HTMLPreElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLPreElementMethods<'js> for HTMLPreElement<'js> {}
