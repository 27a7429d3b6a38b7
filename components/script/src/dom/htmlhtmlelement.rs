//! <https://html.spec.whatwg.org/#the-html-element>

use crate::dom::bindings::codegen::HTMLHtmlElementBinding::HTMLHtmlElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-html-element>
    HTMLHtmlElement
);

impl<'js> HTMLHtmlElementMethods<'js> for HTMLHtmlElement<'js> {}
