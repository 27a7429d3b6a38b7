//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-textarea-element>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLTextAreaElementBinding::HTMLTextAreaElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;

/// <https://html.spec.whatwg.org/multipage/form-elements.html#the-textarea-element>
pub struct HTMLTextAreaElement<'js> {
    html: HTMLElement<'js>,
    /// The raw value once the dirty value flag is set (None: the child text content).
    raw_value: DomRefCell<Option<String>>,
}

impl<'js> HasParent<'js> for HTMLTextAreaElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLTextAreaElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer)
    }
}

/// Newlines normalized (CR LF and CR become LF).
fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

impl<'js> HTMLTextAreaElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLTextAreaElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            raw_value: Default::default(),
        }
    }
    /// <https://html.spec.whatwg.org/#concept-textarea-api-value>
    pub fn api_value(&self, e: &Dom<'js, Element<'js>>) -> String {
        match self.raw_value.borrow().clone() {
            Some(v) => v,
            None => normalize_newlines(&node::child_text_content(&e.upcast::<Node>())),
        }
    }
    pub fn reset(&self) {
        *self.raw_value.borrow_mut() = None;
    }
}

impl<'js> HTMLTextAreaElementMethods<'js> for HTMLTextAreaElement<'js> {
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        crate::dom::forms::form_attribute(cx)
    }
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("textarea".into())
    }
    /// The child text content.
    fn defaultValue(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(node::child_text_content(&node::this_node(cx)?))
    }
    fn set_defaultValue(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        crate::dom::htmlelement::set_child_text(&cx.ctx, &node::this_node(cx)?, value)
    }
    fn value(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.api_value(&this_element(cx)?))
    }
    /// Sets the raw value (newlines normalized) and the dirty value flag.
    fn set_value(&self, _cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        *self.raw_value.borrow_mut() = Some(normalize_newlines(&value));
        Ok(())
    }
    /// The API value's length in UTF-16 code units.
    fn textLength(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.api_value(&this_element(cx)?).encode_utf16().count() as u32)
    }
    crate::constraint_validation_methods!(labels);
    fn select(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Ok(())
    }
}
