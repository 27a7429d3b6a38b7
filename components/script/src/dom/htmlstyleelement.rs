//! <https://html.spec.whatwg.org/multipage/semantics.html#the-style-element> (no style
//! sheets are made: there is no style engine).

use crate::dom::bindings::codegen::HTMLStyleElementBinding::HTMLStyleElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/semantics.html#the-style-element>
    HTMLStyleElement
);

impl<'js> HTMLStyleElementMethods<'js> for HTMLStyleElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-style-disabled>: false without an associated CSS
    /// style sheet (there are none).
    fn disabled(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    /// Does nothing without an associated style sheet.
    fn set_disabled(&self, _cx: &Cx<'js>, _value: bool) -> Fallible<()> {
        Ok(())
    }
}
