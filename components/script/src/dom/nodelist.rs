//! <https://dom.spec.whatwg.org/#interface-nodelist>

use crate::dom::bindings::codegen::NodeListBinding::NodeListMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::node::Node;

/// <https://dom.spec.whatwg.org/#interface-nodelist>: a node's children (live), or the
/// result of querySelectorAll (static).
pub enum NodeList<'js> {
    Children(Dom<'js, Node<'js>>),
    Static(Vec<Dom<'js, Node<'js>>>),
    /// A labelable element's `labels` (live).
    Labels(Dom<'js, crate::dom::element::Element<'js>>),
}

impl<'js> Trace<'js> for NodeList<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        match self {
            NodeList::Children(p) => p.trace(tracer),
            NodeList::Static(v) => v.trace(tracer),
            NodeList::Labels(e) => e.trace(tracer),
        }
    }
}

impl<'js> NodeListMethods<'js> for NodeList<'js> {
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(match self {
            NodeList::Children(p) => p.child_at(index as usize),
            NodeList::Static(v) => v.get(index as usize).cloned(),
            NodeList::Labels(e) => crate::dom::constraints::labels_of(e)
                .get(index as usize)
                .cloned(),
        })
    }
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(match self {
            NodeList::Children(p) => p.child_count() as u32,
            NodeList::Static(v) => v.len() as u32,
            NodeList::Labels(e) => crate::dom::constraints::labels_of(e).len() as u32,
        })
    }
}
