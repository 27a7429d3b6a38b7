//! The ParentNode mixin (<https://dom.spec.whatwg.org/#interface-parentnode>), which
//! Document, DocumentFragment and Element include: its operations, "converting nodes into a
//! node", and `parent_node_methods!` for the including interfaces' `...Methods` impls.

use super::mutation::ensure_pre_insertion_validity;
use super::{append as append_node, pre_insert, replace_all};
use super::{element_children, this_document, this_node, Node};
use crate::dom::bindings::codegen::NodeOrString;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::nodelist::NodeList;
use crate::dom::text::Text;

pub fn first_element_child<'js>(this: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Element<'js>>> {
    element_children(this).into_iter().next()
}
pub fn last_element_child<'js>(this: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Element<'js>>> {
    element_children(this).into_iter().last()
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-queryselector>
pub fn query_selector<'js>(
    cx: &Cx<'js>,
    selectors: &str,
) -> Fallible<Option<Dom<'js, Element<'js>>>> {
    let this = this_node(cx)?;
    Ok(crate::dom::selectors::query_all(&this, selectors)?
        .into_iter()
        .next())
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-queryselectorall>: a static NodeList.
pub fn query_selector_all<'js>(cx: &Cx<'js>, selectors: &str) -> Fallible<Dom<'js, NodeList<'js>>> {
    let this = this_node(cx)?;
    let found = crate::dom::selectors::query_all(&this, selectors)?;
    reflect_dom_object(
        &cx.ctx,
        NodeList::Static(found.iter().map(|e| e.upcast()).collect()),
    )
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-children> ([SameObject], live).
pub fn children<'js>(
    ctx: &Ctx<'js>,
    this: &Dom<'js, Node<'js>>,
) -> Fallible<Dom<'js, crate::dom::htmlcollection::HTMLCollection<'js>>> {
    if let Some(c) = this.children_collection.borrow().as_ref() {
        return Ok(c.clone());
    }
    let c = crate::dom::htmlcollection::HTMLCollection::create(
        ctx,
        this,
        crate::dom::htmlcollection::CollectionFilter::Children,
    )?;
    *this.children_collection.borrow_mut() = Some(c.clone());
    Ok(c)
}
pub fn child_element_count<'js>(this: &Dom<'js, Node<'js>>) -> u32 {
    element_children(this).len() as u32
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-prepend>
pub fn prepend<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    // Step 1. Convert nodes into a node (moving them), then pre-insert before the first
    // child as it is after that.
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    let first = this.child_list().first().cloned();
    pre_insert(&cx.ctx, &node, &this, first.as_ref()).map(|_| ())
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-append>
pub fn append<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    append_node(&cx.ctx, &node, &this).map(|_| ())
}
/// <https://dom.spec.whatwg.org/#dom-parentnode-replacechildren>
pub fn replace_children<'js>(cx: &Cx<'js>, nodes: Vec<NodeOrString<'js>>) -> Fallible<()> {
    let this = this_node(cx)?;
    let node = convert_nodes(&cx.ctx, nodes, &this_document(&this)?)?;
    // Steps 2-3. Ensure pre-insertion validity, then replace all.
    ensure_pre_insertion_validity(&node, &this, None)?;
    replace_all(&cx.ctx, Some(&node), &this);
    Ok(())
}

/// <https://dom.spec.whatwg.org/#converting-nodes-into-a-node>: strings become Text nodes of
/// `document`; one node is itself, several are moved into a new DocumentFragment.
pub(super) fn convert_nodes<'js>(
    ctx: &Ctx<'js>,
    nodes: Vec<NodeOrString<'js>>,
    document: &Dom<'js, Document<'js>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    let mut list: Vec<Dom<'js, Node<'js>>> = nodes
        .into_iter()
        .map(|n| match n {
            NodeOrString::Node(n) => Ok(n),
            NodeOrString::String(s) => Ok(Text::create(ctx, document, s)?.upcast::<Node>()),
        })
        .collect::<Fallible<_>>()?;
    if list.len() == 1 {
        return Ok(list.remove(0));
    }
    let fragment =
        crate::dom::documentfragment::DocumentFragment::create(ctx, document)?.upcast::<Node>();
    for n in &list {
        append_node(ctx, n, &fragment)?;
    }
    Ok(fragment)
}

/// The methods of ParentNode for an interface that includes it (inside its `...Methods` impl).
#[macro_export]
macro_rules! parent_node_methods {
    () => {
        fn querySelector(
            &self,
            cx: &Cx<'js>,
            selectors: DOMString,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            $crate::dom::node::parentnode::query_selector(cx, &selectors)
        }
        fn querySelectorAll(
            &self,
            cx: &Cx<'js>,
            selectors: DOMString,
        ) -> Fallible<Dom<'js, $crate::dom::nodelist::NodeList<'js>>> {
            $crate::dom::node::parentnode::query_selector_all(cx, &selectors)
        }
        fn children(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::htmlcollection::HTMLCollection<'js>>> {
            let this = $crate::dom::node::this_node(cx)?;
            $crate::dom::node::parentnode::children(&cx.ctx, &this)
        }
        fn firstElementChild(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parentnode::first_element_child(&this))
        }
        fn lastElementChild(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parentnode::last_element_child(&this))
        }
        fn childElementCount(&self, cx: &Cx<'js>) -> Fallible<u32> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parentnode::child_element_count(&this))
        }
        fn prepend(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parentnode::prepend(cx, nodes)
        }
        fn append(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parentnode::append(cx, nodes)
        }
        fn replaceChildren(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parentnode::replace_children(cx, nodes)
        }
    };
}
