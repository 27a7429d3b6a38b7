//! <https://streams.spec.whatwg.org/#rs-byob-request-class>: the view a byte stream's
//! underlying source writes a BYOB read's bytes into, and how it says it did.

use crate::dom::bindings::buffer_source::{is_detached_buffer, view, view_parts};
use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::ArrayBufferView;
use crate::dom::bindings::codegen::ReadableStreamBYOBRequestBinding::ReadableStreamBYOBRequestMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::conversions::BufferView;
use crate::dom::readablebytestreamcontroller::{
    readable_byte_stream_controller_respond, readable_byte_stream_controller_respond_with_new_view,
    ReadableByteStreamController,
};

/// <https://streams.spec.whatwg.org/#readablestreambyobrequest>
pub struct ReadableStreamBYOBRequest<'js> {
    /// [[controller]] (none once invalidated)
    controller: DomRefCell<Option<Dom<'js, ReadableByteStreamController<'js>>>>,
    /// [[view]] (null once invalidated)
    view: DomRefCell<Option<BufferView<'js>>>,
}

impl<'js> Trace<'js> for ReadableStreamBYOBRequest<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.controller.trace(tracer);
        self.view.trace(tracer);
    }
}

impl<'js> ReadableStreamBYOBRequest<'js> {
    pub fn new_inherited(
        controller: Dom<'js, ReadableByteStreamController<'js>>,
        view: BufferView<'js>,
    ) -> ReadableStreamBYOBRequest<'js> {
        ReadableStreamBYOBRequest {
            controller: DomRefCell::new(Some(controller)),
            view: DomRefCell::new(Some(view)),
        }
    }

    /// ReadableByteStreamControllerInvalidateBYOBRequest steps 2-3: [[controller]]
    /// undefined, [[view]] null.
    pub fn invalidate(&self) {
        self.controller.borrow_mut().take();
        self.view.borrow_mut().take();
    }

    /// [[view]]
    pub fn view_object(&self) -> Option<BufferView<'js>> {
        self.view.borrow().clone()
    }
}

impl<'js> ReadableStreamBYOBRequestMethods<'js> for ReadableStreamBYOBRequest<'js> {
    /// <https://streams.spec.whatwg.org/#rs-byob-request-view>
    fn view(&self, _cx: &Cx<'js>) -> Fallible<Option<BufferView<'js>>> {
        // Step 1. Return this.[[view]].
        Ok(self.view.borrow().clone())
    }

    /// <https://streams.spec.whatwg.org/#rs-byob-request-respond>
    fn respond(&self, cx: &Cx<'js>, bytes_written: u64) -> Fallible<()> {
        // Step 1. Invalidated: TypeError.
        let Some(controller) = self.controller.borrow().clone() else {
            return Err(Error::Type("this BYOB request is no longer valid".into()));
        };
        // Step 2. A detached view: TypeError.
        let Some(view) = self.view.borrow().clone() else {
            return Err(Error::Type("this BYOB request is no longer valid".into()));
        };
        if is_detached_buffer(&view_parts(&view)?.buffer) {
            return Err(Error::Type("the view's buffer is detached".into()));
        }
        // Steps 3-4 (asserts). Step 5. ? ReadableByteStreamControllerRespond.
        readable_byte_stream_controller_respond(&cx.ctx, &controller, bytes_written)
    }

    /// <https://streams.spec.whatwg.org/#rs-byob-request-respond-with-new-view>
    fn respondWithNewView(&self, cx: &Cx<'js>, new_view: ArrayBufferView<'js>) -> Fallible<()> {
        // Step 1. Invalidated: TypeError.
        let Some(controller) = self.controller.borrow().clone() else {
            return Err(Error::Type("this BYOB request is no longer valid".into()));
        };
        // Step 2. A detached view: TypeError.
        let new_view = view(&new_view).clone();
        if is_detached_buffer(&view_parts(&new_view)?.buffer) {
            return Err(Error::Type("the view's buffer is detached".into()));
        }
        // Step 3. ? ReadableByteStreamControllerRespondWithNewView(controller, view).
        readable_byte_stream_controller_respond_with_new_view(&cx.ctx, &controller, &new_view)
    }
}
