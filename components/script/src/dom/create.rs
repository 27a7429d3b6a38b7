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
    // An img or media element created with a source starts loading it (the attribute was
    // "set").
    if element.is_html() {
        match element.local_name_() {
            "img" if element.has_attr("src") || element.has_attr("srcset") => {
                crate::dom::htmlimageelement::update_the_image_data(ctx, &element)
            }
            "audio" | "video" if element.has_attr("src") => {
                crate::dom::htmlmediaelement::media_element_load_algorithm(ctx, &element)
            }
            _ => {}
        }
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
        ref l if html_element_interface(l) => create_html_element(ctx, d, name, attrs)?,
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

/// Whether `local` has an element interface of its own in [`create_html_element`].
fn html_element_interface(local: &str) -> bool {
    matches!(
        local,
        "a" | "area"
            | "span"
            | "br"
            | "ins"
            | "del"
            | "data"
            | "time"
            | "div"
            | "p"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "pre"
            | "listing"
            | "xmp"
            | "blockquote"
            | "q"
            | "ol"
            | "ul"
            | "menu"
            | "li"
            | "dl"
            | "link"
            | "style"
            | "base"
            | "form"
            | "label"
            | "input"
            | "button"
            | "select"
            | "datalist"
            | "optgroup"
            | "option"
            | "textarea"
            | "output"
            | "progress"
            | "meter"
            | "fieldset"
            | "legend"
            | "img"
            | "picture"
            | "source"
            | "video"
            | "audio"
            | "dialog"
            | "details"
            | "iframe"
            | "table"
            | "caption"
            | "col"
            | "colgroup"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
    )
}

/// The element interfaces of <https://html.spec.whatwg.org/#elements-3> this engine has,
/// by local name.
fn create_html_element<'js>(
    ctx: &Ctx<'js>,
    d: &Dom<'js, Document<'js>>,
    name: QualName,
    attrs: Vec<(String, String)>,
) -> Fallible<Dom<'js, Element<'js>>> {
    let local = name.local.to_string();
    Ok(match local.as_str() {
        "a" => reflect_dom_object(
            ctx,
            crate::dom::htmlanchorelement::HTMLAnchorElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "area" => reflect_dom_object(
            ctx,
            crate::dom::htmlareaelement::HTMLAreaElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "span" => reflect_dom_object(
            ctx,
            crate::dom::htmlspanelement::HTMLSpanElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "br" => reflect_dom_object(
            ctx,
            crate::dom::htmlbrelement::HTMLBRElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "ins" | "del" => reflect_dom_object(
            ctx,
            crate::dom::htmlmodelement::HTMLModElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "data" => reflect_dom_object(
            ctx,
            crate::dom::htmldataelement::HTMLDataElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "time" => reflect_dom_object(
            ctx,
            crate::dom::htmltimeelement::HTMLTimeElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "div" => reflect_dom_object(
            ctx,
            crate::dom::htmldivelement::HTMLDivElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "p" => reflect_dom_object(
            ctx,
            crate::dom::htmlparagraphelement::HTMLParagraphElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => reflect_dom_object(
            ctx,
            crate::dom::htmlheadingelement::HTMLHeadingElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "hr" => reflect_dom_object(
            ctx,
            crate::dom::htmlhrelement::HTMLHRElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "pre" | "listing" | "xmp" => reflect_dom_object(
            ctx,
            crate::dom::htmlpreelement::HTMLPreElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "blockquote" | "q" => reflect_dom_object(
            ctx,
            crate::dom::htmlquoteelement::HTMLQuoteElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "ol" => reflect_dom_object(
            ctx,
            crate::dom::htmlolistelement::HTMLOListElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "ul" => reflect_dom_object(
            ctx,
            crate::dom::htmlulistelement::HTMLUListElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "menu" => reflect_dom_object(
            ctx,
            crate::dom::htmlmenuelement::HTMLMenuElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "li" => reflect_dom_object(
            ctx,
            crate::dom::htmllielement::HTMLLIElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "dl" => reflect_dom_object(
            ctx,
            crate::dom::htmldlistelement::HTMLDListElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "link" => reflect_dom_object(
            ctx,
            crate::dom::htmllinkelement::HTMLLinkElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "style" => reflect_dom_object(
            ctx,
            crate::dom::htmlstyleelement::HTMLStyleElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "base" => reflect_dom_object(
            ctx,
            crate::dom::htmlbaseelement::HTMLBaseElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "form" => reflect_dom_object(
            ctx,
            crate::dom::htmlformelement::HTMLFormElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "label" => reflect_dom_object(
            ctx,
            crate::dom::htmllabelelement::HTMLLabelElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "input" => reflect_dom_object(
            ctx,
            crate::dom::htmlinputelement::HTMLInputElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "button" => reflect_dom_object(
            ctx,
            crate::dom::htmlbuttonelement::HTMLButtonElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "select" => reflect_dom_object(
            ctx,
            crate::dom::htmlselectelement::HTMLSelectElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "datalist" => reflect_dom_object(
            ctx,
            crate::dom::htmldatalistelement::HTMLDataListElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "optgroup" => reflect_dom_object(
            ctx,
            crate::dom::htmloptgroupelement::HTMLOptGroupElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "option" => reflect_dom_object(
            ctx,
            crate::dom::htmloptionelement::HTMLOptionElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "textarea" => reflect_dom_object(
            ctx,
            crate::dom::htmltextareaelement::HTMLTextAreaElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "output" => reflect_dom_object(
            ctx,
            crate::dom::htmloutputelement::HTMLOutputElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "progress" => reflect_dom_object(
            ctx,
            crate::dom::htmlprogresselement::HTMLProgressElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "meter" => reflect_dom_object(
            ctx,
            crate::dom::htmlmeterelement::HTMLMeterElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "fieldset" => reflect_dom_object(
            ctx,
            crate::dom::htmlfieldsetelement::HTMLFieldSetElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "legend" => reflect_dom_object(
            ctx,
            crate::dom::htmllegendelement::HTMLLegendElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "img" => reflect_dom_object(
            ctx,
            crate::dom::htmlimageelement::HTMLImageElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "picture" => reflect_dom_object(
            ctx,
            crate::dom::htmlpictureelement::HTMLPictureElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "source" => reflect_dom_object(
            ctx,
            crate::dom::htmlsourceelement::HTMLSourceElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "video" => reflect_dom_object(
            ctx,
            crate::dom::htmlvideoelement::HTMLVideoElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "audio" => reflect_dom_object(
            ctx,
            crate::dom::htmlaudioelement::HTMLAudioElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "dialog" => reflect_dom_object(
            ctx,
            crate::dom::htmldialogelement::HTMLDialogElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "iframe" => reflect_dom_object(
            ctx,
            crate::dom::htmliframeelement::HTMLIFrameElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "details" => reflect_dom_object(
            ctx,
            crate::dom::htmldetailselement::HTMLDetailsElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "table" => reflect_dom_object(
            ctx,
            crate::dom::htmltableelement::HTMLTableElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "caption" => reflect_dom_object(
            ctx,
            crate::dom::htmltablecaptionelement::HTMLTableCaptionElement::new_inherited(
                name, d, attrs,
            ),
        )?
        .upcast(),
        "col" | "colgroup" => reflect_dom_object(
            ctx,
            crate::dom::htmltablecolelement::HTMLTableColElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "thead" | "tbody" | "tfoot" => reflect_dom_object(
            ctx,
            crate::dom::htmltablesectionelement::HTMLTableSectionElement::new_inherited(
                name, d, attrs,
            ),
        )?
        .upcast(),
        "tr" => reflect_dom_object(
            ctx,
            crate::dom::htmltablerowelement::HTMLTableRowElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        "td" | "th" => reflect_dom_object(
            ctx,
            crate::dom::htmltablecellelement::HTMLTableCellElement::new_inherited(name, d, attrs),
        )?
        .upcast(),
        _ => reflect_dom_object(ctx, HTMLElement::new_inherited(name, d, attrs))?.upcast(),
    })
}
