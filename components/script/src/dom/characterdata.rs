//! <https://dom.spec.whatwg.org/#interface-characterdata>, Text, Comment, and DocumentType.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::CharacterDataBinding::CharacterDataMethods;
use crate::dom::bindings::codegen::CommentBinding::CommentMethods;
use crate::dom::bindings::codegen::DocumentTypeBinding::DocumentTypeMethods;
use crate::dom::bindings::codegen::TextBinding::TextMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::node::{
    self, Node, CDATA_SECTION_NODE, COMMENT_NODE, DOCUMENT_TYPE_NODE, PROCESSING_INSTRUCTION_NODE,
    TEXT_NODE,
};

/// <https://dom.spec.whatwg.org/#interface-characterdata>
pub struct CharacterData<'js> {
    node: Node<'js>,
    data: DomRefCell<String>,
}

impl<'js> HasParent<'js> for CharacterData<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for CharacterData<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer)
    }
}

impl<'js> CharacterData<'js> {
    fn new_inherited(
        node_type: u16,
        document: Option<Dom<'js, Document<'js>>>,
        data: String,
    ) -> Self {
        CharacterData {
            node: Node::new_inherited(node_type, document),
            data: DomRefCell::new(data),
        }
    }
    pub fn data_(&self) -> String {
        self.data.borrow().clone()
    }
    pub fn append_str(&self, s: &str) {
        self.data.borrow_mut().push_str(s);
    }
    /// Runs a "replace data" change on `cx.this`, then queues its "characterData" mutation
    /// record with the old data.
    fn change(&self, cx: &Cx<'js>, f: impl FnOnce(&Self) -> Fallible<()>) -> Fallible<()> {
        let old = self.data_();
        f(self)?;
        if let Ok(this) = node::this_node(cx) {
            notify_data_change(&this, old);
        }
        Ok(())
    }

    /// Replace data with offset 0, count this's length, and `data`.
    pub fn replace_data_all(&self, data: String) {
        *self.data.borrow_mut() = data;
    }

    /// <https://dom.spec.whatwg.org/#concept-cd-replace>, offsets in UTF-16 code units.
    fn replace_data(&self, offset: u32, count: u32, data: &str) -> Fallible<()> {
        let units: Vec<u16> = self.data.borrow().encode_utf16().collect();
        // Step 1-2. If offset is greater than length, throw an "IndexSizeError".
        let length = units.len();
        let offset = offset as usize;
        if offset > length {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                format!("offset {offset} is greater than the data's length {length}"),
            ));
        }
        // Step 3. Clamp count to the end.
        let end = offset + (count as usize).min(length - offset);
        let mut out: Vec<u16> = units[..offset].to_vec();
        out.extend(data.encode_utf16());
        out.extend_from_slice(&units[end..]);
        *self.data.borrow_mut() = String::from_utf16_lossy(&out);
        Ok(())
    }
}

impl<'js> CharacterDataMethods<'js> for CharacterData<'js> {
    fn data(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.data_())
    }
    fn set_data(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        self.change(cx, |cd| {
            cd.replace_data_all(value);
            Ok(())
        })
    }
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.data.borrow().encode_utf16().count() as u32)
    }
    /// <https://dom.spec.whatwg.org/#concept-cd-substring>
    fn substringData(&self, _cx: &Cx<'js>, offset: u32, count: u32) -> Fallible<DOMString> {
        let units: Vec<u16> = self.data.borrow().encode_utf16().collect();
        let offset = offset as usize;
        if offset > units.len() {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                format!(
                    "offset {offset} is greater than the data's length {}",
                    units.len()
                ),
            ));
        }
        let end = offset + (count as usize).min(units.len() - offset);
        Ok(String::from_utf16_lossy(&units[offset..end]))
    }
    fn appendData(&self, cx: &Cx<'js>, data: DOMString) -> Fallible<()> {
        self.change(cx, |cd| {
            cd.append_str(&data);
            Ok(())
        })
    }
    fn insertData(&self, cx: &Cx<'js>, offset: u32, data: DOMString) -> Fallible<()> {
        self.change(cx, |cd| cd.replace_data(offset, 0, &data))
    }
    fn deleteData(&self, cx: &Cx<'js>, offset: u32, count: u32) -> Fallible<()> {
        self.change(cx, |cd| cd.replace_data(offset, count, ""))
    }
    fn replaceData(&self, cx: &Cx<'js>, offset: u32, count: u32, data: DOMString) -> Fallible<()> {
        self.change(cx, |cd| cd.replace_data(offset, count, &data))
    }
    crate::child_node_methods!(with_element_siblings);
}

/// Queues the "characterData" mutation record of a data change of `node` (was `old`).
pub fn notify_data_change<'js>(node: &Dom<'js, Node<'js>>, old: String) {
    if crate::dom::mutationobserver::observed(node) {
        crate::dom::mutationobserver::queue_record(
            node,
            crate::dom::mutationobserver::Mutation::CharacterData { old_value: old },
        );
    }
}

/// The document of the current global (a window's), for constructors.
fn current_document<'js>(ctx: &Ctx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
    crate::dom::window::associated_document(ctx)
        .ok_or_else(|| Error::Type("there is no document in this global".into()))
}

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
    /// A new Text node whose node document is `document`.
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        data: String,
    ) -> Fallible<Dom<'js, Text<'js>>> {
        reflect_dom_object(
            ctx,
            Text {
                cd: CharacterData::new_inherited(TEXT_NODE, Some(document.clone()), data),
            },
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
                s.push_str(&c.data_());
            }
        }
        Ok(s)
    }
    /// <https://dom.spec.whatwg.org/#concept-text-split>
    fn splitText(&self, cx: &Cx<'js>, offset: u32) -> Fallible<Dom<'js, Text<'js>>> {
        let this = node::this_node(cx)?;
        let units: Vec<u16> = self.cd.data_().encode_utf16().collect();
        // Steps 1-2. An offset past the end is an IndexSizeError.
        let offset = offset as usize;
        if offset > units.len() {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                format!(
                    "offset {offset} is greater than the data's length {}",
                    units.len()
                ),
            ));
        }
        // Steps 3-5. The new node gets the data after offset.
        let document =
            node::node_document(&this).ok_or_else(|| Error::invalid_state("no node document"))?;
        let new = Text::create(
            &cx.ctx,
            &document,
            String::from_utf16_lossy(&units[offset..]),
        )?;
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
            .replace_data_all(String::from_utf16_lossy(&units[..offset]));
        Ok(new)
    }
    /// <https://dom.spec.whatwg.org/#dom-text-text>
    fn Constructor(cx: &Cx<'js>, data: DOMString) -> Fallible<Self> {
        Ok(Text {
            cd: CharacterData::new_inherited(TEXT_NODE, Some(current_document(&cx.ctx)?), data),
        })
    }
}

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
                text: Text {
                    cd: CharacterData::new_inherited(
                        CDATA_SECTION_NODE,
                        Some(document.clone()),
                        data,
                    ),
                },
            },
        )
    }
}

impl<'js> crate::dom::bindings::codegen::CDATASectionBinding::CDATASectionMethods<'js>
    for CDATASection<'js>
{
}

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

impl<'js>
    crate::dom::bindings::codegen::ProcessingInstructionBinding::ProcessingInstructionMethods<'js>
    for ProcessingInstruction<'js>
{
    fn target(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.target.clone())
    }
}

/// <https://dom.spec.whatwg.org/#interface-documenttype>
pub struct DocumentType<'js> {
    node: Node<'js>,
    name: String,
    public_id: String,
    system_id: String,
}

impl<'js> HasParent<'js> for DocumentType<'js> {
    type Parent = Node<'js>;
    fn parent(&self) -> &Node<'js> {
        &self.node
    }
}

impl<'js> Trace<'js> for DocumentType<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.node.trace(tracer)
    }
}

impl<'js> DocumentType<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
        name: String,
        public_id: String,
        system_id: String,
    ) -> Fallible<Dom<'js, DocumentType<'js>>> {
        reflect_dom_object(
            ctx,
            DocumentType {
                node: Node::new_inherited(DOCUMENT_TYPE_NODE, Some(document.clone())),
                name,
                public_id,
                system_id,
            },
        )
    }
    pub fn name_(&self) -> &str {
        &self.name
    }
    pub fn public_id_(&self) -> &str {
        &self.public_id
    }
    pub fn system_id_(&self) -> &str {
        &self.system_id
    }
}

impl<'js> DocumentTypeMethods<'js> for DocumentType<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }
    fn publicId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.public_id.clone())
    }
    fn systemId(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.system_id.clone())
    }
    crate::child_node_methods!();
}
