//! <https://html.spec.whatwg.org/#htmlelement>, and what the HTML element interfaces built on
//! it share: `[Reflect]`ed string attributes and the struct of an element interface with no
//! state of its own. (Which interface an element gets: [`crate::dom::create`].)

use crate::dom::bindings::codegen::HTMLElementBinding::HTMLElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::node::{self, Node};
use html5ever::QualName;

/// <https://html.spec.whatwg.org/#htmlelement>
pub struct HTMLElement<'js> {
    element: Element<'js>,
    /// <https://html.spec.whatwg.org/#cryptographicnonce>, once script set it.
    nonce: crate::dom::bindings::cell::DomRefCell<Option<String>>,
    /// <https://html.spec.whatwg.org/#custom-validity-error-message> (form controls).
    custom_validity: crate::dom::bindings::cell::DomRefCell<String>,
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
            nonce: Default::default(),
            custom_validity: Default::default(),
        }
    }
    pub fn element(&self) -> &Element<'js> {
        &self.element
    }
    pub fn custom_validity(&self) -> String {
        self.custom_validity.borrow().clone()
    }
    pub fn set_custom_validity(&self, message: String) {
        *self.custom_validity.borrow_mut() = message;
    }
}

/// The value of the nearest inclusive ancestor's `attr` that one of `keywords` matches
/// (ASCII case-insensitively), for attributes whose missing or invalid state is "inherit".
fn inherited_keyword<'js>(
    element: &Dom<'js, Element<'js>>,
    attr: &str,
    keywords: &[&str],
) -> Option<&'static str>
where
{
    let mut node = Some(element.upcast::<Node>());
    while let Some(n) = node {
        if let Some(e) = node::downcast::<Element>(&n) {
            if let Some(v) = e.get_attr(attr) {
                let v = v.to_ascii_lowercase();
                for k in keywords {
                    if v == *k {
                        return Some(match *k {
                            "" | "yes" | "true" => "on",
                            _ => "off",
                        });
                    }
                }
            }
        }
        node = n.parent_node();
    }
    None
}

impl<'js> HTMLElementMethods<'js> for HTMLElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-translate>: the translation mode ("yes" and "" on,
    /// "no" off, anything else inherits; the root is in translate-enabled state).
    fn translate(&self, cx: &Cx<'js>) -> Fallible<bool> {
        let e = this_element(cx)?;
        Ok(inherited_keyword(&e, "translate", &["yes", "", "no"]) != Some("off"))
    }
    fn set_translate(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(
            &cx.ctx,
            &e,
            "translate",
            if value { "yes" } else { "no" }.into(),
        );
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-draggable>: "true" or "false", else `img` and `a`
    /// with `href` are draggable by default.
    fn draggable(&self, cx: &Cx<'js>) -> Fallible<bool> {
        let e = this_element(cx)?;
        match e
            .get_attr("draggable")
            .map(|v| v.to_ascii_lowercase())
            .as_deref()
        {
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            _ => Ok(e.local_name_() == "img" || (e.local_name_() == "a" && e.has_attr("href"))),
        }
    }
    fn set_draggable(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "draggable", value.to_string());
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-spellcheck>: "" and "true" on, "false" off,
    /// otherwise inherited; the default (no ancestor says) is on, as in Chromium.
    fn spellcheck(&self, cx: &Cx<'js>) -> Fallible<bool> {
        let e = this_element(cx)?;
        Ok(inherited_keyword(&e, "spellcheck", &["true", "", "false"]) != Some("off"))
    }
    fn set_spellcheck(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "spellcheck", value.to_string());
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-autocapitalize>: the own autocapitalization hint
    /// (form owners' hints are not inherited: there are no form-associated lookups yet).
    fn autocapitalize(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(
            match e.get_attr("autocapitalize").map(|v| v.to_ascii_lowercase()) {
                None => "",
                Some(v) => match v.as_str() {
                    "off" | "none" => "none",
                    "words" => "words",
                    "characters" => "characters",
                    "" => "",
                    _ => "sentences",
                },
            }
            .into(),
        )
    }
    fn set_autocapitalize(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "autocapitalize", value);
        Ok(())
    }
    /// No keyboard: there is no label for an access key.
    fn accessKeyLabel(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(String::new())
    }
    /// <https://html.spec.whatwg.org/#dom-click>
    fn click(&self, cx: &Cx<'js>) -> Fallible<()> {
        crate::dom::activation::click(&cx.ctx, &this_element(cx)?)
    }
    fn innerText(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(crate::dom::inner_text::get_the_text_steps(&this_element(
            cx,
        )?))
    }
    fn set_innerText(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        crate::dom::inner_text::set_inner_text(&cx.ctx, &this_element(cx)?, value)
    }
    fn outerText(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(crate::dom::inner_text::get_the_text_steps(&this_element(
            cx,
        )?))
    }
    fn set_outerText(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        crate::dom::inner_text::set_outer_text(&cx.ctx, &this_element(cx)?, value)
    }
    fn dataset(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::domstringmap::DOMStringMap<'js>>> {
        reflect_dom_object(
            &cx.ctx,
            crate::dom::domstringmap::DOMStringMap::new_inherited(this_element(cx)?),
        )
    }
    /// <https://html.spec.whatwg.org/#dom-noncedelement-nonce>: the internal slot (set
    /// from the attribute when the element is created or the attribute changes).
    fn nonce(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(self
            .nonce
            .borrow()
            .clone()
            .unwrap_or_else(|| e.get_attr("nonce").unwrap_or_default()))
    }
    fn set_nonce(&self, _cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        *self.nonce.borrow_mut() = Some(value);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-tabindex>: the attribute parsed as an integer, else
    /// 0 for the elements that are focusable by default and -1 for the rest.
    fn tabIndex(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let e = this_element(cx)?;
        if let Some(v) = e
            .get_attr("tabindex")
            .and_then(|v| crate::dom::bindings::reflect::parse_integer(&v))
            .filter(|v| (i32::MIN as i64..=i32::MAX as i64).contains(v))
        {
            return Ok(v as i32);
        }
        Ok(if crate::dom::focus::focusable_by_default(&e) {
            0
        } else {
            -1
        })
    }
    fn set_tabIndex(&self, cx: &Cx<'js>, value: i32) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "tabindex", value.to_string());
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-focus>
    fn focus(
        &self,
        cx: &Cx<'js>,
        _options: crate::dom::bindings::codegen::FocusOptions,
    ) -> Fallible<()> {
        crate::dom::focus::focusing_steps(&cx.ctx, &this_element(cx)?);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-blur>
    fn blur(&self, cx: &Cx<'js>) -> Fallible<()> {
        crate::dom::focus::unfocus(&cx.ctx, &this_element(cx)?);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-contenteditable>
    fn contentEditable(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(match e
            .get_attr("contenteditable")
            .map(|v| v.to_ascii_lowercase())
            .as_deref()
        {
            Some("" | "true") => "true",
            Some("false") => "false",
            Some("plaintext-only") => "plaintext-only",
            _ => "inherit",
        }
        .into())
    }
    fn set_contentEditable(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        match value.to_ascii_lowercase().as_str() {
            "inherit" => e.remove_attr(&cx.ctx, &e, "contenteditable"),
            v @ ("true" | "false" | "plaintext-only") => {
                e.set_attr(&cx.ctx, &e, "contenteditable", v.to_string())
            }
            _ => {
                return Err(Error::dom(
                    crate::dom::bindings::error::DomErrorName::SyntaxError,
                    format!("'{value}' is not a contentEditable value"),
                ))
            }
        }
        Ok(())
    }
    /// Editing host or inside one: the nearest contenteditable attribute says.
    fn isContentEditable(&self, cx: &Cx<'js>) -> Fallible<bool> {
        let e = this_element(cx)?;
        let mut n = Some(e.upcast::<Node>());
        while let Some(x) = n {
            if let Some(el) = node::downcast::<Element>(&x) {
                match el
                    .get_attr("contenteditable")
                    .map(|v| v.to_ascii_lowercase())
                    .as_deref()
                {
                    Some("" | "true" | "plaintext-only") => return Ok(true),
                    Some("false") => return Ok(false),
                    _ => {}
                }
            }
            n = x.parent_node();
        }
        Ok(false)
    }
    fn style(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::cssstyledeclaration::CSSStyleDeclaration<'js>>> {
        crate::dom::cssstyledeclaration::CSSStyleDeclaration::for_element(
            &cx.ctx,
            this_element(cx)?,
        )
    }
}

/// Declares an HTML element interface with no state of its own: the struct (its parent an
/// HTMLElement), its HasParent and Trace impls, and `new_inherited`.
macro_rules! simple_html_element {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<'js> {
            html: $crate::dom::htmlelement::HTMLElement<'js>,
        }
        impl<'js> HasParent<'js> for $name<'js> {
            type Parent = $crate::dom::htmlelement::HTMLElement<'js>;
            fn parent(&self) -> &$crate::dom::htmlelement::HTMLElement<'js> {
                &self.html
            }
        }
        impl<'js> Trace<'js> for $name<'js> {
            fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
                self.html.trace(tracer)
            }
        }
        impl<'js> $name<'js> {
            pub fn new_inherited(
                name: QualName,
                document: &Dom<'js, $crate::dom::document::Document<'js>>,
                attrs: Vec<(String, String)>,
            ) -> Self {
                $name {
                    html: $crate::dom::htmlelement::HTMLElement::new_inherited(
                        name, document, attrs,
                    ),
                }
            }
        }
    };
}
pub(crate) use simple_html_element;

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
        Some(crate::dom::text::Text::create(ctx, &doc, value)?.upcast::<Node>())
    };
    node::replace_all(ctx, text.as_ref(), node);
    Ok(())
}
