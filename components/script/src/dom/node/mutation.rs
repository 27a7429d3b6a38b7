//! The DOM's mutation algorithms (<https://dom.spec.whatwg.org/#mutation-algorithms>) on the
//! node tree, with "adopt" and "clone a node": what `appendChild()`, `insertBefore()`, the
//! ParentNode/ChildNode methods, `innerHTML` and the parser all go through. Re-exported by
//! `node`, so callers say `node::insert`.
//!
//! There are no shadow trees or live ranges, so the algorithms leave out the steps that only
//! concern those. Mutation observers get their records here (`mutationobserver`).

use super::{
    data_of, downcast, inclusive_descendants, is_connected, is_inclusive_ancestor, next_sibling,
    node_document, previous_sibling, Node, CDATA_SECTION_NODE, COMMENT_NODE,
    DOCUMENT_FRAGMENT_NODE, DOCUMENT_NODE, DOCUMENT_TYPE_NODE, ELEMENT_NODE,
    PROCESSING_INSTRUCTION_NODE, TEXT_NODE,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::mutationobserver::{add_transient_observers, observed, queue_tree_mutation_record};
use crate::dom::text::Text;

fn hierarchy(msg: &str) -> Error {
    Error::dom(DomErrorName::HierarchyRequestError, msg.to_string())
}

/// <https://dom.spec.whatwg.org/#concept-node-ensure-pre-insertion-validity>
pub(super) fn ensure_pre_insertion_validity<'js>(
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
        if !kids.is_empty() && observed(node) {
            queue_tree_mutation_record(node, Vec::new(), kids.clone(), None, None);
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
    if !suppress_observers && !nodes.is_empty() && observed(parent) {
        queue_tree_mutation_record(parent, nodes.clone(), Vec::new(), previous, child.cloned());
    }
    // Step 9. The children changed steps for parent.
    if !suppress_observers {
        children_changed_steps(ctx, parent);
    }
    // Steps 10-11. Then, once every node is in, the post-connection steps of each connected
    // inserted node (so a script sees its later siblings). Only scripts have such steps;
    // whether one is connected is asked only for them (a walk to the root each: asking it
    // of every node of a deep subtree would cost its size times its depth).
    for n in inserted {
        if let Some(script) = downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(&n) {
            if is_connected(&n) {
                crate::dom::htmlscriptelement::post_connection_steps(ctx, &script);
            }
        } else if downcast::<crate::dom::htmliframeelement::HTMLIFrameElement>(&n).is_some()
            && is_connected(&n)
        {
            if let Some(iframe) = downcast::<crate::dom::element::Element>(&n) {
                crate::dom::htmliframeelement::post_connection_steps(ctx, &iframe);
            }
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
    if observed(parent) {
        queue_tree_mutation_record(parent, added, removed, previous, reference.clone());
    }
    children_changed_steps(ctx, parent);
    // Step 15. Return child.
    Ok(child.clone())
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
    if (!added.is_empty() || !removed.is_empty()) && observed(parent) {
        queue_tree_mutation_record(parent, added, removed, None, None);
    }
    children_changed_steps(ctx, parent);
}

/// <https://dom.spec.whatwg.org/#concept-node-pre-remove>
pub(super) fn pre_remove<'js>(
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
    let is_observed = observed(node);
    let (old_previous, old_next) = if is_observed {
        (previous_sibling(node), next_sibling(node))
    } else {
        (None, None)
    };
    // Step 8. The NodeIterator pre-removing steps of the node document's iterators.
    if let Some(document) = super::node_document(node) {
        let iterators = document.node_iterators.borrow().clone();
        for iterator in iterators {
            iterator.pre_removing_steps(node);
        }
        // HTML's removing steps: the focus fixup rule.
        crate::dom::focus::removed(&document, node);
    }
    // Step 11. Remove node from its parent's children.
    node.parent.borrow_mut().take();
    parent.children.borrow_mut().retain(|c| !c.ptr_eq(node));
    // Step 15's removing steps: the iframe's (destroy its child navigable), for node and its
    // descendants.
    if crate::nested::has_children() {
        crate::nested::removed(node.reflector().ctx(), node);
    }
    if is_observed {
        // Step 15. Transient registered observers for the ancestors' subtree observers.
        add_transient_observers(node, &parent);
        // Step 18. Queue a tree mutation record for parent, unless suppressed.
        if !suppress_observers {
            queue_tree_mutation_record(
                &parent,
                Vec::new(),
                vec![node.clone()],
                old_previous,
                old_next,
            );
        }
    }
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

/// <https://dom.spec.whatwg.org/#concept-node-adopt>
pub fn adopt<'js>(ctx: &Ctx<'js>, node: &Dom<'js, Node<'js>>, document: &Dom<'js, Document<'js>>) {
    let _ = ctx;
    // Step 2. If node's parent is non-null, remove node.
    if node.parent_node().is_some() {
        remove(node);
    }
    // Step 3. If document is not oldDocument: set the node document of each inclusive
    // descendant (moving a subtree within its document walks none of it).
    let old_document = node_document(node);
    if old_document.is_some_and(|old| old.ptr_eq(document)) {
        return;
    }
    for n in inclusive_descendants(node) {
        if !n.is_document() {
            *n.owner.borrow_mut() = Some(document.clone());
        }
    }
}

/// <https://dom.spec.whatwg.org/#concept-node-clone>: a copy of `node` whose node document
/// is `document` (default: node's), with its descendants if `subtree`.
pub fn clone_a_node<'js>(
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
            // The form controls' cloning steps: value, checkedness and their dirty flags.
            crate::dom::forms::cloning_steps(&e, &c);
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
                let c = clone_a_node(ctx, &child, Some(&child_document), false)?;
                insert(ctx, &c, &to, None, true);
                stack.push((child, c));
            }
        }
    }
    Ok(copy)
}
