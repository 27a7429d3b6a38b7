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
    selection: crate::dom::textselection::TextSelection,
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
            selection: Default::default(),
        }
    }
    /// <https://html.spec.whatwg.org/#concept-textarea-api-value>
    pub fn api_value(&self, e: &Dom<'js, Element<'js>>) -> String {
        match self.raw_value.borrow().clone() {
            Some(v) => v,
            None => normalize_newlines(&node::child_text_content(&e.upcast::<Node>())),
        }
    }
    /// The cloning steps: the raw value and its dirty flag.
    pub fn copy_state_from(&self, other: &HTMLTextAreaElement<'js>) {
        *self.raw_value.borrow_mut() = other.raw_value.borrow().clone();
    }
    fn len(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(crate::dom::textselection::utf16_len(
            &self.api_value(&this_element(cx)?),
        ))
    }
    fn range_text(
        &self,
        cx: &Cx<'js>,
        replacement: &str,
        range: Option<(u32, u32)>,
        mode: &str,
    ) -> Fallible<()> {
        let value = self.api_value(&this_element(cx)?);
        let new = self
            .selection
            .set_range_text(&value, replacement, range, mode)?;
        *self.raw_value.borrow_mut() = Some(new);
        Ok(())
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
    /// Sets the raw value (newlines normalized) and the dirty value flag; a changed value
    /// moves the cursor to its end.
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let old = self.api_value(&this_element(cx)?);
        let new = normalize_newlines(&value);
        if new != old {
            self.selection
                .move_to_end(crate::dom::textselection::utf16_len(&new));
        }
        *self.raw_value.borrow_mut() = Some(new);
        Ok(())
    }
    /// The API value's length in UTF-16 code units.
    fn textLength(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.api_value(&this_element(cx)?).encode_utf16().count() as u32)
    }
    crate::constraint_validation_methods!(labels);
    fn select(&self, cx: &Cx<'js>) -> Fallible<()> {
        let len = self.len(cx)?;
        self.selection.set_range(len, 0, len, None);
        Ok(())
    }
    fn selectionStart(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.selection.start())
    }
    fn set_selectionStart(&self, cx: &Cx<'js>, value: u32) -> Fallible<()> {
        let len = self.len(cx)?;
        let end = self.selection.end().max(value);
        let d = self.selection.direction();
        self.selection.set_range(len, value, end, Some(d));
        Ok(())
    }
    fn selectionEnd(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.selection.end())
    }
    fn set_selectionEnd(&self, cx: &Cx<'js>, value: u32) -> Fallible<()> {
        let len = self.len(cx)?;
        let d = self.selection.direction();
        self.selection
            .set_range(len, self.selection.start(), value, Some(d));
        Ok(())
    }
    fn selectionDirection(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.selection.direction().to_string())
    }
    fn set_selectionDirection(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let len = self.len(cx)?;
        self.selection.set_range(
            len,
            self.selection.start(),
            self.selection.end(),
            Some(&value),
        );
        Ok(())
    }
    fn setRangeText(&self, cx: &Cx<'js>, replacement: DOMString) -> Fallible<()> {
        self.range_text(cx, &replacement, None, "preserve")
    }
    fn setRangeText_1(
        &self,
        cx: &Cx<'js>,
        replacement: DOMString,
        start: u32,
        end: u32,
        mode: crate::dom::bindings::codegen::SelectionMode,
    ) -> Fallible<()> {
        self.range_text(cx, &replacement, Some((start, end)), mode.as_str())
    }
    fn setSelectionRange(
        &self,
        cx: &Cx<'js>,
        start: u32,
        end: u32,
        direction: Option<DOMString>,
    ) -> Fallible<()> {
        let len = self.len(cx)?;
        self.selection
            .set_range(len, start, end, direction.as_deref());
        Ok(())
    }
}
