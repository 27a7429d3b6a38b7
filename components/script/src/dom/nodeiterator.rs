//! <https://dom.spec.whatwg.org/#interface-nodeiterator>, with the node iterator
//! pre-removing steps (the document keeps its iterators).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::NodeFilter;
use crate::dom::bindings::codegen::NodeIteratorBinding::NodeIteratorMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::node::{self, Node};
use crate::dom::treewalker::{Traverser, FILTER_ACCEPT};
use std::cell::Cell;

/// <https://dom.spec.whatwg.org/#nodeiterator>
pub struct NodeIterator<'js> {
    traverser: Traverser<'js>,
    reference: DomRefCell<Dom<'js, Node<'js>>>,
    pointer_before_reference: Cell<bool>,
}

impl<'js> Trace<'js> for NodeIterator<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.traverser.trace(tracer);
        self.reference.trace(tracer);
    }
}

/// The node following `n` in tree order, within `root` (its descendants first).
fn following<'js>(
    n: &Dom<'js, Node<'js>>,
    root: &Dom<'js, Node<'js>>,
) -> Option<Dom<'js, Node<'js>>> {
    if let Some(c) = n.child_at(0) {
        return Some(c);
    }
    let mut m = n.clone();
    loop {
        if m.ptr_eq(root) {
            return None;
        }
        if let Some(s) = node::next_sibling(&m) {
            return Some(s);
        }
        m = m.parent_node()?;
    }
}

/// The node preceding `n` in tree order, within `root`.
fn preceding<'js>(
    n: &Dom<'js, Node<'js>>,
    root: &Dom<'js, Node<'js>>,
) -> Option<Dom<'js, Node<'js>>> {
    if n.ptr_eq(root) {
        return None;
    }
    match node::previous_sibling(n) {
        Some(mut s) => {
            while let Some(last) = s.child_count().checked_sub(1).and_then(|i| s.child_at(i)) {
                s = last;
            }
            Some(s)
        }
        None => n.parent_node(),
    }
}

impl<'js> NodeIterator<'js> {
    pub fn new_inherited(traverser: Traverser<'js>) -> Self {
        let reference = traverser.root.clone();
        NodeIterator {
            traverser,
            reference: DomRefCell::new(reference),
            pointer_before_reference: Cell::new(true),
        }
    }

    /// <https://dom.spec.whatwg.org/#nodeiterator-pre-removing-steps>: `to_be_removed` is
    /// about to leave the tree.
    pub fn pre_removing_steps(&self, to_be_removed: &Dom<'js, Node<'js>>) {
        let root = &self.traverser.root;
        let reference = self.reference.borrow().clone();
        // Step 1. Not an inclusive ancestor of the reference node, or the root: return.
        if !node::is_inclusive_ancestor(to_be_removed, &reference)
            || node::is_inclusive_ancestor(to_be_removed, root)
        {
            return;
        }
        // Step 2. Pointer before the reference node: the first following node outside the
        // removed subtree, if any.
        if self.pointer_before_reference.get() {
            let mut next = None;
            let mut m = to_be_removed.clone();
            loop {
                if m.ptr_eq(root) {
                    break;
                }
                if let Some(s) = node::next_sibling(&m) {
                    next = Some(s);
                    break;
                }
                match m.parent_node() {
                    Some(p) => m = p,
                    None => break,
                }
            }
            if let Some(n) = next {
                *self.reference.borrow_mut() = n;
                return;
            }
            self.pointer_before_reference.set(false);
        }
        // Step 3. The node preceding the removed one (its parent if it has no previous
        // sibling; else that sibling's last inclusive descendant).
        let new_reference = match node::previous_sibling(to_be_removed) {
            Some(mut s) => {
                while let Some(last) = s.child_count().checked_sub(1).and_then(|i| s.child_at(i)) {
                    s = last;
                }
                Some(s)
            }
            None => to_be_removed.parent_node(),
        };
        if let Some(n) = new_reference {
            *self.reference.borrow_mut() = n;
        }
    }

    /// <https://dom.spec.whatwg.org/#concept-nodeiterator-traverse>
    fn traverse(&self, ctx: &Ctx<'js>, next: bool) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let root = &self.traverser.root;
        // Steps 1-2. node and beforeNode.
        let mut node = self.reference.borrow().clone();
        let mut before = self.pointer_before_reference.get();
        // Step 3. Loop.
        loop {
            if next {
                if !before {
                    match following(&node, root) {
                        Some(n) => node = n,
                        None => return Ok(None),
                    }
                } else {
                    before = false;
                }
            } else if before {
                match preceding(&node, root) {
                    Some(n) => node = n,
                    None => return Ok(None),
                }
            } else {
                before = true;
            }
            // Steps 3.2-3.3. Filter; accepted ends the loop.
            if self.traverser.filter_node(ctx, &node)? == FILTER_ACCEPT {
                break;
            }
        }
        // Steps 4-5. The reference node and pointer.
        *self.reference.borrow_mut() = node.clone();
        self.pointer_before_reference.set(before);
        Ok(Some(node))
    }
}

impl<'js> NodeIteratorMethods<'js> for NodeIterator<'js> {
    fn root(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
        Ok(self.traverser.root.clone())
    }
    fn referenceNode(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
        Ok(self.reference.borrow().clone())
    }
    fn pointerBeforeReferenceNode(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.pointer_before_reference.get())
    }
    fn whatToShow(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.traverser.what_to_show)
    }
    fn filter(&self, _cx: &Cx<'js>) -> Fallible<Option<NodeFilter<'js>>> {
        Ok(self.traverser.filter.clone())
    }
    fn nextNode(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse(&cx.ctx, true)
    }
    fn previousNode(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse(&cx.ctx, false)
    }
    /// <https://dom.spec.whatwg.org/#dom-nodeiterator-detach>: does nothing.
    fn detach(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Ok(())
    }
}
