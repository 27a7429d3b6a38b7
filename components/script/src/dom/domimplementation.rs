//! <https://dom.spec.whatwg.org/#interface-domimplementation>, and "validate and extract"
//! for namespaced element names (createElementNS, createDocument).

use crate::dom::bindings::codegen::DOMImplementationBinding::DOMImplementationMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::documenttype::DocumentType;
use crate::dom::node::{self, Node};
use crate::dom::text::Text;
use crate::dom::xmldocument::XMLDocument;
use html5ever::{local_name, ns, LocalName, Namespace, Prefix, QualName};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// <https://dom.spec.whatwg.org/#validate-and-extract>: namespace, prefix and local name of
/// a qualified name, or the DOMException the spec throws.
pub fn validate_and_extract(namespace: Option<&str>, qualified_name: &str) -> Fallible<QualName> {
    // Step 1. The empty string is null.
    let namespace = namespace.filter(|n| !n.is_empty());
    // Steps 2-4. Split at the first ":"; both parts must be valid names.
    let (prefix, local) = match qualified_name.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, qualified_name),
    };
    let invalid = || {
        Error::dom(
            DomErrorName::InvalidCharacterError,
            format!("'{qualified_name}' is not a valid qualified name"),
        )
    };
    if let Some(p) = prefix {
        // A valid namespace prefix: non-empty, no whitespace, NUL, "/" or ">".
        if p.is_empty()
            || p.chars()
                .any(|c| c.is_ascii_whitespace() || matches!(c, '\0' | '/' | '>'))
        {
            return Err(invalid());
        }
    }
    if !crate::dom::element::is_valid_element_local_name(local) {
        return Err(invalid());
    }
    // Steps 5-9. The namespace rules for prefixes.
    let namespace_error = |m: &str| Error::dom(DomErrorName::NamespaceError, m.to_string());
    if prefix.is_some() && namespace.is_none() {
        return Err(namespace_error("a prefix needs a namespace"));
    }
    if prefix == Some("xml") && namespace != Some(XML_NS) {
        return Err(namespace_error("the xml prefix is for the XML namespace"));
    }
    if (qualified_name == "xmlns" || prefix == Some("xmlns")) != (namespace == Some(XMLNS_NS)) {
        return Err(namespace_error("xmlns and the XMLNS namespace go together"));
    }
    Ok(QualName::new(
        prefix.map(Prefix::from),
        namespace.map(Namespace::from).unwrap_or(ns!()),
        LocalName::from(local),
    ))
}

/// A new document's URL (DOM "document" defaults).
fn about_blank() -> Fallible<url::Url> {
    url::Url::parse("about:blank").map_err(|e| Error::Type(e.to_string()))
}

/// <https://dom.spec.whatwg.org/#interface-domimplementation>: the document it belongs to.
pub struct DOMImplementation<'js> {
    document: Dom<'js, Document<'js>>,
}

impl<'js> Trace<'js> for DOMImplementation<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.document.trace(tracer)
    }
}

impl<'js> DOMImplementation<'js> {
    pub fn create(
        ctx: &Ctx<'js>,
        document: &Dom<'js, Document<'js>>,
    ) -> Fallible<Dom<'js, DOMImplementation<'js>>> {
        reflect_dom_object(
            ctx,
            DOMImplementation {
                document: document.clone(),
            },
        )
    }
}

impl<'js> DOMImplementationMethods<'js> for DOMImplementation<'js> {
    /// <https://dom.spec.whatwg.org/#dom-domimplementation-createdocumenttype>
    fn createDocumentType(
        &self,
        cx: &Cx<'js>,
        name: DOMString,
        public_id: DOMString,
        system_id: DOMString,
    ) -> Fallible<Dom<'js, DocumentType<'js>>> {
        // Step 1. A valid doctype name: no ASCII whitespace, NUL or ">".
        if name
            .chars()
            .any(|c| c.is_ascii_whitespace() || matches!(c, '\0' | '>'))
        {
            return Err(Error::dom(
                DomErrorName::InvalidCharacterError,
                format!("'{name}' is not a valid doctype name"),
            ));
        }
        DocumentType::create(&cx.ctx, &self.document, name, public_id, system_id)
    }
    /// <https://dom.spec.whatwg.org/#dom-domimplementation-createdocument>
    fn createDocument(
        &self,
        cx: &Cx<'js>,
        namespace: Option<DOMString>,
        qualified_name: DOMString,
        doctype: Option<Dom<'js, DocumentType<'js>>>,
    ) -> Fallible<Dom<'js, XMLDocument<'js>>> {
        // Step 1. A new XMLDocument; its content type follows the namespace (step 7).
        let content_type = match namespace.as_deref() {
            Some("http://www.w3.org/1999/xhtml") => "application/xhtml+xml",
            Some("http://www.w3.org/2000/svg") => "image/svg+xml",
            _ => "application/xml",
        };
        let doc = reflect_dom_object(
            &cx.ctx,
            XMLDocument::new_inherited(Document::new_detached(about_blank()?, content_type, false)),
        )?;
        let as_doc = doc.upcast::<Document>();
        // Step 2. The element, unless qualifiedName is empty.
        let element = if qualified_name.is_empty() {
            None
        } else {
            let q = validate_and_extract(namespace.as_deref(), &qualified_name)?;
            Some(crate::dom::create::create_element(
                &cx.ctx,
                &as_doc,
                q,
                Vec::new(),
                false,
            )?)
        };
        // Steps 3-4. Append the doctype, then the element.
        let doc_node = doc.upcast::<Node>();
        if let Some(d) = doctype {
            node::append(&cx.ctx, &d.upcast(), &doc_node)?;
        }
        if let Some(e) = element {
            node::append(&cx.ctx, &e.upcast(), &doc_node)?;
        }
        Ok(doc)
    }
    /// <https://dom.spec.whatwg.org/#dom-domimplementation-createhtmldocument>
    fn createHTMLDocument(
        &self,
        cx: &Cx<'js>,
        title: Option<DOMString>,
    ) -> Fallible<Dom<'js, Document<'js>>> {
        // Steps 1-2. An HTML document with content type text/html.
        let doc = reflect_dom_object(
            &cx.ctx,
            Document::new_detached(about_blank()?, "text/html", true),
        )?;
        let ctx = &cx.ctx;
        let doc_node = doc.upcast::<Node>();
        // Step 3. A doctype "html".
        let doctype = DocumentType::create(ctx, &doc, "html".into(), String::new(), String::new())?;
        node::append(ctx, &doctype.upcast(), &doc_node)?;
        // Steps 4-7. html, head, (title,) body.
        let make = |name: LocalName| {
            crate::dom::create::create_element(
                ctx,
                &doc,
                QualName::new(None, ns!(html), name),
                Vec::new(),
                false,
            )
            .map(|e| e.upcast::<Node>())
        };
        let html = make(local_name!("html"))?;
        node::append(ctx, &html, &doc_node)?;
        let head = make(local_name!("head"))?;
        node::append(ctx, &head, &html)?;
        if let Some(title) = title {
            let t = make(local_name!("title"))?;
            node::append(ctx, &t, &head)?;
            node::append(ctx, &Text::create(ctx, &doc, title)?.upcast(), &t)?;
        }
        let body = make(local_name!("body"))?;
        node::append(ctx, &body, &html)?;
        Ok(doc)
    }
    fn hasFeature(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(true)
    }
}
