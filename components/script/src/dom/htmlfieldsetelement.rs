//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-fieldset-element>

use crate::dom::bindings::codegen::HTMLFieldSetElementBinding::HTMLFieldSetElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-fieldset-element>
    HTMLFieldSetElement
);

impl<'js> HTMLFieldSetElementMethods<'js> for HTMLFieldSetElement<'js> {
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        crate::dom::forms::form_attribute(cx)
    }
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("fieldset".into())
    }
    /// <https://html.spec.whatwg.org/#dom-fieldset-elements>: the listed descendants.
    fn elements(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::htmlcollection::HTMLCollection<'js>>> {
        crate::dom::htmlcollection::HTMLCollection::create(
            &cx.ctx,
            &crate::dom::node::this_node(cx)?,
            crate::dom::htmlcollection::CollectionFilter::ListedDescendants,
        )
    }
    crate::constraint_validation_methods!();
}
