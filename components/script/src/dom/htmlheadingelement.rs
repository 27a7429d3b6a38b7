//! <https://html.spec.whatwg.org/multipage/sections.html#the-h1,-h2,-h3,-h4,-h5,-and-h6-elements>

use crate::dom::bindings::codegen::HTMLHeadingElementBinding::HTMLHeadingElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/sections.html#the-h1,-h2,-h3,-h4,-h5,-and-h6-elements>
    HTMLHeadingElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLHeadingElementMethods<'js> for HTMLHeadingElement<'js> {}
