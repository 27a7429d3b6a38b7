//! <https://html.spec.whatwg.org/#htmlelement>, the simple HTML element interfaces, and
//! <https://dom.spec.whatwg.org/#concept-create-element> for HTML elements.

use crate::dom::bindings::codegen::HTMLBodyElementBinding::HTMLBodyElementMethods;
use crate::dom::bindings::codegen::HTMLElementBinding::HTMLElementMethods;
use crate::dom::bindings::codegen::HTMLHeadElementBinding::HTMLHeadElementMethods;
use crate::dom::bindings::codegen::HTMLHtmlElementBinding::HTMLHtmlElementMethods;
use crate::dom::bindings::codegen::HTMLMetaElementBinding::HTMLMetaElementMethods;
use crate::dom::bindings::codegen::HTMLTemplateElementBinding::HTMLTemplateElementMethods;
use crate::dom::bindings::codegen::HTMLTitleElementBinding::HTMLTitleElementMethods;
use crate::dom::bindings::codegen::HTMLUnknownElementBinding::HTMLUnknownElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::htmlscriptelement::HTMLScriptElement;
use crate::dom::node::{self, Node};
use html5ever::{local_name, ns, QualName};

/// <https://html.spec.whatwg.org/#htmlelement>
pub struct HTMLElement<'js> {
    element: Element<'js>,
}

impl<'js> HasParent<'js> for HTMLElement<'js> {
    type Parent = Element<'js>;
    fn parent(&self) -> &Element<'js> {
        &self.element
    }
}

impl<'js> Trace<'js> for HTMLElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.element.trace(tracer)
    }
}

impl<'js> HTMLElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> HTMLElement<'js> {
        HTMLElement {
            element: Element::new_inherited(name, document, attrs),
        }
    }
    pub fn element(&self) -> &Element<'js> {
        &self.element
    }
}

/// A reflected DOMString content attribute (`[Reflect]`) of an element interface.
#[macro_export]
macro_rules! reflect_string {
    ($get:ident, $set:ident, $attr:expr) => {
        fn $get(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
            let e = $crate::dom::element::this_element(cx)?;
            Ok(e.get_attr($attr).unwrap_or_default())
        }
        fn $set(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
            let e = $crate::dom::element::this_element(cx)?;
            e.set_attr(&cx.ctx, &e, $attr, value);
            Ok(())
        }
    };
}

impl<'js> HTMLElementMethods<'js> for HTMLElement<'js> {
    reflect_string!(title, set_title, "title");
    reflect_string!(lang, set_lang, "lang");
}

macro_rules! simple_html_element {
    ($(#[$doc:meta])* $name:ident, $methods:ident) => {
        $(#[$doc])*
        pub struct $name<'js> {
            html: HTMLElement<'js>,
        }
        impl<'js> HasParent<'js> for $name<'js> {
            type Parent = HTMLElement<'js>;
            fn parent(&self) -> &HTMLElement<'js> {
                &self.html
            }
        }
        impl<'js> Trace<'js> for $name<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.html.trace(tracer)
            }
        }
        impl<'js> $name<'js> {
            fn new_inherited(
                name: QualName,
                document: &Dom<'js, Document<'js>>,
                attrs: Vec<(String, String)>,
            ) -> Self {
                $name {
                    html: HTMLElement::new_inherited(name, document, attrs),
                }
            }
        }
    };
}

simple_html_element!(
    /// <https://html.spec.whatwg.org/#htmlunknownelement>
    HTMLUnknownElement, HTMLUnknownElementMethods
);
impl<'js> HTMLUnknownElementMethods<'js> for HTMLUnknownElement<'js> {}
simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-html-element>
    HTMLHtmlElement, HTMLHtmlElementMethods
);
impl<'js> HTMLHtmlElementMethods<'js> for HTMLHtmlElement<'js> {}
simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-head-element>
    HTMLHeadElement, HTMLHeadElementMethods
);
impl<'js> HTMLHeadElementMethods<'js> for HTMLHeadElement<'js> {}
simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-body-element>
    HTMLBodyElement, HTMLBodyElementMethods
);
impl<'js> HTMLBodyElementMethods<'js> for HTMLBodyElement<'js> {}
simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-title-element>
    HTMLTitleElement, HTMLTitleElementMethods
);
impl<'js> HTMLTitleElementMethods<'js> for HTMLTitleElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-title-text>: the child text content.
    fn text(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(node::child_text_content(&node::this_node(cx)?))
    }
    fn set_text(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let this = node::this_node(cx)?;
        set_child_text(&cx.ctx, &this, value)
    }
}
simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-meta-element>
    HTMLMetaElement, HTMLMetaElementMethods
);
impl<'js> HTMLMetaElementMethods<'js> for HTMLMetaElement<'js> {
    reflect_string!(name, set_name, "name");
    reflect_string!(httpEquiv, set_httpEquiv, "http-equiv");
    reflect_string!(content, set_content, "content");
    reflect_string!(media, set_media, "media");
}

/// <https://html.spec.whatwg.org/#the-template-element>: its contents are a DocumentFragment
/// whose node document is the document's inert "template contents owner document", so
/// nothing in it runs or loads.
pub struct HTMLTemplateElement<'js> {
    html: HTMLElement<'js>,
    content: crate::dom::bindings::cell::DomRefCell<
        Option<Dom<'js, crate::dom::element::DocumentFragment<'js>>>,
    >,
}

impl<'js> HasParent<'js> for HTMLTemplateElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLTemplateElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        self.content.trace(tracer);
    }
}

impl<'js> HTMLTemplateElement<'js> {
    /// The contents fragment, if it was made.
    pub fn content_if_made(&self) -> Option<Dom<'js, crate::dom::element::DocumentFragment<'js>>> {
        self.content.borrow().clone()
    }
    /// The template contents, made when first needed (HTML's "template element" creation
    /// steps make it at once; nothing can observe the difference).
    pub fn contents(
        this: &Dom<'js, HTMLTemplateElement<'js>>,
        ctx: &Ctx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::element::DocumentFragment<'js>>> {
        if let Some(c) = this.content.borrow().as_ref() {
            return Ok(c.clone());
        }
        let doc = node::node_document(&this.upcast())
            .ok_or_else(|| Error::invalid_state("no node document"))?;
        let owner = doc.template_contents_owner(ctx)?;
        let c = crate::dom::element::DocumentFragment::create(ctx, &owner)?;
        *this.content.borrow_mut() = Some(c.clone());
        Ok(c)
    }
}

impl<'js> HTMLTemplateElementMethods<'js> for HTMLTemplateElement<'js> {
    fn content(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::element::DocumentFragment<'js>>> {
        let this = <HTMLTemplateElement as DomInterface>::unwrap(&cx.this)
            .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
        HTMLTemplateElement::contents(&this, &cx.ctx)
    }
}

/// "String replace all" of `node`'s children with a Text node of `value`.
pub fn set_child_text<'js>(
    ctx: &Ctx<'js>,
    node: &Dom<'js, Node<'js>>,
    value: String,
) -> Fallible<()> {
    let text = if value.is_empty() {
        None
    } else {
        let doc =
            node::node_document(node).ok_or_else(|| Error::invalid_state("no node document"))?;
        Some(crate::dom::characterdata::Text::create(ctx, &doc, value)?.upcast::<Node>())
    };
    node::replace_all(ctx, text.as_ref(), node);
    Ok(())
}

/// <https://html.spec.whatwg.org/#attr-meta-http-equiv>: a meta element inserted into a
/// document runs the algorithm of its http-equiv state. Only the Content-Security-Policy
/// state is implemented (<https://html.spec.whatwg.org/#attr-meta-http-equiv-content-security-policy>).
pub fn meta_insertion_steps<'js>(ctx: &Ctx<'js>, meta: &Dom<'js, HTMLMetaElement<'js>>) {
    let element = meta.upcast::<Element>();
    let node = meta.upcast::<Node>();
    if !node::is_connected(&node) {
        return;
    }
    let Some(equiv) = element.get_attr("http-equiv") else {
        return;
    };
    if !equiv.trim().eq_ignore_ascii_case("content-security-policy") {
        return;
    }
    // Step 1. If the meta element is not a child of a head element, return.
    let in_head = node
        .parent_node()
        .and_then(|p| node::downcast::<HTMLHeadElement>(&p))
        .is_some();
    if !in_head {
        return;
    }
    // Step 2. If it has no content attribute, or that attribute's value is the empty
    // string, then return.
    let content = element.get_attr("content").unwrap_or_default();
    if content.is_empty() {
        return;
    }
    // Only the document of a browsing context (the window's) has a policy container here.
    let Some(doc) = node::node_document(&node) else {
        return;
    };
    if !doc.has_browsing_context() {
        return;
    }
    // Steps 3-5. Parse with source "meta" and disposition "enforce", drop report-uri,
    // frame-ancestors and sandbox, and enforce the policy.
    if let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) {
        global.add_csp_policies(crate::csp::parse_policy_list(
            &content,
            crate::csp::Source::Meta,
        ));
    }
}

/// <https://dom.spec.whatwg.org/#concept-create-element> for an HTML or foreign element
/// (no custom elements): the interface comes from the local name.
pub fn create_element<'js>(
    ctx: &Ctx<'js>,
    document: &Dom<'js, Document<'js>>,
    name: QualName,
    attrs: Vec<(String, String)>,
    parser_inserted: bool,
) -> Fallible<Dom<'js, Element<'js>>> {
    if name.ns != ns!(html) {
        return Ok(
            reflect_dom_object(ctx, Element::new_inherited(name, document, attrs))?.upcast(),
        );
    }
    let d = document;
    Ok(match name.local {
        local_name!("html") => {
            reflect_dom_object(ctx, HTMLHtmlElement::new_inherited(name, d, attrs))?.upcast()
        }
        local_name!("head") => {
            reflect_dom_object(ctx, HTMLHeadElement::new_inherited(name, d, attrs))?.upcast()
        }
        local_name!("body") => {
            reflect_dom_object(ctx, HTMLBodyElement::new_inherited(name, d, attrs))?.upcast()
        }
        local_name!("title") => {
            reflect_dom_object(ctx, HTMLTitleElement::new_inherited(name, d, attrs))?.upcast()
        }
        local_name!("meta") => {
            reflect_dom_object(ctx, HTMLMetaElement::new_inherited(name, d, attrs))?.upcast()
        }
        local_name!("template") => reflect_dom_object(
            ctx,
            HTMLTemplateElement {
                html: HTMLElement::new_inherited(name, d, attrs),
                content: Default::default(),
            },
        )?
        .upcast(),
        local_name!("script") => reflect_dom_object(
            ctx,
            HTMLScriptElement::new_inherited(name, d, attrs, parser_inserted),
        )?
        .upcast(),
        ref l if is_known_html_element(l) || is_valid_custom_element_name(l) => {
            reflect_dom_object(ctx, HTMLElement::new_inherited(name, d, attrs))?.upcast()
        }
        _ => reflect_dom_object(ctx, HTMLUnknownElement::new_inherited(name, d, attrs))?.upcast(),
    })
}

/// <https://html.spec.whatwg.org/#valid-custom-element-name> (such elements are HTMLElements
/// until defined; there are no custom element definitions here).
fn is_valid_custom_element_name(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "annotation-xml",
        "color-profile",
        "font-face",
        "font-face-src",
        "font-face-uri",
        "font-face-format",
        "font-face-name",
        "missing-glyph",
    ];
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.contains('-')
        && !name.chars().any(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| {
            matches!(c, '-' | '.' | '_' | '0'..='9' | 'a'..='z' | '\u{B7}')
                || matches!(c as u32, 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x37D | 0x37F..=0x1FFF
                    | 0x200C..=0x200D | 0x203F..=0x2040 | 0x2070..=0x218F | 0x2C00..=0x2FEF
                    | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0xEFFFF)
        })
        && !RESERVED.contains(&name)
}

/// HTML element names whose specific interface is not implemented here: they are
/// HTMLElements (not HTMLUnknownElement, which is for names HTML does not define).
// TODO(issue 4): HTMLDivElement, HTMLParagraphElement, ... for the ones that have their own.
fn is_known_html_element(name: &str) -> bool {
    const KNOWN: &[&str] = &[
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "button",
        "canvas",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "menu",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "picture",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    ];
    KNOWN.contains(&name)
}
