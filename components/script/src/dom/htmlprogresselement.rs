//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-progress-element>

use crate::dom::bindings::codegen::HTMLProgressElementBinding::HTMLProgressElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::reflect::{self as reflect_rules, parse_float};
use crate::dom::element::{this_element, Element};
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-progress-element>
    HTMLProgressElement
);

/// The maximum value: `max` parsed, when greater than zero, else 1.0.
fn maximum<'js>(e: &Dom<'js, Element<'js>>) -> f64 {
    e.get_attr("max")
        .and_then(|m| parse_float(&m))
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0)
}

/// The current value, or None for an indeterminate progress bar (no `value` attribute).
fn current_value<'js>(e: &Dom<'js, Element<'js>>) -> Option<f64> {
    let v = e.get_attr("value")?;
    // Parse error or negative: 0; greater than the maximum: the maximum.
    let v = parse_float(&v).filter(|v| *v >= 0.0).unwrap_or(0.0);
    Some(v.min(maximum(e)))
}

impl<'js> HTMLProgressElementMethods<'js> for HTMLProgressElement<'js> {
    crate::constraint_validation_methods!(labels_only);
    /// <https://html.spec.whatwg.org/#dom-progress-value>: 0 when indeterminate.
    fn value(&self, cx: &Cx<'js>) -> Fallible<f64> {
        Ok(current_value(&this_element(cx)?).unwrap_or(0.0))
    }
    /// Sets the attribute to the best representation of the number.
    fn set_value(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
        reflect_rules::set_double(cx, "value", value, false)
    }
    /// <https://html.spec.whatwg.org/#dom-progress-position>: -1 when indeterminate, else
    /// value / max.
    fn position(&self, cx: &Cx<'js>) -> Fallible<f64> {
        let e = this_element(cx)?;
        Ok(match current_value(&e) {
            Some(v) => v / maximum(&e),
            None => -1.0,
        })
    }
}
