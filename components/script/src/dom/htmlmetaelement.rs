//! <https://html.spec.whatwg.org/#the-meta-element>

use crate::dom::bindings::codegen::HTMLMetaElementBinding::HTMLMetaElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;
use crate::dom::htmlelement::simple_html_element;
use crate::dom::htmlheadelement::HTMLHeadElement;
use crate::dom::node::{self, Node};
use html5ever::QualName;

simple_html_element!(
    /// <https://html.spec.whatwg.org/#the-meta-element>
    HTMLMetaElement
);

/// Every member is a reflected attribute (generated).
impl<'js> HTMLMetaElementMethods<'js> for HTMLMetaElement<'js> {}

/// <https://html.spec.whatwg.org/#attr-meta-http-equiv>: a meta element inserted into a
/// document runs the algorithm of its http-equiv state. Only the Content-Security-Policy
/// state is implemented (<https://html.spec.whatwg.org/#attr-meta-http-equiv-content-security-policy>).
pub fn meta_insertion_steps<'js>(ctx: &Ctx<'js>, meta: &Dom<'js, HTMLMetaElement<'js>>) {
    let element = meta.upcast::<Element>();
    let node = meta.upcast::<Node>();
    if !node::is_connected(&node) {
        return;
    }
    let Some(equiv) = element.get_attr("http-equiv") else {
        return;
    };
    if !equiv.trim().eq_ignore_ascii_case("content-security-policy") {
        return;
    }
    // Step 1. If the meta element is not a child of a head element, return.
    let in_head = node
        .parent_node()
        .and_then(|p| node::downcast::<HTMLHeadElement>(&p))
        .is_some();
    if !in_head {
        return;
    }
    // Step 2. If it has no content attribute, or that attribute's value is the empty
    // string, then return.
    let content = element.get_attr("content").unwrap_or_default();
    if content.is_empty() {
        return;
    }
    // Only the document of a browsing context (the window's) has a policy container here.
    let Some(doc) = node::node_document(&node) else {
        return;
    };
    if !doc.has_browsing_context() {
        return;
    }
    // Steps 3-5. Parse with source "meta" and disposition "enforce", drop report-uri,
    // frame-ancestors and sandbox, and enforce the policy.
    if let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) {
        global.add_csp_policies(crate::csp::parse_policy_list(
            &content,
            crate::csp::Source::Meta,
        ));
    }
}
