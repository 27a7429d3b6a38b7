//! <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-a-element>

use crate::dom::bindings::codegen::HTMLAnchorElementBinding::HTMLAnchorElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-a-element>
    HTMLAnchorElement
);

impl<'js> HTMLAnchorElementMethods<'js> for HTMLAnchorElement<'js> {
    crate::hyperlink_element_utils_methods!();
    /// <https://html.spec.whatwg.org/#dom-a-text>: the descendant text content.
    fn text(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let n = crate::dom::node::this_node(cx)?;
        Ok(crate::dom::node::descendant_text_content(&n))
    }
    /// String replace all with the given value.
    fn set_text(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let n = crate::dom::node::this_node(cx)?;
        crate::dom::htmlelement::set_child_text(&cx.ctx, &n, value)
    }
}
