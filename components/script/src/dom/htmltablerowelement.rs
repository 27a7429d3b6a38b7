//! <https://html.spec.whatwg.org/multipage/tables.html#the-tr-element>

use crate::dom::bindings::codegen::HTMLTableRowElementBinding::HTMLTableRowElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::simple_html_element;
use crate::dom::htmltablecellelement::HTMLTableCellElement;
use crate::dom::node::{self, Node};
use crate::dom::tables::{children_named, delete_item, insert_child, table_rows};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#the-tr-element>
    HTMLTableRowElement
);

fn local_name_is<'js>(n: &Dom<'js, Node<'js>>, names: &[&str]) -> bool {
    node::downcast::<Element>(n).is_some_and(|e| e.is_html() && names.contains(&e.local_name_()))
}

fn position_of<'js>(list: &[Dom<'js, Element<'js>>], n: &Dom<'js, Node<'js>>) -> i32 {
    list.iter()
        .position(|e| e.upcast::<Node>().ptr_eq(n))
        .map(|i| i as i32)
        .unwrap_or(-1)
}

impl<'js> HTMLTableRowElementMethods<'js> for HTMLTableRowElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-tr-rowindex>: the index in the table's rows, when
    /// the row's parent is the table or a section of it; -1 otherwise.
    fn rowIndex(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let row = node::this_node(cx)?;
        let Some(parent) = row.parent_node() else {
            return Ok(-1);
        };
        let table = if local_name_is(&parent, &["table"]) {
            Some(parent)
        } else if local_name_is(&parent, &["thead", "tbody", "tfoot"]) {
            parent
                .parent_node()
                .filter(|g| local_name_is(g, &["table"]))
        } else {
            None
        };
        Ok(match table {
            Some(t) => position_of(&table_rows(&t), &row),
            None => -1,
        })
    }
    /// <https://html.spec.whatwg.org/#dom-tr-sectionrowindex>: the index in the parent's rows.
    fn sectionRowIndex(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let row = node::this_node(cx)?;
        let Some(parent) = row.parent_node() else {
            return Ok(-1);
        };
        Ok(if local_name_is(&parent, &["table"]) {
            position_of(&table_rows(&parent), &row)
        } else if local_name_is(&parent, &["thead", "tbody", "tfoot"]) {
            position_of(&children_named(&parent, &["tr"]), &row)
        } else {
            -1
        })
    }
    fn cells(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &node::this_node(cx)?,
            CollectionFilter::ChildrenNamed(&["td", "th"]),
        )
    }
    /// <https://html.spec.whatwg.org/#dom-tr-insertcell>: a new td.
    fn insertCell(
        &self,
        cx: &Cx<'js>,
        index: i32,
    ) -> Fallible<Dom<'js, HTMLTableCellElement<'js>>> {
        let row = node::this_node(cx)?;
        let cells = children_named(&row, &["td", "th"]);
        let cell = insert_child(&cx.ctx, &row, &cells, index, "td")?;
        node::downcast(&cell.upcast::<Node>()).ok_or_else(|| Error::Type("not a cell".into()))
    }
    fn deleteCell(&self, cx: &Cx<'js>, index: i32) -> Fallible<()> {
        delete_item(
            &children_named(&node::this_node(cx)?, &["td", "th"]),
            index,
            "deleteCell",
        )
    }
}
