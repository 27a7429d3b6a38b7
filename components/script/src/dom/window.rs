//! <https://html.spec.whatwg.org/#the-window-object>

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::WindowBinding::WindowMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::{GlobalScope, IsGlobal};

/// <https://html.spec.whatwg.org/#the-window-object>
pub struct Window<'js> {
    global: GlobalScope<'js>,
    /// The Location object (one per global, made when first asked for).
    location: DomRefCell<Option<Dom<'js, crate::dom::location::Location<'js>>>>,
    /// The Navigator object (one per global, made when first asked for).
    navigator: DomRefCell<Option<Dom<'js, crate::dom::navigator::Navigator<'js>>>>,
    /// The browsing context's name.
    name: DomRefCell<String>,
    /// The value of `opener` once script set it (null until then: no auxiliary contexts).
    opener: DomRefCell<Option<Value<'js>>>,
    /// <https://dom.spec.whatwg.org/#window-current-event>
    pub(crate) current_event: DomRefCell<Option<Dom<'js, crate::dom::event::Event<'js>>>>,
    /// The navigable's container: the iframe of a frame's window (None at top level and
    /// once the frame is discarded).
    container: DomRefCell<Option<Dom<'js, crate::dom::element::Element<'js>>>>,
}

impl<'js> Window<'js> {
    pub fn new_inherited(global: GlobalScope<'js>) -> Window<'js> {
        let name = global.info().name.clone();
        Window {
            global,
            location: Default::default(),
            navigator: Default::default(),
            name: DomRefCell::new(name),
            opener: Default::default(),
            current_event: Default::default(),
            container: Default::default(),
        }
    }

    /// The window now shows a document at `url`: its Location follows.
    pub(crate) fn document_url_changed(&self, url: &url::Url) {
        if let Some(l) = self.location.borrow().as_ref() {
            l.set_url(url.clone());
        }
    }

    /// The iframe this window is the content of (a live frame's window only).
    pub(crate) fn container(&self) -> Option<Dom<'js, crate::dom::element::Element<'js>>> {
        self.container.borrow().clone()
    }

    pub(crate) fn set_container(
        &self,
        container: Option<Dom<'js, crate::dom::element::Element<'js>>>,
    ) {
        *self.container.borrow_mut() = container;
    }

    /// The Location object of this global's URL (the same object every time).
    pub fn location_object(
        &self,
        ctx: &Ctx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::location::Location<'js>>> {
        if let Some(l) = self.location.borrow().as_ref() {
            return Ok(l.clone());
        }
        // The document's URL (the creation URL until a document is loaded).
        let url = match self.global.document() {
            Some(d) => d.url_(),
            None => self.global.info().url.clone(),
        };
        let l = reflect_dom_object(ctx, crate::dom::location::Location::new_inherited(&url))?;
        *self.location.borrow_mut() = Some(l.clone());
        Ok(l)
    }
}

/// Whether script of the realm `a` may reach the window objects of realm `b`: the same
/// realm, or the same (tuple) origin (there is no `document.domain` here).
pub(crate) fn same_origin<'js>(a: &Ctx<'js>, b: &Ctx<'js>) -> bool {
    if a.as_raw() == b.as_raw() {
        return true;
    }
    match (GlobalScope::current(a), GlobalScope::current(b)) {
        (Some(a), Some(b)) => a.info().origin != "null" && a.info().origin == b.info().origin,
        _ => false,
    }
}

/// <https://html.spec.whatwg.org/multipage/web-messaging.html#window-post-message-steps>,
/// `cx.ctx` being the target window's realm and the caller's realm the incumbent.
fn window_post_message_steps<'js>(
    cx: &Cx<'js>,
    message: Value<'js>,
    target_origin: &str,
    transfer: Vec<Object<'js>>,
) -> Fallible<()> {
    let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
    let source_global = GlobalScope::current(&incumbent)
        .ok_or_else(|| Error::invalid_state("no incumbent global"))?;
    // Step 1. Let targetRealm be targetWindow's realm.
    let target = GlobalScope::current(&cx.ctx)
        .ok_or_else(|| Error::invalid_state("the target window is gone"))?;
    // Step 2. Let incumbentSettings be the incumbent settings object.
    let source_origin = source_global.info().origin.clone();
    // Steps 3-4. "/" is the incumbent's origin; "*" stays; otherwise parse it (failure is a
    // SyntaxError) and take the URL's origin.
    let target_origin = match target_origin {
        "/" => Some(source_origin.clone()),
        "*" => None,
        other => match url::Url::parse(other) {
            Ok(url) => Some(url.origin().ascii_serialization()),
            Err(_) => {
                return Err(Error::dom(
                    crate::dom::bindings::error::DomErrorName::SyntaxError,
                    format!("'{other}' is not a valid target origin"),
                ))
            }
        },
    };
    // Steps 5-6. StructuredSerializeWithTransfer(message, transfer), rethrowing.
    let serialized =
        crate::dom::bindings::structuredclone::serialize(&incumbent, message, transfer)?;
    // Step 7. Queue a global task on the posted message task source given targetWindow.
    // The source is the incumbent's window, as the target's realm sees it (null when it
    // may not reach it: see `nested.rs`).
    let source_realm = incumbent.as_raw().as_ptr() as usize;
    target.queue_task(Box::new(move |ctx| {
        let Some(target) = GlobalScope::current(ctx) else {
            serialized.dispose();
            return Ok(());
        };
        // Step 7.1. A target origin that is not the target window's origin drops it.
        if let Some(origin) = &target_origin {
            if *origin != target.info().origin || crate::nested::is_discarded(ctx) {
                serialized.dispose();
                return Ok(());
            }
        }
        // Steps 7.2-7.3. The origin and the source.
        let source_ctx = crate::dom::bindings::realm::realm_at(ctx, source_realm);
        let source = source_ctx
            .and_then(|s| crate::nested::window_proxy(ctx, &s))
            .map(crate::dom::bindings::codegen::MessageEventSource::Window);
        let event_target = GlobalScope::as_event_target(&target);
        // Step 7.4. Deserialize in the target realm; failure fires messageerror.
        let (data, transferred) =
            match crate::dom::bindings::structuredclone::deserialize_with_transfer(ctx, serialized)
            {
                Ok(r) => r,
                Err(_) => {
                    let event = crate::dom::messageevent::MessageEvent::new_trusted_from(
                        ctx,
                        "messageerror",
                        Value::new_null(ctx.clone()),
                        source_origin,
                        source,
                        Vec::new(),
                    )?;
                    crate::dom::eventtarget::dispatch(ctx, &event.upcast(), &event_target)?;
                    return Ok(());
                }
            };
        // Steps 7.5-7.6. Fire the message event with the transferred ports.
        let ports: Vec<Dom<'_, crate::dom::messageport::MessagePort<'_>>> = transferred
            .iter()
            .filter_map(crate::dom::messageport::MessagePort::unwrap)
            .collect();
        let event = crate::dom::messageevent::MessageEvent::new_trusted_from(
            ctx,
            "message",
            data,
            source_origin,
            source,
            ports,
        )?;
        crate::dom::eventtarget::dispatch(ctx, &event.upcast(), &event_target)?;
        Ok(())
    }));
    Ok(())
}

/// The current realm's Window, if the global is one.
pub fn current_window<'js>(ctx: &Ctx<'js>) -> Option<Dom<'js, Window<'js>>> {
    let (visible, data) = crate::dom::bindings::realm::global_data(ctx)?;
    let class = data.as_class::<Window<'js>>()?;
    Some(Dom::from_class(visible, class))
}

/// <https://html.spec.whatwg.org/#concept-document-window>: the current window's associated
/// Document. A window that loaded no page gets an initial empty document (`<html>`,
/// `<head>`, `<body>`) at its URL the first time one is needed.
pub fn associated_document<'js>(ctx: &Ctx<'js>) -> Option<Dom<'js, Document<'js>>> {
    let window = current_window(ctx)?;
    if let Some(d) = window.global.document() {
        return Some(d);
    }
    let url = url::Url::parse(&window.global.info().url)
        .or_else(|_| url::Url::parse("about:blank"))
        .ok()?;
    let doc = Document::new_initial(ctx, url).ok()?;
    window.global.set_document(doc.clone());
    Some(doc)
}

/// The current global's associated Document, for the node constructors (`new Text()`, `new
/// DocumentFragment()`, ...): a TypeError outside a window.
pub fn current_document<'js>(ctx: &Ctx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
    associated_document(ctx)
        .ok_or_else(|| Error::Type("there is no document in this global".into()))
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
        self.navigator.trace(tracer);
        self.opener.trace(tracer);
        self.current_event.trace(tracer);
        self.container.trace(tracer);
    }
}

fn this_window<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
    <Window as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

impl<'js> WindowMethods<'js> for Window<'js> {
    fn location(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, crate::dom::location::Location<'js>>> {
        self.location_object(&cx.ctx)
    }
    /// The WindowProxy: the global object itself (no browsing-context navigation yet).
    fn window(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
        this_window(cx)
    }
    fn self_(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
        this_window(cx)
    }
    fn document(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Document<'js>>> {
        associated_document(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("this window has no document"))
    }
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.borrow().clone())
    }
    fn set_name(&self, _cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        *self.name.borrow_mut() = value;
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-window-closed>: a frame's window is closed once
    /// its iframe discarded it; a top-level window never is while its script runs.
    fn closed(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(crate::nested::is_discarded(&cx.ctx))
    }
    fn frames(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Window<'js>>> {
        this_window(cx)
    }
    /// <https://html.spec.whatwg.org/#dom-length>: the number of document-tree child
    /// navigables (the frames of this window's document).
    fn length(&self, cx: &Cx<'js>) -> Fallible<u32> {
        Ok(crate::nested::children_of(&cx.ctx).len() as u32)
    }
    /// <https://html.spec.whatwg.org/#dom-top>: the top-level window of this one's
    /// ancestors that this window's script can reach (see `nested.rs` on other origins);
    /// null once discarded.
    fn top(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Window<'js>>>> {
        if crate::nested::is_discarded(&cx.ctx) {
            return Ok(None);
        }
        let mut top = cx.ctx.clone();
        while let Some(parent) = crate::nested::parent_of(&top) {
            top = parent;
        }
        let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
        Ok(crate::nested::window_proxy(&incumbent, &top))
    }
    /// <https://html.spec.whatwg.org/#dom-parent>: the parent window (the window itself at
    /// top level, and for a frame of another origin: see `nested.rs`); null once discarded.
    fn parent(&self, cx: &Cx<'js>) -> Fallible<Option<Dom<'js, Window<'js>>>> {
        if crate::nested::is_discarded(&cx.ctx) {
            return Ok(None);
        }
        match crate::nested::parent_of(&cx.ctx) {
            Some(parent) => {
                let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
                Ok(crate::nested::window_proxy(&incumbent, &parent))
            }
            None => this_window(cx).map(Some),
        }
    }
    /// <https://html.spec.whatwg.org/#dom-opener>: null (not opened by another context)
    /// until script sets a value.
    fn opener(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .opener
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_null(cx.ctx.clone())))
    }
    /// Setting null has no effect (there is no opener to disown); any other value replaces
    /// the attribute (as [Replaceable] would).
    fn set_opener(&self, _cx: &Cx<'js>, value: Value<'js>) -> Fallible<()> {
        if !value.is_null() {
            *self.opener.borrow_mut() = Some(value);
        }
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-window-event>: the current event.
    fn event(
        &self,
        _cx: &Cx<'js>,
    ) -> Fallible<crate::dom::bindings::codegen::EventOrUndefined<'js>> {
        Ok(match self.current_event.borrow().clone() {
            Some(e) => crate::dom::bindings::codegen::EventOrUndefined::Event(e),
            None => crate::dom::bindings::codegen::EventOrUndefined::Undefined(()),
        })
    }
    /// <https://html.spec.whatwg.org/#dom-frameelement>: the iframe, when its document is
    /// same origin with the current realm; null at top level.
    fn frameElement(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::element::Element<'js>>>> {
        // Steps 1-3. The container, if any.
        let Some(container) = self.container() else {
            return Ok(None);
        };
        // Step 4. Its node document must be same origin-domain with the current settings
        // object's origin.
        let incumbent = crate::dom::bindings::realm::caller_realm(&cx.ctx);
        match crate::nested::parent_of(&cx.ctx) {
            Some(parent) if same_origin(&incumbent, &parent) => Ok(Some(container)),
            _ => Ok(None),
        }
    }
    /// `postMessage(message, targetOrigin, transfer)`: the options form with «[
    /// "targetOrigin" → targetOrigin, "transfer" → transfer ]».
    fn postMessage(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        target_origin: USVString,
        transfer: Vec<Object<'js>>,
    ) -> Fallible<()> {
        window_post_message_steps(cx, message, &target_origin, transfer)
    }
    /// `postMessage(message, options)`.
    fn postMessage_1(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: crate::dom::bindings::codegen::WindowPostMessageOptions<'js>,
    ) -> Fallible<()> {
        window_post_message_steps(cx, message, &options.targetOrigin, options.parent.transfer)
    }
    fn navigator(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, crate::dom::navigator::Navigator<'js>>> {
        if let Some(n) = self.navigator.borrow().as_ref() {
            return Ok(n.clone());
        }
        let n = reflect_dom_object(
            &cx.ctx,
            crate::dom::navigator::Navigator::new_inherited(&self.global),
        )?;
        *self.navigator.borrow_mut() = Some(n.clone());
        Ok(n)
    }
    fn clientInformation(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::navigator::Navigator<'js>>> {
        self.navigator(cx)
    }
    /// <https://html.spec.whatwg.org/#dom-alert>
    fn alert(&self, cx: &Cx<'js>) -> Fallible<()> {
        self.alert_1(cx, String::new())
    }
    fn alert_1(&self, _cx: &Cx<'js>, message: DOMString) -> Fallible<()> {
        // Step 3. Set message to the result of normalizing newlines given message.
        let message = crate::user_prompts::normalize_newlines(&message);
        // Steps 4-7. Show it (the embedder's dialog; without one, the log).
        match self.global.profile().user_prompts().get() {
            Some(p) => p.alert(&self.global.info().url, &message),
            None => {
                log::info!(target: "script", "alert() from {}: {message}", self.global.info().url)
            }
        }
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-confirm>: false without a dialog to ask.
    fn confirm(&self, _cx: &Cx<'js>, message: DOMString) -> Fallible<bool> {
        let message = crate::user_prompts::normalize_newlines(&message);
        Ok(match self.global.profile().user_prompts().get() {
            Some(p) => p.confirm(&self.global.info().url, &message),
            None => false,
        })
    }
    /// <https://html.spec.whatwg.org/#dom-prompt>: null without a dialog to ask.
    fn prompt(
        &self,
        _cx: &Cx<'js>,
        message: DOMString,
        default: DOMString,
    ) -> Fallible<Option<DOMString>> {
        let message = crate::user_prompts::normalize_newlines(&message);
        Ok(match self.global.profile().user_prompts().get() {
            Some(p) => p.prompt(&self.global.info().url, &message, &default),
            None => None,
        })
    }
    /// <https://html.spec.whatwg.org/#dom-open>, as Chromium does for popups: without
    /// transient activation it is blocked (null); with it, the activation is consumed and the
    /// embedder opens a new top-level page on the URL (as `clients.openWindow()` does). The
    /// new window runs on its own thread, so no WindowProxy to it is returned: null, as with
    /// "noopener". Every target opens a new window (this page cannot navigate itself).
    fn open(
        &self,
        cx: &Cx<'js>,
        url: USVString,
        target: DOMString,
        _features: DOMString,
    ) -> Fallible<Option<Dom<'js, Window<'js>>>> {
        let _ = cx;
        // The window open steps, step 5-6: parse the URL (the empty string is about:blank);
        // failure is a SyntaxError.
        let url = if url.is_empty() {
            url::Url::parse("about:blank").map_err(|e| Error::Type(e.to_string()))?
        } else {
            self.global.parse_url(&url).map_err(|_| {
                Error::dom(
                    crate::dom::bindings::error::DomErrorName::SyntaxError,
                    format!("'{url}' is not a valid URL"),
                )
            })?
        };
        // Popup blocking: a new window needs transient activation, which it consumes.
        if !crate::user_activation::has_transient_activation() {
            log::info!(target: "script", "window.open({url}, {target}) was blocked: no user activation");
            return Ok(None);
        }
        crate::user_activation::consume_user_activation();
        match &self.global.info().service_workers {
            Some(context) => context.open_window(
                url,
                Box::new(|opened| {
                    if let Err(e) = opened {
                        log::info!(target: "script", "window.open(): {e}");
                    }
                }),
            ),
            None => {
                log::info!(target: "script", "window.open({url}): this user agent cannot open windows")
            }
        }
        Ok(None)
    }
    /// <https://drafts.csswg.org/cssom/#dom-window-getcomputedstyle> (without pseudo-elements:
    /// one names none here, so the element's own style is returned).
    fn getComputedStyle(
        &self,
        cx: &Cx<'js>,
        elt: Dom<'js, crate::dom::element::Element<'js>>,
        _pseudo_elt: Option<Option<DOMString>>,
    ) -> Fallible<Dom<'js, crate::dom::cssstyledeclaration::CSSStyleDeclaration<'js>>> {
        crate::dom::cssstyledeclaration::CSSStyleDeclaration::computed(&cx.ctx, &elt)
    }
    crate::window_or_worker_global_scope_methods!();
}
