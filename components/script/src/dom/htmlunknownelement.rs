//! <https://html.spec.whatwg.org/#htmlunknownelement>

use crate::dom::bindings::codegen::HTMLUnknownElementBinding::HTMLUnknownElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::htmlelement::simple_html_element;
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#htmlunknownelement>
    HTMLUnknownElement
);

impl<'js> HTMLUnknownElementMethods<'js> for HTMLUnknownElement<'js> {}
