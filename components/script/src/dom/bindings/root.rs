//! Rooted references to DOM objects, and the traits the generated code relies on.
//!
//! A DOM object lives inside its JS reflector (an rquickjs class instance whose class data is
//! `Readable`, so never borrowed mutably); [`Dom`] holds the reflector (a counted reference
//! that keeps it alive) plus a pointer into the class data, like Servo's `DomRoot`. Upcasts
//! are pointer projections: a derived DOM struct embeds its parent by value.

use super::conversions::ToJsValue;
use super::error::Fallible;
use rquickjs::class::{JsClass, Trace, Tracer};
use rquickjs::{Class, Ctx, Object, Value};
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

/// A counted reference to a DOM object of type `T` (or of a type that inherits from `T`).
pub struct Dom<'js, T> {
    /// The JS-visible object (for a global, the global object).
    object: Object<'js>,
    /// Points into the class data of `object` (or of the realm's global data object).
    ptr: NonNull<T>,
    _marker: PhantomData<&'js T>,
}

impl<'js, T> Dom<'js, T> {
    /// `visible` is the object script sees; `class` holds the Rust data (they differ only for
    /// globals, whose Rust data lives in a hidden object the realm keeps alive).
    pub fn from_class(visible: Object<'js>, class: &Class<'js, T>) -> Dom<'js, T>
    where
        T: JsClass<'js, Mutable = rquickjs::class::Readable>,
    {
        let borrow = class.borrow();
        // SAFETY: `Readable` class data is stored in place in a boxed cell that never moves
        // and is never borrowed mutably; it lives as long as the class object, which
        // `visible` keeps alive (for globals, the realm data keeps it alive and outlives every
        // Dom by the shutdown order in `script_thread::run_global`: Doms are dropped before
        // `realm::teardown`).
        let ptr = NonNull::from(&*borrow);
        Dom {
            object: visible,
            ptr,
            _marker: PhantomData,
        }
    }

    /// The reflector: the JS object for this DOM object.
    pub fn reflector(&self) -> &Object<'js> {
        &self.object
    }

    /// This object as one of its ancestors' types.
    pub fn upcast<U>(&self) -> Dom<'js, U>
    where
        T: Inherits<'js, U>,
    {
        Dom {
            object: self.object.clone(),
            ptr: NonNull::from((**self).upcast_ref()),
            _marker: PhantomData,
        }
    }

    /// A reference to a part of this object (a field embedded by value), keeping the same
    /// reflector alive.
    pub fn project<U>(&self, f: impl FnOnce(&T) -> &U) -> Dom<'js, U> {
        Dom {
            object: self.object.clone(),
            ptr: NonNull::from(f(self)),
            _marker: PhantomData,
        }
    }

    /// Whether two references are to the same object.
    pub fn ptr_eq(&self, other: &Dom<'js, T>) -> bool {
        self.object == other.object
    }
}

impl<T> Deref for Dom<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: see `from_class`.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> Clone for Dom<'_, T> {
    fn clone(&self) -> Self {
        Dom {
            object: self.object.clone(),
            ptr: self.ptr,
            _marker: PhantomData,
        }
    }
}

impl<T> PartialEq for Dom<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.object == other.object
    }
}

impl<T> fmt::Debug for Dom<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dom<{}>", std::any::type_name::<T>())
    }
}

impl<'js, T> Trace<'js> for Dom<'js, T> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.object.trace(tracer)
    }
}

impl<'js, T> ToJsValue<'js> for Dom<'js, T> {
    fn to_js(self, _ctx: &Ctx<'js>) -> Fallible<Value<'js>> {
        Ok(self.object.into_value())
    }
}

/// Implemented by hand on each DOM struct whose interface has a parent: the embedded parent.
pub trait HasParent<'js> {
    type Parent;
    fn parent(&self) -> &Self::Parent;
}

/// `Self`'s interface is `U` or inherits from it (generated from the IDL).
pub trait Inherits<'js, U> {
    fn upcast_ref(&self) -> &U;
}

/// A DOM type with a reflector class (generated for every interface).
pub trait DomObject<'js>: JsClass<'js, Mutable = rquickjs::class::Readable> + Sized {
    /// Index of the interface's prototype in the realm's tables.
    const PROTO_ID: usize;
    /// The interface name.
    const NAME: &'static str;
}

/// Brand check: is this JS value a platform object implementing the interface (generated)?
pub trait DomInterface<'js>: Sized {
    /// The brand check itself, without taking a reference to the object: where the DOM
    /// value is, if `v` implements the interface. It lives as long as `v`'s object does (in
    /// its class data, or for a global object in the realm's global data).
    fn unwrap_ptr(v: &Value<'js>) -> Option<NonNull<Self>>;

    /// The brand check, as a counted reference.
    #[inline]
    fn unwrap(v: &Value<'js>) -> Option<Dom<'js, Self>> {
        let ptr = Self::unwrap_ptr(v)?;
        // `unwrap_ptr` found the data, so `v` is an object: the visible one (for a global,
        // the global object itself), which keeps the data alive (see `Dom::from_class`).
        Some(Dom {
            object: super::realm::object_ref(v)?.clone(),
            ptr,
            _marker: PhantomData,
        })
    }
}
