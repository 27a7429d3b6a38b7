//! <https://html.spec.whatwg.org/#the-title-element>

use crate::dom::bindings::codegen::HTMLTitleElementBinding::HTMLTitleElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::{set_child_text, simple_html_element};
use crate::dom::node::{self};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-title-element>
    HTMLTitleElement
);

impl<'js> HTMLTitleElementMethods<'js> for HTMLTitleElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-title-text>: the child text content.
    fn text(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(node::child_text_content(&node::this_node(cx)?))
    }
    fn set_text(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = node::this_node(cx)?;
        set_child_text(&cx.ctx, &this, value)
    }
}
