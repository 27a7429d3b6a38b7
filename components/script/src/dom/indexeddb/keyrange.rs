//! <https://w3c.github.io/IndexedDB/#keyrange>: IDBKeyRange.

use super::keys::{convert_a_key_to_a_value, data_error, value_to_key_or_data_error};
use crate::dom::bindings::codegen::IDBKeyRangeBinding::IDBKeyRangeMethods;
use crate::dom::bindings::codegen_prelude::*;
use net_traits::indexed_db::{Key, KeyRange};

/// <https://w3c.github.io/IndexedDB/#range-construct>
pub struct IDBKeyRange<'js> {
    lower: Option<Key>,
    upper: Option<Key>,
    lower_open: bool,
    upper_open: bool,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for IDBKeyRange<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> IDBKeyRange<'js> {
    fn make(
        ctx: &Ctx<'js>,
        lower: Option<Key>,
        upper: Option<Key>,
        lower_open: bool,
        upper_open: bool,
    ) -> Fallible<Dom<'js, IDBKeyRange<'js>>> {
        reflect_dom_object(
            ctx,
            IDBKeyRange {
                lower,
                upper,
                lower_open,
                upper_open,
                _js: std::marker::PhantomData,
            },
        )
    }

    /// The range over encoded keys.
    pub fn range(&self) -> KeyRange {
        KeyRange {
            lower: self.lower.as_ref().map(Key::encode),
            upper: self.upper.as_ref().map(Key::encode),
            lower_open: self.lower_open,
            upper_open: self.upper_open,
        }
    }

    fn bound_value(ctx: &Ctx<'js>, k: &Option<Key>) -> Fallible<Value<'js>> {
        match k {
            Some(k) => convert_a_key_to_a_value(ctx, k),
            None => Ok(Value::new_undefined(ctx.clone())),
        }
    }
}

impl<'js> IDBKeyRangeMethods<'js> for IDBKeyRange<'js> {
    fn lower(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Self::bound_value(&cx.ctx, &self.lower)
    }
    fn upper(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Self::bound_value(&cx.ctx, &self.upper)
    }
    fn lowerOpen(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.lower_open)
    }
    fn upperOpen(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.upper_open)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbkeyrange-includes>
    fn includes(&self, cx: &Cx<'js>, key: Value<'js>) -> Fallible<bool> {
        // Steps 1-2. A valid key, or "DataError".
        let key = value_to_key_or_data_error(&cx.ctx, &key)?;
        // Step 3. Whether it is in this range.
        Ok(self.range().contains(&key.encode()))
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbkeyrange-only>
    fn only(cx: &Cx<'js>, value: Value<'js>) -> Fallible<Dom<'js, IDBKeyRange<'js>>> {
        let key = value_to_key_or_data_error(&cx.ctx, &value)?;
        IDBKeyRange::make(&cx.ctx, Some(key.clone()), Some(key), false, false)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbkeyrange-lowerbound>
    fn lowerBound(
        cx: &Cx<'js>,
        lower: Value<'js>,
        open: bool,
    ) -> Fallible<Dom<'js, IDBKeyRange<'js>>> {
        let key = value_to_key_or_data_error(&cx.ctx, &lower)?;
        IDBKeyRange::make(&cx.ctx, Some(key), None, open, true)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbkeyrange-upperbound>
    fn upperBound(
        cx: &Cx<'js>,
        upper: Value<'js>,
        open: bool,
    ) -> Fallible<Dom<'js, IDBKeyRange<'js>>> {
        let key = value_to_key_or_data_error(&cx.ctx, &upper)?;
        IDBKeyRange::make(&cx.ctx, None, Some(key), true, open)
    }

    /// <https://w3c.github.io/IndexedDB/#dom-idbkeyrange-bound>
    fn bound(
        cx: &Cx<'js>,
        lower: Value<'js>,
        upper: Value<'js>,
        lower_open: bool,
        upper_open: bool,
    ) -> Fallible<Dom<'js, IDBKeyRange<'js>>> {
        // Steps 1-4. Both valid keys.
        let lower = value_to_key_or_data_error(&cx.ctx, &lower)?;
        let upper = value_to_key_or_data_error(&cx.ctx, &upper)?;
        // Step 5. lower > upper: "DataError".
        let order = lower.compare(&upper);
        if order.is_gt() {
            return Err(data_error("the lower bound is above the upper bound"));
        }
        // Step 6. Equal bounds with either open: "DataError".
        if order.is_eq() && (lower_open || upper_open) {
            return Err(data_error("an open range with equal bounds is empty"));
        }
        IDBKeyRange::make(&cx.ctx, Some(lower), Some(upper), lower_open, upper_open)
    }
}
