//! <https://html.spec.whatwg.org/#the-window-object>

use crate::dom::bindings::codegen::WindowBinding::WindowMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::{GlobalScope, IsGlobal};

/// <https://html.spec.whatwg.org/#the-window-object>
pub struct Window<'js> {
    global: GlobalScope<'js>,
    /// The Location object (one per global, made when first asked for).
    location: crate::dom::bindings::cell::DomRefCell<
        Option<Dom<'js, crate::dom::location::Location<'js>>>,
    >,
}

impl<'js> Window<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> Window<'js> {
        Window {
            global,
            location: Default::default(),
        }
    }
}

impl<'js> IsGlobal<'js> for Window<'js> {
    fn global_scope(&self) -> &GlobalScope<'js> {
        &self.global
    }
}

impl<'js> HasParent<'js> for Window<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        self.global.event_target()
    }
}

impl<'js> Trace<'js> for Window<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.global.trace(tracer);
        self.location.trace(tracer);
    }
}

fn this_window<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
    <Window as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

impl<'js> WindowMethods<'js> for Window<'js> {
    /// The Location object of this global's URL (the same object every time).
    fn location(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, crate::dom::location::Location<'js>>> {
        if let Some(l) = self.location.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = reflect_dom_object(
            &cx.ctx,
            crate::dom::location::Location::new_inherited(&self.global.info().url),
        )?;
        *self.location.borrow_mut() = Some(l.clone());
        Ok(l)
    }
    /// The WindowProxy: the global object itself (no browsing-context navigation yet).
    fn window(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
        this_window(cx)
    }
    fn self_(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
        this_window(cx)
    }
    crate::window_or_worker_global_scope_methods!();
}
