//! <https://html.spec.whatwg.org/multipage/tables.html#htmltablecolelement>

use crate::dom::bindings::codegen::HTMLTableColElementBinding::HTMLTableColElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/multipage/tables.html#htmltablecolelement>
    HTMLTableColElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLTableColElementMethods<'js> for HTMLTableColElement<'js> {}
