//! <https://html.spec.whatwg.org/multipage/embedded-content.html#the-img-element>
//!
//! No decoding: "update the image data" fetches the selected source and the image is
//! completely available (`load`) when an ok response's body has arrived, broken (`error`)
//! otherwise. The natural dimensions are 0 (they would come from decoding).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLImageElementBinding::HTMLImageElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;
use std::cell::Cell;

/// The current request's state (<https://html.spec.whatwg.org/#img-req-state>).
#[derive(Clone, Copy, PartialEq)]
enum RequestState {
    Unavailable,
    Loading,
    CompletelyAvailable,
    Broken,
}

/// <https://html.spec.whatwg.org/multipage/embedded-content.html#the-img-element>
pub struct HTMLImageElement<'js> {
    html: HTMLElement<'js>,
    state: Cell<RequestState>,
    current_url: DomRefCell<String>,
    /// Bumped by every "update the image data": a response for an older one is ignored.
    generation: Cell<u64>,
    /// decode() promises waiting for the current request.
    decodes: DomRefCell<Vec<(Function<'js>, Function<'js>)>>,
}

impl<'js> HasParent<'js> for HTMLImageElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLImageElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        for (a, b) in self.decodes.borrow().iter() {
            a.trace(tracer);
            b.trace(tracer);
        }
    }
}

impl<'js> HTMLImageElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLImageElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            state: Cell::new(RequestState::Unavailable),
            current_url: Default::default(),
            generation: Cell::new(0),
            decodes: Default::default(),
        }
    }

    fn settle_decodes(&self, ok: bool) {
        let waiting = std::mem::take(&mut *self.decodes.borrow_mut());
        for (resolve, reject) in waiting {
            if ok {
                let _ = resolve.call::<_, ()>(());
            } else {
                let ctx = reject.ctx().clone();
                let e = crate::dom::bindings::error::error_value(
                    &ctx,
                    Error::dom(DomErrorName::EncodingError, "the image could not be loaded"),
                );
                let _ = reject.call::<_, ()>((e,));
            }
        }
    }
}

/// The first image candidate's URL of a srcset (without density selection).
fn first_srcset_candidate(srcset: &str) -> Option<String> {
    srcset
        .split(',')
        .filter_map(|c| c.split_ascii_whitespace().next())
        .find(|u| !u.is_empty())
        .map(str::to_string)
}

/// Fires `type_` at the image (not bubbling, not cancelable) and settles decode().
fn fire<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, type_: &str) {
    let _ =
        crate::dom::eventtarget::fire_event(ctx, &e.upcast::<EventTarget>(), type_, false, false);
}

fn response_arrived<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, ok: bool, generation: u64) {
    let Some(img) = node::downcast::<HTMLImageElement>(&e.upcast::<Node>()) else {
        return;
    };
    if img.generation.get() != generation {
        return;
    }
    img.state.set(if ok {
        RequestState::CompletelyAvailable
    } else {
        RequestState::Broken
    });
    img.settle_decodes(ok);
    fire(ctx, e, if ok { "load" } else { "error" });
}

/// <https://html.spec.whatwg.org/#update-the-image-data> (no picture sources, no density
/// selection: `src`, else the first `srcset` candidate).
pub fn update_the_image_data<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    let Some(img) = node::downcast::<HTMLImageElement>(&e.upcast::<Node>()) else {
        return;
    };
    // Step 1. If the element's node document is not fully active: wait (here: nothing loads
    // in a document without a browsing context).
    let Some(document) = node::node_document(&e.upcast::<Node>()) else {
        return;
    };
    if !document.has_browsing_context() {
        return;
    }
    let generation = img.generation.get() + 1;
    img.generation.set(generation);
    // Step 4-5. The selected source.
    let selected = e.get_attr("src").filter(|s| !s.is_empty()).or_else(|| {
        e.get_attr("srcset")
            .and_then(|s| first_srcset_candidate(&s))
    });
    let Some(source) = selected else {
        // Step 9. No selected source: the current request is broken (unavailable when
        // there is nothing at all); an empty src fires error.
        *img.current_url.borrow_mut() = String::new();
        let had_src = e.has_attr("src") || e.has_attr("srcset");
        img.state.set(if had_src {
            RequestState::Broken
        } else {
            RequestState::Unavailable
        });
        img.settle_decodes(false);
        if had_src {
            queue_event(ctx, e, generation, "error");
        }
        return;
    };
    // Step 10-11. Parse the selected source; failure is broken and fires error.
    let Ok(url) = document.parse_url(&source) else {
        img.state.set(RequestState::Broken);
        img.settle_decodes(false);
        queue_event(ctx, e, generation, "error");
        return;
    };
    *img.current_url.borrow_mut() = url.to_string();
    img.state.set(RequestState::Loading);
    // Steps 14-26. Fetch it; the response's arrival completes the request.
    if !crate::dom::element_resources::fetch_for_element(
        ctx,
        e,
        &url,
        net_traits::Destination::Image,
        generation,
        response_arrived,
    ) {
        img.state.set(RequestState::Broken);
        queue_event(ctx, e, generation, "error");
    }
}

/// Queues an element task that fires `type_` unless a newer update started.
fn queue_event<'js>(
    ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
    generation: u64,
    type_: &'static str,
) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    let e = e.clone();
    global.queue_task(Box::new(move |ctx| {
        if let Some(img) = node::downcast::<HTMLImageElement>(&e.upcast::<Node>()) {
            if img.generation.get() == generation {
                fire(ctx, &e, type_);
            }
        }
        Ok(())
    }));
}

fn dimension_attr<'js>(e: &Dom<'js, Element<'js>>, name: &str) -> u32 {
    e.get_attr(name)
        .and_then(|v| crate::dom::bindings::reflect::parse_non_negative_integer(&v))
        .filter(|v| *v <= i32::MAX as i64)
        .map(|v| v as u32)
        .unwrap_or(0)
}

impl<'js> HTMLImageElementMethods<'js> for HTMLImageElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-image>: an img in the current window's document,
    /// with width and height attributes when given.
    fn LegacyFactoryFunction_Image(
        cx: &Cx<'js>,
        width: Option<u32>,
        height: Option<u32>,
    ) -> Fallible<Self> {
        let document = crate::dom::window::current_document(&cx.ctx)?;
        let mut attrs = Vec::new();
        if let Some(w) = width {
            attrs.push(("width".to_string(), w.to_string()));
        }
        if let Some(h) = height {
            attrs.push(("height".to_string(), h.to_string()));
        }
        Ok(HTMLImageElement::new_inherited(
            QualName::new(None, html5ever::ns!(html), html5ever::local_name!("img")),
            &document,
            attrs,
        ))
    }
    /// <https://html.spec.whatwg.org/#dom-img-width>: without layout, the attribute's value
    /// (or the natural width, 0).
    fn width(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(dimension_attr(&this_element(cx)?, "width"))
    }
    fn set_width(&self, cx: &Cx<'js>, value: u32) -> Fallible<()> {
        crate::dom::bindings::reflect::set_unsigned_long(cx, "width", value, None, false, false)
    }
    fn height(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(dimension_attr(&this_element(cx)?, "height"))
    }
    fn set_height(&self, cx: &Cx<'js>, value: u32) -> Fallible<()> {
        crate::dom::bindings::reflect::set_unsigned_long(cx, "height", value, None, false, false)
    }
    fn naturalWidth(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(0)
    }
    fn naturalHeight(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(0)
    }
    /// <https://html.spec.whatwg.org/#dom-img-complete>
    fn complete(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.state.get() != RequestState::Loading)
    }
    fn currentSrc(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.current_url.borrow().clone())
    }
    /// <https://html.spec.whatwg.org/#dom-img-decode>: resolves once the image is available,
    /// rejects with an EncodingError when it is broken.
    fn decode(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let (promise, resolve, reject) = cx.ctx.promise()?;
        match self.state.get() {
            RequestState::CompletelyAvailable => resolve.call::<_, ()>(())?,
            RequestState::Loading => self.decodes.borrow_mut().push((resolve, reject)),
            RequestState::Broken | RequestState::Unavailable => {
                let e = crate::dom::bindings::error::error_value(
                    &cx.ctx,
                    Error::dom(
                        DomErrorName::EncodingError,
                        "the image could not be decoded",
                    ),
                );
                reject.call::<_, ()>((e,))?;
            }
        }
        Ok(promise)
    }
}
