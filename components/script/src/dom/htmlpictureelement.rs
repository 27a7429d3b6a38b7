//! <https://html.spec.whatwg.org/multipage/embedded-content.html#the-picture-element>

use crate::dom::bindings::codegen::HTMLPictureElementBinding::HTMLPictureElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/embedded-content.html#the-picture-element>
    HTMLPictureElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLPictureElementMethods<'js> for HTMLPictureElement<'js> {}
