//! JS functions implemented in Rust whose captured state is visible to the garbage collector.
//!
//! `Function::new` with a closure hides the closure's captures from QuickJS's cycle collector;
//! a capture that leads back to the function (an event stored on its own promise, say) is then
//! a cycle nothing can free, and QuickJS aborts the process when the runtime is dropped. Here
//! the state is a [`Trace`] value owned by a callable class, so such cycles are collectable.

use super::error::{self, Fallible};
use rquickjs::class::{ClassKind, JsCell, JsClass, Readable, Trace, Tracer};
use rquickjs::function::{Constructor, Params};
use rquickjs::{Class, Ctx, Function, JsLifetime, Object, Promise, Value};

trait ClosureBody<'js> {
    fn call(&self, params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>>;
    fn trace_state<'a>(&self, tracer: Tracer<'a, 'js>);
}

/// The body of a traced function: Rust code given its state and the call's parameters.
pub type ClosureFn<'js, S> = for<'a> fn(&S, &Params<'a, 'js>) -> Fallible<Value<'js>>;

struct Body<'js, S> {
    state: S,
    f: ClosureFn<'js, S>,
}

impl<'js, S: Trace<'js>> ClosureBody<'js> for Body<'js, S> {
    fn call(&self, params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> {
        super::glue::guard(params.ctx(), || (self.f)(&self.state, params))
    }
    fn trace_state<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.state.trace(tracer)
    }
}

/// The callable class behind [`traced_function`].
pub struct NativeClosure<'js>(Box<dyn ClosureBody<'js> + 'js>);

impl<'js> Trace<'js> for NativeClosure<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.0.trace_state(tracer)
    }
}

// SAFETY: the boxed body only holds values of lifetime 'js.
unsafe impl<'js> JsLifetime<'js> for NativeClosure<'js> {
    type Changed<'to> = NativeClosure<'to>;
}

impl<'js> JsClass<'js> for NativeClosure<'js> {
    const NAME: &'static str = "NativeClosure";
    const KIND: ClassKind = ClassKind::Callable;
    type Mutable = Readable;
    fn prototype(ctx: &Ctx<'js>) -> rquickjs::Result<Option<Object<'js>>> {
        Ok(Some(Function::prototype(ctx.clone())))
    }
    fn constructor(_ctx: &Ctx<'js>) -> rquickjs::Result<Option<Constructor<'js>>> {
        Ok(None)
    }
    fn call<'a>(this: &JsCell<'js, Self>, params: Params<'a, 'js>) -> rquickjs::Result<Value<'js>> {
        this.borrow().0.call(&params)
    }
}

/// A JS function that calls `f` with `state`; `state` is traced.
pub fn traced_function<'js, S: Trace<'js> + 'js>(
    ctx: &Ctx<'js>,
    state: S,
    f: ClosureFn<'js, S>,
) -> Fallible<Function<'js>> {
    let class = Class::instance(ctx.clone(), NativeClosure(Box::new(Body { state, f })))?;
    let func = Function::from_value(class.into_value())
        .map_err(|_| error::Error::Type("not callable".into()))?;
    Ok(func)
}

/// Reacts to `promise` (WebIDL "react to"): `on_fulfilled` / `on_rejected` get the state
/// and the value. This is PerformPromiseThen (`JS_PromiseThen`): nothing script can patch is
/// consulted. An error from a reaction is reported, so the derived promise never rejects.
pub fn react<'js, S: Trace<'js> + Clone + 'js>(
    ctx: &Ctx<'js>,
    promise: &Promise<'js>,
    state: S,
    on_fulfilled: ClosureFn<'js, S>,
    on_rejected: ClosureFn<'js, S>,
) -> Fallible<()> {
    let f = reaction(ctx, state.clone(), on_fulfilled)?;
    let r = reaction(ctx, state, on_rejected)?;
    let result = unsafe {
        rquickjs::qjs::JS_PromiseThen(
            ctx.as_raw().as_ptr(),
            promise.as_raw(),
            f.as_raw(),
            r.as_raw(),
        )
    };
    // SAFETY: JS_PromiseThen returns a new reference (or JS_EXCEPTION), owned by `result`.
    let result = unsafe { Value::from_raw(ctx.clone(), result) };
    if result.is_exception() {
        return Err(error::Error::JsException);
    }
    Ok(())
}

/// WebIDL "mark as handled": a rejection of `promise` is never reported as unhandled (a
/// promise the user agent rejects that script may not be listening to).
pub fn mark_as_handled<'js>(ctx: &Ctx<'js>, promise: &Promise<'js>) -> Fallible<()> {
    fn ignore<'a, 'js>(_: &Value<'js>, params: &Params<'a, 'js>) -> Fallible<Value<'js>> {
        Ok(Value::new_undefined(params.ctx().clone()))
    }
    react(
        ctx,
        promise,
        Value::new_undefined(ctx.clone()),
        ignore,
        ignore,
    )
}

/// A traced function whose errors are reported (HTML "report an exception") instead of
/// thrown: promise reactions from Rust never leave a rejected promise behind.
fn reaction<'js, S: Trace<'js> + 'js>(
    ctx: &Ctx<'js>,
    state: S,
    f: ClosureFn<'js, S>,
) -> Fallible<Function<'js>> {
    struct Reaction<'js, S> {
        state: S,
        f: ClosureFn<'js, S>,
    }
    impl<'js, S: Trace<'js>> ClosureBody<'js> for Reaction<'js, S> {
        fn call(&self, params: &Params<'_, 'js>) -> rquickjs::Result<Value<'js>> {
            let ctx = params.ctx();
            let _native = crate::script_thread::NativeScope::enter();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                (self.f)(&self.state, params)
            }));
            match result {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(e)) => {
                    crate::dom::globalscope::GlobalScope::report_error(ctx, e);
                    Ok(Value::new_undefined(ctx.clone()))
                }
                Err(p) => {
                    crate::dom::bindings::panic::caught(ctx, "a promise reaction", &*p);
                    Ok(Value::new_undefined(ctx.clone()))
                }
            }
        }
        fn trace_state<'a>(&self, tracer: Tracer<'a, 'js>) {
            self.state.trace(tracer)
        }
    }
    let class = Class::instance(ctx.clone(), NativeClosure(Box::new(Reaction { state, f })))?;
    Function::from_value(class.into_value()).map_err(|_| error::Error::Type("not callable".into()))
}
