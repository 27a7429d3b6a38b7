//! A profile's cookies (<https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html>):
//! `Set-Cookie` stored and `Cookie` sent by every request of the profile's network stack
//! (`fetch()`, page loads, worker scripts, background fetch) as the request's credentials
//! mode allows, and `document.cookie` ([`net_traits::cookies::DocumentCookies`]).
//!
//! The store is the `cookie_store` crate's (RFC 6265 parsing, domain and path matching,
//! expiry, Secure). Persistent cookies are written to the profile's `cookies.json` (a
//! temporary file renamed over it) before the change is acknowledged; session cookies live
//! as long as the engine.
//!
//! Third-party cookies are off: a request sends and stores cookies only when its URL is
//! same-site with its client (top-level navigations are their own site). Without the
//! Public Suffix List a site is approximated as the host's last two labels (three under a
//! two-letter country code whose second level is short, as `example.co.uk`).

use cookie_store::{CookieStore, RawCookie};
use parking_lot::Mutex;
use std::io::Write;
use std::path::PathBuf;
use url::Url;

/// See the module documentation. Share it (`Arc`).
pub struct CookieJar {
    store: Mutex<CookieStore>,
    /// Where persistent cookies are kept (`None`: in memory only).
    file: Option<PathBuf>,
}

impl std::fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieJar")
    }
}

impl CookieJar {
    /// The jar persisted at `file` (loaded if it exists). A file that cannot be read is set
    /// aside as `<file>.unreadable` (and logged), never silently overwritten.
    pub fn open(file: Option<PathBuf>) -> CookieJar {
        let store = match &file {
            Some(path) if path.exists() => match std::fs::File::open(path)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    cookie_store::serde::json::load(std::io::BufReader::new(f))
                        .map_err(|e| e.to_string())
                }) {
                Ok(store) => store,
                Err(e) => {
                    let aside = path.with_extension("json.unreadable");
                    log::warn!(
                        target: "bgfetch",
                        "cookies: {} cannot be read ({e}); kept as {}",
                        path.display(),
                        aside.display()
                    );
                    let _ = std::fs::rename(path, &aside);
                    CookieStore::default()
                }
            },
            _ => CookieStore::default(),
        };
        CookieJar {
            store: Mutex::new(store),
            file,
        }
    }

    /// The `Cookie` header value for a request to `url` (`None`: no cookie applies).
    pub fn request_cookies(&self, url: &Url) -> Option<String> {
        let store = self.store.lock();
        let pairs: Vec<String> = store
            .get_request_values(url)
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Stores the cookies of a response from `url` (its `Set-Cookie` header values).
    pub fn store_response<'a>(&self, url: &Url, set_cookies: impl Iterator<Item = &'a [u8]>) {
        let cookies: Vec<RawCookie<'static>> = set_cookies
            .filter_map(|v| std::str::from_utf8(v).ok())
            .filter_map(|v| RawCookie::parse(v.to_string()).ok())
            .filter(|c| may_be_stored(c, url))
            .collect();
        if cookies.is_empty() {
            return;
        }
        let mut store = self.store.lock();
        store.store_response_cookies(cookies.into_iter(), url);
        self.save(&store);
    }

    /// Writes the persistent cookies (a failure is logged: the cookies stay in memory).
    fn save(&self, store: &CookieStore) {
        let Some(path) = &self.file else {
            return;
        };
        let tmp = path.with_extension("json.tmp");
        let written = (|| -> std::io::Result<()> {
            let mut f = storage::private::open_options()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            cookie_store::serde::json::save(store, &mut f)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            f.flush()?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if let Err(e) = written {
            log::warn!(target: "bgfetch", "cookies: cannot write {}: {e}", path.display());
        }
    }
}

impl net_traits::cookies::DocumentCookies for CookieJar {
    fn cookie_string(&self, url: &str) -> String {
        let Ok(url) = Url::parse(url) else {
            return String::new();
        };
        let store = self.store.lock();
        store
            .matches(&url)
            .into_iter()
            .filter(|c| !c.http_only().unwrap_or(false))
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn set_cookie_string(&self, url: &str, cookie: &str) {
        let Ok(url) = Url::parse(url) else {
            return;
        };
        let Ok(raw) = RawCookie::parse(cookie.to_string()) else {
            return;
        };
        // A non-HTTP API cannot set an HttpOnly cookie, nor replace one.
        if raw.http_only().unwrap_or(false) || !may_be_stored(&raw, &url) {
            return;
        }
        let mut store = self.store.lock();
        let Ok(parsed) = cookie_store::Cookie::try_from_raw_cookie(&raw, &url) else {
            return;
        };
        let replaces_http_only = store.iter_any().any(|c| {
            c.name() == parsed.name()
                && c.domain == parsed.domain
                && c.path == parsed.path
                && c.http_only().unwrap_or(false)
        });
        if replaces_http_only {
            return;
        }
        if store.insert_raw(&raw, &url).is_ok() {
            self.save(&store);
        }
    }
}

/// RFC 6265bis "storage model" steps every store applies: a Secure cookie only from a secure
/// URL, SameSite=None only with Secure, and the cookie name prefixes: `__Secure-` needs Secure; `__Host-` needs Secure, no
/// Domain attribute and `Path=/` (names compared ASCII case-insensitively).
fn may_be_stored(cookie: &RawCookie<'_>, url: &Url) -> bool {
    let secure_url = url.scheme() == "https";
    let secure = cookie.secure().unwrap_or(false);
    if secure && !secure_url {
        return false;
    }
    // SameSite=None needs Secure.
    if cookie.same_site() == Some(cookie::SameSite::None) && !secure {
        return false;
    }
    let name = cookie.name().as_bytes();
    let starts = |prefix: &[u8]| {
        name.len() >= prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    if starts(b"__Secure-") && !secure {
        return false;
    }
    if starts(b"__Host-") && !(secure && cookie.domain().is_none() && cookie.path() == Some("/")) {
        return false;
    }
    true
}

/// The site of a host (see the module documentation): an IP address or a single label is
/// its own site.
pub fn site(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let keep = match labels.as_slice() {
        [.., second, tld] if tld.len() == 2 && second.len() <= 3 && labels.len() >= 3 => 3,
        _ => 2,
    };
    labels[labels.len().saturating_sub(keep)..].join(".")
}

/// Whether `url` is same-site with the origin `client` (schemes must agree on being
/// secure: an http page's requests to https are schemelessly same-site, as browsers do).
pub fn same_site(url: &Url, client: &str) -> bool {
    let Ok(client) = Url::parse(client) else {
        return false;
    };
    match (url.host_str(), client.host_str()) {
        (Some(a), Some(b)) => site(a) == site(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use net_traits::cookies::DocumentCookies;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn sites() {
        assert_eq!(site("www.example.com"), "example.com");
        assert_eq!(site("a.b.example.co.uk"), "example.co.uk");
        assert_eq!(site("localhost"), "localhost");
        assert_eq!(site("127.0.0.1"), "127.0.0.1");
        assert!(same_site(
            &url("https://api.example.com/x"),
            "https://www.example.com"
        ));
        assert!(!same_site(
            &url("https://example.org/"),
            "https://example.com"
        ));
    }

    #[test]
    fn responses_documents_and_persistence() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cookies.json");
        let jar = CookieJar::open(Some(file.clone()));
        let page = url("https://example.com/app/");
        jar.store_response(
            &page,
            [
                b"session=1; Path=/".as_slice(),
                b"token=t; Max-Age=3600; Path=/; HttpOnly",
                b"pref=dark; Max-Age=3600; Path=/",
            ]
            .into_iter(),
        );
        let header = jar.request_cookies(&page).unwrap();
        for c in ["session=1", "token=t", "pref=dark"] {
            assert!(header.contains(c), "{header}");
        }
        // document.cookie: no HttpOnly cookie, and it cannot replace one.
        let doc = jar.cookie_string(page.as_str());
        assert!(!doc.contains("token"), "{doc}");
        jar.set_cookie_string(page.as_str(), "token=stolen; Path=/");
        jar.set_cookie_string(page.as_str(), "evil=1; HttpOnly");
        jar.set_cookie_string(page.as_str(), "theme=x; Max-Age=3600; Path=/");
        let header = jar.request_cookies(&page).unwrap();
        assert!(
            header.contains("token=t") && !header.contains("stolen"),
            "{header}"
        );
        assert!(!header.contains("evil"));
        assert!(jar.cookie_string(page.as_str()).contains("theme=x"));
        // Another site sees none of them.
        assert_eq!(jar.request_cookies(&url("https://example.org/")), None);
        // Persistent cookies come back; the session cookie does not.
        drop(jar);
        let jar = CookieJar::open(Some(file));
        let header = jar.request_cookies(&page).unwrap();
        assert!(
            header.contains("token=t") && header.contains("theme=x"),
            "{header}"
        );
        assert!(!header.contains("session"), "{header}");
        // Max-Age=0 removes.
        jar.set_cookie_string(page.as_str(), "theme=; Max-Age=0; Path=/");
        assert!(!jar.cookie_string(page.as_str()).contains("theme"));
    }

    #[test]
    fn secure_cookies_and_name_prefixes() {
        let jar = CookieJar::open(None);
        let secure = url("https://example.com/");
        let plain = url("http://example.com/");
        jar.store_response(
            &plain,
            [b"s1=1; Secure".as_slice(), b"__Secure-a=1; Secure"].into_iter(),
        );
        assert_eq!(
            jar.request_cookies(&secure),
            None,
            "Secure needs a secure URL"
        );
        jar.store_response(
            &secure,
            [
                b"__Secure-b=1".as_slice(),
                b"__Secure-c=1; Secure",
                b"__Host-d=1; Secure; Path=/",
                b"__Host-e=1; Secure; Path=/x",
                b"__Host-f=1; Secure; Path=/; Domain=example.com",
                b"__host-g=1; Path=/",
            ]
            .into_iter(),
        );
        let sent = jar.request_cookies(&secure).unwrap();
        assert_eq!(sent.split("; ").count(), 2, "{sent}");
        assert!(
            sent.contains("__Secure-c=1") && sent.contains("__Host-d=1"),
            "{sent}"
        );
        jar.set_cookie_string(secure.as_str(), "__Host-h=1; Path=/");
        jar.set_cookie_string(secure.as_str(), "none-insecure=1; SameSite=None");
        jar.set_cookie_string(secure.as_str(), "none-secure=1; SameSite=None; Secure");
        let doc = jar.cookie_string(secure.as_str());
        assert!(
            !doc.contains("none-insecure") && doc.contains("none-secure=1"),
            "{doc}"
        );
        assert!(!jar.cookie_string(secure.as_str()).contains("__Host-h"));
    }

    #[test]
    fn an_unreadable_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cookies.json");
        std::fs::write(&file, b"not json").unwrap();
        let jar = CookieJar::open(Some(file.clone()));
        assert_eq!(jar.request_cookies(&url("https://example.com/")), None);
        assert!(dir.path().join("cookies.json.unreadable").exists());
    }
}
