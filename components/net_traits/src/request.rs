//! Requests and responses as they cross threads: the parts of a Fetch request and response
//! (<https://fetch.spec.whatwg.org/#requests>, `#responses`) the network thread needs and
//! stores. Bodies travel as bytes (request bodies are read whole before a background fetch is
//! registered, as its spec requires); response bodies never travel whole, they are read from
//! storage in chunks.

use crate::{ByteString, HeaderList};
use serde::{Deserialize, Serialize};

/// <https://fetch.spec.whatwg.org/#concept-request-mode>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RequestMode {
    SameOrigin,
    NoCors,
    #[default]
    Cors,
    Navigate,
}

/// <https://fetch.spec.whatwg.org/#concept-request-credentials-mode>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CredentialsMode {
    Omit,
    #[default]
    SameOrigin,
    Include,
}

/// <https://fetch.spec.whatwg.org/#concept-request-redirect-mode>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RedirectMode {
    #[default]
    Follow,
    Error,
    Manual,
}

/// <https://fetch.spec.whatwg.org/#concept-request-cache-mode>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CacheMode {
    #[default]
    Default,
    NoStore,
    Reload,
    NoCache,
    ForceCache,
    OnlyIfCached,
}

/// <https://fetch.spec.whatwg.org/#concept-request-destination> (the values this engine
/// issues; `Request.destination` of other values is never produced by a loader here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Destination {
    /// `""`: fetch(), background fetch.
    #[default]
    Empty,
    Document,
    /// An `<iframe>`'s navigation.
    Iframe,
    Script,
    Worker,
    SharedWorker,
    ServiceWorker,
    /// `<img>`.
    Image,
    /// `<audio>`.
    Audio,
    /// `<video>`.
    Video,
}

impl Destination {
    /// Whether this is a script-like destination (CSP's script-src governs it).
    pub fn is_script_like(self) -> bool {
        matches!(
            self,
            Destination::Script
                | Destination::Worker
                | Destination::SharedWorker
                | Destination::ServiceWorker
        )
    }
}

/// A request, as the `Request` constructor left it (the subset the network thread uses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestData {
    /// Upper-case for the standard methods, as normalized by the constructor.
    pub method: String,
    /// The serialized URL, fragment included (stripped when fetched).
    pub url: String,
    pub headers: HeaderList,
    /// The body bytes, shared rather than copied (a Blob's bytes go to the network or the
    /// profile as they are). Not serialized: stored bodies live in files of their own.
    #[serde(skip)]
    pub body: Option<std::sync::Arc<Vec<u8>>>,
    pub mode: RequestMode,
    pub credentials: CredentialsMode,
    pub cache: CacheMode,
    pub redirect: RedirectMode,
    /// The serialized referrer URL, "client", or "no-referrer".
    pub referrer: String,
    pub referrer_policy: String,
    pub integrity: String,
    pub keepalive: bool,
    /// The destination (what the response will be used for).
    #[serde(default)]
    pub destination: Destination,
    /// The CSP list of the request's policy container (Fetch main fetch step 7 checks it on
    /// every hop): the client's, set when the fetch starts. Empty: nothing is blocked.
    #[serde(default, skip_serializing_if = "crate::csp::CspList::is_empty")]
    pub policy_container: crate::csp::CspList,
}

impl RequestData {
    /// A GET for `url` with the defaults of `new Request(url)`.
    pub fn get(url: &str) -> RequestData {
        RequestData {
            method: "GET".into(),
            url: url.into(),
            headers: Vec::new(),
            body: None,
            mode: RequestMode::Cors,
            credentials: CredentialsMode::SameOrigin,
            cache: CacheMode::Default,
            redirect: RedirectMode::Follow,
            referrer: "client".into(),
            referrer_policy: String::new(),
            integrity: String::new(),
            keepalive: false,
            destination: Destination::Empty,
            policy_container: Default::default(),
        }
    }
}

/// <https://fetch.spec.whatwg.org/#concept-response-type>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ResponseType {
    #[default]
    Basic,
    Cors,
    Default,
    Error,
    Opaque,
    OpaqueRedirect,
}

/// A response without its body: what is stored when the headers arrive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct ResponseMeta {
    pub response_type: ResponseType,
    /// The response's URL list (the last is the final URL).
    pub url_list: Vec<String>,
    pub status: u16,
    pub status_text: ByteString,
    /// The internal response's header list (all headers, for validators such as ETag).
    pub headers: HeaderList,
    /// For a CORS response, the header names scripts may see (CORS-safelisted response
    /// headers and `Access-Control-Expose-Headers`), lower-case; empty otherwise.
    pub cors_exposed_header_names: Vec<String>,
    /// For an opaque filtered response made for a script thread: its internal response's
    /// status, which the user agent's algorithms may look at (Cache.put refuses a 206) and
    /// script never sees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opaque_status: Option<u16>,
}

/// <https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name>
pub const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

impl ResponseMeta {
    /// Fetch "ok status": 200 to 299.
    pub fn ok(&self) -> bool {
        (200..=299).contains(&self.status)
    }

    /// The values of the header `name` (matched case-insensitively), in order, as text
    /// (bytes that are not UTF-8 become U+FFFD).
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.0.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| String::from_utf8_lossy(&v.0).into_owned())
            .collect()
    }

    /// The headers a script may see: all of them for a basic response, the CORS-exposed
    /// ones (minus `Set-Cookie`) for a CORS response, none for opaque ones
    /// (Fetch "filtered response").
    pub fn exposed_headers(&self) -> HeaderList {
        // Fetch's forbidden response-header names never reach script, whatever
        // Access-Control-Expose-Headers says.
        let forbidden = |n: &ByteString| {
            n.0.eq_ignore_ascii_case(b"set-cookie") || n.0.eq_ignore_ascii_case(b"set-cookie2")
        };
        match self.response_type {
            ResponseType::Basic | ResponseType::Default => self
                .headers
                .iter()
                .filter(|(n, _)| !forbidden(n))
                .cloned()
                .collect(),
            ResponseType::Cors => self
                .headers
                .iter()
                .filter(|(n, _)| {
                    let name = n.to_latin1().to_ascii_lowercase();
                    !forbidden(n) && self.cors_exposed_header_names.contains(&name)
                })
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// What may cross to a script thread: the filtered response (exposed headers only; an
    /// opaque response shows no status or URL).
    pub fn for_script(&self) -> ResponseMeta {
        let opaque = matches!(
            self.response_type,
            ResponseType::Opaque | ResponseType::OpaqueRedirect | ResponseType::Error
        );
        ResponseMeta {
            response_type: self.response_type,
            url_list: if opaque {
                Vec::new()
            } else {
                self.url_list.clone()
            },
            status: if opaque { 0 } else { self.status },
            status_text: if opaque {
                ByteString::default()
            } else {
                self.status_text.clone()
            },
            headers: self.exposed_headers(),
            cors_exposed_header_names: self.cors_exposed_header_names.clone(),
            opaque_status: if opaque {
                Some(self.opaque_status.unwrap_or(self.status))
            } else {
                None
            },
        }
    }

    /// Opaque responses (and opaque redirects) have no body scripts may read.
    pub fn is_opaque(&self) -> bool {
        matches!(
            self.response_type,
            ResponseType::Opaque | ResponseType::OpaqueRedirect | ResponseType::Error
        )
    }
}

/// <https://w3c.github.io/ServiceWorker/#dictdef-cachequeryoptions>
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CacheQueryOptions {
    pub ignore_search: bool,
    pub ignore_method: bool,
    pub ignore_vary: bool,
}

/// <https://w3c.github.io/image-resource/#dom-imageresource>
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImageResource {
    /// The parsed, serialized URL.
    pub src: String,
    pub sizes: Option<String>,
    pub type_: Option<String>,
    pub label: Option<String>,
}
