//! <https://html.spec.whatwg.org/multipage/image-maps.html#the-area-element>

use crate::dom::bindings::codegen::HTMLAreaElementBinding::HTMLAreaElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/image-maps.html#the-area-element>
    HTMLAreaElement
);

impl<'js> HTMLAreaElementMethods<'js> for HTMLAreaElement<'js> {
    crate::hyperlink_element_utils_methods!();
}
