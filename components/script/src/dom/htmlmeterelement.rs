//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-meter-element>

use crate::dom::bindings::codegen::HTMLMeterElementBinding::HTMLMeterElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::reflect::{self as reflect_rules, parse_float};
use crate::dom::element::{this_element, Element};
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/form-elements.html#the-meter-element>
    HTMLMeterElement
);

fn attr<'js>(e: &Dom<'js, Element<'js>>, name: &str) -> Option<f64> {
    e.get_attr(name).and_then(|v| parse_float(&v))
}

/// The boundaries of <https://html.spec.whatwg.org/#the-meter-element>: (minimum, maximum,
/// actual value, low, high, optimum), each constrained as the spec says.
fn boundaries<'js>(e: &Dom<'js, Element<'js>>) -> [f64; 6] {
    let min = attr(e, "min").unwrap_or(0.0);
    let max = attr(e, "max").unwrap_or(1.0).max(min);
    let value = attr(e, "value").unwrap_or(0.0).clamp(min, max);
    let low = attr(e, "low").unwrap_or(min).clamp(min, max);
    let high = attr(e, "high").unwrap_or(max).clamp(low, max);
    let optimum = attr(e, "optimum")
        .unwrap_or((min + max) / 2.0)
        .clamp(min, max);
    [min, max, value, low, high, optimum]
}

macro_rules! meter_member {
    ($get:ident, $set:ident, $attr:expr, $i:expr) => {
        fn $get(&self, cx: &Cx<'js>) -> Fallible<f64> {
            Ok(boundaries(&this_element(cx)?)[$i])
        }
        fn $set(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
            reflect_rules::set_double(cx, $attr, value, false)
        }
    };
}

impl<'js> HTMLMeterElementMethods<'js> for HTMLMeterElement<'js> {
    crate::constraint_validation_methods!(labels_only);
    meter_member!(min, set_min, "min", 0);
    meter_member!(max, set_max, "max", 1);
    meter_member!(value, set_value, "value", 2);
    meter_member!(low, set_low, "low", 3);
    meter_member!(high, set_high, "high", 4);
    meter_member!(optimum, set_optimum, "optimum", 5);
}
