//! <https://dom.spec.whatwg.org/#xmldocument>

use crate::dom::bindings::codegen::XMLDocumentBinding::XMLDocumentMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;

/// <https://dom.spec.whatwg.org/#xmldocument>
pub struct XMLDocument<'js> {
    document: Document<'js>,
}

impl<'js> HasParent<'js> for XMLDocument<'js> {
    type Parent = Document<'js>;
    fn parent(&self) -> &Document<'js> {
        &self.document
    }
}

impl<'js> Trace<'js> for XMLDocument<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.document.trace(tracer)
    }
}

impl<'js> XMLDocument<'js> {
    pub fn new_inherited(document: Document<'js>) -> XMLDocument<'js> {
        XMLDocument { document }
    }
}

impl<'js> XMLDocumentMethods<'js> for XMLDocument<'js> {}
