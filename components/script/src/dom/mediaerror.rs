//! <https://html.spec.whatwg.org/multipage/media.html#mediaerror>

use crate::dom::bindings::codegen::MediaErrorBinding::MediaErrorMethods;
use crate::dom::bindings::codegen_prelude::*;

pub struct MediaError<'js> {
    code: u16,
    message: String,
    _realm: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for MediaError<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> MediaError<'js> {
    pub fn new_inherited(code: u16, message: &str) -> MediaError<'js> {
        MediaError {
            code,
            message: message.to_string(),
            _realm: std::marker::PhantomData,
        }
    }
}

impl<'js> MediaErrorMethods<'js> for MediaError<'js> {
    fn code(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.code)
    }
    fn message(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.message.clone())
    }
}
