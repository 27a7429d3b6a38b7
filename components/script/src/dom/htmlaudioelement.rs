//! <https://html.spec.whatwg.org/multipage/media.html#the-audio-element>

use crate::dom::bindings::codegen::HTMLAudioElementBinding::HTMLAudioElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::htmlmediaelement::HTMLMediaElement;
use html5ever::QualName;

/// <https://html.spec.whatwg.org/multipage/media.html#the-audio-element>
pub struct HTMLAudioElement<'js> {
    media: HTMLMediaElement<'js>,
}

impl<'js> HasParent<'js> for HTMLAudioElement<'js> {
    type Parent = HTMLMediaElement<'js>;
    fn parent(&self) -> &HTMLMediaElement<'js> {
        &self.media
    }
}

impl<'js> Trace<'js> for HTMLAudioElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.media.trace(tracer)
    }
}

impl<'js> HTMLAudioElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLAudioElement {
            media: HTMLMediaElement::new_inherited(name, document, attrs),
        }
    }
}

impl<'js> HTMLAudioElementMethods<'js> for HTMLAudioElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-audio>: an audio element with `preload=auto` and
    /// the given `src` in the current window's document.
    fn LegacyFactoryFunction_Audio(cx: &Cx<'js>, src: Option<DOMString>) -> Fallible<Self> {
        let document = crate::dom::window::current_document(&cx.ctx)?;
        let mut attrs = vec![("preload".to_string(), "auto".to_string())];
        if let Some(src) = src {
            attrs.push(("src".to_string(), src));
        }
        Ok(HTMLAudioElement::new_inherited(
            QualName::new(None, html5ever::ns!(html), html5ever::local_name!("audio")),
            &document,
            attrs,
        ))
    }
    /// A src given to Audio() was "set": the media element load algorithm runs.
    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        let element = this.upcast::<crate::dom::element::Element>();
        if element.has_attr("src") {
            crate::dom::htmlmediaelement::media_element_load_algorithm(&cx.ctx, &element);
        }
        Ok(())
    }
}
