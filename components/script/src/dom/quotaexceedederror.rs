//! <https://webidl.spec.whatwg.org/#quotaexceedederror>

use crate::dom::bindings::codegen::QuotaExceededErrorBinding::QuotaExceededErrorMethods;
use crate::dom::bindings::codegen::QuotaExceededErrorOptions;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::domexception::DOMException;

/// <https://webidl.spec.whatwg.org/#quotaexceedederror>
pub struct QuotaExceededError<'js> {
    dom_exception: DOMException<'js>,
    /// The quota, or null.
    quota: Option<f64>,
    /// The requested amount, or null.
    requested: Option<f64>,
}

impl<'js> HasParent<'js> for QuotaExceededError<'js> {
    type Parent = DOMException<'js>;
    fn parent(&self) -> &DOMException<'js> {
        &self.dom_exception
    }
}

impl<'js> Trace<'js> for QuotaExceededError<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// A new QuotaExceededError in the current realm (for "throw a QuotaExceededError").
pub fn create<'js>(
    ctx: &Ctx<'js>,
    message: &str,
    quota: Option<f64>,
    requested: Option<f64>,
) -> Fallible<Value<'js>> {
    let e = reflect_dom_object(
        ctx,
        QuotaExceededError {
            dom_exception: DOMException::new_inherited(message, "QuotaExceededError"),
            quota,
            requested,
        },
    )?;
    Ok(e.reflector().clone().into_value())
}

impl<'js> QuotaExceededErrorMethods<'js> for QuotaExceededError<'js> {
    fn quota(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        Ok(self.quota)
    }
    fn requested(&self, _cx: &Cx<'js>) -> Fallible<Option<f64>> {
        Ok(self.requested)
    }
    /// <https://webidl.spec.whatwg.org/#dom-quotaexceedederror-quotaexceedederror>
    fn Constructor(
        _cx: &Cx<'js>,
        message: DOMString,
        options: QuotaExceededErrorOptions,
    ) -> Fallible<Self> {
        // Steps 1-2. The name is QuotaExceededError; the message is message.
        // Steps 3-4. quota and requested, which must not be negative.
        for (what, v) in [("quota", options.quota), ("requested", options.requested)] {
            if v.is_some_and(|v| v < 0.0) {
                return Err(Error::Range(format!("{what} must not be negative")));
            }
        }
        // Step 5. requested must not be less than quota.
        if let (Some(q), Some(r)) = (options.quota, options.requested) {
            if r < q {
                return Err(Error::Range("requested must not be less than quota".into()));
            }
        }
        Ok(QuotaExceededError {
            dom_exception: DOMException::new_inherited(&message, "QuotaExceededError"),
            quota: options.quota,
            requested: options.requested,
        })
    }
}
