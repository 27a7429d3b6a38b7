//! <https://dom.spec.whatwg.org/#interface-characterdata>: the data of Text, Comment,
//! CDATASection and ProcessingInstruction nodes (each in its own file), and the "replace data"
//! algorithm they share.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::CharacterDataBinding::CharacterDataMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::domstring;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::node::{self, Node};

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
    pub(crate) fn new_inherited(
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
        crate::dom::bindings::domstring::push(&mut self.data.borrow_mut(), s);
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
        let units = domstring::utf16(&self.data.borrow());
        // Steps 1-2. If offset is greater than length, throw an "IndexSizeError".
        let length = units.len();
        let offset = check_offset(offset, length)?;
        // Step 3. Clamp count to the end.
        let end = offset + (count as usize).min(length - offset);
        let mut out: Vec<u16> = units[..offset].to_vec();
        out.extend(domstring::utf16(data));
        out.extend_from_slice(&units[end..]);
        *self.data.borrow_mut() = domstring::from_utf16(&out);
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
        Ok(domstring::utf16_len(&self.data.borrow()) as u32)
    }
    /// <https://dom.spec.whatwg.org/#concept-cd-substring>
    fn substringData(&self, _cx: &Cx<'js>, offset: u32, count: u32) -> Fallible<DOMString> {
        let units = domstring::utf16(&self.data.borrow());
        // Steps 1-2. If offset is greater than length, throw an "IndexSizeError".
        let offset = check_offset(offset, units.len())?;
        // Steps 3-5. The code units from offset, at most count of them.
        let end = offset + (count as usize).min(units.len() - offset);
        Ok(domstring::from_utf16(&units[offset..end]))
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

/// An offset into data of `length` UTF-16 code units, or the "IndexSizeError" the
/// CharacterData and Text algorithms throw when it is past the end.
pub(crate) fn check_offset(offset: u32, length: usize) -> Fallible<usize> {
    let offset = offset as usize;
    if offset > length {
        return Err(Error::dom(
            DomErrorName::IndexSizeError,
            format!("offset {offset} is greater than the data's length {length}"),
        ));
    }
    Ok(offset)
}
