//! <https://dom.spec.whatwg.org/#interface-htmlcollection>

use crate::dom::bindings::codegen::HTMLCollectionBinding::HTMLCollectionMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::domtokenlist::ordered_set;
use crate::dom::element::Element;
use crate::dom::node::{self, Node};

/// What a live HTMLCollection collects, from its root.
pub enum CollectionFilter {
    /// getElementsByTagName: descendants by qualified name ("*": all).
    QualifiedName(String),
    /// ParentNode.children: the element children.
    Children,
    /// getElementsByClassName: descendants with all of these classes.
    ClassNames(Vec<String>),
    /// `form.elements`: the listed elements whose form owner is the root (a form).
    FormElements,
    /// `fieldset.elements`: the listed descendants.
    ListedDescendants,
    /// `select.options`, `datalist.options`: the root's list of options.
    Options,
    /// `select.selectedOptions`: the selected ones of those.
    SelectedOptions,
    /// `document.links`: `a` and `area` elements with an `href`.
    Links,
    /// `table.rows`: head rows, then body rows, then foot rows.
    TableRows,
    /// `table.tBodies`: the tbody children.
    TableBodies,
    /// `section.rows`: the tr children; `row.cells`: the td and th children.
    ChildrenNamed(&'static [&'static str]),
}

/// <https://dom.spec.whatwg.org/#interface-htmlcollection>: live (computed from the tree at
/// every access).
pub struct HTMLCollection<'js> {
    root: Dom<'js, Node<'js>>,
    filter: CollectionFilter,
}

impl<'js> Trace<'js> for HTMLCollection<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.root.trace(tracer)
    }
}

impl<'js> HTMLCollection<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        root: &Dom<'js, Node<'js>>,
        filter: CollectionFilter,
    ) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        reflect_dom_object(
            ctx,
            HTMLCollection {
                root: root.clone(),
                filter,
            },
        )
    }

    /// The collection's elements now, in tree order.
    fn elements(&self) -> Vec<Dom<'js, Element<'js>>> {
        match &self.filter {
            CollectionFilter::Children => node::element_children(&self.root),
            CollectionFilter::TableRows => crate::dom::tables::table_rows(&self.root),
            CollectionFilter::TableBodies => {
                crate::dom::tables::children_named(&self.root, &["tbody"])
            }
            CollectionFilter::ChildrenNamed(names) => {
                crate::dom::tables::children_named(&self.root, names)
            }
            CollectionFilter::Links => node::descendants(&self.root)
                .iter()
                .filter_map(node::downcast::<Element>)
                .filter(|e| {
                    e.is_html() && matches!(e.local_name_(), "a" | "area") && e.has_attr("href")
                })
                .collect(),
            CollectionFilter::ListedDescendants => node::descendants(&self.root)
                .iter()
                .filter_map(node::downcast::<Element>)
                .filter(crate::dom::forms::is_listed)
                .collect(),
            CollectionFilter::FormElements => crate::dom::forms::form_elements(&self.root),
            CollectionFilter::Options => crate::dom::forms::list_of_options(&self.root),
            CollectionFilter::SelectedOptions => crate::dom::forms::list_of_options(&self.root)
                .into_iter()
                .filter(crate::dom::forms::selectedness)
                .collect(),
            CollectionFilter::ClassNames(wanted) => {
                if wanted.is_empty() {
                    return Vec::new();
                }
                node::descendants(&self.root)
                    .iter()
                    .filter_map(node::downcast::<Element>)
                    .filter(|e| {
                        let classes = ordered_set(&e.get_attr("class").unwrap_or_default());
                        wanted.iter().all(|w| classes.contains(w))
                    })
                    .collect()
            }
            CollectionFilter::QualifiedName(name) => {
                let lower = name.to_ascii_lowercase();
                node::descendants(&self.root)
                    .iter()
                    .filter_map(node::downcast::<Element>)
                    .filter(|e| {
                        name == "*"
                            || if e.is_html() {
                                e.qualified_name() == lower
                            } else {
                                e.qualified_name() == *name
                            }
                    })
                    .collect()
            }
        }
    }
}

impl<'js> HTMLCollectionMethods<'js> for HTMLCollection<'js> {
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.elements().len() as u32)
    }
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(self.elements().get(index as usize).cloned())
    }
    /// <https://dom.spec.whatwg.org/#dom-htmlcollection-nameditem>
    fn namedItem(&self, _cx: &Cx<'js>, key: DOMString) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        if key.is_empty() {
            return Ok(None);
        }
        Ok(self.elements().into_iter().find(|e| {
            e.get_attr("id").as_deref() == Some(&key)
                || (e.is_html() && e.get_attr("name").as_deref() == Some(&key))
        }))
    }
}
