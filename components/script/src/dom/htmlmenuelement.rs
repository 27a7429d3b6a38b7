//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-menu-element>

use crate::dom::bindings::codegen::HTMLMenuElementBinding::HTMLMenuElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-menu-element>
    HTMLMenuElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLMenuElementMethods<'js> for HTMLMenuElement<'js> {}
