//! <https://html.spec.whatwg.org/#the-template-element>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLTemplateElementBinding::HTMLTemplateElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::documentfragment::DocumentFragment;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self};
use html5ever::QualName;

/// <https://html.spec.whatwg.org/#the-template-element>: its contents are a DocumentFragment
/// whose node document is the document's inert "template contents owner document", so
/// nothing in it runs or loads.
pub struct HTMLTemplateElement<'js> {
    html: HTMLElement<'js>,
    content: DomRefCell<Option<Dom<'js, DocumentFragment<'js>>>>,
}

impl<'js> HasParent<'js> for HTMLTemplateElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLTemplateElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        self.content.trace(tracer);
    }
}

impl<'js> HTMLTemplateElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> HTMLTemplateElement<'js> {
        HTMLTemplateElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            content: Default::default(),
        }
    }
    /// The contents fragment, if it was made.
    pub fn content_if_made(&self) -> Option<Dom<'js, DocumentFragment<'js>>> {
        self.content.borrow().clone()
    }
    /// The template contents, made when first needed (HTML's "template element" creation
    /// steps make it at once; nothing can observe the difference).
    pub fn contents(
        this: &Dom<'js, HTMLTemplateElement<'js>>,
        ctx: &Ctx<'js>,
    ) -> Fallible<Dom<'js, DocumentFragment<'js>>> {
        if let Some(c) = this.content.borrow().as_ref() {
            return Ok(c.clone());
        }
        let doc = node::node_document(&this.upcast())
            .ok_or_else(|| Error::invalid_state("no node document"))?;
        let owner = doc.template_contents_owner(ctx)?;
        let c = DocumentFragment::create(ctx, &owner)?;
        *this.content.borrow_mut() = Some(c.clone());
        Ok(c)
    }
}

impl<'js> HTMLTemplateElementMethods<'js> for HTMLTemplateElement<'js> {
    fn content(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, DocumentFragment<'js>>> {
        let this = <HTMLTemplateElement as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        HTMLTemplateElement::contents(&this, &cx.ctx)
    }
}
