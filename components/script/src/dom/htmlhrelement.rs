//! <https://html.spec.whatwg.org/multipage/grouping-content.html#the-hr-element>

use crate::dom::bindings::codegen::HTMLHRElementBinding::HTMLHRElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/grouping-content.html#the-hr-element>
    HTMLHRElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLHRElementMethods<'js> for HTMLHRElement<'js> {}
