//! <https://html.spec.whatwg.org/multipage/tables.html#the-table-element>

use crate::dom::bindings::codegen::HTMLTableElementBinding::HTMLTableElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::simple_html_element;
use crate::dom::htmltablecaptionelement::HTMLTableCaptionElement;
use crate::dom::htmltablerowelement::HTMLTableRowElement;
use crate::dom::htmltablesectionelement::HTMLTableSectionElement;
use crate::dom::node::{self, Node};
use crate::dom::tables::{children_named, create, delete_item, table_rows};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#the-table-element>
    HTMLTableElement
);

fn first_child<'js>(table: &Dom<'js, Node<'js>>, name: &str) -> Option<Dom<'js, Element<'js>>> {
    children_named(table, &[name]).into_iter().next()
}

fn as_<'js, T: DomInterface<'js>>(e: Dom<'js, Element<'js>>) -> Fallible<Dom<'js, T>> {
    node::downcast::<T>(&e.upcast::<Node>())
        .ok_or_else(|| Error::Type("the element has an unexpected interface".into()))
}

/// Inserts `new` before the first child that is not a caption or colgroup (thead's place).
fn insert_head<'js>(
    ctx: &Ctx<'js>,
    table: &Dom<'js, Node<'js>>,
    new: &Dom<'js, Node<'js>>,
) -> Fallible<()> {
    let before = table.child_list().into_iter().find(|c| {
        !node::downcast::<Element>(c)
            .is_some_and(|e| e.is_html() && matches!(e.local_name_(), "caption" | "colgroup"))
    });
    node::pre_insert(ctx, new, table, before.as_ref())?;
    Ok(())
}

fn check_section<'js>(e: &Dom<'js, Element<'js>>, name: &str) -> Fallible<()> {
    if e.local_name_() != name {
        return Err(Error::dom(
            DomErrorName::HierarchyRequestError,
            format!("the element is not a {name}"),
        ));
    }
    Ok(())
}

impl<'js> HTMLTableElementMethods<'js> for HTMLTableElement<'js> {
    /// The first caption child.
    fn caption(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLTableCaptionElement<'js>>>> {
        first_child(&node::this_node(cx)?, "caption")
            .map(as_)
            .transpose()
    }
    /// Removes the first caption child, then inserts the new one first.
    fn set_caption(
        &self,
        cx: &Cx<'js>,
        value: Option<Dom<'js, HTMLTableCaptionElement<'js>>>,
    ) -> Fallible<()> {
        let table = node::this_node(cx)?;
        if let Some(old) = first_child(&table, "caption") {
            node::remove(&old.upcast::<Node>());
        }
        if let Some(c) = value {
            let first = table.child_at(0);
            node::pre_insert(&cx.ctx, &c.upcast::<Node>(), &table, first.as_ref())?;
        }
        Ok(())
    }
    fn createCaption(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLTableCaptionElement<'js>>> {
        let table = node::this_node(cx)?;
        if let Some(c) = first_child(&table, "caption") {
            return as_(c);
        }
        let c = create(&cx.ctx, &table, "caption")?;
        let first = table.child_at(0);
        node::pre_insert(&cx.ctx, &c.upcast::<Node>(), &table, first.as_ref())?;
        as_(c)
    }
    fn deleteCaption(&self, cx: &Cx<'js>) -> Fallible<()> {
        if let Some(c) = first_child(&node::this_node(cx)?, "caption") {
            node::remove(&c.upcast::<Node>());
        }
        Ok(())
    }
    fn tHead(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLTableSectionElement<'js>>>> {
        first_child(&node::this_node(cx)?, "thead")
            .map(as_)
            .transpose()
    }
    /// A non-thead value is a HierarchyRequestError; the old thead goes, the new one takes
    /// thead's place.
    fn set_tHead(
        &self,
        cx: &Cx<'js>,
        value: Option<Dom<'js, HTMLTableSectionElement<'js>>>,
    ) -> Fallible<()> {
        let table = node::this_node(cx)?;
        if let Some(v) = &value {
            check_section(&v.upcast::<Element>(), "thead")?;
        }
        if let Some(old) = first_child(&table, "thead") {
            node::remove(&old.upcast::<Node>());
        }
        if let Some(v) = value {
            insert_head(&cx.ctx, &table, &v.upcast::<Node>())?;
        }
        Ok(())
    }
    fn createTHead(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLTableSectionElement<'js>>> {
        let table = node::this_node(cx)?;
        if let Some(h) = first_child(&table, "thead") {
            return as_(h);
        }
        let h = create(&cx.ctx, &table, "thead")?;
        insert_head(&cx.ctx, &table, &h.upcast::<Node>())?;
        as_(h)
    }
    fn deleteTHead(&self, cx: &Cx<'js>) -> Fallible<()> {
        if let Some(h) = first_child(&node::this_node(cx)?, "thead") {
            node::remove(&h.upcast::<Node>());
        }
        Ok(())
    }
    fn tFoot(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLTableSectionElement<'js>>>> {
        first_child(&node::this_node(cx)?, "tfoot")
            .map(as_)
            .transpose()
    }
    fn set_tFoot(
        &self,
        cx: &Cx<'js>,
        value: Option<Dom<'js, HTMLTableSectionElement<'js>>>,
    ) -> Fallible<()> {
        let table = node::this_node(cx)?;
        if let Some(v) = &value {
            check_section(&v.upcast::<Element>(), "tfoot")?;
        }
        if let Some(old) = first_child(&table, "tfoot") {
            node::remove(&old.upcast::<Node>());
        }
        if let Some(v) = value {
            node::append(&cx.ctx, &v.upcast::<Node>(), &table)?;
        }
        Ok(())
    }
    fn createTFoot(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLTableSectionElement<'js>>> {
        let table = node::this_node(cx)?;
        if let Some(f) = first_child(&table, "tfoot") {
            return as_(f);
        }
        let f = create(&cx.ctx, &table, "tfoot")?;
        node::append(&cx.ctx, &f.upcast::<Node>(), &table)?;
        as_(f)
    }
    fn deleteTFoot(&self, cx: &Cx<'js>) -> Fallible<()> {
        if let Some(f) = first_child(&node::this_node(cx)?, "tfoot") {
            node::remove(&f.upcast::<Node>());
        }
        Ok(())
    }
    fn tBodies(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &node::this_node(cx)?,
            CollectionFilter::TableBodies,
        )
    }
    /// <https://html.spec.whatwg.org/#dom-table-createtbody>: after the last tbody child.
    fn createTBody(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLTableSectionElement<'js>>> {
        let table = node::this_node(cx)?;
        let b = create(&cx.ctx, &table, "tbody")?;
        let after_last = children_named(&table, &["tbody"])
            .last()
            .and_then(|l| node::next_sibling(&l.upcast::<Node>()));
        node::pre_insert(&cx.ctx, &b.upcast::<Node>(), &table, after_last.as_ref())?;
        as_(b)
    }
    fn rows(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(&cx.ctx, &node::this_node(cx)?, CollectionFilter::TableRows)
    }
    /// <https://html.spec.whatwg.org/#dom-table-insertrow>
    fn insertRow(&self, cx: &Cx<'js>, index: i32) -> Fallible<Dom<'js, HTMLTableRowElement<'js>>> {
        let table = node::this_node(cx)?;
        let rows = table_rows(&table);
        // Step 1. If index is less than -1 or greater than the number of rows: IndexSizeError.
        if index < -1 || index as i64 > rows.len() as i64 {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                format!("insertRow: index {index} is outside -1..={}", rows.len()),
            ));
        }
        let row = create(&cx.ctx, &table, "tr")?;
        let bodies = children_named(&table, &["tbody"]);
        if rows.is_empty() {
            match bodies.last() {
                // Step 4. No rows, a tbody: append to the last tbody.
                Some(b) => {
                    node::append(&cx.ctx, &row.upcast::<Node>(), &b.upcast::<Node>())?;
                }
                // Step 3. No rows and no tbody: a new tbody with the row, appended.
                None => {
                    let b = create(&cx.ctx, &table, "tbody")?;
                    node::append(&cx.ctx, &row.upcast::<Node>(), &b.upcast::<Node>())?;
                    node::append(&cx.ctx, &b.upcast::<Node>(), &table)?;
                }
            }
        } else if index == -1 || index as usize == rows.len() {
            // Step 5. Appended to the parent of the last row.
            let parent = rows[rows.len() - 1]
                .upcast::<Node>()
                .parent_node()
                .unwrap_or(table.clone());
            node::append(&cx.ctx, &row.upcast::<Node>(), &parent)?;
        } else {
            // Step 6. Before the index-th row, in its parent.
            let before = rows[index as usize].upcast::<Node>();
            let parent = before.parent_node().unwrap_or(table.clone());
            node::pre_insert(&cx.ctx, &row.upcast::<Node>(), &parent, Some(&before))?;
        }
        as_(row)
    }
    fn deleteRow(&self, cx: &Cx<'js>, index: i32) -> Fallible<()> {
        delete_item(&table_rows(&node::this_node(cx)?), index, "deleteRow")
    }
}
