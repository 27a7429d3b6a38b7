//! <https://html.spec.whatwg.org/multipage/tables.html#htmltablecaptionelement>

use crate::dom::bindings::codegen::HTMLTableCaptionElementBinding::HTMLTableCaptionElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#htmltablecaptionelement>
    HTMLTableCaptionElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLTableCaptionElementMethods<'js> for HTMLTableCaptionElement<'js> {}
