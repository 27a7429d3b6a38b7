//! <https://html.spec.whatwg.org/#htmlelement>, and what the HTML element interfaces built on
//! it share: `[Reflect]`ed string attributes and the struct of an element interface with no
//! state of its own. (Which interface an element gets: [`crate::dom::create`].)

use crate::dom::bindings::codegen::HTMLElementBinding::HTMLElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};
use html5ever::QualName;

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
