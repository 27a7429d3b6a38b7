//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-output-element>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLOutputElementBinding::HTMLOutputElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node;
use html5ever::QualName;

/// <https://html.spec.whatwg.org/multipage/form-elements.html#the-output-element>
pub struct HTMLOutputElement<'js> {
    html: HTMLElement<'js>,
    /// The default value override (None: the descendant text content is the default).
    default_value_override: DomRefCell<Option<String>>,
}

impl<'js> HasParent<'js> for HTMLOutputElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLOutputElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer)
    }
}

impl<'js> HTMLOutputElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLOutputElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            default_value_override: Default::default(),
        }
    }
}

impl<'js> HTMLOutputElementMethods<'js> for HTMLOutputElement<'js> {
    crate::constraint_validation_methods!(labels);
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("output".into())
    }
    /// <https://html.spec.whatwg.org/#dom-output-defaultvalue>
    fn defaultValue(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        match self.default_value_override.borrow().clone() {
            Some(v) => Ok(v),
            None => Ok(node::descendant_text_content(&node::this_node(cx)?)),
        }
    }
    fn set_defaultValue(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        // Step 1. If the default value override is null, string replace all with the value.
        if self.default_value_override.borrow().is_none() {
            return crate::dom::htmlelement::set_child_text(&cx.ctx, &node::this_node(cx)?, value);
        }
        // Step 2. Otherwise, set the default value override to the given value.
        *self.default_value_override.borrow_mut() = Some(value);
        Ok(())
    }
    fn value(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(node::descendant_text_content(&node::this_node(cx)?))
    }
    /// <https://html.spec.whatwg.org/#dom-output-value>: the default value override becomes
    /// the old default value, then the text is replaced.
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let n = node::this_node(cx)?;
        if self.default_value_override.borrow().is_none() {
            *self.default_value_override.borrow_mut() = Some(node::descendant_text_content(&n));
        }
        crate::dom::htmlelement::set_child_text(&cx.ctx, &n, value)
    }
}
