//! Constraint validation (<https://html.spec.whatwg.org/#constraints>): which elements are
//! candidates, their validity states, the custom validity error message, `checkValidity()`
//! with its `invalid` event, and the `labels` of labelable elements.
//!
//! Every constraint is checked except those only a user's edits can trigger (`tooLong`,
//! `tooShort`: "if the value was last changed by a user edit") and `badInput` (there is no
//! user interface to enter a value that cannot be converted).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::htmlinputelement::{input_type, HTMLInputElement};
use crate::dom::node::{self, Node};

/// The validity states of <https://html.spec.whatwg.org/#validitystate>.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flags {
    pub value_missing: bool,
    pub type_mismatch: bool,
    pub pattern_mismatch: bool,
    pub range_underflow: bool,
    pub range_overflow: bool,
    pub step_mismatch: bool,
    pub custom_error: bool,
}

impl Flags {
    pub fn valid(&self) -> bool {
        *self == Flags::default()
    }
}

/// Whether `e` is disabled: its own attribute, or a disabled fieldset ancestor outside that
/// fieldset's first legend (<https://html.spec.whatwg.org/#concept-fe-disabled>).
pub fn is_disabled<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    if e.has_attr("disabled") {
        return true;
    }
    let mut child = e.upcast::<Node>();
    let mut p = child.parent_node();
    while let Some(x) = p {
        if let Some(f) = node::downcast::<Element>(&x) {
            if f.is_html() && f.local_name_() == "fieldset" && f.has_attr("disabled") {
                let first_legend = node::element_children(&x)
                    .into_iter()
                    .find(|c| c.is_html() && c.local_name_() == "legend");
                if !first_legend.is_some_and(|l| l.upcast::<Node>().ptr_eq(&child)) {
                    return true;
                }
            }
        }
        child = x.clone();
        p = x.parent_node();
    }
    false
}

/// <https://html.spec.whatwg.org/#candidate-for-constraint-validation>: a submittable element
/// that no condition bars.
pub fn is_candidate<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    if !e.is_html() || is_disabled(e) {
        return false;
    }
    // A datalist ancestor bars.
    let mut p = e.upcast::<Node>().parent_node();
    while let Some(x) = p {
        if node::downcast::<Element>(&x).is_some_and(|a| a.local_name_() == "datalist") {
            return false;
        }
        p = x.parent_node();
    }
    match e.local_name_() {
        "input" => {
            !matches!(input_type(e).as_str(), "hidden" | "reset" | "button")
                && !e.has_attr("readonly")
        }
        "textarea" => !e.has_attr("readonly"),
        "select" => true,
        "button" => crate::dom::htmlformelement::is_submit_button(e),
        _ => false,
    }
}

fn custom_message<'js>(e: &Dom<'js, Element<'js>>) -> String {
    node::downcast::<HTMLElement>(&e.upcast::<Node>())
        .map(|h| h.custom_validity())
        .unwrap_or_default()
}

/// <https://html.spec.whatwg.org/#valid-e-mail-address>
fn is_valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let labels_ok = !domain.is_empty()
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
    local_ok && labels_ok
}

/// Whether `value` matches the `pattern` attribute as `^(?:pattern)$` with the `v` flag
/// (the realm's RegExp); a pattern that does not compile is no constraint.
fn matches_pattern<'js>(ctx: &Ctx<'js>, pattern: &str, value: &str) -> bool {
    let source = format!("^(?:{pattern})$");
    let Ok(regexp) = ctx.globals().get::<_, rquickjs::Constructor>("RegExp") else {
        return true;
    };
    let re: Option<Object> = ["v", "u"]
        .iter()
        .find_map(|flags| regexp.construct((source.clone(), *flags)).ok());
    let Some(re) = re else {
        ctx.catch();
        return true;
    };
    let test: Option<rquickjs::Function> = re.get("test").ok();
    test.and_then(|t| {
        t.call::<_, bool>((rquickjs::function::This(re), value))
            .ok()
    })
    .unwrap_or(true)
}

fn input_flags<'js>(
    ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
    i: &HTMLInputElement<'js>,
) -> Flags {
    let t = input_type(e);
    let value = i.value_of(e);
    let mut f = Flags {
        value_missing: e.has_attr("required") && i.suffers_from_being_missing(e),
        ..Flags::default()
    };
    if value.is_empty() {
        return f;
    }
    let multiple = e.has_attr("multiple");
    match t.as_str() {
        "email" => {
            f.type_mismatch = if multiple {
                !value.split(',').all(|v| is_valid_email(v.trim()))
            } else {
                !is_valid_email(&value)
            }
        }
        "url" => f.type_mismatch = url::Url::parse(&value).is_err(),
        _ => {}
    }
    if matches!(
        t.as_str(),
        "text" | "search" | "url" | "tel" | "email" | "password"
    ) {
        if let Some(pattern) = e.get_attr("pattern") {
            let values: Vec<&str> = if t == "email" && multiple {
                value.split(',').map(str::trim).collect()
            } else {
                vec![value.as_str()]
            };
            f.pattern_mismatch = !values.iter().all(|v| matches_pattern(ctx, &pattern, v));
        }
    }
    if matches!(t.as_str(), "number" | "range") {
        use crate::dom::bindings::reflect::parse_float;
        if let Some(v) = parse_float(&value) {
            let min = e.get_attr("min").and_then(|m| parse_float(&m));
            let max = e.get_attr("max").and_then(|m| parse_float(&m));
            f.range_underflow = min.is_some_and(|m| v < m);
            f.range_overflow = max.is_some_and(|m| v > m);
            // <https://html.spec.whatwg.org/#concept-input-step>: default step 1, "any"
            // none; the step base is min, else the value attribute, else 0.
            let step = match e.get_attr("step") {
                Some(s) if s.eq_ignore_ascii_case("any") => None,
                Some(s) => parse_float(&s).filter(|s| *s > 0.0).or(Some(1.0)),
                None => Some(1.0),
            };
            if let Some(step) = step {
                let base = min
                    .or_else(|| e.get_attr("value").and_then(|v| parse_float(&v)))
                    .unwrap_or(0.0);
                let n = (v - base) / step;
                f.step_mismatch = (n - n.round()).abs() > 1e-9 * n.abs().max(1.0);
            }
        }
    }
    f
}

/// The validity states of `e` now. They do not depend on whether `e` is a candidate (a
/// disabled control can suffer from a pattern mismatch); only `checkValidity()`,
/// `willValidate` and `validationMessage` look at that.
pub fn validity<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Flags {
    let custom_error = !custom_message(e).is_empty();
    if !e.is_html() || !matches!(e.local_name_(), "input" | "select" | "textarea") {
        return Flags {
            custom_error,
            ..Flags::default()
        };
    }
    let n = e.upcast::<Node>();
    let mut f = if let Some(i) = node::downcast::<HTMLInputElement>(&n) {
        input_flags(ctx, e, &i)
    } else {
        Flags {
            value_missing: crate::dom::forms::suffers_from_being_missing(e),
            ..Flags::default()
        }
    };
    f.custom_error = custom_error;
    f
}

/// <https://html.spec.whatwg.org/#dom-cva-validationmessage>: the empty string for a valid
/// element or one that is not a candidate; the custom message; else a message like
/// Chromium's.
pub fn validation_message<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> String {
    if !is_candidate(e) {
        return String::new();
    }
    let f = validity(ctx, e);
    if f.custom_error {
        return custom_message(e);
    }
    let t = if e.local_name_() == "input" {
        input_type(e)
    } else {
        String::new()
    };
    if f.value_missing {
        match (e.local_name_(), t.as_str()) {
            ("select", _) => "Please select an item in the list.",
            (_, "checkbox") => "Please check this box if you want to proceed.",
            (_, "radio") => "Please select one of these options.",
            (_, "file") => "Please select a file.",
            _ => "Please fill out this field.",
        }
        .into()
    } else if f.type_mismatch {
        if t == "email" {
            "Please enter an email address.".into()
        } else {
            "Please enter a URL.".into()
        }
    } else if f.pattern_mismatch {
        "Please match the requested format.".into()
    } else if f.range_underflow {
        format!(
            "Value must be greater than or equal to {}.",
            e.get_attr("min").unwrap_or_default()
        )
    } else if f.range_overflow {
        format!(
            "Value must be less than or equal to {}.",
            e.get_attr("max").unwrap_or_default()
        )
    } else if f.step_mismatch {
        "Please enter a valid value.".into()
    } else {
        String::new()
    }
}

/// <https://html.spec.whatwg.org/#check-validity-steps>: a candidate that does not satisfy
/// its constraints gets a cancelable `invalid` event and the answer is false.
pub fn check_validity<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> bool {
    if is_candidate(e) && !validity(ctx, e).valid() {
        let _ = crate::dom::eventtarget::fire_event(
            ctx,
            &e.upcast::<EventTarget>(),
            "invalid",
            false,
            true,
        );
        return false;
    }
    true
}

/// <https://html.spec.whatwg.org/#dom-lfe-labels>: the label elements of the tree whose
/// labeled control is `e`, in tree order.
pub fn labels_of<'js>(e: &Dom<'js, Element<'js>>) -> Vec<Dom<'js, Node<'js>>> {
    let root = node::root(&e.upcast::<Node>());
    node::descendants(&root)
        .into_iter()
        .filter(|n| {
            node::downcast::<Element>(n).is_some_and(|l| {
                l.is_html()
                    && l.local_name_() == "label"
                    && crate::dom::htmllabelelement::labeled_control(&l)
                        .is_some_and(|c| c.ptr_eq(e))
            })
        })
        .collect()
}

/// The constraint validation API members of an element interface's Methods impl (and
/// `labels`, a live NodeList).
#[macro_export]
macro_rules! constraint_validation_methods {
    () => {
        fn willValidate(&self, cx: &Cx<'js>) -> Fallible<bool> {
            Ok($crate::dom::constraints::is_candidate(
                &$crate::dom::element::this_element(cx)?,
            ))
        }
        fn validity(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::validitystate::ValidityState<'js>>> {
            reflect_dom_object(
                &cx.ctx,
                $crate::dom::validitystate::ValidityState::new_inherited(
                    $crate::dom::element::this_element(cx)?,
                ),
            )
        }
        fn validationMessage(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok($crate::dom::constraints::validation_message(
                &cx.ctx,
                &$crate::dom::element::this_element(cx)?,
            ))
        }
        fn checkValidity(&self, cx: &Cx<'js>) -> Fallible<bool> {
            Ok($crate::dom::constraints::check_validity(
                &cx.ctx,
                &$crate::dom::element::this_element(cx)?,
            ))
        }
        /// No user interface to report to: the check validity steps.
        fn reportValidity(&self, cx: &Cx<'js>) -> Fallible<bool> {
            self.checkValidity(cx)
        }
        fn setCustomValidity(&self, cx: &Cx<'js>, error: DOMString) -> Fallible<()> {
            let e = $crate::dom::element::this_element(cx)?;
            if let Some(h) = $crate::dom::node::downcast::<$crate::dom::htmlelement::HTMLElement>(
                &e.upcast::<$crate::dom::node::Node>(),
            ) {
                h.set_custom_validity(error);
            }
            Ok(())
        }
    };
    (labels) => {
        $crate::constraint_validation_methods!();
        $crate::constraint_validation_methods!(labels_only);
    };
    (labels_only) => {
        fn labels(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, $crate::dom::nodelist::NodeList<'js>>> {
            reflect_dom_object(
                &cx.ctx,
                $crate::dom::nodelist::NodeList::Labels($crate::dom::element::this_element(cx)?),
            )
        }
    };
}
