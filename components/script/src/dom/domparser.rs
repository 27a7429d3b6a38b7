//! <https://html.spec.whatwg.org/#domparser>: HTML (html5ever) and XML (xml5ever) documents
//! parsed from strings, without a browsing context (their scripts never run).

use crate::dom::bindings::codegen::DOMParserBinding::DOMParserMethods;
use crate::dom::bindings::codegen::DOMParserSupportedType;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::document::Document;
use crate::dom::node::{self, Node};
use html5ever::{LocalName, Namespace, QualName};

/// <https://html.spec.whatwg.org/#domparser>
pub struct DOMParser<'js> {
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for DOMParser<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

/// The namespace of the element a failed XML parse leaves (as Gecko and Chromium name it).
const PARSERERROR_NS: &str = "http://www.mozilla.org/newlayout/xml/parsererror.xml";

impl<'js> DOMParserMethods<'js> for DOMParser<'js> {
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(DOMParser {
            _js: std::marker::PhantomData,
        })
    }

    /// <https://html.spec.whatwg.org/#dom-domparser-parsefromstring>
    fn parseFromString(
        &self,
        cx: &Cx<'js>,
        string: DOMString,
        r#type: DOMParserSupportedType,
    ) -> Fallible<Dom<'js, Document<'js>>> {
        let ctx = &cx.ctx;
        // Step 3. A new document of that content type, at the relevant global's
        // associated Document's URL (encoding UTF-8; no browsing context).
        let url = crate::dom::window::associated_document(ctx)
            .map(|d| d.url_())
            .and_then(|u| url::Url::parse(&u).ok())
            .map_or_else(|| url::Url::parse("about:blank"), Ok)
            .map_err(|e| Error::Type(e.to_string()))?;
        let content_type = r#type.as_str();
        let is_html = r#type == DOMParserSupportedType::TextHtml;
        let document = reflect_dom_object(ctx, Document::new_detached(url, content_type, is_html))?;
        if is_html {
            // Step 4, "text/html": parse HTML from a string (scripting disabled).
            crate::dom::servoparser::parse_html_from_a_string(ctx, &document, &string);
            return Ok(document);
        }
        // Step 4, otherwise: an XML parser; a document that is not well-formed is replaced
        // by a parsererror element.
        if !crate::dom::servoparser::parse_xml_from_a_string(ctx, &document, &string) {
            let doc_node = document.upcast::<Node>();
            for child in doc_node.child_list() {
                node::remove(&child);
            }
            let error = crate::dom::create::create_element(
                ctx,
                &document,
                QualName::new(
                    None,
                    Namespace::from(PARSERERROR_NS),
                    LocalName::from("parsererror"),
                ),
                Vec::new(),
                false,
            )?;
            node::append(ctx, &error.upcast(), &doc_node)?;
            let text = crate::dom::text::Text::create(
                ctx,
                &document,
                "The document is not well-formed XML.".into(),
            )?;
            node::append(ctx, &text.upcast(), &error.upcast())?;
        }
        Ok(document)
    }
}
