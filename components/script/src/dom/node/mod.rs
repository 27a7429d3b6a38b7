//! <https://dom.spec.whatwg.org/#interface-node>: the Node interface and the node tree it
//! links (tree order, roots, siblings, text content, equality).
//!
//! Beside it: the mutation algorithms (insert, remove, replace, adopt, clone a node) in
//! `mutation.rs`, re-exported here so callers say `node::insert`; the ParentNode mixin in
//! `parentnode.rs` and the ChildNode (and NonDocumentTypeChildNode) mixin in `childnode.rs`.
//! They are submodules so they reach the tree links, which stay private to this module.
//!
//! Tree links are `Dom` references traced by the GC (parent <-> children cycles are fine).

pub mod childnode;
mod mutation;
pub mod parentnode;

use mutation::pre_remove;
pub use mutation::{
    adopt, append, clone_a_node, insert, pre_insert, remove, remove_with, replace, replace_all,
};

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::GetRootNodeOptions;
use crate::dom::bindings::codegen::NodeBinding::NodeMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::characterdata::CharacterData;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::eventtarget::EventTarget;
use crate::dom::nodelist::NodeList;
use crate::dom::text::Text;

pub const ELEMENT_NODE: u16 = 1;
pub const TEXT_NODE: u16 = 3;
pub const CDATA_SECTION_NODE: u16 = 4;
pub const PROCESSING_INSTRUCTION_NODE: u16 = 7;
pub const COMMENT_NODE: u16 = 8;
pub const DOCUMENT_NODE: u16 = 9;
pub const DOCUMENT_TYPE_NODE: u16 = 10;
pub const DOCUMENT_FRAGMENT_NODE: u16 = 11;

/// <https://dom.spec.whatwg.org/#concept-node>
pub struct Node<'js> {
    target: EventTarget<'js>,
    node_type: u16,
    /// The node document (None for a Document, which is its own).
    owner: DomRefCell<Option<Dom<'js, Document<'js>>>>,
    parent: DomRefCell<Option<Dom<'js, Node<'js>>>>,
    children: DomRefCell<Vec<Dom<'js, Node<'js>>>>,
    /// The registered observer list (MutationObserver).
    pub(crate) observers: crate::dom::mutationobserver::ObserverList<'js>,
    /// The [SameObject] childNodes list and children collection, once asked for.
    child_nodes: DomRefCell<Option<Dom<'js, NodeList<'js>>>>,
    children_collection:
        DomRefCell<Option<Dom<'js, crate::dom::htmlcollection::HTMLCollection<'js>>>>,
}

impl<'js> HasParent<'js> for Node<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.target
    }
}

impl<'js> Trace<'js> for Node<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer);
        self.owner.trace(tracer);
        self.parent.trace(tracer);
        self.children.trace(tracer);
        self.child_nodes.trace(tracer);
        self.children_collection.trace(tracer);
        self.observers.trace(tracer);
    }
}

impl<'js> Node<'js> {
    pub fn new_inherited(node_type: u16, owner: Option<Dom<'js, Document<'js>>>) -> Node<'js> {
        Node {
            target: EventTarget::new_inherited(),
            node_type,
            owner: DomRefCell::new(owner),
            parent: DomRefCell::new(None),
            children: DomRefCell::new(Vec::new()),
            child_nodes: DomRefCell::new(None),
            children_collection: DomRefCell::new(None),
            observers: DomRefCell::new(Vec::new()),
        }
    }
    pub fn node_type_(&self) -> u16 {
        self.node_type
    }
    pub fn parent_node(&self) -> Option<Dom<'js, Node<'js>>> {
        self.parent.borrow().clone()
    }
    /// A copy of the children list.
    pub fn child_list(&self) -> Vec<Dom<'js, Node<'js>>> {
        self.children.borrow().clone()
    }
    /// The child at `index`, if any (without copying the list).
    pub fn child_at(&self, index: usize) -> Option<Dom<'js, Node<'js>>> {
        self.children.borrow().get(index).cloned()
    }
    /// How many children the node has.
    pub fn child_count(&self) -> usize {
        self.children.borrow().len()
    }
    pub fn is_element(&self) -> bool {
        self.node_type == ELEMENT_NODE
    }
    pub fn is_document(&self) -> bool {
        self.node_type == DOCUMENT_NODE
    }
    pub fn is_fragment(&self) -> bool {
        self.node_type == DOCUMENT_FRAGMENT_NODE
    }
    fn is_character_data(&self) -> bool {
        matches!(
            self.node_type,
            TEXT_NODE | CDATA_SECTION_NODE | PROCESSING_INSTRUCTION_NODE | COMMENT_NODE
        )
    }
}

/// `this` as a Node (for the mixin methods, which only get `&self`).
pub fn this_node<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
    <Node as DomInterface>::unwrap(&cx.this).ok_or_else(|| Error::Type("Illegal invocation".into()))
}

/// The node as a more derived interface, if it implements it.
pub fn downcast<'js, T: DomInterface<'js>>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, T>> {
    T::unwrap(&node.reflector().clone().into_value())
}

/// <https://dom.spec.whatwg.org/#concept-node-document>
pub fn node_document<'js>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Document<'js>>> {
    if node.is_document() {
        return downcast::<Document>(node);
    }
    node.owner.borrow().clone()
}

/// <https://dom.spec.whatwg.org/#concept-tree-root>
pub fn root<'js>(node: &Dom<'js, Node<'js>>) -> Dom<'js, Node<'js>> {
    let mut n = node.clone();
    while let Some(p) = n.parent_node() {
        n = p;
    }
    n
}

/// <https://dom.spec.whatwg.org/#connected>: the root is a document.
pub fn is_connected<'js>(node: &Dom<'js, Node<'js>>) -> bool {
    root(node).is_document()
}

/// The descendants of `node` in tree order (not `node` itself).
pub fn descendants<'js>(node: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Node<'js>>> {
    // Iterative (a page can build trees deeper than the thread's stack).
    let mut out = Vec::new();
    let mut stack: Vec<Dom<'js, Node<'js>>> = node.child_list().into_iter().rev().collect();
    while let Some(n) = stack.pop() {
        stack.extend(n.child_list().into_iter().rev());
        out.push(n);
    }
    out
}

/// `node` and its descendants, in tree order.
pub fn inclusive_descendants<'js>(node: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Node<'js>>> {
    let mut out = vec![node.clone()];
    out.extend(descendants(node));
    out
}

/// <https://dom.spec.whatwg.org/#concept-tree-inclusive-ancestor>: is `a` an inclusive
/// ancestor of `b`?
pub fn is_inclusive_ancestor<'js>(a: &Dom<'js, Node<'js>>, b: &Dom<'js, Node<'js>>) -> bool {
    let mut n = Some(b.clone());
    while let Some(x) = n {
        if x.ptr_eq(a) {
            return true;
        }
        n = x.parent_node();
    }
    false
}

/// <https://dom.spec.whatwg.org/#concept-tree-index>
fn index_in_parent<'js>(node: &Dom<'js, Node<'js>>) -> Option<usize> {
    let parent = node.parent_node()?;
    let children = parent.children.borrow();
    children.iter().position(|c| c.ptr_eq(node))
}

pub(crate) fn previous_sibling<'js>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Node<'js>>> {
    let parent = node.parent_node()?;
    let i = index_in_parent(node)?;
    let children = parent.children.borrow();
    i.checked_sub(1).and_then(|j| children.get(j).cloned())
}

pub(crate) fn next_sibling<'js>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Node<'js>>> {
    let parent = node.parent_node()?;
    let i = index_in_parent(node)?;
    let children = parent.children.borrow();
    children.get(i + 1).cloned()
}

/// <https://dom.spec.whatwg.org/#concept-child-text-content>
pub fn child_text_content<'js>(node: &Dom<'js, Node<'js>>) -> String {
    let mut s = String::new();
    for c in node.child_list() {
        if matches!(c.node_type, TEXT_NODE | CDATA_SECTION_NODE) {
            if let Some(t) = downcast::<CharacterData>(&c) {
                s.push_str(&t.data_());
            }
        }
    }
    s
}

/// <https://dom.spec.whatwg.org/#concept-descendant-text-content>
pub fn descendant_text_content<'js>(node: &Dom<'js, Node<'js>>) -> String {
    let mut s = String::new();
    for c in descendants(node) {
        if matches!(c.node_type, TEXT_NODE | CDATA_SECTION_NODE) {
            if let Some(t) = downcast::<CharacterData>(&c) {
                s.push_str(&t.data_());
            }
        }
    }
    s
}

/// The element children of `node`.
pub fn element_children<'js>(node: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Element<'js>>> {
    node.child_list()
        .iter()
        .filter(|c| c.is_element())
        .filter_map(downcast::<Element>)
        .collect()
}

/// <https://dom.spec.whatwg.org/#dom-nonelementparentnode-getelementbyid>: the first
/// element descendant with that id, in tree order.
pub fn element_by_id<'js>(root: &Dom<'js, Node<'js>>, id: &str) -> Option<Dom<'js, Element<'js>>> {
    if id.is_empty() {
        return None;
    }
    descendants(root)
        .iter()
        .filter_map(downcast::<Element>)
        .find(|e| e.get_attr("id").as_deref() == Some(id))
}

fn data_of<'js>(node: &Dom<'js, Node<'js>>) -> String {
    downcast::<CharacterData>(node)
        .map(|c| c.data_())
        .unwrap_or_default()
}

/// <https://dom.spec.whatwg.org/#concept-node-equals>
fn nodes_equal<'js>(a: &Dom<'js, Node<'js>>, b: &Dom<'js, Node<'js>>) -> bool {
    // Iterative over pairs (trees can be deeper than the stack).
    let mut stack = vec![(a.clone(), b.clone())];
    while let Some((a, b)) = stack.pop() {
        if !shallow_equal(&a, &b) {
            return false;
        }
        let (ac, bc) = (a.child_list(), b.child_list());
        if ac.len() != bc.len() {
            return false;
        }
        stack.extend(ac.into_iter().zip(bc));
    }
    true
}

/// The per-node part of "equals" (type and its fields).
fn shallow_equal<'js>(a: &Dom<'js, Node<'js>>, b: &Dom<'js, Node<'js>>) -> bool {
    use crate::dom::documenttype::DocumentType;
    if a.node_type != b.node_type {
        return false;
    }
    match a.node_type {
        ELEMENT_NODE => match (downcast::<Element>(a), downcast::<Element>(b)) {
            (Some(x), Some(y)) => {
                let (xa, ya) = (x.attrs_clone(), y.attrs_clone());
                x.qual_name() == y.qual_name()
                    && xa.len() == ya.len()
                    && xa.iter().all(|attr| ya.contains(attr))
            }
            _ => false,
        },
        TEXT_NODE | CDATA_SECTION_NODE | COMMENT_NODE => data_of(a) == data_of(b),
        PROCESSING_INSTRUCTION_NODE => {
            use crate::dom::processinginstruction::ProcessingInstruction;
            data_of(a) == data_of(b)
                && downcast::<ProcessingInstruction>(a).map(|p| p.target_().to_string())
                    == downcast::<ProcessingInstruction>(b).map(|p| p.target_().to_string())
        }
        DOCUMENT_TYPE_NODE => match (downcast::<DocumentType>(a), downcast::<DocumentType>(b)) {
            (Some(x), Some(y)) => {
                x.name_() == y.name_()
                    && x.public_id_() == y.public_id_()
                    && x.system_id_() == y.system_id_()
            }
            _ => false,
        },
        _ => true,
    }
}

fn this_document<'js>(node: &Dom<'js, Node<'js>>) -> Fallible<Dom<'js, Document<'js>>> {
    node_document(node).ok_or_else(|| Error::invalid_state("the node has no node document"))
}

impl<'js> NodeMethods<'js> for Node<'js> {
    fn nodeType(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.node_type)
    }
    /// <https://dom.spec.whatwg.org/#dom-node-nodename>
    fn nodeName(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let this = this_node(cx)?;
        Ok(match self.node_type {
            ELEMENT_NODE => downcast::<Element>(&this)
                .map(|e| e.html_uppercased_qualified_name())
                .unwrap_or_default(),
            TEXT_NODE => "#text".into(),
            COMMENT_NODE => "#comment".into(),
            CDATA_SECTION_NODE => "#cdata-section".into(),
            PROCESSING_INSTRUCTION_NODE => {
                downcast::<crate::dom::processinginstruction::ProcessingInstruction>(&this)
                    .map(|p| p.target_().to_string())
                    .unwrap_or_default()
            }
            DOCUMENT_NODE => "#document".into(),
            DOCUMENT_FRAGMENT_NODE => "#document-fragment".into(),
            DOCUMENT_TYPE_NODE => downcast::<crate::dom::documenttype::DocumentType>(&this)
                .map(|d| d.name_().to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
    }
    /// <https://dom.spec.whatwg.org/#dom-node-baseuri>: the document base URL (no `<base>`).
    fn baseURI(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        let this = this_node(cx)?;
        Ok(this_document(&this)?.url_())
    }
    fn isConnected(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(is_connected(&this_node(cx)?))
    }
    /// <https://dom.spec.whatwg.org/#dom-node-ownerdocument>: null for a document.
    fn ownerDocument(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Document<'js>>>> {
        Ok(self.owner.borrow().clone())
    }
    fn getRootNode(
        &self,
        cx: &Cx<'js>,
        _options: GetRootNodeOptions,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        // No shadow trees: the shadow-including root is the root.
        Ok(root(&this_node(cx)?))
    }
    fn parentNode(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(self.parent_node())
    }
    fn parentElement(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(self.parent_node().and_then(|p| downcast::<Element>(&p)))
    }
    /// <https://dom.spec.whatwg.org/#dom-node-childnodes> ([SameObject], live).
    fn childNodes(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, NodeList<'js>>> {
        if let Some(l) = self.child_nodes.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = reflect_dom_object(&cx.ctx, NodeList::Children(this_node(cx)?))?;
        *self.child_nodes.borrow_mut() = Some(l.clone());
        Ok(l)
    }
    fn hasChildNodes(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(!self.children.borrow().is_empty())
    }
    fn firstChild(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(self.children.borrow().first().cloned())
    }
    fn lastChild(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(self.children.borrow().last().cloned())
    }
    fn previousSibling(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(previous_sibling(&this_node(cx)?))
    }
    fn nextSibling(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(next_sibling(&this_node(cx)?))
    }
    /// <https://dom.spec.whatwg.org/#dom-node-nodevalue>
    fn nodeValue(&self, cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        let this = this_node(cx)?;
        Ok(downcast::<CharacterData>(&this).map(|c| c.data_()))
    }
    fn set_nodeValue(&self, cx: &Cx<'js>, value: Option<DOMString>) -> Fallible<()> {
        let this = this_node(cx)?;
        if let Some(c) = downcast::<CharacterData>(&this) {
            let old = c.data_();
            c.replace_data_all(value.unwrap_or_default());
            crate::dom::characterdata::notify_data_change(&this, old);
        }
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-node-textcontent>
    fn textContent(&self, cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        let this = this_node(cx)?;
        Ok(match self.node_type {
            ELEMENT_NODE | DOCUMENT_FRAGMENT_NODE => Some(descendant_text_content(&this)),
            TEXT_NODE | CDATA_SECTION_NODE | PROCESSING_INSTRUCTION_NODE | COMMENT_NODE => {
                downcast::<CharacterData>(&this).map(|c| c.data_())
            }
            _ => None,
        })
    }
    fn set_textContent(&self, cx: &Cx<'js>, value: Option<DOMString>) -> Fallible<()> {
        let this = this_node(cx)?;
        let value = value.unwrap_or_default();
        match self.node_type {
            // String replace all: a Text node with the value (none if empty) replaces all.
            ELEMENT_NODE | DOCUMENT_FRAGMENT_NODE => {
                let node = if value.is_empty() {
                    None
                } else {
                    Some(Text::create(&cx.ctx, &this_document(&this)?, value)?.upcast::<Node>())
                };
                replace_all(&cx.ctx, node.as_ref(), &this);
            }
            TEXT_NODE | CDATA_SECTION_NODE | PROCESSING_INSTRUCTION_NODE | COMMENT_NODE => {
                if let Some(c) = downcast::<CharacterData>(&this) {
                    let old = c.data_();
                    c.replace_data_all(value);
                    crate::dom::characterdata::notify_data_change(&this, old);
                }
            }
            _ => {}
        }
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-node-normalize>: adjacent Text nodes are merged and
    /// empty ones removed, in every descendant.
    fn normalize(&self, cx: &Cx<'js>) -> Fallible<()> {
        let this = this_node(cx)?;
        // For each descendant exclusive Text node (in tree order).
        for node in descendants(&this) {
            if node.node_type != TEXT_NODE || node.parent_node().is_none() {
                continue;
            }
            let Some(text) = downcast::<CharacterData>(&node) else {
                continue;
            };
            // Step 2. An empty Text node is removed.
            if text.data_().is_empty() {
                remove(&node);
                continue;
            }
            // Steps 3-6. Append the data of the following contiguous Text nodes, then
            // remove them.
            let mut next = next_sibling(&node);
            while let Some(n) = next.filter(|n| n.node_type == TEXT_NODE) {
                if let Some(cd) = downcast::<CharacterData>(&n) {
                    text.append_str(&cd.data_());
                }
                next = next_sibling(&n);
                remove(&n);
            }
        }
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-node-comparedocumentposition>
    fn compareDocumentPosition(&self, cx: &Cx<'js>, other: Dom<'js, Node<'js>>) -> Fallible<u16> {
        const DISCONNECTED: u16 = 0x01;
        const PRECEDING: u16 = 0x02;
        const FOLLOWING: u16 = 0x04;
        const CONTAINS: u16 = 0x08;
        const CONTAINED_BY: u16 = 0x10;
        const IMPLEMENTATION_SPECIFIC: u16 = 0x20;
        let this = this_node(cx)?;
        // Step 1. The same node: 0.
        if this.ptr_eq(&other) {
            return Ok(0);
        }
        // (No Attr nodes, so node1 is other and node2 is this throughout.)
        // Step 6. Different trees: disconnected, implementation specific, and a consistent
        // order (by the objects' addresses).
        if !root(&this).ptr_eq(&root(&other)) {
            let order = if (&*this as *const Node<'js>) < (&*other as *const Node<'js>) {
                FOLLOWING
            } else {
                PRECEDING
            };
            return Ok(DISCONNECTED | IMPLEMENTATION_SPECIFIC | order);
        }
        // Step 7. other is an ancestor of this: contains + preceding.
        if is_inclusive_ancestor(&other, &this) {
            return Ok(CONTAINS | PRECEDING);
        }
        // Step 8. other is a descendant: contained by + following.
        if is_inclusive_ancestor(&this, &other) {
            return Ok(CONTAINED_BY | FOLLOWING);
        }
        // Steps 9-10. Otherwise tree order decides.
        let order = descendants(&root(&this));
        let this_index = order.iter().position(|n| n.ptr_eq(&this));
        let other_index = order.iter().position(|n| n.ptr_eq(&other));
        Ok(if other_index < this_index {
            PRECEDING
        } else {
            FOLLOWING
        })
    }
    /// <https://dom.spec.whatwg.org/#dom-node-clonenode>
    fn cloneNode(&self, cx: &Cx<'js>, subtree: bool) -> Fallible<Dom<'js, Node<'js>>> {
        // Step 1. (No shadow roots.) Step 2. Clone this.
        clone_a_node(&cx.ctx, &this_node(cx)?, None, subtree)
    }
    fn isEqualNode(&self, cx: &Cx<'js>, other: Option<Dom<'js, Node<'js>>>) -> Fallible<bool> {
        let this = this_node(cx)?;
        Ok(other.is_some_and(|o| nodes_equal(&this, &o)))
    }
    fn isSameNode(&self, cx: &Cx<'js>, other: Option<Dom<'js, Node<'js>>>) -> Fallible<bool> {
        let this = this_node(cx)?;
        Ok(other.is_some_and(|o| o.ptr_eq(&this)))
    }
    /// <https://dom.spec.whatwg.org/#dom-node-contains>
    fn contains(&self, cx: &Cx<'js>, other: Option<Dom<'js, Node<'js>>>) -> Fallible<bool> {
        let this = this_node(cx)?;
        Ok(other.is_some_and(|o| is_inclusive_ancestor(&this, &o)))
    }
    fn insertBefore(
        &self,
        cx: &Cx<'js>,
        node: Dom<'js, Node<'js>>,
        child: Option<Dom<'js, Node<'js>>>,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        pre_insert(&cx.ctx, &node, &this_node(cx)?, child.as_ref())
    }
    fn appendChild(
        &self,
        cx: &Cx<'js>,
        node: Dom<'js, Node<'js>>,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        append(&cx.ctx, &node, &this_node(cx)?)
    }
    fn replaceChild(
        &self,
        cx: &Cx<'js>,
        node: Dom<'js, Node<'js>>,
        child: Dom<'js, Node<'js>>,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        replace(&cx.ctx, &child, &node, &this_node(cx)?)
    }
    fn removeChild(
        &self,
        cx: &Cx<'js>,
        child: Dom<'js, Node<'js>>,
    ) -> Fallible<Dom<'js, Node<'js>>> {
        pre_remove(&child, &this_node(cx)?)
    }
}
