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

/// Whether the selection APIs apply to an input type
/// (<https://html.spec.whatwg.org/#do-not-apply>).
fn selection_applies(t: &str) -> bool {
    matches!(t, "text" | "search" | "url" | "tel" | "password")
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
        "date" => valid_or_empty(value, parse_date(value).is_some()),
        "month" => valid_or_empty(value, parse_month(value).is_some()),
        "week" => valid_or_empty(value, parse_week(value).is_some()),
        "time" => valid_or_empty(value, parse_time(value).is_some()),
        // A valid local date and time string becomes the normalized one (T, shortest time).
        "datetime-local" => {
            let Some((d, t)) = value.split_once(['T', ' ']) else {
                return String::new();
            };
            match (parse_date(d), parse_time(t)) {
                (Some(_), Some(secs)) => format!("{d}T{}", normalized_time(secs)),
                _ => String::new(),
            }
        }
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

fn valid_or_empty(value: &str, valid: bool) -> String {
    if valid {
        value.to_string()
    } else {
        String::new()
    }
}

fn digits(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    (s.len() >= min_len && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// <https://html.spec.whatwg.org/#valid-month-string>: (year, month).
fn parse_month(s: &str) -> Option<(u32, u32)> {
    let (y, m) = s.split_once('-')?;
    let year = digits(y, 4, 9).filter(|y| *y > 0)?;
    let month = digits(m, 2, 2).filter(|m| (1..=12).contains(m))?;
    Some((year, month))
}

/// <https://html.spec.whatwg.org/#valid-date-string>
fn parse_date(s: &str) -> Option<(u32, u32, u32)> {
    let (ym, d) = s.rsplit_once('-')?;
    let (year, month) = parse_month(ym)?;
    let day = digits(d, 2, 2).filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
    Some((year, month, day))
}

/// <https://html.spec.whatwg.org/#valid-week-string>
fn parse_week(s: &str) -> Option<(u32, u32)> {
    let (y, w) = s.split_once("-W")?;
    let year = digits(y, 4, 9).filter(|y| *y > 0)?;
    let week = digits(w, 2, 2)?;
    // A year has 53 weeks when 1 January is a Thursday, or a Wednesday in a leap year
    // (Zeller-like day of week: 0 = Monday).
    let jan1 = {
        let y = year as i64 - 1;
        ((1 + 5 * (y % 4) + 4 * (y % 100) + 6 * (y % 400)) % 7 + 6) % 7
    };
    let leap = days_in_month(year, 2) == 29;
    let max = if jan1 == 3 || (leap && jan1 == 2) {
        53
    } else {
        52
    };
    (week >= 1 && week <= max).then_some((year, week))
}

/// <https://html.spec.whatwg.org/#valid-time-string>: the time in milliseconds.
fn parse_time(s: &str) -> Option<u64> {
    let mut parts = s.split(':');
    let h = digits(parts.next()?, 2, 2).filter(|h| *h < 24)?;
    let m = digits(parts.next()?, 2, 2).filter(|m| *m < 60)?;
    let mut ms = (h as u64 * 3600 + m as u64 * 60) * 1000;
    if let Some(sec) = parts.next() {
        let (whole, frac) = match sec.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (sec, None),
        };
        let secs = digits(whole, 2, 2).filter(|s| *s < 60)?;
        ms += secs as u64 * 1000;
        if let Some(f) = frac {
            let f = digits(f, 1, 3)?;
            ms += match sec.split_once('.').map(|(_, f)| f.len()) {
                Some(1) => f as u64 * 100,
                Some(2) => f as u64 * 10,
                _ => f as u64,
            };
        }
    }
    if parts.next().is_some() {
        return None;
    }
    Some(ms)
}

/// The shortest valid time string for `ms` (seconds and milliseconds only when not zero).
fn normalized_time(ms: u64) -> String {
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if frac != 0 {
        let f = format!("{frac:03}");
        format!("{h:02}:{m:02}:{s:02}.{}", f.trim_end_matches('0'))
    } else if s != 0 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}")
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
    /// The text selection (text, search, url, tel and password types).
    selection: crate::dom::textselection::TextSelection,
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
            selection: Default::default(),
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

    /// <https://html.spec.whatwg.org/#dom-input-stepup> (`n` negative: stepDown) for number
    /// and range; the date and time types are left as they are.
    fn step(&self, cx: &Cx<'js>, n: f64) -> Fallible<()> {
        use crate::dom::bindings::reflect::parse_float;
        let e = this_element(cx)?;
        let t = input_type(&e);
        // Step 1. If the methods do not apply, throw an "InvalidStateError".
        if !matches!(
            t.as_str(),
            "number" | "range" | "date" | "month" | "week" | "time" | "datetime-local"
        ) {
            return Err(Error::dom(
                DomErrorName::InvalidStateError,
                format!("stepUp()/stepDown() do not apply to type={t}"),
            ));
        }
        if !matches!(t.as_str(), "number" | "range") {
            return Ok(());
        }
        // Step 2. No allowed value step ("any"): InvalidStateError.
        let step = match e.get_attr("step") {
            Some(s) if s.eq_ignore_ascii_case("any") => {
                return Err(Error::dom(
                    DomErrorName::InvalidStateError,
                    "the input has no allowed value step (step=any)",
                ))
            }
            Some(s) => parse_float(&s).filter(|s| *s > 0.0).unwrap_or(1.0),
            None => 1.0,
        };
        let (default_min, default_max) = if t == "range" {
            (Some(0.0), Some(100.0))
        } else {
            (None, None)
        };
        let min = e
            .get_attr("min")
            .and_then(|m| parse_float(&m))
            .or(default_min);
        let max = e
            .get_attr("max")
            .and_then(|m| parse_float(&m))
            .or(default_max);
        // Step 3. If min is greater than max, return.
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return Ok(());
            }
        }
        let base = e
            .get_attr("min")
            .and_then(|m| parse_float(&m))
            .or_else(|| e.get_attr("value").and_then(|v| parse_float(&v)))
            .unwrap_or(0.0);
        // Steps 5-6. The value (0 when it does not parse), before stepping.
        let before = parse_float(&self.value_of(&e)).unwrap_or(0.0);
        let aligned = |v: f64| ((v - base) / step - ((v - base) / step).round()).abs() < 1e-9;
        // Step 7. Not aligned: to the nearest aligned value in the direction; else n steps.
        let mut value = if !aligned(before) {
            let k = (before - base) / step;
            base + step * if n > 0.0 { k.ceil() } else { k.floor() }
        } else {
            before + step * n
        };
        // Step 8. Clamp to min and max, staying aligned.
        if let Some(lo) = min {
            if value < lo {
                value = base + step * ((lo - base) / step).ceil();
            }
        }
        if let Some(hi) = max {
            if value > hi {
                value = base + step * ((hi - base) / step).floor();
            }
        }
        // Step 9. A step that would go the wrong way does nothing.
        if (n < 0.0 && value > before) || (n > 0.0 && value < before) {
            return Ok(());
        }
        // Step 10. Set the value to the number, serialized.
        let s = crate::dom::bindings::conversions::format_number(value);
        *self.dirty_value.borrow_mut() = Some(sanitize(&t, &s));
        Ok(())
    }

    /// The value's length, or the InvalidStateError of a type the selection APIs do not apply
    /// to.
    fn selection_len(&self, cx: &Cx<'js>) -> Fallible<(u32, Dom<'js, Element<'js>>)> {
        let e = this_element(cx)?;
        if !selection_applies(&input_type(&e)) {
            return Err(crate::dom::textselection::not_applicable());
        }
        Ok((crate::dom::textselection::utf16_len(&self.value_of(&e)), e))
    }

    fn range_text(
        &self,
        cx: &Cx<'js>,
        replacement: &str,
        range: Option<(u32, u32)>,
        mode: &str,
    ) -> Fallible<()> {
        let (_, e) = self.selection_len(cx)?;
        let new = self
            .selection
            .set_range_text(&self.value_of(&e), replacement, range, mode)?;
        *self.dirty_value.borrow_mut() = Some(new);
        Ok(())
    }

    /// The cloning steps: value, checkedness, indeterminate and the dirty flags.
    pub fn copy_state_from(&self, other: &HTMLInputElement<'js>) {
        *self.dirty_value.borrow_mut() = other.dirty_value.borrow().clone();
        self.dirty_checked.set(other.dirty_checked.get());
        self.indeterminate.set(other.indeterminate.get());
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
            "file" => self.selected_files().is_empty(),
            // The text, number and date types: only a mutable element (not disabled, not
            // readonly) suffers from being missing.
            _ => {
                !crate::dom::constraints::is_disabled(e)
                    && !e.has_attr("readonly")
                    && self.value_of(e).is_empty()
            }
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
            ValueMode::Value => {
                let old = self.value_of(&e);
                let new = sanitize(&t, &value);
                // A changed value moves the cursor to its end.
                if new != old {
                    self.selection
                        .move_to_end(crate::dom::textselection::utf16_len(&new));
                }
                *self.dirty_value.borrow_mut() = Some(new);
            }
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
    fn stepUp(&self, cx: &Cx<'js>, n: i32) -> Fallible<()> {
        self.step(cx, n as f64)
    }
    fn stepDown(&self, cx: &Cx<'js>, n: i32) -> Fallible<()> {
        self.step(cx, -(n as f64))
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
    /// <https://html.spec.whatwg.org/#dom-textarea/input-select>: selects the whole value.
    fn select(&self, cx: &Cx<'js>) -> Fallible<()> {
        let e = this_element(cx)?;
        if selection_applies(&input_type(&e)) {
            let len = crate::dom::textselection::utf16_len(&self.value_of(&e));
            self.selection.set_range(len, 0, len, None);
        }
        Ok(())
    }
    fn selectionStart(&self, cx: &Cx<'js>) -> Fallible<Option<u32>> {
        let e = this_element(cx)?;
        Ok(selection_applies(&input_type(&e)).then(|| self.selection.start()))
    }
    fn set_selectionStart(&self, cx: &Cx<'js>, value: Option<u32>) -> Fallible<()> {
        let (len, _) = self.selection_len(cx)?;
        let v = value.unwrap_or(0);
        let end = self.selection.end().max(v);
        let d = self.selection.direction();
        self.selection.set_range(len, v, end, Some(d));
        Ok(())
    }
    fn selectionEnd(&self, cx: &Cx<'js>) -> Fallible<Option<u32>> {
        let e = this_element(cx)?;
        Ok(selection_applies(&input_type(&e)).then(|| self.selection.end()))
    }
    fn set_selectionEnd(&self, cx: &Cx<'js>, value: Option<u32>) -> Fallible<()> {
        let (len, _) = self.selection_len(cx)?;
        let d = self.selection.direction();
        self.selection
            .set_range(len, self.selection.start(), value.unwrap_or(0), Some(d));
        Ok(())
    }
    fn selectionDirection(&self, cx: &Cx<'js>) -> Fallible<Option<DOMString>> {
        let e = this_element(cx)?;
        Ok(selection_applies(&input_type(&e)).then(|| self.selection.direction().to_string()))
    }
    fn set_selectionDirection(&self, cx: &Cx<'js>, value: Option<DOMString>) -> Fallible<()> {
        let (len, _) = self.selection_len(cx)?;
        self.selection.set_range(
            len,
            self.selection.start(),
            self.selection.end(),
            value.as_deref(),
        );
        Ok(())
    }
    fn setRangeText(&self, cx: &Cx<'js>, replacement: DOMString) -> Fallible<()> {
        self.range_text(cx, &replacement, None, "preserve")
    }
    fn setRangeText_1(
        &self,
        cx: &Cx<'js>,
        replacement: DOMString,
        start: u32,
        end: u32,
        mode: crate::dom::bindings::codegen::SelectionMode,
    ) -> Fallible<()> {
        self.range_text(cx, &replacement, Some((start, end)), mode.as_str())
    }
    fn setSelectionRange(
        &self,
        cx: &Cx<'js>,
        start: u32,
        end: u32,
        direction: Option<DOMString>,
    ) -> Fallible<()> {
        let (len, _) = self.selection_len(cx)?;
        self.selection
            .set_range(len, start, end, direction.as_deref());
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
