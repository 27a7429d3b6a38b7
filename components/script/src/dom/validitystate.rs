//! <https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#validitystate>:
//! live (each state is computed when read, see [`crate::dom::constraints`]).

use crate::dom::bindings::codegen::ValidityStateBinding::ValidityStateMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::constraints::{validity, Flags};
use crate::dom::element::Element;

pub struct ValidityState<'js> {
    element: Dom<'js, Element<'js>>,
}

impl<'js> Trace<'js> for ValidityState<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.element.trace(tracer)
    }
}

impl<'js> ValidityState<'js> {
    pub fn new_inherited(element: Dom<'js, Element<'js>>) -> ValidityState<'js> {
        ValidityState { element }
    }
    fn flags(&self, cx: &Cx<'js>) -> Flags {
        validity(&cx.ctx, &self.element)
    }
}

impl<'js> ValidityStateMethods<'js> for ValidityState<'js> {
    fn valueMissing(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).value_missing)
    }
    fn typeMismatch(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).type_mismatch)
    }
    fn patternMismatch(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).pattern_mismatch)
    }
    /// Only a user's edit makes an element too long.
    fn tooLong(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    /// Only a user's edit makes an element too short.
    fn tooShort(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    fn rangeUnderflow(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).range_underflow)
    }
    fn rangeOverflow(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).range_overflow)
    }
    fn stepMismatch(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).step_mismatch)
    }
    /// No user interface can leave a value that does not convert.
    fn badInput(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    fn customError(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).custom_error)
    }
    fn valid(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.flags(cx).valid())
    }
}
