//! <https://dom.spec.whatwg.org/#interface-documenttype>

use crate::dom::bindings::codegen::DocumentTypeBinding::DocumentTypeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::node::{Node, DOCUMENT_TYPE_NODE};

/// <https://dom.spec.whatwg.org/#interface-documenttype>
pub struct DocumentType<'js> {
    node: Node<'js>,
    name: String,
    public_id: String,
    system_id: String,
}

impl<'js> HasParent<'js> for DocumentType<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for DocumentType<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer)
    }
}

impl<'js> DocumentType<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        name: String,
        public_id: String,
        system_id: String,
    ) -> Fallible<Dom<'js, DocumentType<'js>>> {
        reflect_dom_object(
            ctx,
            DocumentType {
                node: Node::new_inherited(DOCUMENT_TYPE_NODE, Some(document.clone())),
                name,
                public_id,
                system_id,
            },
        )
    }
    pub fn name_(&self) -> &str {
        &self.name
    }
    pub fn public_id_(&self) -> &str {
        &self.public_id
    }
    pub fn system_id_(&self) -> &str {
        &self.system_id
    }
}

impl<'js> DocumentTypeMethods<'js> for DocumentType<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }
    fn publicId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.public_id.clone())
    }
    fn systemId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.system_id.clone())
    }
    crate::child_node_methods!();
}
