//! <https://html.spec.whatwg.org/multipage/semantics.html#the-base-element>

use crate::dom::bindings::codegen::HTMLBaseElementBinding::HTMLBaseElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::this_element;
use crate::dom::htmlelement::simple_html_element;
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/semantics.html#the-base-element>
    HTMLBaseElement
);

impl<'js> HTMLBaseElementMethods<'js> for HTMLBaseElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-base-href>: the attribute parsed against the
    /// document's fallback base URL (its URL), or the attribute itself when it does not
    /// parse; the document's URL without the attribute.
    fn href(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        let e = this_element(cx)?;
        let Some(doc) = node::node_document(&e.upcast::<Node>()) else {
            return Ok(String::new());
        };
        let url = doc.url_();
        let value = e.get_attr("href").unwrap_or_default();
        Ok(url::Url::parse(&url)
            .and_then(|base| base.join(&value))
            .map(String::from)
            .unwrap_or(value))
    }
}
