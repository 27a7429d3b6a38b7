//! <https://dom.spec.whatwg.org/#interface-element>: attributes, the name validity checks,
//! and the Element methods (the live collections they return are in
//! [`crate::dom::htmlcollection`], `classList` in [`crate::dom::domtokenlist`]).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ElementBinding::ElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::documentfragment::DocumentFragment;
use crate::dom::domtokenlist::{ordered_set, DOMTokenList};
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
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
    /// The [SameObject] classList, once asked for.
    class_list: DomRefCell<Option<Dom<'js, DOMTokenList<'js>>>>,
    /// Element-reference reflection (HTML "reflecting content attributes", `Element?` and
    /// `FrozenArray<Element>?`): each content attribute's explicitly set attr-element(s).
    /// The spec's references are weak; these are traced strong ones (what a page can
    /// observe of the difference is GC timing through WeakRef alone).
    pub(crate) attr_elements: DomRefCell<Vec<(String, Vec<Dom<'js, Element<'js>>>)>>,
    /// A `FrozenArray<Element>?` attribute's cached attr-associated elements and the frozen
    /// array made of them (returned again while the elements stay the same).
    pub(crate) cached_attr_elements: DomRefCell<Vec<CachedAttrElements<'js>>>,
}

/// See [`Element::cached_attr_elements`].
pub(crate) struct CachedAttrElements<'js> {
    pub name: String,
    pub elements: Option<Vec<Dom<'js, Element<'js>>>>,
    pub array: Option<FrozenArray<'js>>,
}

impl<'js> HasParent<'js> for Element<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for Element<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer);
        self.class_list.trace(tracer);
        for (_, elements) in self.attr_elements.borrow().iter() {
            for e in elements {
                e.trace(tracer);
            }
        }
        for cached in self.cached_attr_elements.borrow().iter() {
            for e in cached.elements.iter().flatten() {
                e.trace(tracer);
            }
            cached.array.trace(tracer);
        }
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

/// <https://www.w3.org/TR/xml/#NT-Name>
pub fn is_xml_name(name: &str) -> bool {
    let start = |c: char| {
        c == ':'
            || c == '_'
            || c.is_ascii_alphabetic()
            || matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D
                | 0x37F..=0x1FFF | 0x200C..=0x200D | 0x2070..=0x218F | 0x2C00..=0x2FEF
                | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
    };
    let rest = |c: char| {
        start(c)
            || c == '-'
            || c == '.'
            || c.is_ascii_digit()
            || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
    };
    let mut chars = name.chars();
    chars.next().is_some_and(start) && chars.all(rest)
}

/// <https://dom.spec.whatwg.org/#valid-attribute-local-name>
pub(crate) fn is_valid_attribute_local_name(name: &str) -> bool {
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
            class_list: DomRefCell::new(None),
            attr_elements: DomRefCell::new(Vec::new()),
            cached_attr_elements: DomRefCell::new(Vec::new()),
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
    pub(crate) fn qualified_name(&self) -> String {
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
    // A reflected element reference's attribute change steps: setting or removing the
    // content attribute forgets the explicitly set attr-element(s).
    element
        .attr_elements
        .borrow_mut()
        .retain(|(n, _)| n != name);
    // "Handle attribute changes": queue an "attributes" mutation record.
    let as_node = element.upcast::<Node>();
    if crate::dom::mutationobserver::observed(&as_node) {
        crate::dom::mutationobserver::queue_record(
            &as_node,
            crate::dom::mutationobserver::Mutation::Attributes {
                name: name.to_string(),
                old_value: old.map(str::to_string),
            },
        );
    }
    // An event handler content attribute sets (or, removed, clears) its handler.
    if name.starts_with("on") {
        let value = element.get_attr(name);
        crate::dom::inline_event_handlers::attribute_changed(ctx, element, name, value.as_deref());
    }
    // The img and media elements' relevant mutations
    // (<https://html.spec.whatwg.org/#relevant-mutations>, the media element's src).
    if element.is_html() && matches!(name, "src" | "srcset" | "crossorigin" | "sizes") {
        match element.local_name_() {
            "img" => crate::dom::htmlimageelement::update_the_image_data(ctx, element),
            "audio" | "video" if name == "src" => {
                crate::dom::htmlmediaelement::media_element_load_algorithm(ctx, element)
            }
            _ => {}
        }
    }
    if matches!(name, "src" | "srcdoc") && element.is_html() && element.local_name_() == "iframe" {
        crate::dom::htmliframeelement::attribute_changed(ctx, element, name);
    }
    if name == "open" && element.is_html() && element.local_name_() == "details" {
        crate::dom::htmldetailselement::open_changed(ctx, element, old.is_some());
    }
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

/// <https://dom.spec.whatwg.org/#concept-getelementsbyclassname>: the live collection of the
/// descendants of `root` that have all the given classes (none given: an empty collection).
pub fn elements_by_class_name<'js>(
    ctx: &Ctx<'js>,
    root: &Dom<'js, Node<'js>>,
    class_names: &str,
) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
    HTMLCollection::create(
        ctx,
        root,
        CollectionFilter::ClassNames(ordered_set(class_names)),
    )
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
    fn getElementsByClassName(
        &self,
        cx: &Cx<'js>,
        class_names: DOMString,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        elements_by_class_name(&cx.ctx, &node::this_node(cx)?, &class_names)
    }
    /// <https://html.spec.whatwg.org/#dom-element-innerhtml> (getter): the HTML
    /// serialization of this element's children (a template's contents).
    fn innerHTML(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(crate::dom::servoparser::serialize(
            &node::this_node(cx)?,
            false,
        ))
    }
    /// <https://html.spec.whatwg.org/#dom-element-innerhtml> (setter)
    fn set_innerHTML(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = this_element(cx)?;
        // Steps 2-3. Parse the value with this as the context element.
        let nodes = crate::dom::servoparser::parse_fragment(&cx.ctx, &this, &value)?;
        // Step 4. A template's contents are the target.
        let this_node = this.upcast::<Node>();
        let target = match node::downcast::<crate::dom::htmltemplateelement::HTMLTemplateElement>(
            &this_node,
        ) {
            Some(t) => crate::dom::htmltemplateelement::HTMLTemplateElement::contents(&t, &cx.ctx)?
                .upcast(),
            None => this_node,
        };
        // Step 5. Replace all with the fragment (its nodes adopted into target's document).
        let document =
            node::node_document(&target).ok_or_else(|| Error::invalid_state("no node document"))?;
        let fragment = DocumentFragment::create(&cx.ctx, &document)?.upcast::<Node>();
        for n in &nodes {
            node::insert(&cx.ctx, n, &fragment, None, true);
        }
        node::replace_all(&cx.ctx, Some(&fragment), &target);
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-element-insertadjacentelement>
    fn insertAdjacentElement(
        &self,
        cx: &Cx<'js>,
        where_: DOMString,
        element: Dom<'js, Element<'js>>,
    ) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        let node = insert_adjacent(&cx.ctx, &this_element(cx)?, &where_, &element.upcast())?;
        Ok(node.and_then(|n| node::downcast::<Element>(&n)))
    }
    /// <https://dom.spec.whatwg.org/#dom-element-insertadjacenttext>
    fn insertAdjacentText(&self, cx: &Cx<'js>, where_: DOMString, data: DOMString) -> Fallible<()> {
        let this = this_element(cx)?;
        let document = node::node_document(&this.upcast())
            .ok_or_else(|| Error::invalid_state("no node document"))?;
        let text = crate::dom::text::Text::create(&cx.ctx, &document, data)?.upcast::<Node>();
        insert_adjacent(&cx.ctx, &this, &where_, &text).map(|_| ())
    }
    /// <https://html.spec.whatwg.org/#dom-element-insertadjacenthtml>
    fn insertAdjacentHTML(
        &self,
        cx: &Cx<'js>,
        position: DOMString,
        string: DOMString,
    ) -> Fallible<()> {
        let this = this_element(cx)?;
        let this_node = this.upcast::<Node>();
        let p = position.to_ascii_lowercase();
        // Steps 2-3. The context: the parent for beforebegin/afterend (no parent or a
        // document parent: NoModificationAllowedError), this for afterbegin/beforeend.
        let context = match p.as_str() {
            "beforebegin" | "afterend" => match this_node.parent_node() {
                Some(parent) if !parent.is_document() => node::downcast::<Element>(&parent),
                _ => {
                    return Err(Error::dom(
                        DomErrorName::NoModificationAllowedError,
                        "insertAdjacentHTML needs a parent element here",
                    ))
                }
            },
            "afterbegin" | "beforeend" => Some(this.clone()),
            _ => {
                return Err(Error::dom(
                    DomErrorName::SyntaxError,
                    format!("'{position}' is not a valid position"),
                ))
            }
        };
        // Step 4. A context that is not an element, or an html element in an HTML
        // document, parses as a body element.
        let document = node::node_document(&this_node)
            .ok_or_else(|| Error::invalid_state("no node document"))?;
        let context = match context {
            Some(c) if !(c.is_html() && c.local_name_() == "html") => c,
            _ => {
                let q = QualName::new(None, ns!(html), html5ever::local_name!("body"));
                crate::dom::create::create_element(&cx.ctx, &document, q, Vec::new(), false)?
            }
        };
        // Steps 5-6. Parse, then insert the fragment where position says.
        let nodes = crate::dom::servoparser::parse_fragment(&cx.ctx, &context, &string)?;
        let fragment = DocumentFragment::create(&cx.ctx, &document)?.upcast::<Node>();
        for n in &nodes {
            node::insert(&cx.ctx, n, &fragment, None, true);
        }
        insert_adjacent(&cx.ctx, &this, &p, &fragment).map(|_| ())
    }
    /// <https://html.spec.whatwg.org/#dom-element-outerhtml> (getter)
    fn outerHTML(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(crate::dom::servoparser::serialize(
            &node::this_node(cx)?,
            true,
        ))
    }
    /// <https://html.spec.whatwg.org/#dom-element-outerhtml> (setter)
    fn set_outerHTML(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = this_element(cx)?;
        let this_node = this.upcast::<Node>();
        // Steps 2-3. Without a parent, nothing happens; a document parent cannot be.
        let Some(parent) = this_node.parent_node() else {
            return Ok(());
        };
        if parent.is_document() {
            return Err(Error::dom(
                DomErrorName::NoModificationAllowedError,
                "the document element cannot be replaced through outerHTML",
            ));
        }
        // Step 4. A fragment parent parses as if in a body element.
        let context = match node::downcast::<Element>(&parent) {
            Some(e) => e,
            None => {
                let doc = node::node_document(&this_node)
                    .ok_or_else(|| Error::invalid_state("no node document"))?;
                let q = QualName::new(None, ns!(html), html5ever::local_name!("body"));
                crate::dom::create::create_element(&cx.ctx, &doc, q, Vec::new(), false)?
            }
        };
        // Steps 5-6. Parse, then replace this with the fragment.
        let nodes = crate::dom::servoparser::parse_fragment(&cx.ctx, &context, &value)?;
        let document =
            node::node_document(&parent).ok_or_else(|| Error::invalid_state("no node document"))?;
        let fragment = DocumentFragment::create(&cx.ctx, &document)?.upcast::<Node>();
        for n in &nodes {
            node::insert(&cx.ctx, n, &fragment, None, true);
        }
        node::replace(&cx.ctx, &this_node, &fragment, &parent)?;
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-element-classlist> ([SameObject]).
    fn classList(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, DOMTokenList<'js>>> {
        if let Some(l) = self.class_list.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = reflect_dom_object(
            &cx.ctx,
            DOMTokenList::new_inherited(this_element(cx)?, "class".into()),
        )?;
        *self.class_list.borrow_mut() = Some(l.clone());
        Ok(l)
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

/// <https://dom.spec.whatwg.org/#insert-adjacent>: returns the inserted node, or None when
/// there is no parent for "beforebegin"/"afterend".
fn insert_adjacent<'js>(
    ctx: &Ctx<'js>,
    element: &Dom<'js, Element<'js>>,
    where_: &str,
    node: &Dom<'js, Node<'js>>,
) -> Fallible<Option<Dom<'js, Node<'js>>>> {
    let this = element.upcast::<Node>();
    match where_.to_ascii_lowercase().as_str() {
        "beforebegin" => match this.parent_node() {
            Some(parent) => node::pre_insert(ctx, node, &parent, Some(&this)).map(Some),
            None => Ok(None),
        },
        "afterbegin" => {
            let first = this.child_list().first().cloned();
            node::pre_insert(ctx, node, &this, first.as_ref()).map(Some)
        }
        "beforeend" => node::pre_insert(ctx, node, &this, None).map(Some),
        "afterend" => match this.parent_node() {
            Some(parent) => {
                let next = parent
                    .child_list()
                    .iter()
                    .position(|c| c.ptr_eq(&this))
                    .and_then(|i| parent.child_list().get(i + 1).cloned());
                node::pre_insert(ctx, node, &parent, next.as_ref()).map(Some)
            }
            None => Ok(None),
        },
        _ => Err(Error::dom(
            DomErrorName::SyntaxError,
            format!("'{where_}' is not a valid position"),
        )),
    }
}
