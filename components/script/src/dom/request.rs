//! <https://fetch.spec.whatwg.org/#request-class>

use crate::dom::abortsignal::AbortSignal;
use crate::dom::bindings::codegen::RequestBinding::RequestMethods;
use crate::dom::bindings::codegen::{
    HeadersInit, ReferrerPolicy, RequestCache, RequestCredentials, RequestDestination,
    RequestDuplex, RequestInfo, RequestInit, RequestMode, RequestRedirect,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::body::{self, Body, BodyMixin};
use crate::dom::globalscope::GlobalScope;
use crate::dom::headers::{Guard, HeaderList, Headers};
use std::cell::RefCell;

/// A request's referrer.
#[derive(Clone, Debug, PartialEq)]
pub enum Referrer {
    NoReferrer,
    Client,
    Url(String),
}

/// <https://fetch.spec.whatwg.org/#concept-request> (what a Request object holds besides
/// its headers and body).
#[derive(Clone, Debug)]
pub struct InnerRequest {
    pub method: Vec<u8>,
    /// The URL list (the current URL is the last).
    pub url_list: Vec<url::Url>,
    pub mode: RequestMode,
    pub credentials: RequestCredentials,
    pub cache: RequestCache,
    pub redirect: RequestRedirect,
    pub referrer: Referrer,
    pub referrer_policy: ReferrerPolicy,
    pub integrity: String,
    pub keepalive: bool,
    pub reload_navigation: bool,
    pub history_navigation: bool,
    /// <https://fetch.spec.whatwg.org/#concept-request-destination>: the empty string for a
    /// request script made; what the user agent's loaders set for theirs (seen by a
    /// service worker's fetch event).
    pub destination: RequestDestination,
}

impl InnerRequest {
    pub fn current_url(&self) -> &url::Url {
        self.url_list.last().expect("a request has a URL")
    }
}

/// <https://fetch.spec.whatwg.org/#request-class>
pub struct Request<'js> {
    request: RefCell<InnerRequest>,
    /// The headers (guard "request", or "request-no-cors").
    headers: Dom<'js, Headers<'js>>,
    body: Body<'js>,
    /// The request's AbortSignal (a dependent signal of the one it was given).
    signal: Dom<'js, AbortSignal<'js>>,
}

impl<'js> Trace<'js> for Request<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.headers.trace(tracer);
        self.signal.trace(tracer);
        self.body.trace(tracer);
    }
}

/// <https://fetch.spec.whatwg.org/#concept-method>: a token.
fn is_method(m: &[u8]) -> bool {
    crate::dom::headers::is_header_name(m)
}

/// <https://fetch.spec.whatwg.org/#forbidden-method>
fn is_forbidden_method(m: &[u8]) -> bool {
    let upper = m.to_ascii_uppercase();
    matches!(upper.as_slice(), b"CONNECT" | b"TRACE" | b"TRACK")
}

/// <https://fetch.spec.whatwg.org/#concept-method-normalize>
fn normalize_method(m: &[u8]) -> Vec<u8> {
    let upper = m.to_ascii_uppercase();
    if matches!(
        upper.as_slice(),
        b"DELETE" | b"GET" | b"HEAD" | b"OPTIONS" | b"POST" | b"PUT"
    ) {
        upper
    } else {
        m.to_vec()
    }
}

fn includes_credentials(url: &url::Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// `new Request(input)`'s init dictionary: every member missing.
pub fn empty_init<'js>(
    ctx: &Ctx<'js>,
) -> Fallible<crate::dom::bindings::codegen::RequestInit<'js>> {
    crate::dom::bindings::codegen::RequestInit::from_js(
        ctx,
        &Value::new_undefined(ctx.clone()),
        "RequestInit",
    )
}

impl<'js> Request<'js> {
    pub fn inner(&self) -> InnerRequest {
        self.request.borrow().clone()
    }

    pub fn header_list(&self) -> HeaderList {
        self.headers.list()
    }

    pub fn signal_(&self) -> &Dom<'js, AbortSignal<'js>> {
        &self.signal
    }

    /// What the network side needs of this request (the body only if its bytes are known).
    pub fn to_request_data(&self) -> net_traits::RequestData {
        let r = self.request.borrow();
        net_traits::RequestData {
            method: String::from_utf8_lossy(&r.method).into_owned(),
            url: r.current_url().to_string(),
            headers: self
                .headers
                .list()
                .into_iter()
                .map(|(n, v)| (net_traits::ByteString(n), net_traits::ByteString(v)))
                .collect(),
            body: self.body.bytes_now(),
            mode: match r.mode {
                RequestMode::SameOrigin => net_traits::RequestMode::SameOrigin,
                RequestMode::NoCors => net_traits::RequestMode::NoCors,
                RequestMode::Cors => net_traits::RequestMode::Cors,
                RequestMode::Navigate => net_traits::RequestMode::Navigate,
            },
            credentials: match r.credentials {
                RequestCredentials::Omit => net_traits::CredentialsMode::Omit,
                RequestCredentials::SameOrigin => net_traits::CredentialsMode::SameOrigin,
                RequestCredentials::Include => net_traits::CredentialsMode::Include,
            },
            cache: match r.cache {
                RequestCache::Default => net_traits::CacheMode::Default,
                RequestCache::NoStore => net_traits::CacheMode::NoStore,
                RequestCache::Reload => net_traits::CacheMode::Reload,
                RequestCache::NoCache => net_traits::CacheMode::NoCache,
                RequestCache::ForceCache => net_traits::CacheMode::ForceCache,
                RequestCache::OnlyIfCached => net_traits::CacheMode::OnlyIfCached,
            },
            redirect: match r.redirect {
                RequestRedirect::Follow => net_traits::RedirectMode::Follow,
                RequestRedirect::Error => net_traits::RedirectMode::Error,
                RequestRedirect::Manual => net_traits::RedirectMode::Manual,
            },
            referrer: match &r.referrer {
                Referrer::NoReferrer => "no-referrer".into(),
                Referrer::Client => "client".into(),
                Referrer::Url(u) => u.clone(),
            },
            referrer_policy: r.referrer_policy.as_str().to_string(),
            integrity: r.integrity.clone(),
            keepalive: r.keepalive,
            destination: to_net_destination(r.destination),
            // "client": the fetch sets it from the calling global.
            policy_container: Default::default(),
        }
    }
}

impl<'js> Request<'js> {
    /// <https://fetch.spec.whatwg.org/#request-create>: a Request object for a request the
    /// user agent made (a fetch event's `request`), with headers of `guard` and `signal`.
    pub fn create(
        ctx: &Ctx<'js>,
        data: &net_traits::RequestData,
        guard: Guard,
        signal: Dom<'js, AbortSignal<'js>>,
    ) -> Fallible<Dom<'js, Request<'js>>> {
        let url = url::Url::parse(&data.url)
            .map_err(|e| Error::Type(format!("the request's URL {}: {e}", data.url)))?;
        let request = InnerRequest {
            method: data.method.as_bytes().to_vec(),
            url_list: vec![url],
            mode: match data.mode {
                net_traits::RequestMode::SameOrigin => RequestMode::SameOrigin,
                net_traits::RequestMode::NoCors => RequestMode::NoCors,
                net_traits::RequestMode::Cors => RequestMode::Cors,
                net_traits::RequestMode::Navigate => RequestMode::Navigate,
            },
            credentials: match data.credentials {
                net_traits::CredentialsMode::Omit => RequestCredentials::Omit,
                net_traits::CredentialsMode::SameOrigin => RequestCredentials::SameOrigin,
                net_traits::CredentialsMode::Include => RequestCredentials::Include,
            },
            cache: match data.cache {
                net_traits::CacheMode::Default => RequestCache::Default,
                net_traits::CacheMode::NoStore => RequestCache::NoStore,
                net_traits::CacheMode::Reload => RequestCache::Reload,
                net_traits::CacheMode::NoCache => RequestCache::NoCache,
                net_traits::CacheMode::ForceCache => RequestCache::ForceCache,
                net_traits::CacheMode::OnlyIfCached => RequestCache::OnlyIfCached,
            },
            redirect: match data.redirect {
                net_traits::RedirectMode::Follow => RequestRedirect::Follow,
                net_traits::RedirectMode::Error => RequestRedirect::Error,
                net_traits::RedirectMode::Manual => RequestRedirect::Manual,
            },
            referrer: match data.referrer.as_str() {
                "no-referrer" | "" => Referrer::NoReferrer,
                "client" => Referrer::Client,
                url => Referrer::Url(url.to_string()),
            },
            referrer_policy: <ReferrerPolicy as IdlEnum>::from_str(&data.referrer_policy)
                .unwrap_or_default(),
            integrity: data.integrity.clone(),
            keepalive: data.keepalive,
            reload_navigation: false,
            history_navigation: false,
            destination: from_net_destination(data.destination),
        };
        let headers = data
            .headers
            .iter()
            .map(|(n, v)| (n.0.clone(), v.0.clone()))
            .collect();
        let headers = reflect_dom_object(ctx, Headers::new_inherited(headers, guard))?;
        reflect_dom_object(
            ctx,
            Request {
                request: RefCell::new(request),
                headers,
                body: Body::from_bytes(data.body.clone()),
                signal,
            },
        )
    }
}

fn to_net_destination(d: RequestDestination) -> net_traits::Destination {
    match d {
        RequestDestination::Document => net_traits::Destination::Document,
        RequestDestination::Iframe => net_traits::Destination::Iframe,
        RequestDestination::Script => net_traits::Destination::Script,
        RequestDestination::Worker => net_traits::Destination::Worker,
        RequestDestination::Sharedworker => net_traits::Destination::SharedWorker,
        RequestDestination::Image => net_traits::Destination::Image,
        RequestDestination::Audio => net_traits::Destination::Audio,
        RequestDestination::Video => net_traits::Destination::Video,
        _ => net_traits::Destination::Empty,
    }
}

fn from_net_destination(d: net_traits::Destination) -> RequestDestination {
    match d {
        net_traits::Destination::Document => RequestDestination::Document,
        net_traits::Destination::Iframe => RequestDestination::Iframe,
        net_traits::Destination::Script => RequestDestination::Script,
        net_traits::Destination::Worker => RequestDestination::Worker,
        net_traits::Destination::SharedWorker => RequestDestination::Sharedworker,
        net_traits::Destination::Image => RequestDestination::Image,
        net_traits::Destination::Audio => RequestDestination::Audio,
        net_traits::Destination::Video => RequestDestination::Video,
        // "serviceworker" is not exposed: script sees the empty string.
        net_traits::Destination::Empty | net_traits::Destination::ServiceWorker => {
            RequestDestination::Empty
        }
    }
}

impl<'js> BodyMixin<'js> for Request<'js> {
    fn body_(&self) -> &Body<'js> {
        &self.body
    }
    fn headers_(&self) -> &Dom<'js, Headers<'js>> {
        &self.headers
    }
}

impl<'js> RequestMethods<'js> for Request<'js> {
    fn method(&self, _cx: &Cx<'js>) -> Fallible<ByteString> {
        Ok(ByteString(self.request.borrow().method.clone()))
    }
    /// The current URL, serialized.
    fn url(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.request.borrow().current_url().to_string())
    }
    fn headers(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, Headers<'js>>> {
        Ok(self.headers.clone())
    }
    fn destination(&self, _cx: &Cx<'js>) -> Fallible<RequestDestination> {
        Ok(self.request.borrow().destination)
    }
    /// <https://fetch.spec.whatwg.org/#dom-request-referrer>
    fn referrer(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(match &self.request.borrow().referrer {
            Referrer::NoReferrer => String::new(),
            Referrer::Client => "about:client".into(),
            Referrer::Url(u) => u.clone(),
        })
    }
    fn referrerPolicy(&self, _cx: &Cx<'js>) -> Fallible<ReferrerPolicy> {
        Ok(self.request.borrow().referrer_policy)
    }
    fn mode(&self, _cx: &Cx<'js>) -> Fallible<RequestMode> {
        Ok(self.request.borrow().mode)
    }
    fn credentials(&self, _cx: &Cx<'js>) -> Fallible<RequestCredentials> {
        Ok(self.request.borrow().credentials)
    }
    fn cache(&self, _cx: &Cx<'js>) -> Fallible<RequestCache> {
        Ok(self.request.borrow().cache)
    }
    fn redirect(&self, _cx: &Cx<'js>) -> Fallible<RequestRedirect> {
        Ok(self.request.borrow().redirect)
    }
    fn integrity(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.request.borrow().integrity.clone())
    }
    fn keepalive(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.request.borrow().keepalive)
    }
    fn isReloadNavigation(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.request.borrow().reload_navigation)
    }
    fn isHistoryNavigation(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.request.borrow().history_navigation)
    }
    fn duplex(&self, _cx: &Cx<'js>) -> Fallible<RequestDuplex> {
        Ok(RequestDuplex::Half)
    }
    fn signal(&self, _cx: &Cx<'js>) -> Fallible<Dom<'js, AbortSignal<'js>>> {
        Ok(self.signal.clone())
    }
    /// <https://fetch.spec.whatwg.org/#dom-request-clone>
    fn clone(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, Request<'js>>> {
        // Steps 1-5. An unusable body is a TypeError; the clone has a copy of the headers
        // (same guard) and of the body.
        let (headers, body) = self.clone_headers_and_body(&cx.ctx)?;
        // Step 6. The clone's signal follows this's signal.
        let signal = AbortSignal::create_dependent(&cx.ctx, std::slice::from_ref(&self.signal))?;
        let clone = Request {
            request: RefCell::new(self.inner()),
            headers,
            body,
            signal,
        };
        reflect_dom_object(&cx.ctx, clone)
    }

    crate::body_mixin_methods!();

    /// <https://fetch.spec.whatwg.org/#dom-request>
    fn Constructor(
        cx: &Cx<'js>,
        input: RequestInfo<'js>,
        init: RequestInit<'js>,
    ) -> Fallible<Self> {
        let global =
            GlobalScope::current(&cx.ctx).ok_or_else(|| Error::Type("no global object".into()))?;
        // Steps 1-11. The request (from a URL, or input's), its headers and body.
        let FromInput {
            mut request,
            input_headers,
            input_request,
            fallback_mode,
        } = request_from_input(&global, &input)?;
        // Step 12. The new request copies input's members, but not its destination (a
        // Request script makes has the empty one).
        request.destination = RequestDestination::Empty;
        // A non-empty init resets what depends on the original context.
        let init_is_empty = init_is_empty(&init);
        if !init_is_empty {
            reset_for_non_empty_init(&mut request);
        }
        // Steps 13-28. init's members.
        apply_init(&global, &mut request, &init, fallback_mode)?;
        // Steps 32-34. This's headers.
        let headers = request_headers(&request, input_headers, &init, init_is_empty)?;
        // Steps 35-42. This's body.
        let body = request_body(&cx.ctx, &request, &headers, &init, input_request.as_ref())?;
        let headers = reflect_dom_object(&cx.ctx, headers)?;
        // Steps 10 and 29-30. The signal is input's, or init's if it has one (null: none);
        // this's signal is a dependent signal of it.
        let given = match (&init.signal, &input_request) {
            (Some(s), _) => s.clone(),
            (None, Some(r)) => Some(r.signal.clone()),
            (None, None) => None,
        };
        let signal = AbortSignal::create_dependent(&cx.ctx, given.as_slice())?;
        Ok(Request {
            request: RefCell::new(request),
            headers,
            body,
            signal,
        })
    }
}

/// What the Request constructor starts from (steps 1-11).
struct FromInput<'js> {
    /// The request: a new one for a URL, or a copy of input's.
    request: InnerRequest,
    /// The header list to start from (input's, or none).
    input_headers: HeaderList,
    /// input, when it is a Request.
    input_request: Option<Dom<'js, Request<'js>>>,
    /// The fallback mode ("cors" for a URL).
    fallback_mode: Option<RequestMode>,
}

/// Steps 1-11 of the Request constructor: the request, from input's URL (parsed with the API
/// base URL) or input's request.
fn request_from_input<'js>(
    global: &GlobalScope<'js>,
    input: &RequestInfo<'js>,
) -> Fallible<FromInput<'js>> {
    match input {
        RequestInfo::USVString(s) => {
            // Step 5.2. Parse with the API base URL; failure is a TypeError.
            let parsed = global
                .parse_url(s)
                .map_err(|e| Error::Type(format!("Failed to parse URL from {s}: {e}")))?;
            // Step 5.3. Credentials in the URL: TypeError.
            if includes_credentials(&parsed) {
                return Err(Error::Type(format!(
                    "Request cannot be constructed from a URL that includes credentials: {s}"
                )));
            }
            // Steps 5.4-5.5. A new request whose URL is parsedURL; fallback mode "cors".
            let request = InnerRequest {
                method: b"GET".to_vec(),
                url_list: vec![parsed],
                mode: RequestMode::Cors,
                credentials: RequestCredentials::SameOrigin,
                cache: RequestCache::Default,
                redirect: RequestRedirect::Follow,
                referrer: Referrer::Client,
                referrer_policy: ReferrerPolicy::Empty,
                integrity: String::new(),
                keepalive: false,
                reload_navigation: false,
                history_navigation: false,
                destination: RequestDestination::Empty,
            };
            Ok(FromInput {
                request,
                input_headers: Vec::new(),
                input_request: None,
                fallback_mode: Some(RequestMode::Cors),
            })
        }
        // Step 6. Otherwise, input's request.
        RequestInfo::Request(r) => Ok(FromInput {
            request: r.inner(),
            input_headers: r.header_list(),
            input_request: Some(r.clone()),
            fallback_mode: None,
        }),
    }
}

/// Step 12 of the Request constructor: whether init has no member at all.
fn init_is_empty(init: &RequestInit<'_>) -> bool {
    init.method.is_none()
        && init.headers.is_none()
        && init.body.is_none()
        && init.referrer.is_none()
        && init.referrerPolicy.is_none()
        && init.mode.is_none()
        && init.credentials.is_none()
        && init.cache.is_none()
        && init.redirect.is_none()
        && init.integrity.is_none()
        && init.keepalive.is_none()
        && init.duplex.is_none()
        && init.priority.is_none()
        && init.window.is_none()
        && init.signal.is_none()
}

/// Step 12 of the Request constructor, for a non-empty init: navigate mode becomes
/// same-origin, the navigation flags and referrer are reset, the URL list keeps only the
/// current URL.
fn reset_for_non_empty_init(request: &mut InnerRequest) {
    if request.mode == RequestMode::Navigate {
        request.mode = RequestMode::SameOrigin;
    }
    request.reload_navigation = false;
    request.history_navigation = false;
    request.referrer = Referrer::Client;
    request.referrer_policy = ReferrerPolicy::Empty;
    let current = request.current_url().clone();
    request.url_list = vec![current];
}

/// Steps 13-28 of the Request constructor: init's members applied to `request`.
fn apply_init(
    global: &GlobalScope<'_>,
    request: &mut InnerRequest,
    init: &RequestInit<'_>,
    fallback_mode: Option<RequestMode>,
) -> Fallible<()> {
    // Step 13. referrer.
    if let Some(referrer) = &init.referrer {
        request.referrer = parse_referrer(global, referrer)?;
    }
    // Step 14. referrerPolicy.
    if let Some(p) = init.referrerPolicy {
        request.referrer_policy = p;
    }
    // Steps 15-17. mode: navigate is refused.
    let mode = init.mode.or(fallback_mode);
    if mode == Some(RequestMode::Navigate) {
        return Err(Error::Type(
            "Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'."
                .into(),
        ));
    }
    if let Some(mode) = mode {
        request.mode = mode;
    }
    // Step 18. credentials.
    if let Some(c) = init.credentials {
        request.credentials = c;
    }
    // Steps 19-20. cache; only-if-cached needs same-origin.
    if let Some(c) = init.cache {
        request.cache = c;
    }
    if request.cache == RequestCache::OnlyIfCached && request.mode != RequestMode::SameOrigin {
        return Err(Error::Type(
            "'only-if-cached' can be set only with 'same-origin' mode".into(),
        ));
    }
    // Steps 21-23. redirect, integrity, keepalive.
    if let Some(r) = init.redirect {
        request.redirect = r;
    }
    if let Some(i) = &init.integrity {
        request.integrity = i.clone();
    }
    if let Some(k) = init.keepalive {
        request.keepalive = k;
    }
    // Step 24. method: a token, not forbidden, normalized.
    if let Some(method) = &init.method {
        request.method = checked_method(method)?;
    }
    // Step 28. window must be null if present.
    if let Some(w) = &init.window {
        if !w.is_null() {
            return Err(Error::Type("RequestInit's window must be null".into()));
        }
    }
    Ok(())
}

/// Step 13 of the Request constructor: init's referrer, parsed with the API base URL ("" is
/// no referrer; about:client, or another origin's URL, is the client).
fn parse_referrer(global: &GlobalScope<'_>, referrer: &str) -> Fallible<Referrer> {
    if referrer.is_empty() {
        return Ok(Referrer::NoReferrer);
    }
    let parsed = global
        .parse_url(referrer)
        .map_err(|e| Error::Type(format!("Invalid referrer URL {referrer}: {e}")))?;
    let same_origin = parsed.origin().ascii_serialization() == global.info().origin;
    Ok(if parsed.as_str() == "about:client" || !same_origin {
        Referrer::Client
    } else {
        Referrer::Url(parsed.to_string())
    })
}

/// Step 24 of the Request constructor: init's method, if it is a token and not forbidden,
/// normalized.
fn checked_method(method: &ByteString) -> Fallible<Vec<u8>> {
    let m = method.as_bytes();
    if !is_method(m) {
        return Err(Error::Type(format!(
            "'{}' is not a valid HTTP method.",
            method.to_latin1_string()
        )));
    }
    if is_forbidden_method(m) {
        return Err(Error::Type(format!(
            "'{}' HTTP method is unsupported.",
            method.to_latin1_string()
        )));
    }
    Ok(normalize_method(m))
}

/// Steps 32-34 of the Request constructor: this's headers (guard "request", or
/// "request-no-cors"), from input's or init's.
fn request_headers<'js>(
    request: &InnerRequest,
    input_headers: HeaderList,
    init: &RequestInit<'js>,
    init_is_empty: bool,
) -> Fallible<Headers<'js>> {
    // Step 32. The headers, guard "request".
    let headers = Headers::new_inherited(input_headers, Guard::Request);
    // Step 33. no-cors: safelisted methods only; the guard becomes request-no-cors.
    if request.mode == RequestMode::NoCors {
        if !matches!(request.method.as_slice(), b"GET" | b"HEAD" | b"POST") {
            return Err(Error::Type(format!(
                "'{}' is unsupported in no-cors mode.",
                String::from_utf8_lossy(&request.method)
            )));
        }
        headers.set_guard(Guard::RequestNoCors);
    }
    // Step 34. init's headers replace the copied ones.
    if let Some(init_headers) = init.headers.clone() {
        headers.set_list(Vec::new());
        headers.fill(init_headers)?;
    } else if !init_is_empty {
        // "headers is a copy of this's headers": refill through the (new) guard.
        let list = headers.list();
        headers.set_list(Vec::new());
        headers.fill(HeadersInit::ByteStringSequenceSequence(
            list.into_iter()
                .map(|(n, v)| vec![ByteString(n), ByteString(v)])
                .collect(),
        ))?;
    }
    Ok(headers)
}

/// Steps 35-42 of the Request constructor: this's body, init's (extracted, its type set on
/// `headers`) or input's (which becomes unusable).
fn request_body<'js>(
    ctx: &Ctx<'js>,
    request: &InnerRequest,
    headers: &Headers<'js>,
    init: &RequestInit<'js>,
    input_request: Option<&Dom<'js, Request<'js>>>,
) -> Fallible<Body<'js>> {
    // Steps 35-36. A body with GET or HEAD: TypeError.
    let init_body = init.body.clone().flatten();
    let input_has_body = input_request.is_some_and(|r| !r.body.is_null());
    if (init_body.is_some() || input_has_body)
        && matches!(request.method.as_slice(), b"GET" | b"HEAD")
    {
        return Err(Error::Type(
            "Request with GET/HEAD method cannot have body.".into(),
        ));
    }
    // Steps 37-38. Extract init's body; its type unless Content-Type is set.
    if let Some(b) = init_body {
        let extracted = body::extract_body_init(b)?;
        // Step 41. A stream body needs init["duplex"] ("half"), and a CORS mode.
        if let body::Extracted::Stream(_) = &extracted {
            if init.duplex.is_none() {
                return Err(Error::Type(
                    "a Request with a stream body needs duplex: \"half\"".into(),
                ));
            }
            if !matches!(request.mode, RequestMode::SameOrigin | RequestMode::Cors) {
                return Err(Error::Type(
                    "a Request with a stream body must be same-origin or cors".into(),
                ));
            }
        }
        return body::body_with_type(headers, extracted);
    }
    // Steps 39-42. Otherwise input's body, which becomes unusable.
    match input_request {
        Some(r) if !r.body.is_null() => {
            if r.body.unusable() {
                return Err(Error::Type(
                    "Cannot construct a Request with a Request object that has already been used."
                        .into(),
                ));
            }
            let b = r.body.clone_body(ctx)?;
            r.body.disturb();
            Ok(b)
        }
        _ => Ok(Body::new(None)),
    }
}
