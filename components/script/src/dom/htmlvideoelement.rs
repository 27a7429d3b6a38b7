//! <https://html.spec.whatwg.org/multipage/media.html#the-video-element>

use crate::dom::bindings::codegen::HTMLVideoElementBinding::HTMLVideoElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::htmlmediaelement::HTMLMediaElement;
use html5ever::QualName;

/// <https://html.spec.whatwg.org/multipage/media.html#the-video-element>
pub struct HTMLVideoElement<'js> {
    media: HTMLMediaElement<'js>,
}

impl<'js> HasParent<'js> for HTMLVideoElement<'js> {
    type Parent = HTMLMediaElement<'js>;
    fn parent(&self) -> &HTMLMediaElement<'js> {
        &self.media
    }
}

impl<'js> Trace<'js> for HTMLVideoElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.media.trace(tracer)
    }
}

impl<'js> HTMLVideoElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLVideoElement {
            media: HTMLMediaElement::new_inherited(name, document, attrs),
        }
    }
}

impl<'js> HTMLVideoElementMethods<'js> for HTMLVideoElement<'js> {
    /// No decoding: the intrinsic size is unknown (0).
    fn videoWidth(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(0)
    }
    fn videoHeight(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(0)
    }
}
