//! <https://dom.spec.whatwg.org/#interface-cdatasection>

use crate::dom::bindings::codegen::CDATASectionBinding::CDATASectionMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::node::CDATA_SECTION_NODE;
use crate::dom::text::Text;

/// <https://dom.spec.whatwg.org/#interface-cdatasection>
pub struct CDATASection<'js> {
    text: Text<'js>,
}

impl<'js> HasParent<'js> for CDATASection<'js> {
    type Parent = Text<'js>;
    fn parent(&self) -> &Text<'js> {
        &self.text
    }
}

impl<'js> Trace<'js> for CDATASection<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.text.trace(tracer)
    }
}

impl<'js> CDATASection<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        data: String,
    ) -> Fallible<Dom<'js, CDATASection<'js>>> {
        reflect_dom_object(
            ctx,
            CDATASection {
                text: Text::new_inherited(CDATA_SECTION_NODE, Some(document.clone()), data),
            },
        )
    }
}

impl<'js> CDATASectionMethods<'js> for CDATASection<'js> {}
