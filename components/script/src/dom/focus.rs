//! Focus without a user interface (<https://html.spec.whatwg.org/#focus>): a document's
//! focused area is one of its elements or none (then the viewport: `activeElement` is the
//! body). `focus()` runs the focusing steps on a focusable area, `blur()` the unfocusing
//! steps; `focus`/`blur` and `focusin`/`focusout` fire as the spec's "focus update steps" say.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::Element;
use crate::dom::eventtarget::EventTarget;
use crate::dom::node::{self, Node};

/// Elements that are focusable areas without a `tabindex` attribute
/// (<https://html.spec.whatwg.org/#focusable-area>, the table's HTML rows).
pub fn focusable_by_default<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    if !e.is_html() {
        return false;
    }
    match e.local_name_() {
        "a" | "area" => e.has_attr("href"),
        "button" | "select" | "textarea" | "iframe" => true,
        "input" => e
            .get_attr("type")
            .map(|t| !t.eq_ignore_ascii_case("hidden"))
            .unwrap_or(true),
        "summary" => true,
        _ => false,
    }
}

/// A focusable area: connected, not disabled, not inert, and focusable by default or with a
/// `tabindex` attribute.
fn is_focusable<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    let n = e.upcast::<Node>();
    if !node::is_connected(&n) {
        return false;
    }
    let disabled = matches!(
        e.local_name_(),
        "button" | "input" | "select" | "textarea" | "optgroup" | "option" | "fieldset"
    ) && e.has_attr("disabled");
    if disabled || inert(e) {
        return false;
    }
    focusable_by_default(e) || e.has_attr("tabindex")
}

/// Whether an inclusive ancestor has the `inert` attribute.
fn inert<'js>(e: &Dom<'js, Element<'js>>) -> bool {
    let mut n = Some(e.upcast::<Node>());
    while let Some(x) = n {
        if node::downcast::<Element>(&x).is_some_and(|el| el.has_attr("inert")) {
            return true;
        }
        n = x.parent_node();
    }
    false
}

fn document_of<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, Document<'js>>> {
    node::node_document(&e.upcast::<Node>())
}

/// Fires `focus`/`blur` (not bubbling) and then `focusin`/`focusout` (bubbling), as
/// FocusEvents would be: trusted, composed.
fn fire_focus_event<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, focus: bool) {
    let target = e.upcast::<EventTarget>();
    let (first, second) = if focus {
        ("focus", "focusin")
    } else {
        ("blur", "focusout")
    };
    let _ = crate::dom::eventtarget::fire_event(ctx, &target, first, false, false);
    let _ = crate::dom::eventtarget::fire_event(ctx, &target, second, true, false);
}

/// <https://html.spec.whatwg.org/#focusing-steps> for an element.
pub fn focusing_steps<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    // Step 1-2. If new focus target is not a focusable area, return.
    if !is_focusable(e) {
        return;
    }
    let Some(doc) = document_of(e) else {
        return;
    };
    // Step 5. If new focus target is the currently focused area of a top-level traversable,
    // return.
    let old = doc.focused_element();
    if old.as_ref().is_some_and(|o| o.ptr_eq(e)) {
        return;
    }
    // Step 9. Run the focus update steps: blur the old chain, then focus the new one.
    doc.set_focused_element(Some(e.clone()));
    if let Some(old) = old {
        fire_focus_event(ctx, &old, false);
    }
    // A focus handler of the old element may have moved focus elsewhere already.
    if doc.focused_element().is_some_and(|f| f.ptr_eq(e)) {
        fire_focus_event(ctx, e, true);
    }
}

/// <https://html.spec.whatwg.org/#unfocusing-steps>: focus returns to the viewport.
pub fn unfocus<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    let Some(doc) = document_of(e) else {
        return;
    };
    // Step 4. If old focus target is not the focused area, return.
    if !doc.focused_element().is_some_and(|f| f.ptr_eq(e)) {
        return;
    }
    doc.set_focused_element(None);
    fire_focus_event(ctx, e, false);
}

/// <https://html.spec.whatwg.org/#focus-fixup-rule>: a focused element removed from the
/// document leaves the document without a focused element (no events fire).
pub fn removed<'js>(doc: &Dom<'js, Document<'js>>, removed_root: &Dom<'js, Node<'js>>) {
    if let Some(f) = doc.focused_element() {
        if node::is_inclusive_ancestor(removed_root, &f.upcast::<Node>()) {
            doc.set_focused_element(None);
        }
    }
}
