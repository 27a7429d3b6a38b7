//! Pair iterators (WebIDL §3.7.9 "Iterable declarations", `iterable<K, V>`): `entries`,
//! `keys`, `values`, `forEach` and `@@iterator` on the interface prototype, and default
//! iterator objects whose `%Interface Iterator Prototype%.next` walks the live "value pairs to
//! iterate over".

use super::conversions::ToJsValue;
use super::error::{Error, Fallible};
use super::glue::{self, Cx};
use super::native::CallArgs;
use super::root::{DomInterface, DomObject};
use rquickjs::class::{JsClass, Readable, Trace, Tracer};
use rquickjs::function::Constructor;
use rquickjs::{Array, Class, Ctx, Function, JsLifetime, Object, Value};
use std::cell::Cell;

/// What a default iterator yields (its "kind").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterKind {
    Key,
    Value,
    KeyValue,
}

/// A default iterator object: its target, kind and index, and which interface it iterates
/// (so `next` can check it was given one of its own).
pub struct PairIterator<'js> {
    target: Object<'js>,
    kind: IterKind,
    index: Cell<usize>,
    interface: usize,
}

impl<'js> Trace<'js> for PairIterator<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer)
    }
}

// SAFETY: holds values of lifetime 'js only.
unsafe impl<'js> JsLifetime<'js> for PairIterator<'js> {
    type Changed<'to> = PairIterator<'to>;
}

impl<'js> JsClass<'js> for PairIterator<'js> {
    const NAME: &'static str = "PairIterator";
    type Mutable = Readable;
    fn prototype(_ctx: &Ctx<'js>) -> rquickjs::Result<Option<Object<'js>>> {
        Ok(None)
    }
    fn constructor(_ctx: &Ctx<'js>) -> rquickjs::Result<Option<Constructor<'js>>> {
        Ok(None)
    }
}

/// The value pairs of a target, converted to JS.
pub type PairsFn = for<'js> fn(&Ctx<'js>, &Object<'js>) -> Fallible<Vec<(Value<'js>, Value<'js>)>>;

/// "Create a default iterator" for `target` (already brand-checked) of interface `interface`.
pub fn create_iterator<'js>(
    ctx: &Ctx<'js>,
    target: Object<'js>,
    kind: IterKind,
    interface: usize,
) -> Fallible<Value<'js>> {
    let proto = super::realm::iterator_prototype(ctx, interface)
        .ok_or_else(|| Error::Type("the iterator prototype is not set up".into()))?;
    let it = Class::instance_proto(
        PairIterator {
            target,
            kind,
            index: Cell::new(0),
            interface,
        },
        proto,
    )?;
    Ok(it.into_value())
}

/// `%Interface Iterator Prototype%.next()` (WebIDL §3.7.9.2).
pub fn next<'js>(
    params: &CallArgs<'_, 'js>,
    interface: usize,
    pairs: PairsFn,
) -> Fallible<Value<'js>> {
    let ctx = glue::realm(params);
    // Steps 1-4. `this` must be a default iterator object for this interface.
    let it = Class::<PairIterator>::from_value(&params.this())
        .ok()
        .filter(|c| c.borrow().interface == interface)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
    let (target, kind, index) = {
        let b = it.borrow();
        (b.target.clone(), b.kind, b.index.get())
    };
    // Steps 5-8. The live list; past its end: done.
    let values = pairs(ctx, &target)?;
    let Some((key, value)) = values.into_iter().nth(index) else {
        return iter_result(ctx, Value::new_undefined(ctx.clone()), true);
    };
    // Steps 9-11.
    it.borrow().index.set(index + 1);
    let result = match kind {
        IterKind::Key => key,
        IterKind::Value => value,
        IterKind::KeyValue => {
            let array = Array::new(ctx.clone())?;
            array.set(0, key)?;
            array.set(1, value)?;
            array.into_value()
        }
    };
    iter_result(ctx, result, false)
}

/// CreateIterResultObject.
fn iter_result<'js>(ctx: &Ctx<'js>, value: Value<'js>, done: bool) -> Fallible<Value<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set("value", value)?;
    o.set("done", done)?;
    Ok(o.into_value())
}

/// `forEach(callback, thisArg)` of a pair iterable (WebIDL §3.7.9.1): the callback gets
/// (value, key, object) for each pair of the live list.
pub fn for_each<'js>(
    params: &CallArgs<'_, 'js>,
    target: Object<'js>,
    pairs: PairsFn,
) -> Fallible<Value<'js>> {
    let ctx = glue::realm(params);
    let callback = super::glue::arg(params, 0);
    let Some(f) = callback.as_function().cloned() else {
        return Err(Error::Type(
            "forEach: the callback is not a function".into(),
        ));
    };
    let this_arg = super::glue::arg(params, 1);
    let mut i = 0;
    let mut list = pairs(ctx, &target)?;
    while let Some((key, value)) = list.get(i).cloned() {
        call(
            &f,
            this_arg.clone(),
            value,
            key,
            target.clone().into_value(),
        )?;
        list = pairs(ctx, &target)?;
        i += 1;
    }
    Ok(Value::new_undefined(ctx.clone()))
}

fn call<'js>(
    f: &Function<'js>,
    this: Value<'js>,
    value: Value<'js>,
    key: Value<'js>,
    object: Value<'js>,
) -> Fallible<()> {
    f.call::<_, Value>((rquickjs::function::This(this), value, key, object))
        .map(|_| ())
        .map_err(Error::from)
}

// The glue functions of a pair iterable, one generic function each: the generated code names
// only the interface and its `value_pairs` method.

/// `entries()`, `keys()` and `values()`: a new default iterator of `kind` over `this`.
pub fn iterator_method<'js, T>(
    params: &CallArgs<'_, 'js>,
    kind: IterKind,
) -> rquickjs::Result<Value<'js>>
where
    T: DomObject<'js> + DomInterface<'js> + 'js,
{
    let ctx = glue::realm(params);
    glue::guard(ctx, || {
        let this = glue::this_object::<T>(params)?;
        create_iterator(ctx, this.reflector().clone(), kind, T::PROTO_ID)
    })
}

/// The `next()` of `T`'s iterator prototype.
pub fn next_method<'js, T: DomObject<'js>>(
    params: &CallArgs<'_, 'js>,
    pairs: PairsFn,
) -> rquickjs::Result<Value<'js>> {
    glue::guard(glue::realm(params), || next(params, T::PROTO_ID, pairs))
}

/// `forEach(callback, thisArg)`.
pub fn for_each_method<'js, T: DomInterface<'js> + 'js>(
    params: &CallArgs<'_, 'js>,
    pairs: PairsFn,
) -> rquickjs::Result<Value<'js>> {
    glue::guard(glue::realm(params), || {
        let this = glue::this_object::<T>(params)?;
        for_each(params, this.reflector().clone(), pairs)
    })
}

/// The value pairs to iterate over of `target` (a `T`), converted to JS: the body of a
/// [`PairsFn`]. `value_pairs` is the DOM method.
pub fn value_pairs<'js, T, K, V, F>(
    ctx: &Ctx<'js>,
    target: &Object<'js>,
    value_pairs: F,
) -> Fallible<Vec<(Value<'js>, Value<'js>)>>
where
    T: DomInterface<'js> + 'js,
    K: ToJsValue<'js>,
    V: ToJsValue<'js>,
    F: FnOnce(&T, &Cx<'js>) -> Fallible<Vec<(K, V)>>,
{
    let this = T::unwrap(&target.clone().into_value())
        .ok_or_else(|| Error::Type("Illegal invocation".into()))?;
    let cx = Cx::new(
        ctx,
        target.clone().into_value(),
        target.clone().into_value(),
    );
    let pairs = value_pairs(&this, &cx)?;
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        out.push((k.to_js(ctx)?, v.to_js(ctx)?));
    }
    Ok(out)
}
