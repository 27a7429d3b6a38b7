//! Selectors for `querySelector(All)`, `matches` and `closest`
//! (<https://dom.spec.whatwg.org/#scope-match-a-selectors-string>), with Servo's `selectors`
//! crate doing the parsing and matching.
//!
//! A query takes a snapshot of the element tree the node is in (an arena of indices), so the
//! crate's `Element` (which must be `Copy`) is an index into it. Pseudo-classes that need
//! user interaction or form state answer as a page nobody interacts with: `:hover`,
//! `:active`, `:focus*` and `:visited` never match; `:checked`/`:disabled`/`:enabled` read
//! the attributes; pseudo-elements never match an element.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};
use cssparser::{serialize_identifier, ToCss};
use precomputed_hash::PrecomputedHash;
use selectors::attr::{AttrSelectorOperation, CaseSensitivity, NamespaceConstraint};
use selectors::bloom::BloomFilter;
use selectors::context::{
    MatchingContext, MatchingForInvalidation, MatchingMode, NeedsSelectorFlags, QuirksMode,
    SelectorCaches,
};
use selectors::matching::ElementSelectorFlags;
use selectors::parser::{ParseRelative, SelectorList, SelectorParseErrorKind};
use selectors::OpaqueElement;
use std::borrow::Borrow;
use std::fmt;

/// A string for the selector types (identifiers, attribute values, names).
#[derive(Clone, Debug, Default, Eq, Hash, PartialEq)]
pub struct CssString(pub String);

impl ToCss for CssString {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        serialize_identifier(&self.0, dest)
    }
}

impl<'a> From<&'a str> for CssString {
    fn from(s: &'a str) -> Self {
        CssString(s.to_string())
    }
}

impl AsRef<str> for CssString {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for CssString {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PrecomputedHash for CssString {
    fn precomputed_hash(&self) -> u32 {
        // FNV-1a: only used to fill the crate's bloom filters.
        self.0.bytes().fold(0x811c9dc5u32, |h, b| {
            (h ^ b as u32).wrapping_mul(0x01000193)
        })
    }
}

/// The non-tree-structural pseudo-classes this engine parses.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum PseudoClass {
    Hover,
    Active,
    Focus,
    FocusWithin,
    FocusVisible,
    Link,
    AnyLink,
    Visited,
    Checked,
    Disabled,
    Enabled,
    Defined,
}

impl ToCss for PseudoClass {
    fn to_css<W: fmt::Write>(&self, dest: &mut W) -> fmt::Result {
        dest.write_str(match self {
            PseudoClass::Hover => ":hover",
            PseudoClass::Active => ":active",
            PseudoClass::Focus => ":focus",
            PseudoClass::FocusWithin => ":focus-within",
            PseudoClass::FocusVisible => ":focus-visible",
            PseudoClass::Link => ":link",
            PseudoClass::AnyLink => ":any-link",
            PseudoClass::Visited => ":visited",
            PseudoClass::Checked => ":checked",
            PseudoClass::Disabled => ":disabled",
            PseudoClass::Enabled => ":enabled",
            PseudoClass::Defined => ":defined",
        })
    }
}

impl selectors::parser::NonTSPseudoClass for PseudoClass {
    fn is_active_or_hover(&self) -> bool {
        matches!(self, PseudoClass::Active | PseudoClass::Hover)
    }
    fn is_user_action_state(&self) -> bool {
        matches!(
            self,
            PseudoClass::Active | PseudoClass::Hover | PseudoClass::Focus
        )
    }
}

/// No pseudo-elements are parsed (`::before` and friends are a SyntaxError here).
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum PseudoElement {}

impl ToCss for PseudoElement {
    fn to_css<W: fmt::Write>(&self, _dest: &mut W) -> fmt::Result {
        match *self {}
    }
}

impl selectors::parser::PseudoElement for PseudoElement {}

/// The selector implementation: strings for every name type.
#[derive(Clone, Debug)]
pub struct Impl;

impl selectors::parser::SelectorImpl for Impl {
    type ExtraMatchingData<'a> = ();
    type AttrValue = CssString;
    type Identifier = CssString;
    type LocalName = CssString;
    type NamespaceUrl = CssString;
    type NamespacePrefix = CssString;
    type BorrowedNamespaceUrl = str;
    type BorrowedLocalName = str;
    type NonTSPseudoClass = PseudoClass;
    type PseudoElement = PseudoElement;
}

struct SelectorParser;

impl<'i> selectors::parser::Parser<'i> for SelectorParser {
    type Impl = Impl;
    type Error = SelectorParseErrorKind;

    fn parse_is_and_where(&self) -> bool {
        true
    }
    fn parse_has(&self) -> bool {
        true
    }
    fn parse_nth_child_of(&self) -> bool {
        true
    }
    fn parse_non_ts_pseudo_class(
        &self,
        name: &str,
    ) -> Result<PseudoClass, cssparser::ParseError<Self::Error>> {
        let pc = match name.to_ascii_lowercase().as_str() {
            "hover" => PseudoClass::Hover,
            "active" => PseudoClass::Active,
            "focus" => PseudoClass::Focus,
            "focus-within" => PseudoClass::FocusWithin,
            "focus-visible" => PseudoClass::FocusVisible,
            "link" => PseudoClass::Link,
            "any-link" => PseudoClass::AnyLink,
            "visited" => PseudoClass::Visited,
            "checked" => PseudoClass::Checked,
            "disabled" => PseudoClass::Disabled,
            "enabled" => PseudoClass::Enabled,
            "defined" => PseudoClass::Defined,
            _ => {
                return Err(cssparser::ParseError::custom(
                    SelectorParseErrorKind::UnsupportedPseudoClassOrElement,
                ))
            }
        };
        Ok(pc)
    }
}

/// <https://drafts.csswg.org/selectors-4/#parse-a-selector>; failure is a "SyntaxError"
/// DOMException.
pub fn parse(selectors: &str) -> Fallible<SelectorList<Impl>> {
    let mut parser = cssparser::Parser::new(selectors);
    SelectorList::parse(&SelectorParser, &mut parser, ParseRelative::No).map_err(|_| {
        Error::dom(
            DomErrorName::SyntaxError,
            format!("'{selectors}' is not a valid selector"),
        )
    })
}

/// The element tree of one root, flattened: what `Elem` indexes into.
struct Tree<'js> {
    elements: Vec<Dom<'js, Element<'js>>>,
    parent: Vec<Option<usize>>,
    prev: Vec<Option<usize>>,
    next: Vec<Option<usize>>,
    first_child: Vec<Option<usize>>,
    /// Whether the element has a child that is not an element and not empty text/comments
    /// (for `:empty`): non-empty Text.
    has_content: Vec<bool>,
    /// Whether the element is the document element.
    is_root: Vec<bool>,
    /// Element (by the address of its Rust data) -> index.
    index: std::collections::HashMap<usize, usize>,
}

impl<'js> Tree<'js> {
    fn build(root: &Dom<'js, Node<'js>>) -> Tree<'js> {
        let mut t = Tree {
            elements: Vec::new(),
            parent: Vec::new(),
            prev: Vec::new(),
            next: Vec::new(),
            first_child: Vec::new(),
            has_content: Vec::new(),
            is_root: Vec::new(),
            index: std::collections::HashMap::new(),
        };
        match node::downcast::<Element>(root) {
            // A tree whose root is an element (not in a document): the root is element 0.
            Some(e) => {
                t.elements.push(e);
                t.parent.push(None);
                t.prev.push(None);
                t.next.push(None);
                t.first_child.push(None);
                t.has_content.push(false);
                t.is_root.push(false);
                t.walk(root, Some(0), false);
            }
            None => t.walk(root, None, root.is_document()),
        }
        t.index = t
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (key(e), i))
            .collect();
        t
    }

    /// Adds the element descendants of `node` in tree order (iteratively: trees can be
    /// deeper than the stack).
    fn walk(&mut self, node: &Dom<'js, Node<'js>>, parent: Option<usize>, at_document: bool) {
        // (node whose children to visit, its element index, whether it is the document)
        let mut stack = vec![(node.clone(), parent, at_document)];
        let mut pending: Vec<(Dom<'js, Node<'js>>, Option<usize>, bool)> = Vec::new();
        while let Some((n, parent, at_document)) = stack.pop() {
            let mut previous: Option<usize> = None;
            for child in n.child_list() {
                let Some(e) = node::downcast::<Element>(&child) else {
                    if let (Some(p), Some(cd)) = (
                        parent,
                        node::downcast::<crate::dom::characterdata::CharacterData>(&child),
                    ) {
                        if child.node_type_() == node::TEXT_NODE && !cd.data_().is_empty() {
                            self.has_content[p] = true;
                        }
                    }
                    continue;
                };
                let i = self.elements.len();
                self.elements.push(e);
                self.parent.push(parent);
                self.prev.push(previous);
                self.next.push(None);
                self.first_child.push(None);
                self.has_content.push(false);
                self.is_root.push(at_document);
                if let Some(p) = previous {
                    self.next[p] = Some(i);
                } else if let Some(p) = parent {
                    self.first_child[p] = Some(i);
                }
                previous = Some(i);
                pending.push((child, Some(i), false));
            }
            // Children are visited in order (the arena order is not tree order across
            // levels, which nothing relies on: results are put in tree order by the caller).
            stack.extend(pending.drain(..).rev());
        }
    }

    fn index_of(&self, e: &Dom<'js, Element<'js>>) -> Option<usize> {
        self.index.get(&key(e)).copied()
    }
}

/// An element's identity: the address of its Rust data (stable while it is alive).
fn key(e: &Dom<'_, Element<'_>>) -> usize {
    &**e as *const Element<'_> as usize
}

#[derive(Clone, Copy)]
struct Elem<'a, 'js> {
    tree: &'a Tree<'js>,
    i: usize,
}

impl fmt::Debug for Elem<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}>", self.e().local_name_())
    }
}

impl<'a, 'js> Elem<'a, 'js> {
    fn e(&self) -> &'a Dom<'js, Element<'js>> {
        &self.tree.elements[self.i]
    }
    fn at(&self, i: Option<usize>) -> Option<Self> {
        i.map(|i| Elem { tree: self.tree, i })
    }
    fn is_form_control(&self) -> bool {
        self.e().is_html()
            && matches!(
                self.e().local_name_(),
                "button" | "input" | "select" | "textarea" | "optgroup" | "option" | "fieldset"
            )
    }
}

impl<'a, 'js> selectors::Element for Elem<'a, 'js> {
    type Impl = Impl;

    fn opaque(&self) -> OpaqueElement {
        OpaqueElement::new(&**self.e())
    }
    fn parent_element(&self) -> Option<Self> {
        self.at(self.tree.parent[self.i])
    }
    fn parent_node_is_shadow_root(&self) -> bool {
        false
    }
    fn containing_shadow_host(&self) -> Option<Self> {
        None
    }
    fn is_pseudo_element(&self) -> bool {
        false
    }
    fn prev_sibling_element(&self) -> Option<Self> {
        self.at(self.tree.prev[self.i])
    }
    fn next_sibling_element(&self) -> Option<Self> {
        self.at(self.tree.next[self.i])
    }
    fn first_element_child(&self) -> Option<Self> {
        self.at(self.tree.first_child[self.i])
    }
    fn is_html_element_in_html_document(&self) -> bool {
        self.e().is_html()
    }
    fn has_local_name(&self, local_name: &str) -> bool {
        self.e().local_name_() == local_name
    }
    fn has_namespace(&self, ns: &str) -> bool {
        &*self.e().qual_name().ns == ns
    }
    fn is_same_type(&self, other: &Self) -> bool {
        let (a, b) = (self.e().qual_name(), other.e().qual_name());
        a.local == b.local && a.ns == b.ns
    }
    fn attr_matches(
        &self,
        ns: &NamespaceConstraint<&CssString>,
        local_name: &CssString,
        operation: &AttrSelectorOperation<&CssString>,
    ) -> bool {
        // Attributes have no namespace here: a specific non-empty namespace never matches.
        if let NamespaceConstraint::Specific(url) = ns {
            if !url.0.is_empty() {
                return false;
            }
        }
        match self.e().get_attr(&local_name.0) {
            Some(value) => operation.eval_str(&value),
            None => false,
        }
    }
    fn match_non_ts_pseudo_class(
        &self,
        pc: &PseudoClass,
        _context: &mut MatchingContext<Impl>,
    ) -> bool {
        let e = self.e();
        match pc {
            PseudoClass::Hover
            | PseudoClass::Active
            | PseudoClass::Focus
            | PseudoClass::FocusWithin
            | PseudoClass::FocusVisible
            | PseudoClass::Visited => false,
            PseudoClass::Link | PseudoClass::AnyLink => self.is_link(),
            PseudoClass::Checked => {
                e.is_html()
                    && ((e.local_name_() == "input" && e.has_attr("checked"))
                        || (e.local_name_() == "option" && e.has_attr("selected")))
            }
            PseudoClass::Disabled => self.is_form_control() && e.has_attr("disabled"),
            PseudoClass::Enabled => self.is_form_control() && !e.has_attr("disabled"),
            PseudoClass::Defined => true,
        }
    }
    fn match_pseudo_element(
        &self,
        pe: &PseudoElement,
        _context: &mut MatchingContext<Impl>,
    ) -> bool {
        match *pe {}
    }
    fn apply_selector_flags(&self, _flags: ElementSelectorFlags) {}
    fn is_link(&self) -> bool {
        let e = self.e();
        e.is_html() && matches!(e.local_name_(), "a" | "area") && e.has_attr("href")
    }
    fn is_html_slot_element(&self) -> bool {
        false
    }
    fn has_id(&self, id: &CssString, case_sensitivity: CaseSensitivity) -> bool {
        self.e()
            .get_attr("id")
            .is_some_and(|v| case_sensitivity.eq(v.as_bytes(), id.0.as_bytes()))
    }
    fn has_class(&self, name: &CssString, case_sensitivity: CaseSensitivity) -> bool {
        self.e().get_attr("class").is_some_and(|v| {
            v.split_ascii_whitespace()
                .any(|c| case_sensitivity.eq(c.as_bytes(), name.0.as_bytes()))
        })
    }
    fn has_custom_state(&self, _name: &CssString) -> bool {
        false
    }
    fn imported_part(&self, _name: &CssString) -> Option<CssString> {
        None
    }
    fn is_part(&self, _name: &CssString) -> bool {
        false
    }
    fn is_empty(&self) -> bool {
        self.tree.first_child[self.i].is_none() && !self.tree.has_content[self.i]
    }
    fn is_root(&self) -> bool {
        self.tree.is_root[self.i]
    }
    fn add_element_unique_hashes(&self, _filter: &mut BloomFilter) -> bool {
        false
    }
}

/// Runs `f` with a matching context scoped to `scope` (`:scope`).
fn with_context<R>(
    scope: Option<OpaqueElement>,
    quirks: bool,
    f: impl FnOnce(&mut MatchingContext<Impl>) -> R,
) -> R {
    let mut caches = SelectorCaches::default();
    let mut context = MatchingContext::new(
        MatchingMode::Normal,
        None,
        &mut caches,
        if quirks {
            QuirksMode::Quirks
        } else {
            QuirksMode::NoQuirks
        },
        NeedsSelectorFlags::No,
        MatchingForInvalidation::No,
    );
    context.scope_element = scope;
    f(&mut context)
}

fn quirks_of<'js>(node: &Dom<'js, Node<'js>>) -> bool {
    node::node_document(node).is_some_and(|d| d.is_quirks())
}

/// <https://dom.spec.whatwg.org/#scope-match-a-selectors-string> for querySelector(All): the
/// descendants of `node` that match, in tree order, with `node` as `:scope`.
pub fn query_all<'js>(
    node: &Dom<'js, Node<'js>>,
    selectors: &str,
) -> Fallible<Vec<Dom<'js, Element<'js>>>> {
    let list = parse(selectors)?;
    let root = node::root(node);
    let tree = Tree::build(&root);
    let scope = node::downcast::<Element>(node)
        .and_then(|e| tree.index_of(&e))
        .map(|i| selectors::Element::opaque(&Elem { tree: &tree, i }));
    let candidates: Vec<usize> = node::descendants(node)
        .iter()
        .filter_map(node::downcast::<Element>)
        .filter_map(|e| tree.index_of(&e))
        .collect();
    Ok(with_context(scope, quirks_of(node), |cx| {
        candidates
            .into_iter()
            .filter(|&i| {
                selectors::matching::matches_selector_list(&list, Elem { tree: &tree, i }, cx)
            })
            .map(|i| tree.elements[i].clone())
            .collect()
    }))
}

/// Whether `element` matches `selectors` (`matches()`), and the nearest inclusive ancestor
/// that does (`closest()`).
pub fn matches_and_closest<'js>(
    element: &Dom<'js, Element<'js>>,
    selectors: &str,
    closest: bool,
) -> Fallible<Option<Dom<'js, Element<'js>>>> {
    let list = parse(selectors)?;
    let as_node = element.upcast::<Node>();
    let tree = Tree::build(&node::root(&as_node));
    let Some(start) = tree.index_of(element) else {
        return Ok(None);
    };
    let scope = Some(selectors::Element::opaque(&Elem {
        tree: &tree,
        i: start,
    }));
    Ok(with_context(scope, quirks_of(&as_node), |cx| {
        let mut i = Some(start);
        while let Some(idx) = i {
            if selectors::matching::matches_selector_list(
                &list,
                Elem {
                    tree: &tree,
                    i: idx,
                },
                cx,
            ) {
                return Some(tree.elements[idx].clone());
            }
            if !closest {
                return None;
            }
            i = tree.parent[idx];
        }
        None
    }))
}
