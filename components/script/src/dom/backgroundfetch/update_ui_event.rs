//! <https://wicg.github.io/background-fetch/#background-fetch-update-ui-event>

use crate::dom::backgroundfetch::event::BackgroundFetchEvent;
use crate::dom::bindings::codegen::BackgroundFetchUpdateUIEventBinding::BackgroundFetchUpdateUIEventMethods;
use crate::dom::bindings::codegen::{BackgroundFetchEventInit, BackgroundFetchUIOptions};
use crate::dom::bindings::codegen_prelude::*;
use std::cell::Cell;

/// <https://wicg.github.io/background-fetch/#background-fetch-update-ui-event>
pub struct BackgroundFetchUpdateUIEvent<'js> {
    background_fetch_event: BackgroundFetchEvent<'js>,
    /// The UI updated flag.
    ui_updated: Cell<bool>,
}

impl<'js> HasParent<'js> for BackgroundFetchUpdateUIEvent<'js> {
    type Parent = BackgroundFetchEvent<'js>;
    fn parent(&self) -> &BackgroundFetchEvent<'js> {
        &self.background_fetch_event
    }
}

impl<'js> Trace<'js> for BackgroundFetchUpdateUIEvent<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.background_fetch_event.trace(tracer)
    }
}

impl<'js> BackgroundFetchUpdateUIEventMethods<'js> for BackgroundFetchUpdateUIEvent<'js> {
    /// <https://wicg.github.io/background-fetch/#dom-backgroundfetchupdateuievent-updateui>
    fn updateUI(&self, cx: &Cx<'js>, options: BackgroundFetchUIOptions) -> Fallible<Promise<'js>> {
        let extendable = self.background_fetch_event.extendable_event();
        // Step 1. If this is untrusted, its UI updated flag is set, or it is not active,
        // throw (reject: the operation returns a promise) an InvalidStateError.
        if !extendable.event().is_trusted() {
            return Err(Error::invalid_state("updateUI() on an untrusted event"));
        }
        if self.ui_updated.get() {
            return Err(Error::invalid_state(
                "updateUI() may be called once per event",
            ));
        }
        if !extendable.is_active() {
            return Err(Error::invalid_state(
                "updateUI() after the event stopped being active",
            ));
        }
        // Step 2. Set this's UI updated flag.
        self.ui_updated.set(true);
        // TODO(spec steps 4-6, issue 5): hand icons and title to the engine's display.
        let _ = options;
        let (promise, resolve, _) = cx.ctx.promise()?;
        resolve.call::<_, ()>(())?;
        Ok(promise)
    }
    fn Constructor(
        cx: &Cx<'js>,
        type_: DOMString,
        init: BackgroundFetchEventInit<'js>,
    ) -> Fallible<Self> {
        Ok(BackgroundFetchUpdateUIEvent {
            background_fetch_event: BackgroundFetchEvent::new_inherited(
                &cx.ctx,
                &type_,
                &init.parent.parent,
                init.registration,
            ),
            ui_updated: Cell::new(false),
        })
    }
}
