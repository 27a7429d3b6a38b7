//! <https://html.spec.whatwg.org/multipage/forms.html#the-label-element>

use crate::dom::bindings::codegen::HTMLLabelElementBinding::HTMLLabelElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::{this_element, Element};
use crate::dom::htmlelement::{simple_html_element, HTMLElement};
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/forms.html#the-label-element>
    HTMLLabelElement
);

/// <https://html.spec.whatwg.org/#category-label>: the elements a label can label.
fn is_labelable<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    e.is_html()
        && match e.local_name_() {
            "button" | "meter" | "output" | "progress" | "select" | "textarea" => true,
            "input" => crate::dom::htmlinputelement::input_type(e) != "hidden",
            _ => false,
        }
}

/// <https://html.spec.whatwg.org/#labeled-control>: the element named by `for` (if
/// labelable), else the first labelable descendant.
pub fn labeled_control<'js>(label: &Dom<'js, Element<'js>>) -> Option<Dom<'js, Element<'js>>> {
    let n = label.upcast::<Node>();
    if let Some(id) = label.get_attr("for") {
        let root = node::root(&n);
        return node::element_by_id(&root, &id).filter(is_labelable);
    }
    node::descendants(&n)
        .iter()
        .filter_map(node::downcast::<Element>)
        .find(is_labelable)
}

impl<'js> HTMLLabelElementMethods<'js> for HTMLLabelElement<'js> {
    /// The labeled control's form owner.
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        let e = this_element(cx)?;
        Ok(labeled_control(&e)
            .filter(crate::dom::forms::is_listed)
            .and_then(|c| crate::dom::forms::form_owner(&c))
            .and_then(|f| node::downcast(&f.upcast::<Node>())))
    }
    fn control(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, HTMLElement<'js>>>> {
        let e = this_element(cx)?;
        Ok(labeled_control(&e).and_then(|c| node::downcast(&c.upcast::<Node>())))
    }
}
