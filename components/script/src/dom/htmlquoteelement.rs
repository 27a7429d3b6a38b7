//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-blockquote-element>

use crate::dom::bindings::codegen::HTMLQuoteElementBinding::HTMLQuoteElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-blockquote-element>
    HTMLQuoteElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLQuoteElementMethods<'js> for HTMLQuoteElement<'js> {}
