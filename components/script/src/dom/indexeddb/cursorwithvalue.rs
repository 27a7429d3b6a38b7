//! <https://w3c.github.io/IndexedDB/#idbcursorwithvalue>: a cursor that also gives the
//! record's value.

use super::cursor::IDBCursor;
use crate::dom::bindings::codegen::IDBCursorWithValueBinding::IDBCursorWithValueMethods;
use crate::dom::bindings::codegen_prelude::*;

/// <https://w3c.github.io/IndexedDB/#idbcursorwithvalue>
pub struct IDBCursorWithValue<'js> {
    cursor: IDBCursor<'js>,
}

impl<'js> HasParent<'js> for IDBCursorWithValue<'js> {
    type Parent = IDBCursor<'js>;
    fn parent(&self) -> &IDBCursor<'js> {
        &self.cursor
    }
}

impl<'js> Trace<'js> for IDBCursorWithValue<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.cursor.trace(tracer)
    }
}

impl<'js> IDBCursorWithValue<'js> {
    pub fn new_inherited(cursor: IDBCursor<'js>) -> IDBCursorWithValue<'js> {
        IDBCursorWithValue { cursor }
    }
}

impl<'js> IDBCursorWithValueMethods<'js> for IDBCursorWithValue<'js> {
    /// <https://w3c.github.io/IndexedDB/#dom-idbcursorwithvalue-value>: the current
    /// record's value (the same object until the cursor moves), or undefined.
    fn value(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .cursor
            .value_()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }
}
