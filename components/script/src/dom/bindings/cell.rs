//! `DomRefCell`: a `RefCell` that the JS garbage collector can trace through.

use rquickjs::class::{Trace, Tracer};
use std::cell::{Ref, RefCell, RefMut};

/// Interior mutability for DOM struct fields that hold JS values.
///
/// Tracing uses `try_borrow`: if the GC runs while the cell is mutably borrowed, the contents
/// are skipped for that cycle, which can only keep objects alive longer, never free them early.
#[derive(Default)]
pub struct DomRefCell<T>(RefCell<T>);

impl<T> DomRefCell<T> {
    pub fn new(value: T) -> Self {
        DomRefCell(RefCell::new(value))
    }
    pub fn borrow(&self) -> Ref<'_, T> {
        self.0.borrow()
    }
    pub fn borrow_mut(&self) -> RefMut<'_, T> {
        self.0.borrow_mut()
    }
    pub fn replace(&self, value: T) -> T {
        self.0.replace(value)
    }
    pub fn take(&self) -> T
    where
        T: Default,
    {
        self.0.take()
    }
}

impl<'js, T: Trace<'js>> Trace<'js> for DomRefCell<T> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let Ok(v) = self.0.try_borrow() {
            v.trace(tracer)
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for DomRefCell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
