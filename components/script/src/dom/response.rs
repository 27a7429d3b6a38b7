//! <https://fetch.spec.whatwg.org/#response-class>

use crate::dom::bindings::codegen::ResponseBinding::ResponseMethods;
use crate::dom::bindings::codegen::{BodyInit, ResponseInit, ResponseType};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::{self, Body, BodyMixin, Source};
use crate::dom::globalscope::GlobalScope;
use crate::dom::headers::{Guard, HeaderList, Headers};
use std::cell::RefCell;

/// <https://fetch.spec.whatwg.org/#concept-response> (besides its headers and body).
#[derive(Clone, Debug)]
pub struct InnerResponse {
    pub type_: ResponseType,
    pub url_list: Vec<String>,
    pub status: u16,
    pub status_text: Vec<u8>,
    /// An opaque filtered response's internal status (script sees 0; Cache.put looks).
    pub opaque_status: Option<u16>,
}

impl InnerResponse {
    /// The response the network side (or the profile) describes.
    pub fn from_meta(meta: &net_traits::ResponseMeta) -> InnerResponse {
        InnerResponse {
            type_: crate::dom::fetch::response_type(meta.response_type),
            url_list: meta.url_list.clone(),
            status: meta.status,
            status_text: meta.status_text.0.clone(),
            opaque_status: meta.opaque_status,
        }
    }
}

/// <https://fetch.spec.whatwg.org/#response-class>
pub struct Response<'js> {
    response: RefCell<InnerResponse>,
    headers: Dom<'js, Headers<'js>>,
    body: Body<'js>,
}

impl<'js> Trace<'js> for Response<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.headers.trace(tracer);
        self.body.trace(tracer);
    }
}

/// <https://fetch.spec.whatwg.org/#null-body-status>
fn is_null_body_status(status: u16) -> bool {
    matches!(status, 101 | 103 | 204 | 205 | 304)
}

/// <https://fetch.spec.whatwg.org/#redirect-status>
fn is_redirect_status(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// RFC 9112 reason-phrase: HTAB, SP, VCHAR and obs-text.
fn is_reason_phrase(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80)
}

impl<'js> Response<'js> {
    /// A Response made by the engine (fetch()): the filtered response's values, headers
    /// with the "immutable" guard, and a body source.
    pub fn new_from_network(
        ctx: &Ctx<'js>,
        inner: InnerResponse,
        headers: HeaderList,
        body: Option<Source<'js>>,
    ) -> Fallible<Dom<'js, Response<'js>>> {
        let headers = reflect_dom_object(ctx, Headers::new_inherited(headers, Guard::Immutable))?;
        reflect_dom_object(
            ctx,
            Response {
                response: RefCell::new(inner),
                headers,
                body: Body::new(body),
            },
        )
    }

    /// The response as the network side keeps it (its status, URL list, type and its
    /// headers as script sees them), without its body.
    pub fn to_response_meta(&self) -> net_traits::ResponseMeta {
        let r = self.response.borrow();
        net_traits::ResponseMeta {
            response_type: match r.type_ {
                ResponseType::Basic => net_traits::ResponseType::Basic,
                ResponseType::Cors => net_traits::ResponseType::Cors,
                ResponseType::Default => net_traits::ResponseType::Default,
                ResponseType::Error => net_traits::ResponseType::Error,
                ResponseType::Opaque => net_traits::ResponseType::Opaque,
                ResponseType::Opaqueredirect => net_traits::ResponseType::OpaqueRedirect,
            },
            url_list: r.url_list.clone(),
            status: r.status,
            status_text: net_traits::ByteString(r.status_text.clone()),
            headers: self
                .headers
                .list()
                .into_iter()
                .map(|(n, v)| (net_traits::ByteString(n), net_traits::ByteString(v)))
                .collect(),
            cors_exposed_header_names: Vec::new(),
            opaque_status: r.opaque_status,
        }
    }

    /// <https://fetch.spec.whatwg.org/#initialize-a-response>
    fn initialize(
        ctx: &Ctx<'js>,
        init: ResponseInit,
        body: Option<body::Extracted<'js>>,
    ) -> Fallible<Response<'js>> {
        // Step 1. The status must be 200 to 599.
        if !(200..=599).contains(&init.status) {
            return Err(Error::Range(format!(
                "The status provided ({}) is outside the range [200, 599].",
                init.status
            )));
        }
        // Step 2. The status text must be a reason-phrase.
        if !is_reason_phrase(init.statusText.as_bytes()) {
            return Err(Error::Type("Invalid statusText".into()));
        }
        // Steps 3-5. Status, status text, headers (guard "response").
        let headers = Headers::new_inherited(Vec::new(), Guard::Response);
        if let Some(h) = init.headers {
            headers.fill(h)?;
        }
        // Step 6. A body: not with a null body status; its type unless Content-Type is set.
        let body = match body {
            Some(extracted) => {
                if is_null_body_status(init.status) {
                    return Err(Error::Type(format!(
                        "Response with null body status {} cannot have body",
                        init.status
                    )));
                }
                body::body_with_type(&headers, extracted)?
            }
            None => Body::new(None),
        };
        Ok(Response {
            response: RefCell::new(InnerResponse {
                type_: ResponseType::Default,
                url_list: Vec::new(),
                status: init.status,
                status_text: init.statusText.0,
                opaque_status: None,
            }),
            headers: reflect_dom_object(ctx, headers)?,
            body,
        })
    }
}

impl<'js> BodyMixin<'js> for Response<'js> {
    fn body_(&self) -> &Body<'js> {
        &self.body
    }
    fn headers_(&self) -> &Dom<'js, Headers<'js>> {
        &self.headers
    }
}

impl<'js> ResponseMethods<'js> for Response<'js> {
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<ResponseType> {
        Ok(self.response.borrow().type_)
    }
    /// The last URL of the URL list (without fragment), or "".
    fn url(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self
            .response
            .borrow()
            .url_list
            .last()
            .map(|u| match url::Url::parse(u) {
                Ok(mut u) => {
                    u.set_fragment(None);
                    u.to_string()
                }
                Err(_) => u.clone(),
            })
            .unwrap_or_default())
    }
    fn redirected(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.response.borrow().url_list.len() > 1)
    }
    fn status(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.response.borrow().status)
    }
    fn ok(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok((200..=299).contains(&self.response.borrow().status))
    }
    fn statusText(&self, _cx: &Cx<'js>) -> Fallible<ByteString> {
        Ok(ByteString(self.response.borrow().status_text.clone()))
    }
    fn headers(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Headers<'js>>> {
        Ok(self.headers.clone())
    }
    /// <https://fetch.spec.whatwg.org/#dom-response-clone>
    fn clone(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Response<'js>>> {
        // Step 1 (an unusable body is a TypeError), and the headers and body of step 2's
        // clone of this's response.
        let (headers, body) = self.clone_headers_and_body(&cx.ctx)?;
        // Steps 2-3. A Response object for the clone (its headers keep this's guard).
        reflect_dom_object(
            &cx.ctx,
            Response {
                response: RefCell::new(self.response.borrow().clone()),
                headers,
                body,
            },
        )
    }

    crate::body_mixin_methods!();

    /// <https://fetch.spec.whatwg.org/#dom-response-error>
    fn error(cx: &Cx<'js>) -> Fallible<Dom<'js, Response<'js>>> {
        Response::new_from_network(
            &cx.ctx,
            InnerResponse {
                type_: ResponseType::Error,
                url_list: Vec::new(),
                status: 0,
                status_text: Vec::new(),
                opaque_status: None,
            },
            Vec::new(),
            None,
        )
    }

    /// <https://fetch.spec.whatwg.org/#dom-response-redirect>
    fn redirect(cx: &Cx<'js>, url: USVString, status: u16) -> Fallible<Dom<'js, Response<'js>>> {
        // Steps 1-2. Parse with the API base URL; failure is a TypeError.
        let parsed = match GlobalScope::current(&cx.ctx) {
            Some(global) => global.parse_url(&url),
            None => url::Url::parse(&url),
        }
        .map_err(|e| Error::Type(format!("Failed to parse URL from {url}: {e}")))?;
        // Step 3. A redirect status only.
        if !is_redirect_status(status) {
            return Err(Error::Range(format!("Invalid status code {status}")));
        }
        // Steps 4-7. status and Location; immutable headers.
        Response::new_from_network(
            &cx.ctx,
            InnerResponse {
                type_: ResponseType::Default,
                url_list: Vec::new(),
                status,
                status_text: Vec::new(),
                opaque_status: None,
            },
            vec![(b"Location".to_vec(), parsed.to_string().into_bytes())],
            None,
        )
    }

    /// <https://fetch.spec.whatwg.org/#dom-response-json>
    fn json_static(
        cx: &Cx<'js>,
        data: Value<'js>,
        init: ResponseInit,
    ) -> Fallible<Dom<'js, Response<'js>>> {
        // Step 1. Serialize data to JSON; undefined (and such) cannot be.
        let json = cx
            .ctx
            .json_stringify(data)
            .map_err(Error::from)?
            .ok_or_else(|| Error::Type("Response.json: the data cannot be serialized".into()))?
            .to_string()?;
        // Steps 2-4. A body of it, typed application/json.
        let response = Response::initialize(
            &cx.ctx,
            init,
            Some(body::Extracted::Bytes((
                json.into_bytes().into(),
                Some("application/json".into()),
            ))),
        )?;
        reflect_dom_object(&cx.ctx, response)
    }

    /// <https://fetch.spec.whatwg.org/#dom-response>
    fn Constructor(
        cx: &Cx<'js>,
        body: Option<BodyInit<'js>>,
        init: ResponseInit,
    ) -> Fallible<Self> {
        // Step 4. Extract the body with its type.
        let body = match body {
            Some(b) => Some(body::extract_body_init(b)?),
            None => None,
        };
        // Step 5. Initialize.
        Response::initialize(&cx.ctx, init, body)
    }
}
