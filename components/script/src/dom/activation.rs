//! `element.click()` (<https://html.spec.whatwg.org/#dom-click>) and the activation behaviour
//! it triggers (<https://dom.spec.whatwg.org/#eventtarget-activation-behavior>) for the
//! elements that have one here: checkboxes and radio buttons (their legacy-pre-activation
//! behaviour toggles checkedness, undone when the click is canceled), submit and reset
//! buttons (their form owner is submitted or reset), and labels (the labeled control is
//! clicked). Following a hyperlink is left to the embedder's navigation (not yet: an `<a>`
//! click fires the event only).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::event::Event;
use crate::dom::eventtarget::EventTarget;
use crate::dom::node::{self, Node};
use std::cell::RefCell;

thread_local! {
    /// Elements whose click() is running (HTML's "click in progress flag").
    static CLICK_IN_PROGRESS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Whether `e` is a form control that is disabled
/// (<https://html.spec.whatwg.org/#concept-fe-disabled>, without fieldset ancestry).
pub fn is_disabled_form_control<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    matches!(
        e.local_name_(),
        "button" | "input" | "select" | "textarea" | "fieldset"
    ) && e.is_html()
        && e.has_attr("disabled")
}

/// <https://html.spec.whatwg.org/#dom-click>
pub fn click<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Fallible<()> {
    // Step 1. If this element is a form control that is disabled, then return.
    if is_disabled_form_control(e) {
        return Ok(());
    }
    // Steps 2-3. The click in progress flag.
    let key = &**e as *const Element as usize;
    if CLICK_IN_PROGRESS.with(|c| c.borrow().contains(&key)) {
        return Ok(());
    }
    CLICK_IN_PROGRESS.with(|c| c.borrow_mut().push(key));
    // Step 4. Fire a synthetic pointer event named click at this element, with the not
    // trusted flag set (bubbles, cancelable, composed).
    let result = fire_synthetic_click(ctx, e);
    // Step 5. Unset this element's click in progress flag.
    CLICK_IN_PROGRESS.with(|c| c.borrow_mut().retain(|k| *k != key));
    result
}

fn fire_synthetic_click<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Fallible<()> {
    let init = crate::dom::bindings::codegen::EventInit {
        bubbles: true,
        cancelable: true,
        composed: true,
    };
    let event = reflect_dom_object(ctx, Event::new_inherited(ctx, "click", &init))?;
    // DOM dispatch step 5.1: the activation target is the target when it has activation
    // behaviour, else the nearest ancestor that has (a click bubbles).
    let target = activation_target(e);
    // Legacy-pre-activation behaviour.
    let saved = target
        .as_ref()
        .and_then(|t| crate::dom::htmlinputelement::legacy_pre_activation(ctx, t));
    crate::dom::eventtarget::dispatch(ctx, &event, &e.upcast::<EventTarget>())?;
    if let Some(t) = target {
        if event.canceled() {
            // Legacy-canceled-activation behaviour.
            if let Some(s) = saved {
                crate::dom::htmlinputelement::legacy_canceled_activation(ctx, &t, s);
            }
        } else {
            activation_behavior(ctx, &t)?;
        }
    }
    Ok(())
}

fn has_activation_behavior<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    e.is_html()
        && match e.local_name_() {
            "button" | "label" => true,
            "input" => matches!(
                crate::dom::htmlinputelement::input_type(e).as_str(),
                "checkbox" | "radio" | "submit" | "reset" | "image" | "button"
            ),
            "a" | "area" => e.has_attr("href"),
            _ => false,
        }
}

fn activation_target<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, Element<'js>>> {
    let mut n = Some(e.upcast::<Node>());
    while let Some(x) = n {
        if let Some(el) = node::downcast::<Element>(&x) {
            if has_activation_behavior(&el) {
                return Some(el);
            }
        }
        n = x.parent_node();
    }
    None
}

/// The activation behaviour of `e`.
fn activation_behavior<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Fallible<()> {
    match e.local_name_() {
        "input" => crate::dom::htmlinputelement::activation_behavior(ctx, e),
        "button" => crate::dom::htmlbuttonelement::activation_behavior(ctx, e),
        "label" => {
            // <https://html.spec.whatwg.org/#the-label-element>: the labeled control is
            // clicked (unless the click came from inside it).
            if let Some(control) = crate::dom::htmllabelelement::labeled_control(e) {
                click(ctx, &control)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
