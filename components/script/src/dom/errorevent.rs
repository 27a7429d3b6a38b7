//! <https://html.spec.whatwg.org/#errorevent>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ErrorEventBinding::ErrorEventMethods;
use crate::dom::bindings::codegen::{ErrorEventInit, EventInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::error_reporting::ErrorInfo;
use crate::dom::event::Event;

/// <https://html.spec.whatwg.org/#errorevent>
pub struct ErrorEvent<'js> {
    event: Event<'js>,
    message: String,
    filename: String,
    lineno: u32,
    colno: u32,
    /// The error value (any).
    error: DomRefCell<Option<Value<'js>>>,
}

impl<'js> HasParent<'js> for ErrorEvent<'js> {
    type Parent = Event<'js>;
    fn parent(&self) -> &Event<'js> {
        &self.event
    }
}

impl<'js> Trace<'js> for ErrorEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event.trace(tracer);
        self.error.trace(tracer);
    }
}

impl<'js> ErrorEvent<'js> {
    /// A trusted `error` event for "report an exception" (cancelable, not bubbling), its
    /// attributes initialized to errorInfo's values and `error`.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        info: &ErrorInfo,
        error: Value<'js>,
    ) -> Fallible<Dom<'js, ErrorEvent<'js>>> {
        let init = EventInit {
            bubbles: false,
            cancelable: true,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            ErrorEvent {
                event: Event::new_inherited(ctx, "error", &init),
                message: info.message.clone(),
                filename: info.filename.clone(),
                lineno: info.lineno,
                colno: info.colno,
                error: DomRefCell::new(Some(error)),
            },
        )?;
        e.event.set_trusted(true);
        Ok(e)
    }
    pub fn message_(&self) -> String {
        self.message.clone()
    }
    pub fn filename_(&self) -> String {
        self.filename.clone()
    }
    pub fn lineno_(&self) -> u32 {
        self.lineno
    }
    pub fn colno_(&self) -> u32 {
        self.colno
    }
    /// The error value; undefined when the init dictionary had none.
    pub fn error_(&self, ctx: &Ctx<'js>) -> Value<'js> {
        self.error
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(ctx.clone()))
    }
}

impl<'js> ErrorEventMethods<'js> for ErrorEvent<'js> {
    fn message(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.message.clone())
    }
    fn filename(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.filename.clone())
    }
    fn lineno(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.lineno)
    }
    fn colno(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.colno)
    }
    fn error(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self.error_(&cx.ctx))
    }
    fn Constructor(cx: &Cx<'js>, type_: DOMString, init: ErrorEventInit<'js>) -> Fallible<Self> {
        Ok(ErrorEvent {
            event: Event::new_inherited(&cx.ctx, &type_, &init.parent),
            message: init.message,
            filename: init.filename,
            lineno: init.lineno,
            colno: init.colno,
            error: DomRefCell::new(init.error),
        })
    }
}
