//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-button-element>

use crate::dom::bindings::codegen::HTMLButtonElementBinding::HTMLButtonElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-button-element>
    HTMLButtonElement
);

/// <https://html.spec.whatwg.org/#the-button-element:activation-behaviour>
pub fn activation_behavior<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Fallible<()> {
    // Step 1. If element is disabled, then return.
    if e.has_attr("disabled") {
        return Ok(());
    }
    // Step 2. If element's node document is not fully active, then return.
    // Step 3. If element has a form owner: submit or reset it by its type state.
    let Some(form) = crate::dom::forms::form_owner(e) else {
        return Ok(());
    };
    match e
        .get_attr("type")
        .map(|t| t.to_ascii_lowercase())
        .as_deref()
    {
        Some("reset") => crate::dom::htmlformelement::reset_form(ctx, &form),
        Some("button") => Ok(()),
        _ => crate::dom::htmlformelement::submit_form(ctx, &form, Some(e.clone()), false),
    }
}

impl<'js> HTMLButtonElementMethods<'js> for HTMLButtonElement<'js> {
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        crate::dom::forms::form_attribute(cx)
    }
    fn formAction(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        crate::dom::htmlinputelement::form_action(cx)
    }
    crate::constraint_validation_methods!(labels);
}
