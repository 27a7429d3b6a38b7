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

impl<'js> HTMLAudioElementMethods<'js> for HTMLAudioElement<'js> {}
