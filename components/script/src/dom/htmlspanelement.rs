//! <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-span-element>

use crate::dom::bindings::codegen::HTMLSpanElementBinding::HTMLSpanElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-span-element>
    HTMLSpanElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLSpanElementMethods<'js> for HTMLSpanElement<'js> {}
