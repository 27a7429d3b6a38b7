//! <https://webidl.spec.whatwg.org/#idl-DOMException>

use crate::dom::bindings::codegen::DOMExceptionBinding::DOMExceptionMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use std::marker::PhantomData;

/// <https://webidl.spec.whatwg.org/#idl-DOMException>
pub struct DOMException<'js> {
    /// The exception's name.
    name: String,
    /// The exception's message.
    message: String,
    _js: PhantomData<&'js ()>,
}

impl<'js> DOMException<'js> {
    pub fn new_inherited(message: &str, name: &str) -> DOMException<'js> {
        DOMException {
            name: name.to_string(),
            message: message.to_string(),
            _js: PhantomData,
        }
    }
    pub fn name_(&self) -> &str {
        &self.name
    }
    pub fn message_(&self) -> &str {
        &self.message
    }
}

impl<'js> Trace<'js> for DOMException<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// A new DOMException in the current realm, as a value to throw or reject with.
pub fn create<'js>(ctx: &Ctx<'js>, message: &str, name: &str) -> Fallible<Value<'js>> {
    let e = reflect_dom_object(ctx, DOMException::new_inherited(message, name))?;
    Ok(e.reflector().clone().into_value())
}

impl<'js> DOMExceptionMethods<'js> for DOMException<'js> {
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }
    fn message(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.message.clone())
    }
    /// The legacy code of the name, or 0.
    fn code(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(DomErrorName::from_name(&self.name)
            .map(|n| n.code())
            .unwrap_or(0))
    }
    /// <https://webidl.spec.whatwg.org/#dom-domexception-domexception>
    fn Constructor(_cx: &Cx<'js>, message: DOMString, name: DOMString) -> Fallible<Self> {
        Ok(DOMException::new_inherited(&message, &name))
    }
}
