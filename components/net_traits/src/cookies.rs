//! A profile's cookies as `document.cookie` reaches them (the "non-HTTP" API of RFC 6265bis;
//! HTTP requests and responses use the store inside the network stack).

/// The profile's cookie store, for documents.
pub trait DocumentCookies: Send + Sync {
    /// The cookie-string of `url` for a non-HTTP API: its cookies' `name=value` pairs
    /// (HttpOnly ones left out), joined with `"; "`.
    fn cookie_string(&self, url: &str) -> String;
    /// Stores `cookie` (a `Set-Cookie`-like string) received from `url` through a non-HTTP
    /// API: an HttpOnly cookie, or one that would replace an HttpOnly cookie, is ignored.
    fn set_cookie_string(&self, url: &str, cookie: &str);
}
