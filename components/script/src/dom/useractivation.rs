//! <https://html.spec.whatwg.org/#the-useractivation-interface>: the window's sticky and
//! transient activation (see [`crate::user_activation`]).

use crate::dom::bindings::codegen::UserActivationBinding::UserActivationMethods;
use crate::dom::bindings::codegen_prelude::*;

/// <https://html.spec.whatwg.org/#useractivation>
pub struct UserActivation<'js> {
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for UserActivation<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> UserActivation<'js> {
    pub fn new() -> UserActivation<'js> {
        UserActivation {
            _js: std::marker::PhantomData,
        }
    }
}

impl Default for UserActivation<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'js> UserActivationMethods<'js> for UserActivation<'js> {
    /// <https://html.spec.whatwg.org/#dom-useractivation-hasbeenactive>: sticky activation.
    fn hasBeenActive(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(crate::user_activation::has_sticky_activation())
    }
    /// <https://html.spec.whatwg.org/#dom-useractivation-isactive>: transient activation.
    fn isActive(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(crate::user_activation::has_transient_activation())
    }
}
