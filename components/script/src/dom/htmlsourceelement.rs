//! <https://html.spec.whatwg.org/multipage/embedded-content.html#the-source-element>

use crate::dom::bindings::codegen::HTMLSourceElementBinding::HTMLSourceElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/embedded-content.html#the-source-element>
    HTMLSourceElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLSourceElementMethods<'js> for HTMLSourceElement<'js> {}
