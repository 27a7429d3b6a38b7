//! <https://streams.spec.whatwg.org/#bytelength-queuing-strategy>

use crate::dom::bindings::codegen::ByteLengthQueuingStrategyBinding::ByteLengthQueuingStrategyMethods;
use crate::dom::bindings::codegen::QueuingStrategyInit;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::realm::{intrinsic, Intrinsic};

/// <https://streams.spec.whatwg.org/#ByteLengthQueuingStrategy>
pub struct ByteLengthQueuingStrategy<'js> {
    /// [[highWaterMark]]
    high_water_mark: f64,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for ByteLengthQueuingStrategy<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> ByteLengthQueuingStrategyMethods<'js> for ByteLengthQueuingStrategy<'js> {
    /// The constructor: [[highWaterMark]] is init["highWaterMark"].
    fn Constructor(_cx: &Cx<'js>, init: QueuingStrategyInit) -> Fallible<Self> {
        Ok(ByteLengthQueuingStrategy {
            high_water_mark: init.highWaterMark,
            _js: std::marker::PhantomData,
        })
    }
    fn highWaterMark(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.high_water_mark)
    }
    /// The realm's size function (the same object for every strategy of the realm).
    fn size(&self, cx: &Cx<'js>) -> Fallible<crate::dom::bindings::codegen::Function<'js>> {
        intrinsic(&cx.ctx, Intrinsic::ByteLengthQueuingStrategySize)
            .and_then(|v| v.into_object())
            .map(|callback| crate::dom::bindings::codegen::Function { callback })
            .ok_or_else(|| Error::Type("the size function is missing in this realm".into()))
    }
}
