//! <https://html.spec.whatwg.org/multipage/interactive-elements.html#the-details-element>

use crate::dom::bindings::codegen::HTMLDetailsElementBinding::HTMLDetailsElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/interactive-elements.html#the-details-element>
    HTMLDetailsElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLDetailsElementMethods<'js> for HTMLDetailsElement<'js> {}

/// <https://html.spec.whatwg.org/#the-details-element:concept-element-attributes-change-ext>:
/// adding or removing `open` queues a `toggle` event.
pub fn open_changed<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, was_open: bool) {
    if was_open == e.has_attr("open") {
        return;
    }
    if let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) {
        let target = e.upcast::<EventTarget>();
        global.queue_task(Box::new(move |ctx| {
            crate::dom::eventtarget::fire_event(ctx, &target, "toggle", false, false)?;
            Ok(())
        }));
    }
}
