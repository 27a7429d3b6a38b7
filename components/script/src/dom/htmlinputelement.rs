//! <https://html.spec.whatwg.org/multipage/input.html#the-input-element>: the type state,
//! the value (with its dirty value flag and the value sanitization algorithms of the common
//! types), checkedness (with its dirty checkedness flag and radio button groups), and the
//! activation behaviour of checkboxes, radio buttons and buttons.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::HTMLInputElementBinding::HTMLInputElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;
use std::cell::Cell;

/// <https://html.spec.whatwg.org/#attr-input-type>'s keywords.
const TYPES: &[&str] = &[
    "hidden",
    "text",
    "search",
    "tel",
    "url",
    "email",
    "password",
    "date",
    "month",
    "week",
    "time",
    "datetime-local",
    "number",
    "range",
    "color",
    "checkbox",
    "radio",
    "file",
    "submit",
    "image",
    "reset",
    "button",
];

/// The type attribute's state as its keyword ("text" when missing or invalid).
pub fn input_type<'js>(e: &Dom<'js, Element<'js>>) -> String {
    let t = e.get_attr("type").unwrap_or_default().to_ascii_lowercase();
    if TYPES.contains(&t.as_str()) {
        t
    } else {
        "text".into()
    }
}

/// <https://html.spec.whatwg.org/#dom-input-value>'s modes.
#[derive(PartialEq)]
enum ValueMode {
    Value,
    Default,
    DefaultOn,
    Filename,
}

fn value_mode(t: &str) -> ValueMode {
    match t {
        "hidden" | "submit" | "image" | "reset" | "button" => ValueMode::Default,
        "checkbox" | "radio" => ValueMode::DefaultOn,
        "file" => ValueMode::Filename,
        _ => ValueMode::Value,
    }
}

/// <https://html.spec.whatwg.org/#value-sanitization-algorithm> of `t` (the types whose
/// algorithm needs no date arithmetic; the date and time types keep valid-looking values).
fn sanitize(t: &str, value: &str) -> String {
    let strip_newlines = |v: &str| {
        v.chars()
            .filter(|c| *c != '\n' && *c != '\r')
            .collect::<String>()
    };
    let trim = |v: &str| {
        v.trim_matches(|c: char| c.is_ascii_whitespace())
            .to_string()
    };
    match t {
        "text" | "search" | "tel" | "password" => strip_newlines(value),
        "url" => trim(&strip_newlines(value)),
        "email" => strip_newlines(value)
            .split(',')
            .map(trim)
            .collect::<Vec<_>>()
            .join(","),
        "number" => match crate::dom::bindings::reflect::parse_float(value) {
            Some(_) if is_valid_float(value) => value.to_string(),
            _ => String::new(),
        },
        "range" => match crate::dom::bindings::reflect::parse_float(value) {
            Some(_) if is_valid_float(value) => value.to_string(),
            // The default value: the midpoint of the default range 0-100.
            _ => "50".to_string(),
        },
        "color" => {
            let v = value.to_ascii_lowercase();
            if v.len() == 7 && v.starts_with('#') && v[1..].bytes().all(|b| b.is_ascii_hexdigit()) {
                v
            } else {
                "#000000".into()
            }
        }
        _ => value.to_string(),
    }
}

/// <https://html.spec.whatwg.org/#valid-floating-point-number>
fn is_valid_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i = 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i > int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == f {
            return false;
        }
        digits = true;
    }
    if !digits {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// <https://html.spec.whatwg.org/multipage/input.html#the-input-element>
pub struct HTMLInputElement<'js> {
    html: HTMLElement<'js>,
    /// The value once the dirty value flag is set (None: clean, the value follows the
    /// `value` attribute).
    dirty_value: DomRefCell<Option<String>>,
    /// The checkedness once the dirty checkedness flag is set.
    dirty_checked: Cell<Option<bool>>,
    indeterminate: Cell<bool>,
    /// The selected files (a file input's FileList, made when first asked for).
    files: DomRefCell<Option<Dom<'js, crate::dom::filelist::FileList<'js>>>>,
}

impl<'js> HasParent<'js> for HTMLInputElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLInputElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        self.files.trace(tracer);
    }
}

impl<'js> HTMLInputElement<'js> {
    /// The selected files (empty until script assigns a FileList).
    pub fn selected_files(&self) -> Vec<Dom<'js, crate::dom::file::File<'js>>> {
        self.files
            .borrow()
            .as_ref()
            .map(|f| f.files().to_vec())
            .unwrap_or_default()
    }
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLInputElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            dirty_value: Default::default(),
            dirty_checked: Cell::new(None),
            indeterminate: Cell::new(false),
            files: Default::default(),
        }
    }

    /// The element's value (sanitized).
    pub fn value_of(&self, e: &Dom<'js, Element<'js>>) -> String {
        let t = input_type(e);
        match self.dirty_value.borrow().clone() {
            Some(v) => v,
            None => sanitize(&t, &e.get_attr("value").unwrap_or_default()),
        }
    }

    pub fn checkedness(&self, e: &Dom<'js, Element<'js>>) -> bool {
        self.dirty_checked
            .get()
            .unwrap_or_else(|| e.has_attr("checked"))
    }

    /// Sets checkedness (dirty), unchecking the rest of a radio button group.
    fn set_checkedness(&self, e: &Dom<'js, Element<'js>>, checked: bool) {
        self.dirty_checked.set(Some(checked));
        if checked && input_type(e) == "radio" {
            for other in radio_group(e) {
                if other.ptr_eq(e) {
                    continue;
                }
                if let Some(i) = node::downcast::<HTMLInputElement>(&other.upcast::<Node>()) {
                    i.dirty_checked.set(Some(false));
                }
            }
        }
    }

    /// <https://html.spec.whatwg.org/#the-input-element:concept-form-reset-control>
    pub fn reset(&self) {
        *self.dirty_value.borrow_mut() = None;
        self.dirty_checked.set(None);
    }

    pub fn suffers_from_being_missing(&self, e: &Dom<'js, Element<'js>>) -> bool {
        match input_type(e).as_str() {
            "checkbox" => !self.checkedness(e),
            "radio" => !radio_group(e).iter().any(|r| {
                node::downcast::<HTMLInputElement>(&r.upcast::<Node>())
                    .is_some_and(|i| i.checkedness(r))
            }),
            "hidden" | "range" | "color" | "submit" | "image" | "reset" | "button" => false,
            _ => self.value_of(e).is_empty(),
        }
    }
}

/// <https://html.spec.whatwg.org/#radio-button-group>: the radio buttons with the same name
/// and form owner in the same tree.
fn radio_group<'js>(e: &Dom<'js, Element<'js>>) -> Vec<Dom<'js, Element<'js>>> {
    let Some(name) = e.get_attr("name").filter(|n| !n.is_empty()) else {
        return vec![e.clone()];
    };
    let owner = crate::dom::forms::form_owner(e);
    let root = node::root(&e.upcast::<Node>());
    node::inclusive_descendants(&root)
        .iter()
        .filter_map(node::downcast::<Element>)
        .filter(|x| x.is_html() && x.local_name_() == "input" && input_type(x) == "radio")
        .filter(|x| x.get_attr("name").as_deref() == Some(name.as_str()))
        .filter(|x| {
            let o = crate::dom::forms::form_owner(x);
            match (&o, &owner) {
                (Some(a), Some(b)) => a.ptr_eq(b),
                (None, None) => true,
                _ => false,
            }
        })
        .collect()
}

/// What the legacy-pre-activation behaviour saved, to undo it if the click is canceled.
pub struct SavedCheckedness<'js> {
    checked: bool,
    indeterminate: bool,
    /// For a radio button: the one that was checked before.
    previous: Option<Dom<'js, Element<'js>>>,
}

/// <https://html.spec.whatwg.org/#the-input-element:legacy-pre-activation-behavior>
pub fn legacy_pre_activation<'js>(
    _ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
) -> Option<SavedCheckedness<'js>> {
    let i = node::downcast::<HTMLInputElement>(&e.upcast::<Node>())?;
    match input_type(e).as_str() {
        "checkbox" => {
            let saved = SavedCheckedness {
                checked: i.checkedness(e),
                indeterminate: i.indeterminate.get(),
                previous: None,
            };
            i.set_checkedness(e, !saved.checked);
            i.indeterminate.set(false);
            Some(saved)
        }
        "radio" => {
            let previous = radio_group(e).into_iter().find(|r| {
                node::downcast::<HTMLInputElement>(&r.upcast::<Node>())
                    .is_some_and(|x| x.checkedness(r))
            });
            let saved = SavedCheckedness {
                checked: i.checkedness(e),
                indeterminate: i.indeterminate.get(),
                previous,
            };
            i.set_checkedness(e, true);
            Some(saved)
        }
        _ => None,
    }
}

/// <https://html.spec.whatwg.org/#the-input-element:legacy-canceled-activation-behavior>
pub fn legacy_canceled_activation<'js>(
    _ctx: &Ctx<'js>,
    e: &Dom<'js, Element<'js>>,
    saved: SavedCheckedness<'js>,
) {
    let Some(i) = node::downcast::<HTMLInputElement>(&e.upcast::<Node>()) else {
        return;
    };
    i.indeterminate.set(saved.indeterminate);
    match &saved.previous {
        Some(p) => {
            if let Some(pi) = node::downcast::<HTMLInputElement>(&p.upcast::<Node>()) {
                pi.set_checkedness(p, true);
            }
        }
        None => i.dirty_checked.set(Some(saved.checked)),
    }
}

/// <https://html.spec.whatwg.org/#the-input-element:activation-behaviour>
pub fn activation_behavior<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) -> Fallible<()> {
    // Step 1. If this element is not mutable (disabled) and is not a checkbox or radio,
    // return.
    if e.has_attr("disabled") {
        return Ok(());
    }
    let target = e.upcast::<EventTarget>();
    match input_type(e).as_str() {
        // Checkbox and radio: if connected, fire input then change (both bubble).
        "checkbox" | "radio" if node::is_connected(&e.upcast::<Node>()) => {
            fire_input_event(ctx, &target)?;
            crate::dom::eventtarget::fire_event(ctx, &target, "change", true, false)?;
        }
        "submit" | "image" => {
            if let Some(form) = crate::dom::forms::form_owner(e) {
                crate::dom::htmlformelement::submit_form(ctx, &form, Some(e.clone()), false)?;
            }
        }
        "reset" => {
            if let Some(form) = crate::dom::forms::form_owner(e) {
                crate::dom::htmlformelement::reset_form(ctx, &form)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `input` events are composed and bubble.
fn fire_input_event<'js>(ctx: &Ctx<'js>, target: &Dom<'js, EventTarget<'js>>) -> Fallible<()> {
    let init = crate::dom::bindings::codegen::EventInit {
        bubbles: true,
        cancelable: false,
        composed: true,
    };
    let event = reflect_dom_object(
        ctx,
        crate::dom::event::Event::new_inherited(ctx, "input", &init),
    )?;
    event.set_trusted(true);
    crate::dom::eventtarget::dispatch(ctx, &event, target)?;
    Ok(())
}

impl<'js> HTMLInputElementMethods<'js> for HTMLInputElement<'js> {
    fn checked(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.checkedness(&this_element(cx)?))
    }
    /// <https://html.spec.whatwg.org/#dom-input-checked>: sets checkedness and the dirty
    /// checkedness flag.
    fn set_checked(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        let e = this_element(cx)?;
        self.set_checkedness(&e, value);
        Ok(())
    }
    fn form(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmlformelement::HTMLFormElement<'js>>>> {
        crate::dom::forms::form_attribute(cx)
    }
    fn formAction(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        form_action(cx)
    }
    /// <https://html.spec.whatwg.org/#dom-input-files>: a file input's FileList (the same
    /// object until it changes), null for other types.
    fn files(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::filelist::FileList<'js>>>> {
        if input_type(&this_element(cx)?) != "file" {
            return Ok(None);
        }
        if let Some(f) = self.files.borrow().clone() {
            return Ok(Some(f));
        }
        let list = reflect_dom_object(
            &cx.ctx,
            crate::dom::filelist::FileList::new_inherited(Vec::new()),
        )?;
        *self.files.borrow_mut() = Some(list.clone());
        Ok(Some(list))
    }
    /// Setting a FileList on a file input selects those files; anything else does nothing.
    fn set_files(
        &self,
        cx: &Cx<'js>,
        value: Option<Dom<'js, crate::dom::filelist::FileList<'js>>>,
    ) -> Fallible<()> {
        if let Some(list) = value {
            if input_type(&this_element(cx)?) == "file" {
                *self.files.borrow_mut() = Some(list);
            }
        }
        Ok(())
    }
    fn indeterminate(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.indeterminate.get())
    }
    fn set_indeterminate(&self, _cx: &Cx<'js>, value: bool) -> Fallible<()> {
        self.indeterminate.set(value);
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-input-list>: the datalist named by `list`.
    fn list(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::htmldatalistelement::HTMLDataListElement<'js>>>> {
        let e = this_element(cx)?;
        let Some(id) = e.get_attr("list") else {
            return Ok(None);
        };
        let root = node::root(&e.upcast::<Node>());
        Ok(node::element_by_id(&root, &id).and_then(|d| node::downcast(&d.upcast::<Node>())))
    }
    fn r#type(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(input_type(&this_element(cx)?))
    }
    fn set_type(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        let old = input_type(&e);
        e.set_attr(&cx.ctx, &e, "type", value);
        // <https://html.spec.whatwg.org/#the-input-element:attr-input-type-8>: leaving the
        // value mode for a default mode drops a dirty value into the attribute; entering
        // value mode from another takes the attribute's value.
        let new = input_type(&e);
        if value_mode(&old) == ValueMode::Value && value_mode(&new) != ValueMode::Value {
            if let Some(v) = self.dirty_value.borrow_mut().take() {
                if !v.is_empty() {
                    e.set_attr(&cx.ctx, &e, "value", v);
                }
            }
        } else if value_mode(&new) == ValueMode::Value {
            let v = self.dirty_value.borrow().clone();
            if let Some(v) = v {
                *self.dirty_value.borrow_mut() = Some(sanitize(&new, &v));
            }
        }
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-input-value>
    fn value(&self, cx: &Cx<'js>) -> Fallible<DOMString> {
        let e = this_element(cx)?;
        Ok(match value_mode(&input_type(&e)) {
            ValueMode::Value => self.value_of(&e),
            ValueMode::Default => e.get_attr("value").unwrap_or_default(),
            ValueMode::DefaultOn => e.get_attr("value").unwrap_or_else(|| "on".into()),
            // "C:\\fakepath\\" and the first selected file's name, or the empty string.
            ValueMode::Filename => self
                .selected_files()
                .first()
                .map(|f| format!("C:\\fakepath\\{}", f.name_string()))
                .unwrap_or_default(),
        })
    }
    fn set_value(&self, cx: &Cx<'js>, value: DOMString) -> Fallible<()> {
        let e = this_element(cx)?;
        let t = input_type(&e);
        match value_mode(&t) {
            // Value mode: set the value (sanitized), the dirty value flag.
            ValueMode::Value => *self.dirty_value.borrow_mut() = Some(sanitize(&t, &value)),
            ValueMode::Default | ValueMode::DefaultOn => e.set_attr(&cx.ctx, &e, "value", value),
            // Filename: only the empty string is allowed (it empties the list of files).
            ValueMode::Filename => {
                if !value.is_empty() {
                    return Err(Error::dom(
                        DomErrorName::InvalidStateError,
                        "a file input's value can only be set to the empty string",
                    ));
                }
                // The empty string empties the list of selected files.
                *self.files.borrow_mut() = None;
            }
        }
        Ok(())
    }
    /// <https://html.spec.whatwg.org/#dom-input-valueasnumber> for number and range (the
    /// date and time types are not converted: NaN).
    fn valueAsNumber(&self, cx: &Cx<'js>) -> Fallible<f64> {
        let e = this_element(cx)?;
        match input_type(&e).as_str() {
            "number" | "range" => Ok(crate::dom::bindings::reflect::parse_float(
                &self.value_of(&e),
            )
            .unwrap_or(f64::NAN)),
            _ => Ok(f64::NAN),
        }
    }
    fn set_valueAsNumber(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
        let e = this_element(cx)?;
        // Step 1. If the given value is infinite, throw a TypeError.
        if value.is_infinite() {
            return Err(Error::Type("valueAsNumber cannot be infinite".into()));
        }
        match input_type(&e).as_str() {
            "number" | "range" => {
                let s = if value.is_nan() {
                    String::new()
                } else {
                    crate::dom::bindings::conversions::format_number(value)
                };
                *self.dirty_value.borrow_mut() = Some(sanitize(&input_type(&e), &s));
                Ok(())
            }
            _ => Err(Error::dom(
                DomErrorName::InvalidStateError,
                "valueAsNumber does not apply to this type of input",
            )),
        }
    }
    crate::constraint_validation_methods!();
    /// <https://html.spec.whatwg.org/#dom-lfe-labels>: null for a hidden input.
    fn labels(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Option<Dom<'js, crate::dom::nodelist::NodeList<'js>>>> {
        let e = this_element(cx)?;
        if input_type(&e) == "hidden" {
            return Ok(None);
        }
        Ok(Some(reflect_dom_object(
            &cx.ctx,
            crate::dom::nodelist::NodeList::Labels(e),
        )?))
    }
    /// No text selection without a user interface.
    fn select(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Ok(())
    }
}

/// <https://html.spec.whatwg.org/#dom-fs-formaction>: the attribute resolved, or the
/// document's URL when missing or empty.
pub fn form_action<'js>(cx: &Cx<'js>) -> Fallible<USVString> {
    let e = this_element(cx)?;
    match e.get_attr("formaction").filter(|a| !a.is_empty()) {
        Some(a) => Ok(crate::dom::bindings::reflect::resolve_url(&e, &a).unwrap_or(a)),
        None => Ok(node::node_document(&e.upcast::<Node>())
            .map(|d| d.url_())
            .unwrap_or_default()),
    }
}
