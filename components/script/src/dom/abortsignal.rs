//! <https://dom.spec.whatwg.org/#interface-AbortSignal>, with dependent signals
//! (`AbortSignal.any`) and timeouts. (Its controller: [`crate::dom::abortcontroller`].)

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::AbortSignalBinding::AbortSignalMethods;
use crate::dom::bindings::codegen::TimerHandler;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::{error_value, DomErrorName};
use crate::dom::eventtarget::{EventTarget, Listener};
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;
use std::rc::Weak;

/// An abort algorithm (<https://dom.spec.whatwg.org/#abortsignal-abort-algorithms>).
pub enum AbortAlgorithm<'js> {
    /// addEventListener's `signal`: remove the listener. The listener is held weakly: the
    /// target's list owns it (and traces its callback; tracing it from here too would count
    /// the callback's reference twice and trip QuickJS's GC assertions).
    RemoveListener(Dom<'js, EventTarget<'js>>, Weak<Listener<'js>>),
    /// fetch(): abort the fetch() call with this id on the current global.
    Fetch(u64),
}

impl<'js> Trace<'js> for AbortAlgorithm<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        if let AbortAlgorithm::RemoveListener(target, _) = self {
            target.trace(tracer);
        }
    }
}

/// <https://dom.spec.whatwg.org/#interface-AbortSignal>
pub struct AbortSignal<'js> {
    target: EventTarget<'js>,
    /// The abort reason (None: not aborted).
    reason: DomRefCell<Option<Value<'js>>>,
    algorithms: DomRefCell<Vec<AbortAlgorithm<'js>>>,
    dependent: Cell<bool>,
    /// Source signals (weak in the standard; here traced references, which only keeps them
    /// alive as long as the dependent signal is).
    sources: DomRefCell<Vec<Dom<'js, AbortSignal<'js>>>>,
    dependents: DomRefCell<Vec<Dom<'js, AbortSignal<'js>>>>,
}

impl<'js> HasParent<'js> for AbortSignal<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.target
    }
}

impl<'js> Trace<'js> for AbortSignal<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.target.trace(tracer);
        self.reason.trace(tracer);
        self.algorithms.trace(tracer);
        self.sources.trace(tracer);
        self.dependents.trace(tracer);
    }
}

impl<'js> AbortSignal<'js> {
    fn new_inherited() -> AbortSignal<'js> {
        AbortSignal {
            target: EventTarget::new_inherited(),
            reason: DomRefCell::new(None),
            algorithms: DomRefCell::new(Vec::new()),
            dependent: Cell::new(false),
            sources: DomRefCell::new(Vec::new()),
            dependents: DomRefCell::new(Vec::new()),
        }
    }

    pub fn create(ctx: &Ctx<'js>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        reflect_dom_object(ctx, AbortSignal::new_inherited())
    }

    /// <https://dom.spec.whatwg.org/#abortsignal-aborted>
    pub fn is_aborted(&self) -> bool {
        self.reason.borrow().is_some()
    }

    pub fn reason_value(&self, ctx: &Ctx<'js>) -> Value<'js> {
        self.reason
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
    }

    /// <https://dom.spec.whatwg.org/#abortsignal-add>: nothing is added to an aborted signal.
    pub fn add_algorithm(&self, algorithm: AbortAlgorithm<'js>) {
        if !self.is_aborted() {
            self.algorithms.borrow_mut().push(algorithm);
        }
    }

    /// <https://dom.spec.whatwg.org/#abortsignal-remove>, for fetch() once it is over.
    pub fn remove_fetch_algorithm(&self, id: u64) {
        self.algorithms
            .borrow_mut()
            .retain(|a| !matches!(a, AbortAlgorithm::Fetch(i) if *i == id));
    }

    /// <https://dom.spec.whatwg.org/#abortsignal-signal-abort>
    pub fn signal_abort(
        this: &Dom<'js, AbortSignal<'js>>,
        ctx: &Ctx<'js>,
        reason: Option<Value<'js>>,
    ) {
        // Step 1. If signal is aborted, then return.
        if this.is_aborted() {
            return;
        }
        // Step 2. Set signal's abort reason to reason if given; otherwise to a new
        // "AbortError" DOMException.
        let reason = reason.filter(|r| !r.is_undefined()).unwrap_or_else(|| {
            abort_error(ctx, DomErrorName::AbortError, "The operation was aborted.")
        });
        *this.reason.borrow_mut() = Some(reason.clone());
        // Steps 3-4. Dependent signals not yet aborted take the same reason.
        let to_abort: Vec<_> = this
            .dependents
            .borrow()
            .iter()
            .filter(|d| !d.is_aborted())
            .cloned()
            .collect();
        for d in &to_abort {
            *d.reason.borrow_mut() = Some(reason.clone());
        }
        // Every dependent is aborted now: the list has done its job (and would otherwise
        // keep growing with each AbortSignal.any() over a long-lived signal).
        this.dependents.borrow_mut().clear();
        // Step 5. Run the abort steps for signal.
        run_abort_steps(this, ctx);
        // Step 6. Then for each dependent signal to abort.
        for d in &to_abort {
            run_abort_steps(d, ctx);
        }
    }

    /// <https://dom.spec.whatwg.org/#create-a-dependent-abort-signal>
    pub fn create_dependent(
        ctx: &Ctx<'js>,
        signals: &[Dom<'js, AbortSignal<'js>>],
    ) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        // Step 1. Let resultSignal be a new object.
        let result = AbortSignal::create(ctx)?;
        // Step 2. If any signal is aborted, take its reason and return.
        if let Some(aborted) = signals.iter().find(|s| s.is_aborted()) {
            *result.reason.borrow_mut() = aborted.reason.borrow().clone();
            return Ok(result);
        }
        // Step 3. Set resultSignal's dependent to true.
        result.dependent.set(true);
        // Step 4. Link to each source (a dependent signal's own sources stand in for it).
        for signal in signals {
            let sources = if signal.dependent.get() {
                signal.sources.borrow().clone()
            } else {
                vec![signal.clone()]
            };
            for source in sources {
                if !result.sources.borrow().iter().any(|s| s.ptr_eq(&source)) {
                    result.sources.borrow_mut().push(source.clone());
                    let mut dependents = source.dependents.borrow_mut();
                    // Dependents aborted through another source need no more updates.
                    dependents.retain(|d| !d.is_aborted());
                    dependents.push(result.clone());
                }
            }
        }
        Ok(result)
    }
}

/// A DOMException value of `name` in the current realm.
fn abort_error<'js>(ctx: &Ctx<'js>, name: DomErrorName, message: &str) -> Value<'js> {
    error_value(ctx, Error::dom(name, message))
}

/// <https://dom.spec.whatwg.org/#run-the-abort-steps>
fn run_abort_steps<'js>(signal: &Dom<'js, AbortSignal<'js>>, ctx: &Ctx<'js>) {
    // Steps 1-2. Run each abort algorithm, then empty the list.
    let algorithms = std::mem::take(&mut *signal.algorithms.borrow_mut());
    for algorithm in algorithms {
        match algorithm {
            AbortAlgorithm::RemoveListener(target, listener) => {
                if let Some(listener) = listener.upgrade() {
                    target.remove_listener_rc(&listener)
                }
            }
            AbortAlgorithm::Fetch(id) => {
                if let Some(global) = GlobalScope::current(ctx) {
                    let reason = signal.reason_value(ctx);
                    crate::dom::fetch::abort_fetch(ctx, &global, id, reason);
                }
            }
        }
    }
    // Step 3. Fire an event named abort at signal.
    let _ = crate::dom::eventtarget::fire_event(ctx, &signal.upcast(), "abort", false, false);
}

impl<'js> AbortSignalMethods<'js> for AbortSignal<'js> {
    fn aborted(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.is_aborted())
    }
    fn reason(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self.reason_value(&cx.ctx))
    }
    /// <https://dom.spec.whatwg.org/#dom-abortsignal-throwifaborted>
    fn throwIfAborted(&self, cx: &Cx<'js>) -> Fallible<()> {
        match self.reason.borrow().clone() {
            Some(reason) => {
                let _ = cx.ctx.throw(reason);
                Err(Error::JsException)
            }
            None => Ok(()),
        }
    }
    /// <https://dom.spec.whatwg.org/#dom-abortsignal-abort>
    fn abort(cx: &Cx<'js>, reason: Option<Value<'js>>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        let signal = AbortSignal::create(&cx.ctx)?;
        let reason = reason.filter(|r| !r.is_undefined()).unwrap_or_else(|| {
            abort_error(
                &cx.ctx,
                DomErrorName::AbortError,
                "The operation was aborted.",
            )
        });
        *signal.reason.borrow_mut() = Some(reason);
        Ok(signal)
    }
    /// <https://dom.spec.whatwg.org/#dom-abortsignal-timeout>
    fn timeout(cx: &Cx<'js>, milliseconds: u64) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        let signal = AbortSignal::create(&cx.ctx)?;
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("no global to run the timer"))?;
        // Step 3. After milliseconds, signal abort with a "TimeoutError" DOMException (on the
        // timer task source).
        let target = signal.clone();
        let callback = Function::new(cx.ctx.clone(), move |ctx: Ctx<'js>| {
            let reason = abort_error(&ctx, DomErrorName::TimeoutError, "The operation timed out.");
            AbortSignal::signal_abort(&target, &ctx, Some(reason));
        })?;
        let handler = TimerHandler::Function(crate::dom::bindings::codegen::Function {
            callback: callback.into_inner(),
        });
        crate::dom::timers::run_steps_after_a_timeout(&global, handler, milliseconds);
        Ok(signal)
    }
    /// <https://dom.spec.whatwg.org/#dom-abortsignal-any>
    fn any(
        cx: &Cx<'js>,
        signals: Vec<Dom<'js, AbortSignal<'js>>>,
    ) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        AbortSignal::create_dependent(&cx.ctx, &signals)
    }
}
