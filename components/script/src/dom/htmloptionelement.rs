//! <https://html.spec.whatwg.org/multipage/form-elements.html#the-option-element>

use crate::dom::bindings::codegen::HTMLOptionElementBinding::HTMLOptionElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;
use std::cell::Cell;

/// <https://html.spec.whatwg.org/multipage/form-elements.html#the-option-element>
pub struct HTMLOptionElement<'js> {
    html: HTMLElement<'js>,
    /// The selectedness once set by script or the select (None: it follows `selected`).
    selectedness: Cell<Option<bool>>,
    /// The dirtiness.
    dirty: Cell<bool>,
    /// The text Option() gives, until the option has its reflector.
    pending_text: crate::dom::bindings::cell::DomRefCell<Option<String>>,
}

impl<'js> HasParent<'js> for HTMLOptionElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLOptionElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer)
    }
}

impl<'js> HTMLOptionElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLOptionElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            selectedness: Cell::new(None),
            dirty: Cell::new(false),
            pending_text: Default::default(),
        }
    }
    pub fn selectedness(&self) -> bool {
        self.selectedness
            .get()
            .unwrap_or_else(|| self.html.element().has_attr("selected"))
    }
    pub fn set_selectedness(&self, s: bool) {
        self.selectedness.set(Some(s));
    }
    pub fn set_dirty(&self) {
        self.dirty.set(true);
    }
    /// The cloning steps: selectedness and dirtiness.
    pub fn copy_state_from(&self, other: &HTMLOptionElement<'js>) {
        self.selectedness.set(other.selectedness.get());
        self.dirty.set(other.dirty.get());
    }
    pub fn reset(&self) {
        self.selectedness.set(None);
        self.dirty.set(false);
    }
}

/// Strip and collapse ASCII whitespace.
fn collapse(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// <https://html.spec.whatwg.org/#dom-option-text>: the text of the option's descendants,
/// not counting script elements, whitespace collapsed.
fn option_text<'js>(e: &Dom<'js, Element<'js>>) -> String {
    let mut s = String::new();
    // Descendants in tree order, without recursion (a page can nest deeper than the
    // thread's stack), skipping script elements' subtrees.
    let mut stack: Vec<Dom<'js, Node<'js>>> = e.upcast::<Node>().child_list();
    stack.reverse();
    while let Some(c) = stack.pop() {
        if let Some(el) = node::downcast::<Element>(&c) {
            if el.local_name_() != "script" {
                stack.extend(c.child_list().into_iter().rev());
            }
        } else if c.node_type_() == node::TEXT_NODE || c.node_type_() == node::CDATA_SECTION_NODE {
            if let Some(t) = node::downcast::<crate::dom::characterdata::CharacterData>(&c) {
                s.push_str(&t.data_());
            }
        }
    }
    collapse(&s)
}

/// <https://html.spec.whatwg.org/#concept-option-value>
pub fn option_value<'js>(e: &Dom<'js, Element<'js>>) -> String {
    e.get_attr("value").unwrap_or_else(|| option_text(e))
}

/// The select element an option is in (parent, or grandparent through an optgroup).
fn select_of<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, Node<'js>>> {
    let mut p = e.upcast::<Node>().parent_node();
    for _ in 0..2 {
        let x = p?;
        if let Some(el) = node::downcast::<Element>(&x) {
            match el.local_name_() {
                "select" => return Some(x),
                "optgroup" => {}
                _ => return None,
            }
        }
        p = x.parent_node();
    }
    None
}

impl<'js> HTMLOptionElementMethods<'js> for HTMLOptionElement<'js> {
    /// <https://html.spec.whatwg.org/#dom-option>
    fn LegacyFactoryFunction_Option(
        cx: &Cx<'js>,
        text: DOMString,
        value: Option<DOMString>,
        default_selected: bool,
        selected: bool,
    ) -> Fallible<Self> {
        // Step 1-2. A new option element in the current window's document.
        let document = crate::dom::window::current_document(&cx.ctx)?;
        let mut attrs = Vec::new();
        // Step 5. If value is given, set the value attribute.
        if let Some(v) = value {
            attrs.push(("value".to_string(), v));
        }
        // Step 6. If defaultSelected is true, set the selected attribute.
        if default_selected {
            attrs.push(("selected".to_string(), String::new()));
        }
        let option = HTMLOptionElement::new_inherited(
            QualName::new(None, html5ever::ns!(html), html5ever::local_name!("option")),
            &document,
            attrs,
        );
        // Step 7. Set the selectedness to selected.
        option.selectedness.set(Some(selected));
        *option.pending_text.borrow_mut() = Some(text);
        Ok(option)
    }
    /// Step 3-4 of Option(): the text becomes a Text child (once the option has its
    /// reflector).
    fn Constructed(cx: &Cx<'js>, this: &Dom<'js, Self>) -> Fallible<()> {
        if let Some(text) = this.pending_text.borrow_mut().take() {
            if !text.is_empty() {
                crate::dom::htmlelement::set_child_text(&cx.ctx, &this.upcast::<Node>(), text)?;
            }
        }
        Ok(())
    }
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        let e = this_element(cx)?;
        Ok(select_of(&e)
            .and_then(|s| node::downcast::<Element>(&s))
            .and_then(|s| crate::dom::forms::form_owner(&s))
            .and_then(|f| node::downcast(&f.upcast::<Node>())))
    }
    /// <https://html.spec.whatwg.org/#dom-option-label>: the attribute, else the text.
    fn label(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(e.get_attr("label").unwrap_or_else(|| option_text(&e)))
    }
    fn set_label(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "label", value);
        Ok(())
    }
    fn selected(&self, cx: &Cx<'js>) -> Fallible<bool> {
        let e = this_element(cx)?;
        if let Some(s) = select_of(&e) {
            crate::dom::htmlselectelement::selectedness_setting(&s);
        }
        Ok(self.selectedness())
    }
    /// <https://html.spec.whatwg.org/#dom-option-selected>: sets the selectedness and the
    /// dirtiness; in a single select, the other options are deselected.
    fn set_selected(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        let e = this_element(cx)?;
        self.set_selectedness(value);
        self.dirty.set(true);
        if value {
            if let Some(s) = select_of(&e) {
                let multiple =
                    node::downcast::<Element>(&s).is_some_and(|x| x.has_attr("multiple"));
                if !multiple {
                    for o in crate::dom::forms::list_of_options(&s) {
                        if !o.ptr_eq(&e) {
                            if let Some(o) =
                                node::downcast::<HTMLOptionElement>(&o.upcast::<Node>())
                            {
                                o.set_selectedness(false);
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
    fn value(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(option_value(&this_element(cx)?))
    }
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        e.set_attr(&cx.ctx, &e, "value", value);
        Ok(())
    }
    fn text(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(option_text(&this_element(cx)?))
    }
    fn set_text(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        crate::dom::htmlelement::set_child_text(&cx.ctx, &node::this_node(cx)?, value)
    }
    /// <https://html.spec.whatwg.org/#concept-option-index>
    fn index(&self, cx: &Cx<'js>) -> Fallible<i32> {
        let e = this_element(cx)?;
        Ok(select_of(&e)
            .and_then(|s| {
                crate::dom::forms::list_of_options(&s)
                    .iter()
                    .position(|o| o.ptr_eq(&e))
            })
            .map(|i| i as i32)
            .unwrap_or(0))
    }
}
