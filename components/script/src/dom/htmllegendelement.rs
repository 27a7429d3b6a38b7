//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-legend-element>

use crate::dom::bindings::codegen::HTMLLegendElementBinding::HTMLLegendElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-legend-element>
    HTMLLegendElement
);

impl<'js> HTMLLegendElementMethods<'js> for HTMLLegendElement<'js> {
    /// The parent fieldset's form owner.
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        let n = crate::dom::node::this_node(cx)?;
        Ok(n.parent_node()
            .and_then(|p| crate::dom::node::downcast::<crate::dom::element::Element>(&p))
            .filter(|p| p.local_name_() == "fieldset")
            .and_then(|p| crate::dom::forms::form_owner(&p))
            .and_then(|f| crate::dom::node::downcast(&f.upcast::<crate::dom::node::Node>())))
    }
}
