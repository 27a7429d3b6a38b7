//! <https://dom.spec.whatwg.org/#interface-treewalker> and the traversal filter both
//! traversal interfaces use (<https://dom.spec.whatwg.org/#concept-node-filter>).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::NodeFilter;
use crate::dom::bindings::codegen::TreeWalkerBinding::TreeWalkerMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::node::{self, Node};
use std::cell::Cell;

pub const FILTER_ACCEPT: u16 = 1;
pub const FILTER_REJECT: u16 = 2;
pub const FILTER_SKIP: u16 = 3;

/// What a traverser (TreeWalker or NodeIterator) filters with.
pub struct Traverser<'js> {
    pub root: Dom<'js, Node<'js>>,
    pub what_to_show: u32,
    pub filter: Option<NodeFilter<'js>>,
    /// The active flag.
    active: Cell<bool>,
}

impl<'js> Trace<'js> for Traverser<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.root.trace(tracer);
        if let Some(f) = &self.filter {
            f.object.trace(tracer);
        }
    }
}

impl<'js> Traverser<'js> {
    pub fn new(
        root: Dom<'js, Node<'js>>,
        what_to_show: u32,
        filter: Option<NodeFilter<'js>>,
    ) -> Self {
        Traverser {
            root,
            what_to_show,
            filter,
            active: Cell::new(false),
        }
    }

    /// <https://dom.spec.whatwg.org/#concept-node-filter>
    pub fn filter_node(&self, ctx: &Ctx<'js>, node: &Dom<'js, Node<'js>>) -> Fallible<u16> {
        // Step 1. Active: InvalidStateError.
        if self.active.get() {
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the traversal's filter is already running",
            ));
        }
        // Steps 2-3. Not shown by whatToShow: skip.
        let n = u32::from(node.node_type_()) - 1;
        if self.what_to_show & (1 << n) == 0 {
            return Ok(FILTER_SKIP);
        }
        // Step 4. No filter: accept.
        let Some(filter) = &self.filter else {
            return Ok(FILTER_ACCEPT);
        };
        // Steps 5-8. Call acceptNode with the active flag set (exceptions rethrown).
        self.active.set(true);
        let result = filter.acceptNode(ctx, filter.object.clone().into_value(), node.clone());
        self.active.set(false);
        result
    }
}

/// <https://dom.spec.whatwg.org/#treewalker>
pub struct TreeWalker<'js> {
    traverser: Traverser<'js>,
    current: DomRefCell<Dom<'js, Node<'js>>>,
}

impl<'js> Trace<'js> for TreeWalker<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.traverser.trace(tracer);
        self.current.trace(tracer);
    }
}

impl<'js> TreeWalker<'js> {
    pub fn new_inherited(traverser: Traverser<'js>) -> Self {
        let current = traverser.root.clone();
        TreeWalker {
            traverser,
            current: DomRefCell::new(current),
        }
    }

    fn current(&self) -> Dom<'js, Node<'js>> {
        self.current.borrow().clone()
    }

    fn is_root(&self, n: &Dom<'js, Node<'js>>) -> bool {
        n.ptr_eq(&self.traverser.root)
    }

    /// <https://dom.spec.whatwg.org/#concept-traverse-children>
    fn traverse_children(
        &self,
        ctx: &Ctx<'js>,
        first: bool,
    ) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let child = |n: &Dom<'js, Node<'js>>| {
            if first {
                n.child_at(0)
            } else {
                n.child_count().checked_sub(1).and_then(|i| n.child_at(i))
            }
        };
        let sibling = |n: &Dom<'js, Node<'js>>| {
            if first {
                node::next_sibling(n)
            } else {
                node::previous_sibling(n)
            }
        };
        // Steps 1-2. Start at the first (last) child of the current node.
        let mut node = child(&self.current());
        // Step 3. While node is non-null.
        while let Some(n) = node.clone() {
            let result = self.traverser.filter_node(ctx, &n)?;
            // Step 3.2. Accept: the current node is node.
            if result == FILTER_ACCEPT {
                *self.current.borrow_mut() = n.clone();
                return Ok(Some(n));
            }
            // Step 3.3. Skip: descend into its children, if any.
            if result == FILTER_SKIP {
                if let Some(c) = child(&n) {
                    node = Some(c);
                    continue;
                }
            }
            // Step 3.4. Climb to a sibling.
            let mut m = n;
            loop {
                if let Some(s) = sibling(&m) {
                    node = Some(s);
                    break;
                }
                let parent = m.parent_node();
                match parent {
                    None => return Ok(None),
                    Some(p) if self.is_root(&p) || p.ptr_eq(&self.current()) => return Ok(None),
                    Some(p) => m = p,
                }
            }
        }
        Ok(None)
    }

    /// <https://dom.spec.whatwg.org/#concept-traverse-siblings>
    fn traverse_siblings(
        &self,
        ctx: &Ctx<'js>,
        next: bool,
    ) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let sibling = |n: &Dom<'js, Node<'js>>| {
            if next {
                node::next_sibling(n)
            } else {
                node::previous_sibling(n)
            }
        };
        let child = |n: &Dom<'js, Node<'js>>| {
            if next {
                n.child_at(0)
            } else {
                n.child_count().checked_sub(1).and_then(|i| n.child_at(i))
            }
        };
        // Steps 1-2. The root has no siblings to walk.
        let mut node = self.current();
        if self.is_root(&node) {
            return Ok(None);
        }
        // Step 3. Loop.
        loop {
            let mut sib = sibling(&node);
            // Step 3.2. While sibling is non-null.
            while let Some(s) = sib {
                node = s.clone();
                let result = self.traverser.filter_node(ctx, &node)?;
                if result == FILTER_ACCEPT {
                    *self.current.borrow_mut() = node.clone();
                    return Ok(Some(node));
                }
                sib = child(&node);
                if result == FILTER_REJECT || sib.is_none() {
                    sib = sibling(&node);
                }
            }
            // Steps 3.3-3.5. Up to the parent; stop at the root or an accepted parent.
            let Some(parent) = node.parent_node() else {
                return Ok(None);
            };
            node = parent;
            if self.is_root(&node) {
                return Ok(None);
            }
            if self.traverser.filter_node(ctx, &node)? == FILTER_ACCEPT {
                return Ok(None);
            }
        }
    }
}

impl<'js> TreeWalkerMethods<'js> for TreeWalker<'js> {
    fn root(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
        Ok(self.traverser.root.clone())
    }
    fn whatToShow(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.traverser.what_to_show)
    }
    fn filter(&self, _cx: &Cx<'js>) -> Fallible<Option<NodeFilter<'js>>> {
        Ok(self.traverser.filter.clone())
    }
    fn currentNode(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
        Ok(self.current())
    }
    fn set_currentNode(&self, _cx: &Cx<'js>, value: Dom<'js, Node<'js>>) -> Fallible<()> {
        *self.current.borrow_mut() = value;
        Ok(())
    }

    /// <https://dom.spec.whatwg.org/#dom-treewalker-parentnode>
    fn parentNode(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let mut node = Some(self.current());
        while let Some(n) = node {
            if self.is_root(&n) {
                break;
            }
            node = n.parent_node();
            if let Some(p) = &node {
                if self.traverser.filter_node(&cx.ctx, p)? == FILTER_ACCEPT {
                    *self.current.borrow_mut() = p.clone();
                    return Ok(Some(p.clone()));
                }
            }
        }
        Ok(None)
    }
    fn firstChild(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse_children(&cx.ctx, true)
    }
    fn lastChild(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse_children(&cx.ctx, false)
    }
    fn previousSibling(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse_siblings(&cx.ctx, false)
    }
    fn nextSibling(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        self.traverse_siblings(&cx.ctx, true)
    }

    /// <https://dom.spec.whatwg.org/#dom-treewalker-previousnode>
    fn previousNode(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let ctx = &cx.ctx;
        let mut node = self.current();
        // Step 2. While node is not root.
        while !self.is_root(&node) {
            let mut sibling = node::previous_sibling(&node);
            // Step 2.2. While sibling is non-null: its last descendant the filter takes.
            while let Some(s) = sibling {
                node = s;
                let mut result = self.traverser.filter_node(ctx, &node)?;
                while result != FILTER_REJECT && node.child_count() > 0 {
                    node = node.child_at(node.child_count() - 1).expect("a last child");
                    result = self.traverser.filter_node(ctx, &node)?;
                }
                if result == FILTER_ACCEPT {
                    *self.current.borrow_mut() = node.clone();
                    return Ok(Some(node));
                }
                sibling = node::previous_sibling(&node);
            }
            // Steps 2.3-2.5. The parent, if the filter accepts it.
            if self.is_root(&node) {
                return Ok(None);
            }
            let Some(parent) = node.parent_node() else {
                return Ok(None);
            };
            node = parent;
            if self.traverser.filter_node(ctx, &node)? == FILTER_ACCEPT {
                *self.current.borrow_mut() = node.clone();
                return Ok(Some(node));
            }
        }
        Ok(None)
    }

    /// <https://dom.spec.whatwg.org/#dom-treewalker-nextnode>
    fn nextNode(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        let ctx = &cx.ctx;
        let mut node = self.current();
        let mut result = FILTER_ACCEPT;
        loop {
            // Step 3.1. Descend while not rejected.
            while result != FILTER_REJECT && node.child_count() > 0 {
                node = node.child_at(0).expect("a first child");
                result = self.traverser.filter_node(ctx, &node)?;
                if result == FILTER_ACCEPT {
                    *self.current.borrow_mut() = node.clone();
                    return Ok(Some(node));
                }
            }
            // Steps 3.2-3.3. The next node following, not leaving root.
            let mut sibling = None;
            let mut temporary = Some(node.clone());
            while let Some(t) = temporary {
                if self.is_root(&t) {
                    return Ok(None);
                }
                sibling = node::next_sibling(&t);
                if sibling.is_some() {
                    break;
                }
                temporary = t.parent_node();
            }
            let Some(s) = sibling else { return Ok(None) };
            // Steps 3.4-3.5. Filter it.
            node = s;
            result = self.traverser.filter_node(ctx, &node)?;
            if result == FILTER_ACCEPT {
                *self.current.borrow_mut() = node.clone();
                return Ok(Some(node));
            }
        }
    }
}

/// NodeFilter's legacy callback interface object (WebIDL §3.7.8): a function that throws
/// when called, with the interface's constants. The generator has no callback interface
/// objects yet; this runs before any script of a window's realm.
const NODE_FILTER_JS: &str = r#"(() => {
  "use strict";
  const NodeFilter = function NodeFilter() { throw new TypeError("Illegal constructor"); };
  const constants = {
    FILTER_ACCEPT: 1, FILTER_REJECT: 2, FILTER_SKIP: 3,
    SHOW_ALL: 0xFFFFFFFF, SHOW_ELEMENT: 0x1, SHOW_ATTRIBUTE: 0x2, SHOW_TEXT: 0x4,
    SHOW_CDATA_SECTION: 0x8, SHOW_ENTITY_REFERENCE: 0x10, SHOW_ENTITY: 0x20,
    SHOW_PROCESSING_INSTRUCTION: 0x40, SHOW_COMMENT: 0x80, SHOW_DOCUMENT: 0x100,
    SHOW_DOCUMENT_TYPE: 0x200, SHOW_DOCUMENT_FRAGMENT: 0x400, SHOW_NOTATION: 0x800,
  };
  for (const [name, value] of Object.entries(constants)) {
    Object.defineProperty(NodeFilter, name, { value, enumerable: true });
  }
  Object.defineProperty(NodeFilter, "prototype", { value: undefined, writable: false });
  Object.defineProperty(globalThis, "NodeFilter", { value: NodeFilter, writable: true, configurable: true });
})();"#;

/// Installs `NodeFilter` in a window's realm.
pub fn install_node_filter(ctx: &Ctx<'_>) -> Fallible<()> {
    let mut options = rquickjs::context::EvalOptions::default();
    options.global = true;
    options.strict = true;
    options.filename = Some("node-filter".into());
    ctx.eval_with_options::<(), _>(NODE_FILTER_JS, options)?;
    Ok(())
}
