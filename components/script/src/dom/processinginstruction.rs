//! <https://dom.spec.whatwg.org/#interface-processinginstruction>

use crate::dom::bindings::codegen::ProcessingInstructionBinding::ProcessingInstructionMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::characterdata::CharacterData;
use crate::dom::document::Document;
use crate::dom::node::PROCESSING_INSTRUCTION_NODE;

/// <https://dom.spec.whatwg.org/#interface-processinginstruction>
pub struct ProcessingInstruction<'js> {
    cd: CharacterData<'js>,
    target: String,
}

impl<'js> HasParent<'js> for ProcessingInstruction<'js> {
    type Parent = CharacterData<'js>;
    fn parent(&self) -> &CharacterData<'js> {
        &self.cd
    }
}

impl<'js> Trace<'js> for ProcessingInstruction<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.cd.trace(tracer)
    }
}

impl<'js> ProcessingInstruction<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        target: String,
        data: String,
    ) -> Fallible<Dom<'js, ProcessingInstruction<'js>>> {
        reflect_dom_object(
            ctx,
            ProcessingInstruction {
                cd: CharacterData::new_inherited(
                    PROCESSING_INSTRUCTION_NODE,
                    Some(document.clone()),
                    data,
                ),
                target,
            },
        )
    }
    pub fn target_(&self) -> &str {
        &self.target
    }
}

impl<'js> ProcessingInstructionMethods<'js> for ProcessingInstruction<'js> {
    fn target(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.target.clone())
    }
}
