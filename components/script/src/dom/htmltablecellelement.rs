//! <https://html.spec.whatwg.org/multipage/tables.html#htmltablecellelement> (td, th)

use crate::dom::bindings::codegen::HTMLTableCellElementBinding::HTMLTableCellElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::htmlelement::simple_html_element;
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#htmltablecellelement>
    HTMLTableCellElement
);

impl<'js> HTMLTableCellElementMethods<'js> for HTMLTableCellElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-tdth-cellindex>: the index in the parent tr's cells,
    /// or -1.
    fn cellIndex(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let cell = node::this_node(cx)?;
        let Some(parent) = cell.parent_node() else {
            return Ok(-1);
        };
        if !node::downcast::<Element>(&parent)
            .is_some_and(|p| p.is_html() && p.local_name_() == "tr")
        {
            return Ok(-1);
        }
        Ok(crate::dom::tables::children_named(&parent, &["td", "th"])
            .iter()
            .position(|c| c.upcast::<Node>().ptr_eq(&cell))
            .map(|i| i as i32)
            .unwrap_or(-1))
    }
}
