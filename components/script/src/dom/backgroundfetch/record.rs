//! <https://wicg.github.io/background-fetch/#background-fetch-record-interface>

use crate::dom::bindings::codegen::BackgroundFetchRecordBinding::BackgroundFetchRecordMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::request::Request;

/// <https://wicg.github.io/background-fetch/#background-fetch-record-interface>
pub struct BackgroundFetchRecord<'js> {
    /// The request.
    request: Dom<'js, Request<'js>>,
    /// The response promise.
    response_ready: Promise<'js>,
}

impl<'js> BackgroundFetchRecord<'js> {
    pub fn new_inherited(
        request: Dom<'js, Request<'js>>,
        response_ready: Promise<'js>,
    ) -> BackgroundFetchRecord<'js> {
        BackgroundFetchRecord {
            request,
            response_ready,
        }
    }
}

impl<'js> Trace<'js> for BackgroundFetchRecord<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.request.trace(tracer);
        self.response_ready.trace(tracer);
    }
}

impl<'js> BackgroundFetchRecordMethods<'js> for BackgroundFetchRecord<'js> {
    fn request(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Request<'js>>> {
        Ok(self.request.clone())
    }
    fn responseReady(&self, _cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        Ok(self.response_ready.clone())
    }
}
