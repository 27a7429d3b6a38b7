//! <https://dom.spec.whatwg.org/#interface-documentfragment>

use crate::dom::bindings::codegen::DocumentFragmentBinding::DocumentFragmentMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};

/// <https://dom.spec.whatwg.org/#interface-documentfragment>
pub struct DocumentFragment<'js> {
    node: Node<'js>,
}

impl<'js> HasParent<'js> for DocumentFragment<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for DocumentFragment<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer)
    }
}

impl<'js> DocumentFragment<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
    ) -> Fallible<Dom<'js, DocumentFragment<'js>>> {
        reflect_dom_object(
            ctx,
            DocumentFragment {
                node: Node::new_inherited(node::DOCUMENT_FRAGMENT_NODE, Some(document.clone())),
            },
        )
    }
}

impl<'js> DocumentFragmentMethods<'js> for DocumentFragment<'js> {
    fn getElementById(
        &self,
        cx: &Cx<'js>,
        element_id: DOMString,
    ) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(node::element_by_id(&node::this_node(cx)?, &element_id))
    }
    /// <https://dom.spec.whatwg.org/#dom-documentfragment-documentfragment>: its node
    /// document is the current global's associated Document.
    fn Constructor(cx: &Cx<'js>) -> Fallible<Self> {
        let document = crate::dom::window::current_document(&cx.ctx)?;
        Ok(DocumentFragment {
            node: Node::new_inherited(node::DOCUMENT_FRAGMENT_NODE, Some(document)),
        })
    }
    crate::parent_node_methods!();
}
