//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-optgroup-element>

use crate::dom::bindings::codegen::HTMLOptGroupElementBinding::HTMLOptGroupElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-optgroup-element>
    HTMLOptGroupElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLOptGroupElementMethods<'js> for HTMLOptGroupElement<'js> {}
