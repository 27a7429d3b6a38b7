//! <https://dom.spec.whatwg.org/#concept-create-element>: which interface a new element
//! gets, from its namespace and local name (Servo's `dom/create.rs`).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::htmlbodyelement::HTMLBodyElement;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::htmlheadelement::HTMLHeadElement;
use crate::dom::htmlhtmlelement::HTMLHtmlElement;
use crate::dom::htmlmetaelement::HTMLMetaElement;
use crate::dom::htmlscriptelement::HTMLScriptElement;
use crate::dom::htmltemplateelement::HTMLTemplateElement;
use crate::dom::htmltitleelement::HTMLTitleElement;
use crate::dom::htmlunknownelement::HTMLUnknownElement;
use html5ever::{local_name, ns, QualName};

/// <https://dom.spec.whatwg.org/#concept-create-element> for an HTML or foreign element
/// (no custom elements): the interface comes from the local name.
pub fn create_element<'js>(
    ctx: &Ctx<'js>,
    document: &Dom<'js, Document<'js>>,
    name: QualName,
    attrs: Vec<(String, String)>,
    parser_inserted: bool,
) -> Fallible<Dom<'js, Element<'js>>> {
    // Event handler content attributes the element is created with set their handlers.
    let handlers: Vec<(String, String)> = attrs
        .iter()
        .filter(|(n, _)| n.starts_with("on"))
        .cloned()
        .collect();
    let element = create_element_of(ctx, document, name, attrs, parser_inserted)?;
    for (n, v) in handlers {
        crate::dom::inline_event_handlers::attribute_changed(ctx, &element, &n, Some(&v));
    }
    Ok(element)
}

fn create_element_of<'js>(
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
        local_name!("template") => {
            reflect_dom_object(ctx, HTMLTemplateElement::new_inherited(name, d, attrs))?.upcast()
        }
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
// TODO(more HTML element interfaces): HTMLDivElement, HTMLParagraphElement, ... for the
// ones that have their own.
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
