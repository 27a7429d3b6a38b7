//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-datalist-element>

use crate::dom::bindings::codegen::HTMLDataListElementBinding::HTMLDataListElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-datalist-element>
    HTMLDataListElement
);

impl<'js> HTMLDataListElementMethods<'js> for HTMLDataListElement<'js> {
    /// The option descendants.
    fn options(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &crate::dom::node::this_node(cx)?,
            CollectionFilter::Options,
        )
    }
}
