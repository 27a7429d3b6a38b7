//! <https://dom.spec.whatwg.org/#interface-mutationrecord>

use crate::dom::bindings::codegen::MutationRecordBinding::MutationRecordMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::mutationobserver::Mutation;
use crate::dom::node::Node;
use crate::dom::nodelist::NodeList;

/// <https://dom.spec.whatwg.org/#interface-mutationrecord>
pub struct MutationRecord<'js> {
    type_: &'static str,
    target: Dom<'js, Node<'js>>,
    added: Dom<'js, NodeList<'js>>,
    removed: Dom<'js, NodeList<'js>>,
    previous_sibling: Option<Dom<'js, Node<'js>>>,
    next_sibling: Option<Dom<'js, Node<'js>>>,
    attribute_name: Option<String>,
    old_value: Option<String>,
}

impl<'js> Trace<'js> for MutationRecord<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer);
        self.added.trace(tracer);
        self.removed.trace(tracer);
        self.previous_sibling.trace(tracer);
        self.next_sibling.trace(tracer);
    }
}

impl<'js> MutationRecord<'js> {
    /// Step 4.2 of "queue a mutation record": the record of `mutation` at `target` for one
    /// interested observer, with that observer's `old_value`.
    pub fn new_inherited(
        ctx: &Ctx<'js>,
        target: &Dom<'js, Node<'js>>,
        mutation: &Mutation<'js>,
        old_value: Option<String>,
    ) -> Fallible<MutationRecord<'js>> {
        let list = |nodes: &[Dom<'js, Node<'js>>]| {
            reflect_dom_object(ctx, NodeList::Static(nodes.to_vec()))
        };
        let record = |type_, added, removed, previous_sibling, next_sibling, attribute_name| {
            MutationRecord {
                type_,
                target: target.clone(),
                added,
                removed,
                previous_sibling,
                next_sibling,
                attribute_name,
                old_value,
            }
        };
        Ok(match mutation {
            Mutation::Attributes { name, .. } => record(
                "attributes",
                list(&[])?,
                list(&[])?,
                None,
                None,
                Some(name.clone()),
            ),
            Mutation::CharacterData { .. } => {
                record("characterData", list(&[])?, list(&[])?, None, None, None)
            }
            Mutation::ChildList {
                added,
                removed,
                previous_sibling,
                next_sibling,
            } => record(
                "childList",
                list(added)?,
                list(removed)?,
                previous_sibling.clone(),
                next_sibling.clone(),
                None,
            ),
        })
    }
}

impl<'js> MutationRecordMethods<'js> for MutationRecord<'js> {
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.type_.into())
    }
    fn target(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Node<'js>>> {
        Ok(self.target.clone())
    }
    fn addedNodes(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, NodeList<'js>>> {
        Ok(self.added.clone())
    }
    fn removedNodes(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, NodeList<'js>>> {
        Ok(self.removed.clone())
    }
    fn previousSibling(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(self.previous_sibling.clone())
    }
    fn nextSibling(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Node<'js>>>> {
        Ok(self.next_sibling.clone())
    }
    fn attributeName(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        Ok(self.attribute_name.clone())
    }
    /// Attributes have no namespace here.
    fn attributeNamespace(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        Ok(None)
    }
    fn oldValue(&self, _cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        Ok(self.old_value.clone())
    }
}
