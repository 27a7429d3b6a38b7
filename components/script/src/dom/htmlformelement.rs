//! <https://html.spec.whatwg.org/multipage/forms.html#the-form-element>
//!
//! Submission runs the spec's steps up to the `submit` event; what follows it (building the
//! entry list and navigating) needs navigation, which a page cannot do here yet: a submission
//! that is not canceled is logged and goes no further, except `method=dialog`, which closes
//! the dialog as the spec says.

use crate::dom::bindings::codegen::HTMLFormElementBinding::HTMLFormElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::{this_element, Element};
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlcollection::{CollectionFilter, HTMLCollection};
use crate::dom::htmlelement::{simple_html_element, HTMLElement};
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/forms.html#the-form-element>
    HTMLFormElement
);

/// The submitter's override of a form attribute (`formmethod` for `method`...).
fn submitter_attr<'js>(submitter: Option<&Dom<'js, Element<'js>>>, name: &str) -> Option<String> {
    submitter.and_then(|s| s.get_attr(&format!("form{name}")))
}

/// <https://html.spec.whatwg.org/#concept-form-submit>, from `requestSubmit()` and a submit
/// button's activation (`submitted_from_method`: from `submit()`, which skips validation and
/// the submit event).
pub fn submit_form<'js>(
    ctx: &Ctx<'js>,
    form: &Dom<'js, Element<'js>>,
    submitter: Option<Dom<'js, Element<'js>>>,
    submitted_from_method: bool,
) -> Fallible<()> {
    let form_node = form.upcast::<Node>();
    // Step 1. If form cannot navigate (it is not connected), then return.
    if !node::is_connected(&form_node) {
        return Ok(());
    }
    // Step 6. If the submitted from submit() method flag is not set:
    if !submitted_from_method {
        // Step 6.3. Unless novalidate applies, interactively validate the constraints; if
        // the result is negative, return.
        let novalidate = form.has_attr("novalidate")
            || submitter
                .as_ref()
                .is_some_and(|s| s.has_attr("formnovalidate"));
        if !novalidate && !crate::dom::forms::check_form_validity(ctx, form) {
            return Ok(());
        }
        // Steps 6.4-6.7. Fire submit (a SubmitEvent with the submitter, null if it is the
        // form itself); if canceled, return.
        let submitter_html = submitter
            .as_ref()
            .and_then(|s| node::downcast::<HTMLElement>(&s.upcast::<Node>()));
        let event = crate::dom::submitevent::SubmitEvent::submit(ctx, submitter_html)?;
        let event = event.upcast::<crate::dom::event::Event>();
        crate::dom::eventtarget::dispatch(ctx, &event, &form.upcast::<EventTarget>())?;
        if event.canceled() {
            return Ok(());
        }
        // Step 6.8. If form cannot navigate (a submit handler removed it), return.
        if !node::is_connected(&form_node) {
            return Ok(());
        }
    }
    // Step 11. The method: the submitter's formmethod, else the form's.
    let method = submitter_attr(submitter.as_ref(), "method")
        .or_else(|| form.get_attr("method"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    // Step 12. If method is dialog: close the subject's nearest dialog with the submitter's
    // value, and return.
    if method == "dialog" {
        let mut p = form_node.parent_node();
        while let Some(x) = p {
            if let Some(d) = node::downcast::<crate::dom::htmldialogelement::HTMLDialogElement>(&x)
            {
                let result = submitter.as_ref().and_then(|s| s.get_attr("value"));
                crate::dom::htmldialogelement::close_the_dialog(ctx, &d, result);
                break;
            }
            p = x.parent_node();
        }
        return Ok(());
    }
    // Steps 13-25 need navigation.
    let action = submitter_attr(submitter.as_ref(), "action")
        .or_else(|| form.get_attr("action"))
        .unwrap_or_default();
    log::info!(target: "script", "form submission to '{action}' ({method}) needs navigation, which pages cannot do yet");
    Ok(())
}

/// <https://html.spec.whatwg.org/#concept-form-reset>
pub fn reset_form<'js>(ctx: &Ctx<'js>, form: &Dom<'js, Element<'js>>) -> Fallible<()> {
    // Step 1. Let reset be the result of firing an event named reset at form, with bubbles
    // and cancelable true.
    let reset = crate::dom::eventtarget::fire_event(
        ctx,
        &form.upcast::<EventTarget>(),
        "reset",
        true,
        true,
    )?;
    // Step 2. If reset is true, invoke the reset algorithm of each resettable element.
    if reset {
        for e in crate::dom::forms::form_elements(&form.upcast::<Node>()) {
            let n = e.upcast::<Node>();
            if let Some(i) = node::downcast::<crate::dom::htmlinputelement::HTMLInputElement>(&n) {
                i.reset();
            } else if let Some(t) =
                node::downcast::<crate::dom::htmltextareaelement::HTMLTextAreaElement>(&n)
            {
                t.reset();
            } else if e.local_name_() == "select" {
                for o in crate::dom::forms::list_of_options(&n) {
                    if let Some(o) = node::downcast::<
                        crate::dom::htmloptionelement::HTMLOptionElement,
                    >(&o.upcast::<Node>())
                    {
                        o.reset();
                    }
                }
            }
        }
    }
    Ok(())
}

impl<'js> HTMLFormElementMethods<'js> for HTMLFormElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-fs-action>: the document's URL when the attribute
    /// is missing or empty, else the attribute resolved.
    fn action(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        let e = this_element(cx)?;
        match e.get_attr("action").filter(|a| !a.is_empty()) {
            Some(a) => Ok(crate::dom::bindings::reflect::resolve_url(&e, &a).unwrap_or(a)),
            None => Ok(node::node_document(&e.upcast::<Node>())
                .map(|d| d.url_().to_string())
                .unwrap_or_default()),
        }
    }
    fn elements(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLCollection<'js>>> {
        HTMLCollection::create(
            &cx.ctx,
            &node::this_node(cx)?,
            CollectionFilter::FormElements,
        )
    }
    fn length(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(crate::dom::forms::form_elements(&node::this_node(cx)?).len() as u32)
    }
    /// <https://html.spec.whatwg.org/#dom-form-submit>
    fn submit(&self, cx: &Cx<'js>) -> Fallible<()> {
        let e = this_element(cx)?;
        submit_form(&cx.ctx, &e, None, true)
    }
    /// <https://html.spec.whatwg.org/#dom-form-requestsubmit>
    fn requestSubmit(
        &self,
        cx: &Cx<'js>,
        submitter: Option<Dom<'js, HTMLElement<'js>>>,
    ) -> Fallible<()> {
        let form = this_element(cx)?;
        let submitter = match submitter {
            Some(s) => {
                let s = s.upcast::<Element>();
                // Step 1.1. If submitter is not a submit button, throw a TypeError.
                if !is_submit_button(&s) {
                    return Err(Error::Type("the submitter is not a submit button".into()));
                }
                // Step 1.2. If submitter's form owner is not this form element, throw a
                // "NotFoundError" DOMException.
                if !crate::dom::forms::form_owner(&s).is_some_and(|f| f.ptr_eq(&form)) {
                    return Err(Error::dom(
                        crate::dom::bindings::error::DomErrorName::NotFoundError,
                        "the submitter's form owner is not this form",
                    ));
                }
                Some(s)
            }
            // Step 2. Otherwise, set submitter to this form element.
            None => None,
        };
        // Step 3. Submit this form element, from submitter.
        submit_form(&cx.ctx, &form, submitter, false)
    }
    fn reset(&self, cx: &Cx<'js>) -> Fallible<()> {
        reset_form(&cx.ctx, &this_element(cx)?)
    }
    fn checkValidity(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(crate::dom::forms::check_form_validity(
            &cx.ctx,
            &this_element(cx)?,
        ))
    }
    fn reportValidity(&self, cx: &Cx<'js>) -> Fallible<bool> {
        self.checkValidity(cx)
    }
}

/// <https://html.spec.whatwg.org/#concept-submit-button>
pub fn is_submit_button<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    match e.local_name_() {
        "button" => e
            .get_attr("type")
            .map(|t| t.to_ascii_lowercase())
            .is_none_or(|t| t == "submit" || (t != "reset" && t != "button")),
        "input" => matches!(
            crate::dom::htmlinputelement::input_type(e).as_str(),
            "submit" | "image"
        ),
        _ => false,
    }
}
