//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-p-element>

use crate::dom::bindings::codegen::HTMLParagraphElementBinding::HTMLParagraphElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-p-element>
    HTMLParagraphElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLParagraphElementMethods<'js> for HTMLParagraphElement<'js> {}
