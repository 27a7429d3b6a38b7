//! <https://dom.spec.whatwg.org/#interface-element> and HTMLCollection.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ElementBinding::ElementMethods;
use crate::dom::bindings::codegen::HTMLCollectionBinding::HTMLCollectionMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::node::{self, Node, ELEMENT_NODE};
use html5ever::{ns, QualName};

/// <https://dom.spec.whatwg.org/#concept-element>
pub struct Element<'js> {
    node: Node<'js>,
    /// Namespace, namespace prefix and local name.
    name: QualName,
    /// The attribute list: (qualified name, value), in order. Attributes have no namespace
    /// here (no setAttributeNS); the parser's foreign attributes keep their qualified name.
    attrs: DomRefCell<Vec<(String, String)>>,
}

impl<'js> HasParent<'js> for Element<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for Element<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer)
    }
}

/// <https://dom.spec.whatwg.org/#valid-element-local-name>
pub fn is_valid_element_local_name(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if first.is_ascii_alphabetic() {
        return !name
            .chars()
            .any(|c| c.is_ascii_whitespace() || matches!(c, '\0' | '/' | '>'));
    }
    if !(first == ':' || first == '_' || first as u32 >= 0x80) {
        return false;
    }
    chars.all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_') || c as u32 >= 0x80
    })
}

/// <https://dom.spec.whatwg.org/#valid-attribute-local-name>
fn is_valid_attribute_local_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_ascii_whitespace() || matches!(c, '\0' | '/' | '=' | '>'))
}

impl<'js> Element<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Element<'js> {
        Element {
            node: Node::new_inherited(ELEMENT_NODE, Some(document.clone())),
            name,
            attrs: DomRefCell::new(attrs),
        }
    }
    pub fn qual_name(&self) -> &QualName {
        &self.name
    }
    /// A copy of the attribute list (cloning).
    pub fn attrs_clone(&self) -> Vec<(String, String)> {
        self.attrs.borrow().clone()
    }
    pub fn local_name_(&self) -> &str {
        &self.name.local
    }
    pub fn is_html(&self) -> bool {
        self.name.ns == ns!(html)
    }
    fn qualified_name(&self) -> String {
        match &self.name.prefix {
            Some(p) => format!("{}:{}", p, self.name.local),
            None => self.name.local.to_string(),
        }
    }
    /// <https://dom.spec.whatwg.org/#element-html-uppercased-qualified-name>
    pub fn html_uppercased_qualified_name(&self) -> String {
        let q = self.qualified_name();
        if self.is_html() {
            q.to_ascii_uppercase()
        } else {
            q
        }
    }
    /// An HTML element in an HTML document matches attribute names in lowercase.
    fn normalize_name(&self, name: &str) -> String {
        if self.is_html() {
            name.to_ascii_lowercase()
        } else {
            name.to_string()
        }
    }
    /// <https://dom.spec.whatwg.org/#concept-element-attributes-get-by-name>
    pub fn get_attr(&self, name: &str) -> Option<String> {
        let name = self.normalize_name(name);
        self.attrs
            .borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
    pub fn has_attr(&self, name: &str) -> bool {
        self.get_attr(name).is_some()
    }
    /// Sets an attribute without the validity check (for reflected IDL attributes, whose
    /// names are valid). Returns the old value.
    pub fn set_attr(
        &self,
        ctx: &Ctx<'js>,
        this: &Dom<'js, Element<'js>>,
        name: &str,
        value: String,
    ) {
        let name = self.normalize_name(name);
        let old = {
            let mut attrs = self.attrs.borrow_mut();
            match attrs.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => Some(std::mem::replace(v, value)),
                None => {
                    attrs.push((name.clone(), value));
                    None
                }
            }
        };
        attribute_changed(ctx, this, &name, old.as_deref());
    }
    pub fn remove_attr(&self, ctx: &Ctx<'js>, this: &Dom<'js, Element<'js>>, name: &str) {
        let name = self.normalize_name(name);
        let old = {
            let mut attrs = self.attrs.borrow_mut();
            let i = attrs.iter().position(|(n, _)| *n == name);
            i.map(|i| attrs.remove(i).1)
        };
        if old.is_some() {
            attribute_changed(ctx, this, &name, old.as_deref());
        }
    }
    /// Reflects a boolean content attribute.
    pub fn set_bool_attr(
        &self,
        ctx: &Ctx<'js>,
        this: &Dom<'js, Element<'js>>,
        name: &str,
        on: bool,
    ) {
        if on {
            self.set_attr(ctx, this, name, String::new())
        } else {
            self.remove_attr(ctx, this, name)
        }
    }
}

/// The attribute change steps of the element types that have some.
fn attribute_changed<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    name: &str,
    old: Option<&str>,
) {
    if name == "src" && old.is_none() {
        let node = element.upcast::<Node>();
        if let Some(script) =
            node::downcast::<crate::dom::htmlscriptelement::HTMLScriptElement>(&node)
        {
            crate::dom::htmlscriptelement::src_attribute_set(ctx, &script);
        }
    }
}

/// `this` as an Element.
pub fn this_element<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Element<'js>>> {
    <Element as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

/// <https://dom.spec.whatwg.org/#concept-getelementsbyqualifiedname>: the live collection of
/// the descendants of `root` whose qualified name is `name` ("*" matches all).
pub fn elements_by_qualified_name<'js>(
    ctx: &Ctx<'js>,
    root: &Dom<'js, Node<'js>>,
    name: &str,
) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
    HTMLCollection::create(ctx, root, CollectionFilter::QualifiedName(name.to_string()))
}

impl<'js> ElementMethods<'js> for Element<'js> {
    fn namespaceURI(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        let ns: &str = &self.name.ns;
        Ok(if ns.is_empty() {
            None
        } else {
            Some(ns.to_string())
        })
    }
    fn prefix(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        Ok(self.name.prefix.as_ref().map(|p| p.to_string()))
    }
    fn localName(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.local.to_string())
    }
    fn tagName(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.html_uppercased_qualified_name())
    }
    fn id(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.get_attr("id").unwrap_or_default())
    }
    fn set_id(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_attr(&cx.ctx, &this_element(cx)?, "id", value);
        Ok(())
    }
    fn className(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.get_attr("class").unwrap_or_default())
    }
    fn set_className(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.set_attr(&cx.ctx, &this_element(cx)?, "class", value);
        Ok(())
    }
    fn hasAttributes(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(!self.attrs.borrow().is_empty())
    }
    fn getAttributeNames(&self, _cx: &Cx<'js>) -> Fallible<Vec<DOMString>> {
        Ok(self.attrs.borrow().iter().map(|(n, _)| n.clone()).collect())
    }
    /// <https://dom.spec.whatwg.org/#dom-element-getattribute>
    fn getAttribute(
        &self,
        _cx: &Cx<'js>,
        qualified_name: DOMString,
    ) -> Fallible<Option<DOMString>> {
        Ok(self.get_attr(&qualified_name))
    }
    /// <https://dom.spec.whatwg.org/#dom-element-setattribute>
    fn setAttribute(
        &self,
        cx: &Cx<'js>,
        qualified_name: DOMString,
        value: DOMString,
    ) -> Fallible<()> {
        // Step 1. If qualifiedName is not a valid attribute local name, throw an
        // "InvalidCharacterError" DOMException.
        if !is_valid_attribute_local_name(&qualified_name) {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{qualified_name}' is not a valid attribute name"),
            ));
        }
        // Steps 2-5. Lowercase for HTML; change or append the attribute.
        self.set_attr(&cx.ctx, &this_element(cx)?, &qualified_name, value);
        Ok(())
    }
    fn removeAttribute(&self, cx: &Cx<'js>, qualified_name: DOMString) -> Fallible<()> {
        self.remove_attr(&cx.ctx, &this_element(cx)?, &qualified_name);
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-element-toggleattribute>
    fn toggleAttribute(
        &self,
        cx: &Cx<'js>,
        qualified_name: DOMString,
        force: Option<bool>,
    ) -> Fallible<bool> {
        if !is_valid_attribute_local_name(&qualified_name) {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{qualified_name}' is not a valid attribute name"),
            ));
        }
        let this = this_element(cx)?;
        let present = self.has_attr(&qualified_name);
        match (present, force) {
            (false, None | Some(true)) => {
                self.set_attr(&cx.ctx, &this, &qualified_name, String::new());
                Ok(true)
            }
            (true, None | Some(false)) => {
                self.remove_attr(&cx.ctx, &this, &qualified_name);
                Ok(false)
            }
            (present, _) => Ok(present),
        }
    }
    fn hasAttribute(&self, _cx: &Cx<'js>, qualified_name: DOMString) -> Fallible<bool> {
        Ok(self.has_attr(&qualified_name))
    }
    fn getElementsByTagName(
        &self,
        cx: &Cx<'js>,
        qualified_name: DOMString,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        elements_by_qualified_name(&cx.ctx, &node::this_node(cx)?, &qualified_name)
    }
    /// <https://dom.spec.whatwg.org/#dom-element-closest>
    fn closest(
        &self,
        cx: &Cx<'js>,
        selectors: DOMString,
    ) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        crate::dom::selectors::matches_and_closest(&this_element(cx)?, &selectors, true)
    }
    /// <https://dom.spec.whatwg.org/#dom-element-matches>
    fn matches(&self, cx: &Cx<'js>, selectors: DOMString) -> Fallible<bool> {
        Ok(
            crate::dom::selectors::matches_and_closest(&this_element(cx)?, &selectors, false)?
                .is_some(),
        )
    }
    fn webkitMatchesSelector(&self, cx: &Cx<'js>, selectors: DOMString) -> Fallible<bool> {
        self.matches(cx, selectors)
    }
    crate::parent_node_methods!();
    crate::child_node_methods!(with_element_siblings);
}

/// What a live HTMLCollection collects, from its root.
pub enum CollectionFilter {
    /// getElementsByTagName: descendants by qualified name ("*": all).
    QualifiedName(String),
    /// ParentNode.children: the element children.
    Children,
}

/// <https://dom.spec.whatwg.org/#interface-htmlcollection>: live (computed from the tree at
/// every access).
pub struct HTMLCollection<'js> {
    root: Dom<'js, Node<'js>>,
    filter: CollectionFilter,
}

impl<'js> Trace<'js> for HTMLCollection<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.root.trace(tracer)
    }
}

impl<'js> HTMLCollection<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        root: &Dom<'js, Node<'js>>,
        filter: CollectionFilter,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        reflect_dom_object(
            ctx,
            HTMLCollection {
                root: root.clone(),
                filter,
            },
        )
    }

    /// The collection's elements now, in tree order.
    fn elements(&self) -> Vec<Dom<'js, Element<'js>>> {
        match &self.filter {
            CollectionFilter::Children => node::element_children(&self.root),
            CollectionFilter::QualifiedName(name) => {
                let lower = name.to_ascii_lowercase();
                node::descendants(&self.root)
                    .iter()
                    .filter_map(node::downcast::<Element>)
                    .filter(|e| {
                        name == "*"
                            || if e.is_html() {
                                e.qualified_name() == lower
                            } else {
                                e.qualified_name() == *name
                            }
                    })
                    .collect()
            }
        }
    }
}

impl<'js> HTMLCollectionMethods<'js> for HTMLCollection<'js> {
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.elements().len() as u32)
    }
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(self.elements().get(index as usize).cloned())
    }
    /// <https://dom.spec.whatwg.org/#dom-htmlcollection-nameditem>
    fn namedItem(&self, _cx: &Cx<'js>, key: DOMString) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        if key.is_empty() {
            return Ok(None);
        }
        Ok(self.elements().into_iter().find(|e| {
            e.get_attr("id").as_deref() == Some(&key)
                || (e.is_html() && e.get_attr("name").as_deref() == Some(&key))
        }))
    }
}

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

impl<'js> crate::dom::bindings::codegen::DocumentFragmentBinding::DocumentFragmentMethods<'js>
    for DocumentFragment<'js>
{
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
        let document = crate::dom::window::associated_document(&cx.ctx)
            .ok_or_else(|| Error::Type("there is no document in this global".into()))?;
        Ok(DocumentFragment {
            node: Node::new_inherited(node::DOCUMENT_FRAGMENT_NODE, Some(document)),
        })
    }
    crate::parent_node_methods!();
}
