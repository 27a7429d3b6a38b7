//! <https://html.spec.whatwg.org/#textFieldSelection>: the selection of a text control
//! (input types text, search, url, tel, password, and textarea), in UTF-16 code units of
//! the element's API value. There is no user interface: only script moves it.

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use std::cell::Cell;

#[derive(Default)]
pub struct TextSelection {
    start: Cell<u32>,
    end: Cell<u32>,
    /// "forward", "backward" or "none".
    direction: Cell<u8>,
}

fn direction_name(d: u8) -> &'static str {
    match d {
        1 => "forward",
        2 => "backward",
        _ => "none",
    }
}

fn direction_of(s: Option<&str>) -> u8 {
    match s {
        Some("forward") => 1,
        Some("backward") => 2,
        _ => 0,
    }
}

pub fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

impl TextSelection {
    pub fn start(&self) -> u32 {
        self.start.get()
    }
    pub fn end(&self) -> u32 {
        self.end.get()
    }
    pub fn direction(&self) -> &'static str {
        direction_name(self.direction.get())
    }
    /// <https://html.spec.whatwg.org/#set-the-selection-range>
    pub fn set_range(&self, len: u32, start: u32, end: u32, direction: Option<&str>) {
        // Step 1-2. Clamp end to the length; start to end.
        let end = end.min(len);
        let start = start.min(end);
        self.start.set(start);
        self.end.set(end);
        self.direction.set(direction_of(direction));
    }
    /// After the value changed through the API: the cursor at the end, nothing selected.
    pub fn move_to_end(&self, len: u32) {
        self.set_range(len, len, len, None);
    }
    /// The selection clamped to a (possibly shorter) value.
    pub fn clamp(&self, len: u32) {
        if self.end.get() > len || self.start.get() > len {
            let d = direction_name(self.direction.get());
            self.set_range(len, self.start.get(), self.end.get(), Some(d));
        }
    }

    /// <https://html.spec.whatwg.org/#dom-textarea/input-setrangetext>: the new value.
    pub fn set_range_text(
        &self,
        value: &str,
        replacement: &str,
        range: Option<(u32, u32)>,
        mode: &str,
    ) -> Fallible<String> {
        let units: Vec<u16> = value.encode_utf16().collect();
        let len = units.len() as u32;
        // Step 3. Without a range: the selection.
        let (start, end) = range.unwrap_or((self.start.get(), self.end.get()));
        // Step 4. If start is greater than end, throw an "IndexSizeError".
        if start > end {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                "setRangeText: the start is after the end",
            ));
        }
        // Steps 5-6. Clamp to the length.
        let (start, end) = (start.min(len), end.min(len));
        let (mut sel_start, mut sel_end) = (self.start.get(), self.end.get());
        // Step 8. Replace the range.
        let rep: Vec<u16> = replacement.encode_utf16().collect();
        let mut new: Vec<u16> = units[..start as usize].to_vec();
        new.extend_from_slice(&rep);
        new.extend_from_slice(&units[end as usize..]);
        let new_len = new.len() as u32;
        // Step 9. The new end.
        let new_end = start + rep.len() as u32;
        // Step 10. The selection by mode.
        match mode {
            "select" => {
                sel_start = start;
                sel_end = new_end;
            }
            "start" => {
                sel_start = start;
                sel_end = start;
            }
            "end" => {
                sel_start = new_end;
                sel_end = new_end;
            }
            _ => {
                // "preserve"
                let delta = rep.len() as i64 - (end as i64 - start as i64);
                if sel_start > end {
                    sel_start = (sel_start as i64 + delta) as u32;
                } else if sel_start > start {
                    sel_start = start;
                }
                if sel_end > end {
                    sel_end = (sel_end as i64 + delta) as u32;
                } else if sel_end > start {
                    sel_end = new_end;
                }
            }
        }
        let d = direction_name(self.direction.get());
        self.set_range(new_len, sel_start, sel_end, Some(d));
        Ok(String::from_utf16_lossy(&new))
    }
}

pub fn not_applicable() -> Error {
    Error::dom(
        DomErrorName::InvalidStateError,
        "the selection APIs do not apply to this type of input",
    )
}
