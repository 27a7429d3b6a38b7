//! <https://html.spec.whatwg.org/#worker-locations>

use crate::dom::bindings::codegen::WorkerLocationBinding::WorkerLocationMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::location::{global_url, url_getters};

/// <https://html.spec.whatwg.org/#worker-locations>
pub struct WorkerLocation<'js> {
    url: url::Url,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for WorkerLocation<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> WorkerLocation<'js> {
    pub fn new_inherited(url: &str) -> WorkerLocation<'js> {
        WorkerLocation {
            url: global_url(url),
            _js: std::marker::PhantomData,
        }
    }

    fn location_url(&self) -> &url::Url {
        &self.url
    }
}

impl<'js> WorkerLocationMethods<'js> for WorkerLocation<'js> {
    url_getters!();
}
