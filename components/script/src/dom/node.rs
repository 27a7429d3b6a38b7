//! <https://dom.spec.whatwg.org/#interface-node>: the node tree and its mutation algorithms
//! (<https://dom.spec.whatwg.org/#mutation-algorithms>), plus the ParentNode, ChildNode and
//! NonDocumentTypeChildNode mixins every node type shares.
//!
//! Tree links are `Dom` references traced by the GC (parent <-> children cycles are fine).
//! There are no DocumentFragments, shadow trees, live ranges or mutation observers, so the
//! algorithms below leave out the steps that only concern those.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::NodeBinding::NodeMethods;
use crate::dom::bindings::codegen::{GetRootNodeOptions, NodeOrString};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
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

fn previous_sibling<'js>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Node<'js>>> {
    let parent = node.parent_node()?;
    let i = index_in_parent(node)?;
    let children = parent.children.borrow();
    i.checked_sub(1).and_then(|j| children.get(j).cloned())
}

fn next_sibling<'js>(node: &Dom<'js, Node<'js>>) -> Option<Dom<'js, Node<'js>>> {
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

/// <https://dom.spec.whatwg.org/#concept-node-clone>: a copy of `node` whose node document
/// is `document` (default: node's), with its descendants if `subtree`.
pub fn clone_node<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    document: Option<&Dom<'js, Document<'js>>>,
    subtree: bool,
) -> Fallible<Dom<'js, Node<'js>>> {
    use crate::dom::comment::Comment;
    use crate::dom::documenttype::DocumentType;
    let no_document = || Error::invalid_state("the node has no node document");
    let document = match document {
        Some(d) => d.clone(),
        None => node_document(node).ok_or_else(no_document)?,
    };
    // Steps 2-5. Copy the node itself.
    let copy: Dom<'js, Node<'js>> = match node.node_type {
        ELEMENT_NODE => {
            let e = downcast::<Element>(node).ok_or_else(no_document)?;
            let c = crate::dom::create::create_element(
                ctx,
                &document,
                e.qual_name().clone(),
                e.attrs_clone(),
                false,
            )?;
            // The script element's cloning steps: already started is copied.
            if let (Some(from), Some(to)) = (
                downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(node),
                downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(&c.upcast()),
            ) {
                if from.is_already_started() {
                    to.set_already_started();
                }
            }
            c.upcast()
        }
        TEXT_NODE => Text::create(ctx, &document, data_of(node))?.upcast(),
        COMMENT_NODE => Comment::create(ctx, &document, data_of(node))?.upcast(),
        CDATA_SECTION_NODE => {
            crate::dom::cdatasection::CDATASection::create(ctx, &document, data_of(node))?.upcast()
        }
        PROCESSING_INSTRUCTION_NODE => {
            let pi = downcast::<crate::dom::processinginstruction::ProcessingInstruction>(node)
                .ok_or_else(no_document)?;
            crate::dom::processinginstruction::ProcessingInstruction::create(
                ctx,
                &document,
                pi.target_().to_string(),
                data_of(node),
            )?
            .upcast()
        }
        DOCUMENT_TYPE_NODE => {
            let d = downcast::<DocumentType>(node).ok_or_else(no_document)?;
            DocumentType::create(
                ctx,
                &document,
                d.name_().to_string(),
                d.public_id_().to_string(),
                d.system_id_().to_string(),
            )?
            .upcast()
        }
        DOCUMENT_FRAGMENT_NODE => {
            crate::dom::documentfragment::DocumentFragment::create(ctx, &document)?.upcast()
        }
        DOCUMENT_NODE => {
            let d = downcast::<Document>(node).ok_or_else(no_document)?;
            d.clone_document(ctx)?.upcast()
        }
        _ => {
            return Err(Error::dom(
                DomErrorName::NotSupportedError,
                "this node cannot be cloned",
            ))
        }
    };
    // Step 6. A document's children belong to the copy.
    let child_document = if copy.is_document() {
        downcast::<Document>(&copy).ok_or_else(no_document)?
    } else {
        document
    };
    // Step 7. Clone the children (iteratively: trees can be deeper than the stack).
    if subtree {
        let mut stack = vec![(node.clone(), copy.clone())];
        while let Some((from, to)) = stack.pop() {
            for child in from.child_list() {
                let c = clone_node(ctx, &child, Some(&child_document), false)?;
                insert(ctx, &c, &to, None, true);
                stack.push((child, c));
            }
        }
    }
    Ok(copy)
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

fn hierarchy(msg: &str) -> Error {
    Error::dom(DomErrorName::HierarchyRequestError, msg.to_string())
}

/// <https://dom.spec.whatwg.org/#concept-node-ensure-pre-insertion-validity>
fn ensure_pre_insertion_validity<'js>(
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
    child: Option<&Dom<'js, Node<'js>>>,
) -> Fallible<()> {
    check_insertion(node, parent, child, None)
}

/// The checks "ensure pre-insertion validity" and "replace" share. For replace, `replaced` is
/// the child being replaced: it does not count as an existing element or doctype, and the
/// reference position is its own.
fn check_insertion<'js>(
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
    child: Option<&Dom<'js, Node<'js>>>,
    replaced: Option<&Dom<'js, Node<'js>>>,
) -> Fallible<()> {
    // Step 1. parent must be a Document, DocumentFragment, or Element.
    if !parent.is_document() && !parent.is_fragment() && !parent.is_element() {
        return Err(hierarchy("the parent cannot have children"));
    }
    // Step 2. node must not be a host-including inclusive ancestor of parent.
    if is_inclusive_ancestor(node, parent) {
        return Err(hierarchy(
            "a node cannot be inserted into itself or its descendant",
        ));
    }
    // Step 3. child's parent must be parent.
    if let Some(c) = child.or(replaced) {
        if !c.parent_node().is_some_and(|p| p.ptr_eq(parent)) {
            return Err(Error::dom(
                DomErrorName::NotFoundError,
                "the reference child is not a child of this node",
            ));
        }
    }
    // Step 4. node must be a DocumentFragment, DocumentType, Element, or CharacterData.
    if !(node.is_element()
        || node.is_fragment()
        || node.node_type == DOCUMENT_TYPE_NODE
        || node.is_character_data())
    {
        return Err(hierarchy("this kind of node cannot be inserted"));
    }
    // Step 5. No Text in a document; no doctype outside one.
    if (matches!(node.node_type, TEXT_NODE | CDATA_SECTION_NODE) && parent.is_document())
        || (node.node_type == DOCUMENT_TYPE_NODE && !parent.is_document())
    {
        return Err(hierarchy("this node cannot be a child of that parent"));
    }
    // Step 6. A document has at most one element and one doctype, doctype first.
    if !parent.is_document() {
        return Ok(());
    }
    let children: Vec<_> = parent
        .child_list()
        .into_iter()
        .filter(|c| !replaced.is_some_and(|r| r.ptr_eq(c)))
        .collect();
    let all = parent.child_list();
    let position = child
        .or(replaced)
        .and_then(|c| all.iter().position(|x| x.ptr_eq(c)));
    let doctype_after = position.is_some_and(|i| {
        all[i..]
            .iter()
            .any(|c| c.node_type == DOCUMENT_TYPE_NODE && !replaced.is_some_and(|r| r.ptr_eq(c)))
    });
    let element_before = position.is_some_and(|i| {
        all[..i]
            .iter()
            .any(|c| c.is_element() && !replaced.is_some_and(|r| r.ptr_eq(c)))
    });
    let has_element = children.iter().any(|c| c.is_element());
    let has_doctype = children.iter().any(|c| c.node_type == DOCUMENT_TYPE_NODE);
    let one_element_error = || hierarchy("a document can only have one element child");
    if node.is_fragment() {
        // A fragment with more than one element, or with Text, cannot go into a document;
        // with one element, as for an element.
        let kids = node.child_list();
        let elements = kids.iter().filter(|c| c.is_element()).count();
        if elements > 1 || kids.iter().any(|c| c.node_type == TEXT_NODE) {
            return Err(one_element_error());
        }
        if elements == 1 && (has_element || doctype_after) {
            return Err(one_element_error());
        }
    } else if node.is_element() {
        if has_element || doctype_after {
            return Err(one_element_error());
        }
    } else if node.node_type == DOCUMENT_TYPE_NODE
        && (has_doctype || element_before || (child.is_none() && replaced.is_none() && has_element))
    {
        return Err(hierarchy("a doctype must come first and only once"));
    }
    Ok(())
}

/// <https://dom.spec.whatwg.org/#concept-node-pre-insert>
pub fn pre_insert<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
    child: Option<&Dom<'js, Node<'js>>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    // Step 1. Ensure pre-insertion validity.
    ensure_pre_insertion_validity(node, parent, child)?;
    // Steps 2-3. Let referenceChild be child; if it is node, its next sibling.
    let mut reference = child.cloned();
    if reference.as_ref().is_some_and(|r| r.ptr_eq(node)) {
        reference = next_sibling(node);
    }
    // Step 4. Insert node into parent before referenceChild.
    insert(ctx, node, parent, reference.as_ref(), false);
    // Step 5. Return node.
    Ok(node.clone())
}

/// <https://dom.spec.whatwg.org/#concept-node-insert>
pub fn insert<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
    child: Option<&Dom<'js, Node<'js>>>,
    suppress_observers: bool,
) {
    // Steps 1-4. The nodes: a DocumentFragment's children (removed from it first, with
    // suppressed observers, and one record for the fragment), or node.
    let nodes = if node.is_fragment() {
        let kids = node.child_list();
        for k in &kids {
            remove_with(k, true);
        }
        if !kids.is_empty() && crate::dom::mutationobserver::observed(node) {
            crate::dom::mutationobserver::queue_record(
                node,
                crate::dom::mutationobserver::Mutation::ChildList {
                    added: Vec::new(),
                    removed: kids.clone(),
                    previous_sibling: None,
                    next_sibling: None,
                },
            );
        }
        kids
    } else {
        vec![node.clone()]
    };
    // Step 5 (for the record): previousSibling is child's previous sibling, or parent's last
    // child when there is no child.
    let previous = match child {
        Some(c) => previous_sibling(c),
        None => parent.child_list().last().cloned(),
    };
    // Step 7. Insert each node, running the insertion steps of its inclusive descendants.
    let mut inserted = Vec::new();
    for n in &nodes {
        inserted.extend(insert_without_post_connection(ctx, n, parent, child));
    }
    // Step 8. Queue a tree mutation record, unless suppressed.
    if !suppress_observers && !nodes.is_empty() && crate::dom::mutationobserver::observed(parent) {
        crate::dom::mutationobserver::queue_record(
            parent,
            crate::dom::mutationobserver::Mutation::ChildList {
                added: nodes.clone(),
                removed: Vec::new(),
                previous_sibling: previous,
                next_sibling: child.cloned(),
            },
        );
    }
    // Step 9. The children changed steps for parent.
    if !suppress_observers {
        children_changed_steps(ctx, parent);
    }
    // Steps 10-11. Then, once every node is in, the post-connection steps of each connected
    // inserted node (so a script sees its later siblings).
    for n in inserted {
        if is_connected(&n) {
            post_connection_steps(ctx, &n);
        }
    }
}

/// Step 7 of "insert" for one node: returns its inclusive descendants for the
/// post-connection steps.
fn insert_without_post_connection<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
    child: Option<&Dom<'js, Node<'js>>>,
) -> Vec<Dom<'js, Node<'js>>> {
    // Step 7.1. Adopt node into parent's node document (which removes it from its parent).
    if let Some(doc) = node_document(parent) {
        adopt(ctx, node, &doc);
    }
    // Steps 7.3-7.4. Append node to parent's children, or insert it before child.
    {
        let mut children = parent.children.borrow_mut();
        let at = child
            .and_then(|c| children.iter().position(|x| x.ptr_eq(c)))
            .unwrap_or(children.len());
        children.insert(at, node.clone());
    }
    *node.parent.borrow_mut() = Some(parent.clone());
    // Step 7.7. The insertion steps for each inclusive descendant, in tree order.
    let inserted = inclusive_descendants(node);
    for n in &inserted {
        insertion_steps(ctx, n);
    }
    inserted
}

/// Appends `node` to `parent` (<https://dom.spec.whatwg.org/#concept-node-append>).
pub fn append<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    pre_insert(ctx, node, parent, None)
}

/// The specifications' insertion steps of the node types that have some.
fn insertion_steps<'js>(ctx: &Ctx<'js>, node: &Dom<'js, Node<'js>>) {
    if let Some(meta) = downcast::<crate::dom::htmlmetaelement::HTMLMetaElement>(node) {
        crate::dom::htmlmetaelement::meta_insertion_steps(ctx, &meta);
    }
}

/// <https://html.spec.whatwg.org/#the-script-element>: a script's children changed steps.
fn children_changed_steps<'js>(ctx: &Ctx<'js>, parent: &Dom<'js, Node<'js>>) {
    if let Some(script) = downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(parent) {
        crate::dom::htmlscriptelement::post_connection_steps(ctx, &script);
    }
}

/// The post-connection steps of the node types that have some.
fn post_connection_steps<'js>(ctx: &Ctx<'js>, node: &Dom<'js, Node<'js>>) {
    if let Some(script) = downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(node) {
        crate::dom::htmlscriptelement::post_connection_steps(ctx, &script);
    }
}

/// <https://dom.spec.whatwg.org/#concept-node-adopt>
pub fn adopt<'js>(ctx: &Ctx<'js>, node: &Dom<'js, Node<'js>>, document: &Dom<'js, Document<'js>>) {
    let _ = ctx;
    // Step 2. If node's parent is non-null, remove node.
    if node.parent_node().is_some() {
        remove(node);
    }
    // Step 3. Set the node document of each inclusive descendant.
    for n in inclusive_descendants(node) {
        if !n.is_document() {
            *n.owner.borrow_mut() = Some(document.clone());
        }
    }
}

/// <https://dom.spec.whatwg.org/#concept-node-pre-remove>
fn pre_remove<'js>(
    child: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    // Step 1. If child's parent is not parent, throw a "NotFoundError" DOMException.
    if !child.parent_node().is_some_and(|p| p.ptr_eq(parent)) {
        return Err(Error::dom(
            DomErrorName::NotFoundError,
            "the node to remove is not a child of this node",
        ));
    }
    // Step 2. Remove child.
    remove(child);
    Ok(child.clone())
}

/// <https://dom.spec.whatwg.org/#concept-node-remove>
pub fn remove<'js>(node: &Dom<'js, Node<'js>>) {
    remove_with(node, false)
}

/// "Remove" with the suppress observers flag.
pub fn remove_with<'js>(node: &Dom<'js, Node<'js>>, suppress_observers: bool) {
    // Step 1. Let parent be node's parent; assert it is non-null.
    let Some(parent) = node.parent_node() else {
        return;
    };
    // Steps 9-10. The old siblings (for the record).
    let observed = crate::dom::mutationobserver::observed(node);
    let (old_previous, old_next) = if observed {
        (previous_sibling(node), next_sibling(node))
    } else {
        (None, None)
    };
    // Step 11. Remove node from its parent's children.
    node.parent.borrow_mut().take();
    parent.children.borrow_mut().retain(|c| !c.ptr_eq(node));
    // (No removing steps: none of the element types here has any.)
    if observed {
        // Step 15. Transient registered observers for the ancestors' subtree observers.
        crate::dom::mutationobserver::add_transient_observers(node, &parent);
        // Step 18. Queue a tree mutation record for parent, unless suppressed.
        if !suppress_observers {
            crate::dom::mutationobserver::queue_record(
                &parent,
                crate::dom::mutationobserver::Mutation::ChildList {
                    added: Vec::new(),
                    removed: vec![node.clone()],
                    previous_sibling: old_previous,
                    next_sibling: old_next,
                },
            );
        }
    }
}

/// <https://dom.spec.whatwg.org/#concept-node-replace-all>
pub fn replace_all<'js>(
    ctx: &Ctx<'js>,
    node: Option<&Dom<'js, Node<'js>>>,
    parent: &Dom<'js, Node<'js>>,
) {
    // Step 1. removedNodes: parent's children.
    let removed = parent.child_list();
    // Steps 2-4. addedNodes: a fragment's children, or node.
    let added = match node {
        Some(n) if n.is_fragment() => n.child_list(),
        Some(n) => vec![n.clone()],
        None => Vec::new(),
    };
    // Step 5. Adopt node.
    if let Some(n) = node {
        if let Some(doc) = node_document(parent) {
            adopt(ctx, n, &doc);
        }
    }
    // Step 6. Remove all children, with suppressed observers.
    for c in &removed {
        remove_with(c, true);
    }
    // Step 7. Insert node, with suppressed observers.
    if let Some(n) = node {
        insert(ctx, n, parent, None, true);
    }
    // Step 8. One tree mutation record, if anything changed.
    if (!added.is_empty() || !removed.is_empty()) && crate::dom::mutationobserver::observed(parent)
    {
        crate::dom::mutationobserver::queue_record(
            parent,
            crate::dom::mutationobserver::Mutation::ChildList {
                added,
                removed,
                previous_sibling: None,
                next_sibling: None,
            },
        );
    }
    children_changed_steps(ctx, parent);
}

/// <https://dom.spec.whatwg.org/#concept-node-replace>
pub fn replace<'js>(
    ctx: &Ctx<'js>,
    child: &Dom<'js, Node<'js>>,
    node: &Dom<'js, Node<'js>>,
    parent: &Dom<'js, Node<'js>>,
) -> Fallible<Dom<'js, Node<'js>>> {
    // Steps 1-6: the validity checks of pre-insert, with "child" being replaced.
    check_insertion(node, parent, None, Some(child))?;
    // Steps 7-8. referenceChild is child's next sibling (or node's, if that is node).
    let mut reference = next_sibling(child);
    if reference.as_ref().is_some_and(|r| r.ptr_eq(node)) {
        reference = next_sibling(node);
    }
    // Step 10. Adopt node into parent's node document.
    if let Some(doc) = node_document(parent) {
        adopt(ctx, node, &doc);
    }
    // Step 11. previousSibling (for the record).
    let previous = previous_sibling(child);
    // Step 12. If child's parent is non-null, remove it with suppressed observers.
    let removed = if child.parent_node().is_some() {
        remove_with(child, true);
        vec![child.clone()]
    } else {
        Vec::new()
    };
    // Step 13. The nodes (a fragment's children, or node).
    let added = if node.is_fragment() {
        node.child_list()
    } else {
        vec![node.clone()]
    };
    // Step 14. Insert node into parent before referenceChild.
    insert(ctx, node, parent, reference.as_ref(), true);
    // Step 15. Queue a tree mutation record.
    if crate::dom::mutationobserver::observed(parent) {
        crate::dom::mutationobserver::queue_record(
            parent,
            crate::dom::mutationobserver::Mutation::ChildList {
                added,
                removed,
                previous_sibling: previous,
                next_sibling: reference.clone(),
            },
        );
    }
    children_changed_steps(ctx, parent);
    // Step 15. Return child.
    Ok(child.clone())
}

/// <https://dom.spec.whatwg.org/#converting-nodes-into-a-node>: strings become Text nodes of
/// `document`; one node is itself, several are moved into a new DocumentFragment.
fn convert_nodes<'js>(
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
        append(ctx, n, &fragment)?;
    }
    Ok(fragment)
}

fn this_document<'js>(node: &Dom<'js, Node<'js>>) -> Fallible<Dom<'js, Document<'js>>> {
    node_document(node).ok_or_else(|| Error::invalid_state("the node has no node document"))
}

/// The ParentNode mixin (<https://dom.spec.whatwg.org/#interface-parentnode>).
pub mod parent_node {
    use super::*;

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
    pub fn query_selector_all<'js>(
        cx: &Cx<'js>,
        selectors: &str,
    ) -> Fallible<Dom<'js, NodeList<'js>>> {
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
        super::append(&cx.ctx, &node, &this).map(|_| ())
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
}

/// The ChildNode mixin (<https://dom.spec.whatwg.org/#interface-childnode>).
pub mod child_node {
    use super::*;

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

    pub fn previous_element_sibling<'js>(
        this: &Dom<'js, Node<'js>>,
    ) -> Option<Dom<'js, Element<'js>>> {
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
            $crate::dom::node::parent_node::query_selector(cx, &selectors)
        }
        fn querySelectorAll(
            &self,
            cx: &Cx<'js>,
            selectors: DOMString,
        ) -> Fallible<Dom<'js, $crate::dom::nodelist::NodeList<'js>>> {
            $crate::dom::node::parent_node::query_selector_all(cx, &selectors)
        }
        fn children(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::htmlcollection::HTMLCollection<'js>>> {
            let this = $crate::dom::node::this_node(cx)?;
            $crate::dom::node::parent_node::children(&cx.ctx, &this)
        }
        fn firstElementChild(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parent_node::first_element_child(&this))
        }
        fn lastElementChild(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parent_node::last_element_child(&this))
        }
        fn childElementCount(&self, cx: &Cx<'js>) -> Fallible<u32> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::parent_node::child_element_count(&this))
        }
        fn prepend(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parent_node::prepend(cx, nodes)
        }
        fn append(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parent_node::append(cx, nodes)
        }
        fn replaceChildren(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::parent_node::replace_children(cx, nodes)
        }
    };
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
            Ok($crate::dom::node::child_node::previous_element_sibling(
                &this,
            ))
        }
        fn nextElementSibling(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Option<Dom<'js, $crate::dom::element::Element<'js>>>> {
            let this = $crate::dom::node::this_node(cx)?;
            Ok($crate::dom::node::child_node::next_element_sibling(&this))
        }
        $crate::child_node_methods!();
    };
    () => {
        fn before(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::child_node::before(cx, nodes)
        }
        fn after(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::child_node::after(cx, nodes)
        }
        fn replaceWith(
            &self,
            cx: &Cx<'js>,
            nodes: Vec<$crate::dom::bindings::codegen::NodeOrString<'js>>,
        ) -> Fallible<()> {
            $crate::dom::node::child_node::replace_with(cx, nodes)
        }
        fn remove(&self, cx: &Cx<'js>) -> Fallible<()> {
            $crate::dom::node::child_node::remove_(cx)
        }
    };
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
        clone_node(&cx.ctx, &this_node(cx)?, None, subtree)
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
