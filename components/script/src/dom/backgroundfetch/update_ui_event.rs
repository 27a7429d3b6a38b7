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
    /// The background fetch (on the network side) a trusted event is about.
    uid: Option<net_traits::FetchUid>,
}

impl<'js> BackgroundFetchUpdateUIEvent<'js> {
    /// The trusted `backgroundfetchsuccess`/`backgroundfetchfail` event for a background
    /// fetch.
    pub fn new_trusted(
        ctx: &Ctx<'js>,
        type_: &str,
        registration: Dom<
            'js,
            crate::dom::backgroundfetch::registration::BackgroundFetchRegistration<'js>,
        >,
        uid: net_traits::FetchUid,
    ) -> Fallible<Dom<'js, BackgroundFetchUpdateUIEvent<'js>>> {
        let init = crate::dom::bindings::codegen::EventInit {
            bubbles: false,
            cancelable: false,
            composed: false,
        };
        let e = reflect_dom_object(
            ctx,
            BackgroundFetchUpdateUIEvent {
                background_fetch_event: BackgroundFetchEvent::new_inherited(
                    ctx,
                    type_,
                    &init,
                    registration,
                ),
                ui_updated: Cell::new(false),
                uid: Some(uid),
            },
        )?;
        e.background_fetch_event
            .extendable_event()
            .event()
            .set_trusted(true);
        Ok(e)
    }

    pub fn background_fetch_event(&self) -> &BackgroundFetchEvent<'js> {
        &self.background_fetch_event
    }
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
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx);
        // The options are converted and checked against this implementation's limits
        // before the flag is set, so a refused call does not use up the event's one call.
        let icons = match (&global, options.icons) {
            (Some(global), Some(list)) => Some(
                crate::dom::backgroundfetch::connection::image_resources(global, list)?,
            ),
            _ => None,
        };
        let title = options.title;
        net_traits::check_limits(None, title.as_deref(), icons.as_deref()).map_err(Error::Type)?;
        // Step 2. Set this's UI updated flag.
        self.ui_updated.set(true);
        let (Some(uid), Some(global)) = (self.uid, global) else {
            let (promise, resolve, _) = cx.ctx.promise()?;
            resolve.call::<_, ()>(())?;
            return Ok(promise);
        };
        // Steps 3-6. New icons and title for the background fetch's display.
        let (promise, resolve, reject) = cx.ctx.promise()?;
        crate::dom::backgroundfetch::connection::send(
            &global,
            crate::dom::backgroundfetch::connection::Pending::UiUpdated(resolve, reject),
            |client, request| net_traits::BackgroundFetchRequest::UpdateUi {
                client,
                request,
                uid,
                title,
                icons,
            },
        )?;
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
            uid: None,
        })
    }
}
