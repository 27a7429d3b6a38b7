//! <https://dom.spec.whatwg.org/#interface-comment>

use crate::dom::bindings::codegen::CommentBinding::CommentMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::characterdata::CharacterData;
use crate::dom::document::Document;
use crate::dom::node::COMMENT_NODE;
use crate::dom::window::current_document;

/// <https://dom.spec.whatwg.org/#interface-comment>
pub struct Comment<'js> {
    cd: CharacterData<'js>,
}

impl<'js> HasParent<'js> for Comment<'js> {
    type Parent = CharacterData<'js>;
    fn parent(&self) -> &CharacterData<'js> {
        &self.cd
    }
}

impl<'js> Trace<'js> for Comment<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.cd.trace(tracer)
    }
}

impl<'js> Comment<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        data: String,
    ) -> Fallible<Dom<'js, Comment<'js>>> {
        reflect_dom_object(
            ctx,
            Comment {
                cd: CharacterData::new_inherited(COMMENT_NODE, Some(document.clone()), data),
            },
        )
    }
}

impl<'js> CommentMethods<'js> for Comment<'js> {
    /// <https://dom.spec.whatwg.org/#dom-comment-comment>
    fn Constructor(cx: &Cx<'js>, data: DOMString) -> Fallible<Self> {
        Ok(Comment {
            cd: CharacterData::new_inherited(COMMENT_NODE, Some(current_document(&cx.ctx)?), data),
        })
    }
}
