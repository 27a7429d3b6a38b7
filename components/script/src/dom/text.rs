//! <https://dom.spec.whatwg.org/#interface-text>

use crate::dom::bindings::codegen::TextBinding::TextMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::domstring;
use crate::dom::characterdata::{check_offset, CharacterData};
use crate::dom::document::Document;
use crate::dom::node::{self, TEXT_NODE};
use crate::dom::window::current_document;

/// <https://dom.spec.whatwg.org/#interface-text>
pub struct Text<'js> {
    cd: CharacterData<'js>,
}

impl<'js> HasParent<'js> for Text<'js> {
    type Parent = CharacterData<'js>;
    fn parent(&self) -> &CharacterData<'js> {
        &self.cd
    }
}

impl<'js> Trace<'js> for Text<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.cd.trace(tracer)
    }
}

impl<'js> Text<'js> {
    /// A Text node of type `node_type` (TEXT_NODE, or CDATA_SECTION_NODE for a
    /// CDATASection).
    pub(crate) fn new_inherited(
        node_type: u16,
        document: Option<Dom<'js, Document<'js>>>,
        data: String,
    ) -> Text<'js> {
        Text {
            cd: CharacterData::new_inherited(node_type, document, data),
        }
    }

    /// A new Text node whose node document is `document`.
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        data: String,
    ) -> Fallible<Dom<'js, Text<'js>>> {
        reflect_dom_object(
            ctx,
            Text::new_inherited(TEXT_NODE, Some(document.clone()), data),
        )
    }
}

impl<'js> TextMethods<'js> for Text<'js> {
    /// <https://dom.spec.whatwg.org/#dom-text-wholetext>: the data of the contiguous Text
    /// nodes around this one.
    fn wholeText(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let this = node::this_node(cx)?;
        let Some(parent) = this.parent_node() else {
            return Ok(self.cd.data_());
        };
        let siblings = parent.child_list();
        let i = siblings.iter().position(|c| c.ptr_eq(&this)).unwrap_or(0);
        let mut start = i;
        while start > 0 && siblings[start - 1].node_type_() == TEXT_NODE {
            start -= 1;
        }
        let mut s = String::new();
        for n in &siblings[start..] {
            if n.node_type_() != TEXT_NODE {
                if n.ptr_eq(&this) {
                    continue;
                }
                break;
            }
            if let Some(c) = node::downcast::<CharacterData>(n) {
                domstring::push(&mut s, &c.data_());
            }
        }
        Ok(s)
    }
    /// <https://dom.spec.whatwg.org/#concept-text-split>
    fn splitText(&self, cx: &Cx<'js>, offset: u32) -> Fallible<Dom<'js, Text<'js>>> {
        let this = node::this_node(cx)?;
        let units = domstring::utf16(&self.cd.data_());
        // Steps 1-2. An offset past the end is an IndexSizeError.
        let offset = check_offset(offset, units.len())?;
        // Steps 3-5. The new node gets the data after offset.
        let document =
            node::node_document(&this).ok_or_else(|| Error::invalid_state("no node document"))?;
        let new = Text::create(&cx.ctx, &document, domstring::from_utf16(&units[offset..]))?;
        // Step 7. If this has a parent, insert the new node after it.
        if let Some(parent) = this.parent_node() {
            let next = parent
                .child_list()
                .iter()
                .position(|c| c.ptr_eq(&this))
                .and_then(|i| parent.child_list().get(i + 1).cloned());
            node::insert(&cx.ctx, &new.upcast(), &parent, next.as_ref(), false);
        }
        // Step 8. Replace data with offset, count, and the empty string.
        self.cd
            .replace_data_all(domstring::from_utf16(&units[..offset]));
        Ok(new)
    }
    /// <https://dom.spec.whatwg.org/#dom-text-text>
    fn Constructor(cx: &Cx<'js>, data: DOMString) -> Fallible<Self> {
        Ok(Text::new_inherited(
            TEXT_NODE,
            Some(current_document(&cx.ctx)?),
            data,
        ))
    }
}
