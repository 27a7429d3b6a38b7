//! What the table interfaces share (<https://html.spec.whatwg.org/multipage/tables.html>):
//! the `rows`/`tBodies`/`cells` collections and inserting or deleting rows and cells.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};
use html5ever::{ns, LocalName, QualName};

/// The HTML element children of `parent` with one of `names`.
pub fn children_named<'js>(
    parent: &Dom<'js, Node<'js>>,
    names: &[&str],
) -> Vec<Dom<'js, Element<'js>>> {
    node::element_children(parent)
        .into_iter()
        .filter(|e| e.is_html() && names.contains(&e.local_name_()))
        .collect()
}

/// <https://html.spec.whatwg.org/#dom-table-rows>: the rows of the thead children first,
/// then those that are children of the table or of its tbody children, then the tfoot's,
/// each in tree order.
pub fn table_rows<'js>(table: &Dom<'js, Node<'js>>) -> Vec<Dom<'js, Element<'js>>> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    let mut foot = Vec::new();
    for child in node::element_children(table)
        .into_iter()
        .filter(|e| e.is_html())
    {
        match child.local_name_() {
            "tr" => body.push(child),
            "thead" => head.extend(children_named(&child.upcast::<Node>(), &["tr"])),
            "tbody" => body.extend(children_named(&child.upcast::<Node>(), &["tr"])),
            "tfoot" => foot.extend(children_named(&child.upcast::<Node>(), &["tr"])),
            _ => {}
        }
    }
    head.extend(body);
    head.extend(foot);
    head
}

/// A new HTML element `name` in `parent`'s node document.
pub fn create<'js>(
    ctx: &Ctx<'js>,
    parent: &Dom<'js, Node<'js>>,
    name: &str,
) -> Fallible<Dom<'js, Element<'js>>> {
    let doc = node::node_document(parent).ok_or_else(|| Error::invalid_state("no document"))?;
    crate::dom::create::create_element(
        ctx,
        &doc,
        QualName::new(None, ns!(html), LocalName::from(name)),
        Vec::new(),
        false,
    )
}

fn index_size_error(what: &str, index: i32, len: usize) -> Error {
    Error::dom(
        DomErrorName::IndexSizeError,
        format!("{what}: index {index} is outside -1..={len}"),
    )
}

/// insertRow()/insertCell() of a section or a row: a new `name` element at `index` among
/// `items` (-1 or the length: appended to `parent`).
pub fn insert_child<'js>(
    ctx: &Ctx<'js>,
    parent: &Dom<'js, Node<'js>>,
    items: &[Dom<'js, Element<'js>>],
    index: i32,
    name: &str,
) -> Fallible<Dom<'js, Element<'js>>> {
    // Step 1. If index is less than -1 or greater than the number of items, throw an
    // "IndexSizeError".
    if index < -1 || index as i64 > items.len() as i64 {
        return Err(index_size_error(name, index, items.len()));
    }
    // Step 2. Let the new element be a new name element.
    let new = create(ctx, parent, name)?;
    // Steps 3-4. Append it, or insert it before the index-th item.
    if index == -1 || index as usize == items.len() {
        node::append(ctx, &new.upcast::<Node>(), parent)?;
    } else {
        let before = items[index as usize].upcast::<Node>();
        node::pre_insert(ctx, &new.upcast::<Node>(), parent, Some(&before))?;
    }
    Ok(new)
}

/// deleteRow()/deleteCell(): -1 removes the last item (if any), an index in range removes
/// that one, anything else is an IndexSizeError.
pub fn delete_item<'js>(items: &[Dom<'js, Element<'js>>], index: i32, what: &str) -> Fallible<()> {
    if index == -1 {
        if let Some(last) = items.last() {
            node::remove(&last.upcast::<Node>());
        }
        return Ok(());
    }
    if index < 0 || index as usize >= items.len() {
        return Err(index_size_error(what, index, items.len()));
    }
    node::remove(&items[index as usize].upcast::<Node>());
    Ok(())
}
