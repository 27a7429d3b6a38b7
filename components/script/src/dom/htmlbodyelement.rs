//! <https://html.spec.whatwg.org/#the-body-element>

use crate::dom::bindings::codegen::HTMLBodyElementBinding::HTMLBodyElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-body-element>
    HTMLBodyElement
);

impl<'js> HTMLBodyElementMethods<'js> for HTMLBodyElement<'js> {}
