//! <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-br-element>

use crate::dom::bindings::codegen::HTMLBRElementBinding::HTMLBRElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-br-element>
    HTMLBRElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLBRElementMethods<'js> for HTMLBRElement<'js> {}
