//! <https://html.spec.whatwg.org/#the-head-element>

use crate::dom::bindings::codegen::HTMLHeadElementBinding::HTMLHeadElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-head-element>
    HTMLHeadElement
);

impl<'js> HTMLHeadElementMethods<'js> for HTMLHeadElement<'js> {}
