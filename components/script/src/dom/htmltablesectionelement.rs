//! <https://html.spec.whatwg.org/multipage/tables.html#htmltablesectionelement> (tbody, thead,
//! tfoot)

use crate::dom::bindings::codegen::HTMLTableSectionElementBinding::HTMLTableSectionElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::simple_html_element;
use crate::dom::htmltablerowelement::HTMLTableRowElement;
use crate::dom::node::{self, Node};
use crate::dom::tables::{children_named, delete_item, insert_child};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#htmltablesectionelement>
    HTMLTableSectionElement
);

impl<'js> HTMLTableSectionElementMethods<'js> for HTMLTableSectionElement<'js> {
    fn rows(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &node::this_node(cx)?,
            CollectionFilter::ChildrenNamed(&["tr"]),
        )
    }
    /// <https://html.spec.whatwg.org/#dom-tbody-insertrow>
    fn insertRow(&self, cx: &Cx<'js>, index: i32) -> Fallible<Dom<'js, HTMLTableRowElement<'js>>> {
        let section = node::this_node(cx)?;
        let rows = children_named(&section, &["tr"]);
        let row = insert_child(&cx.ctx, &section, &rows, index, "tr")?;
        node::downcast(&row.upcast::<Node>()).ok_or_else(|| Error::Type("not a row".into()))
    }
    fn deleteRow(&self, cx: &Cx<'js>, index: i32) -> Fallible<()> {
        delete_item(
            &children_named(&node::this_node(cx)?, &["tr"]),
            index,
            "deleteRow",
        )
    }
}
