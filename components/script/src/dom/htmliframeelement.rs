//! <https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element>: the
//! element and its reflected attributes. It has no content navigable yet (a global runs on
//! a thread of its own; nested browsing contexts are issue 12's), so `contentDocument` and
//! `contentWindow` are null, as for an iframe that is not in a document.

use crate::dom::bindings::codegen::HTMLIFrameElementBinding::HTMLIFrameElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::htmlelement::simple_html_element;
use crate::dom::window::Window;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/iframe-embed-object.html#the-iframe-element>
    HTMLIFrameElement
);

impl<'js> HTMLIFrameElementMethods<'js> for HTMLIFrameElement<'js> {
    /// Null: there is no content navigable.
    fn contentDocument(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Document<'js>>>> {
        Ok(None)
    }
    /// Null: there is no content navigable.
    fn contentWindow(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Window<'js>>>> {
        Ok(None)
    }
}
