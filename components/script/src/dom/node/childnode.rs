//! The ChildNode mixin (<https://dom.spec.whatwg.org/#interface-childnode>), which
//! CharacterData, DocumentType and Element include, with NonDocumentTypeChildNode's
//! element siblings: the operations, and `child_node_methods!` for the including
//! interfaces' `...Methods` impls.

use super::parentnode::convert_nodes;
use super::{downcast, next_sibling, previous_sibling, this_document, this_node, Node};
use super::{pre_insert, remove, replace};
use crate::dom::bindings::codegen::NodeOrString;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;

fn contains_node<'js>(nodes: &[Dom<'js, Node<'js>>], n: &Dom<'js, Node<'js>>) -> bool {
    nodes.iter().any(|x| x.ptr_eq(n))
}

/// <https://dom.spec.whatwg.org/#dom-childnode-before>
pub fn before<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    // Steps 1-2. parent; return if null.
    let Some(parent) = this.parent_node() else {
        return Ok(());
    };
    let given = given_nodes(&nodes);
    // Step 3. viablePreviousSibling: this's first preceding sibling not in nodes.
    let mut viable_prev = previous_sibling(&this);
    while let Some(p) = viable_prev.clone() {
        if !contains_node(&given, &p) {
            break;
        }
        viable_prev = previous_sibling(&p);
    }
    // Step 4. Convert nodes into a node.
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    // Step 5. viablePreviousSibling is parent's first child if null, else its next sibling.
    let reference = match viable_prev {
        None => parent.child_list().first().cloned(),
        Some(p) => next_sibling(&p),
    };
    // Step 6. Pre-insert node into parent before viablePreviousSibling.
    pre_insert(&cx.ctx, &node, &parent, reference.as_ref()).map(|_| ())
}

fn given_nodes<'js>(nodes: &[NodeOrString<'js>]) -> Vec<Dom<'js, Node<'js>>> {
    nodes
        .iter()
        .filter_map(|n| match n {
            NodeOrString::Node(n) => Some(n.clone()),
            NodeOrString::String(_) => None,
        })
        .collect()
}

/// This's first following sibling not in `given` (step 3 of after/replaceWith).
fn viable_next<'js>(
    this: &Dom<'js, Node<'js>>,
    given: &[Dom<'js, Node<'js>>],
) -> Option<Dom<'js, Node<'js>>> {
    let mut viable_next = next_sibling(this);
    while let Some(n) = viable_next.clone() {
        if !contains_node(given, &n) {
            break;
        }
        viable_next = next_sibling(&n);
    }
    viable_next
}

/// <https://dom.spec.whatwg.org/#dom-childnode-after>
pub fn after<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    let Some(parent) = this.parent_node() else {
        return Ok(());
    };
    let viable = viable_next(&this, &given_nodes(&nodes));
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    pre_insert(&cx.ctx, &node, &parent, viable.as_ref()).map(|_| ())
}

/// <https://dom.spec.whatwg.org/#dom-childnode-replacewith>
pub fn replace_with<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    let Some(parent) = this.parent_node() else {
        return Ok(());
    };
    let viable = viable_next(&this, &given_nodes(&nodes));
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    // Step 5. If this's parent is parent, replace this with node within parent (this may
    // have been moved into node); otherwise pre-insert node before viableNextSibling.
    if this.parent_node().is_some_and(|p| p.ptr_eq(&parent)) {
        replace(&cx.ctx, &this, &node, &parent).map(|_| ())
    } else {
        pre_insert(&cx.ctx, &node, &parent, viable.as_ref()).map(|_| ())
    }
}
/// <https://dom.spec.whatwg.org/#dom-childnode-remove>
pub fn remove_<'js>(cx: &Cx<'js>) -> Fallible<()> {
    let this = this_node(cx)?;
    // Step 1-2. If this's parent is null, return; otherwise remove this.
    remove(&this);
    Ok(())
}

pub fn previous_element_sibling<'js>(this: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Element<'js>>> {
    let mut n = previous_sibling(this);
    while let Some(x) = n {
        if let Some(e) = downcast::<Element>(&x) {
            return Some(e);
        }
        n = previous_sibling(&x);
    }
    None
}
pub fn next_element_sibling<'js>(this: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Element<'js>>> {
    let mut n = next_sibling(this);
    while let Some(x) = n {
        if let Some(e) = downcast::<Element>(&x) {
            return Some(e);
        }
        n = next_sibling(&x);
    }
    None
}

/// The methods of ChildNode (and NonDocumentTypeChildNode with `with_element_siblings`).
#[macro_export]
macro_rules! child_node_methods {
    (with_element_siblings) => {
        fn previousElementSibling(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::childnode::previous_element_sibling(
                &this,
            ))
        }
        fn nextElementSibling(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::childnode::next_element_sibling(&this))
        }
        $crate::child_node_methods!();
    };
    () => {
        fn before(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::childnode::before(cx, nodes)
        }
        fn after(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::childnode::after(cx, nodes)
        }
        fn replaceWith(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::childnode::replace_with(cx, nodes)
        }
        fn remove(&self, cx: &Cx<'js>) -> Fallible<()> {
            $crate::dom::node::childnode::remove_(cx)
        }
    };
}
