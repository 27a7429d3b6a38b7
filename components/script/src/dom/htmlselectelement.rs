//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-select-element>

use crate::dom::bindings::codegen::HTMLSelectElementBinding::HTMLSelectElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::{this_element, Element};
use crate::dom::forms::list_of_options;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::simple_html_element;
use crate::dom::htmloptionelement::HTMLOptionElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-select-element>
    HTMLSelectElement
);

fn option<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, HTMLOptionElement<'js>>> {
    node::downcast(&e.upcast::<Node>())
}

/// <https://html.spec.whatwg.org/#selectedness-setting-algorithm> for a select without
/// `multiple` and with a display size of 1: with no option selected, the first option that is
/// not disabled is; with several, only the last one stays.
pub fn selectedness_setting<'js>(select: &Dom<'js, Node<'js>>) {
    let Some(sel) = node::downcast::<Element>(select) else {
        return;
    };
    if sel.has_attr("multiple") {
        return;
    }
    let options = list_of_options(select);
    let selected: Vec<_> = options
        .iter()
        .filter(|o| crate::dom::forms::selectedness(o))
        .cloned()
        .collect();
    if selected.is_empty() {
        if let Some(first) = options.iter().find(|o| !o.has_attr("disabled")) {
            if let Some(o) = option(first) {
                o.set_selectedness(true);
            }
        }
    } else if selected.len() > 1 {
        for o in &selected[..selected.len() - 1] {
            if let Some(o) = option(o) {
                o.set_selectedness(false);
            }
        }
    }
}

impl<'js> HTMLSelectElementMethods<'js> for HTMLSelectElement<'js> {
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        crate::dom::forms::form_attribute(cx)
    }
    fn r#type(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(if e.has_attr("multiple") {
            "select-multiple"
        } else {
            "select-one"
        }
        .into())
    }
    fn options(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(&cx.ctx, &node::this_node(cx)?, CollectionFilter::Options)
    }
    fn length(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(list_of_options(&node::this_node(cx)?).len() as u32)
    }
    fn item(&self, cx: &Cx<'js>, index: u32) -> Fallible<Option<Dom<'js, Element<'js>>>> {
        Ok(list_of_options(&node::this_node(cx)?)
            .get(index as usize)
            .cloned())
    }
    fn namedItem(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
    ) -> Fallible<Option<Dom<'js, HTMLOptionElement<'js>>>> {
        if name.is_empty() {
            return Ok(None);
        }
        Ok(list_of_options(&node::this_node(cx)?)
            .into_iter()
            .find(|o| {
                o.get_attr("id").as_deref() == Some(name.as_str())
                    || o.get_attr("name").as_deref() == Some(name.as_str())
            })
            .and_then(|o| option(&o)))
    }
    fn selectedOptions(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &node::this_node(cx)?,
            CollectionFilter::SelectedOptions,
        )
    }
    /// <https://html.spec.whatwg.org/#dom-select-selectedindex>
    fn selectedIndex(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let n = node::this_node(cx)?;
        selectedness_setting(&n);
        Ok(list_of_options(&n)
            .iter()
            .position(crate::dom::forms::selectedness)
            .map(|i| i as i32)
            .unwrap_or(-1))
    }
    fn set_selectedIndex(&self, cx: &Cx<'js>, value: i32) -> Fallible<()> {
        let n = node::this_node(cx)?;
        for (i, o) in list_of_options(&n).iter().enumerate() {
            if let Some(o) = option(o) {
                o.set_selectedness(i as i32 == value);
                o.set_dirty();
            }
        }
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-select-value>: the first selected option's value.
    fn value(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let n = node::this_node(cx)?;
        selectedness_setting(&n);
        Ok(list_of_options(&n)
            .into_iter()
            .find(crate::dom::forms::selectedness)
            .map(|o| crate::dom::htmloptionelement::option_value(&o))
            .unwrap_or_default())
    }
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let n = node::this_node(cx)?;
        let mut found = false;
        for o in list_of_options(&n) {
            let matches = !found && crate::dom::htmloptionelement::option_value(&o) == value;
            found |= matches;
            if let Some(o) = option(&o) {
                o.set_selectedness(matches);
                o.set_dirty();
            }
        }
        Ok(())
    }
    crate::constraint_validation_methods!(labels);
}
