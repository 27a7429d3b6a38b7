//! <https://html.spec.whatwg.org/multipage/interactive-elements.html#the-dialog-element>
//! (no top layer or inertness of the rest of the document: there is no rendering; the
//! `open` attribute, the return value, the modal flag and the events are the spec's).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLDialogElementBinding::HTMLDialogElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;
use std::cell::Cell;

/// <https://html.spec.whatwg.org/multipage/interactive-elements.html#the-dialog-element>
pub struct HTMLDialogElement<'js> {
    html: HTMLElement<'js>,
    return_value: DomRefCell<String>,
    is_modal: Cell<bool>,
}

impl<'js> HasParent<'js> for HTMLDialogElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLDialogElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer)
    }
}

impl<'js> HTMLDialogElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLDialogElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            return_value: Default::default(),
            is_modal: Cell::new(false),
        }
    }
}

/// <https://html.spec.whatwg.org/#close-the-dialog>
pub fn close_the_dialog<'js>(
    ctx: &Ctx<'js>,
    dialog: &Dom<'js, HTMLDialogElement<'js>>,
    result: Option<String>,
) {
    let e = dialog.upcast::<Element>();
    // Step 1. If subject does not have an open attribute, then return.
    if !e.has_attr("open") {
        return;
    }
    // Step 3. Remove subject's open attribute.
    e.remove_attr(ctx, &e, "open");
    // Step 5. Set the is modal flag of subject to false.
    dialog.is_modal.set(false);
    // Step 6. If result is not null, set the returnValue attribute to result.
    if let Some(r) = result {
        *dialog.return_value.borrow_mut() = r;
    }
    // Step 10. Queue an element task to fire an event named close at subject.
    if let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) {
        let target = e.upcast::<EventTarget>();
        global.queue_task(Box::new(move |ctx| {
            crate::dom::eventtarget::fire_event(ctx, &target, "close", false, false)?;
            Ok(())
        }));
    }
}

fn this_dialog<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, HTMLDialogElement<'js>>> {
    node::downcast(&node::this_node(cx)?).ok_or_else(|| Error::Type("Illegal invocation".into()))
}

impl<'js> HTMLDialogElementMethods<'js> for HTMLDialogElement<'js> {
    fn returnValue(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.return_value.borrow().clone())
    }
    fn set_returnValue(&self, _cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        *self.return_value.borrow_mut() = value;
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-dialog-show>
    fn show(&self, cx: &Cx<'js>) -> Fallible<()> {
        let e = this_element(cx)?;
        // Step 1. If this has an open attribute and its is modal flag is false, return.
        if e.has_attr("open") {
            if !self.is_modal.get() {
                return Ok(());
            }
            // Step 2. If this has an open attribute, throw an "InvalidStateError".
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the dialog is already open as a modal dialog",
            ));
        }
        // Step 4. Add an open attribute to this, whose value is the empty string.
        e.set_attr(&cx.ctx, &e, "open", String::new());
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-dialog-showmodal>
    fn showModal(&self, cx: &Cx<'js>) -> Fallible<()> {
        let e = this_element(cx)?;
        // Step 1. If this has an open attribute and the is modal flag is true, return.
        if e.has_attr("open") {
            if self.is_modal.get() {
                return Ok(());
            }
            // Step 2. If this has an open attribute, throw an "InvalidStateError".
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the dialog is already open as a non-modal dialog",
            ));
        }
        // Step 4. If this is not connected, throw an "InvalidStateError".
        if !node::is_connected(&e.upcast::<Node>()) {
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                "the dialog is not in a document",
            ));
        }
        // Steps 9-10. Add an open attribute; set the is modal flag.
        e.set_attr(&cx.ctx, &e, "open", String::new());
        self.is_modal.set(true);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-dialog-close>
    fn close(&self, cx: &Cx<'js>, result: Option<DOMString>) -> Fallible<()> {
        close_the_dialog(&cx.ctx, &this_dialog(cx)?, result);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-dialog-requestclose>: a cancelable `cancel` first.
    fn requestClose(&self, cx: &Cx<'js>, result: Option<DOMString>) -> Fallible<()> {
        let e = this_element(cx)?;
        if !e.has_attr("open") {
            return Ok(());
        }
        let proceed = crate::dom::eventtarget::fire_event(
            &cx.ctx,
            &e.upcast::<EventTarget>(),
            "cancel",
            false,
            true,
        )?;
        if proceed {
            close_the_dialog(&cx.ctx, &this_dialog(cx)?, result);
        }
        Ok(())
    }
}
