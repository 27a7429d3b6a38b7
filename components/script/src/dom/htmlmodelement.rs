//! <https://html.spec.whatwg.org/multipage/edits.html#htmlmodelement>

use crate::dom::bindings::codegen::HTMLModElementBinding::HTMLModElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/edits.html#htmlmodelement>
    HTMLModElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLModElementMethods<'js> for HTMLModElement<'js> {}
