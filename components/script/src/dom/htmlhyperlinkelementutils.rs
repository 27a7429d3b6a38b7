//! <https://html.spec.whatwg.org/#htmlhyperlinkelementutils>: `href` and its URL parts on
//! `<a>` and `<area>`. The URL standard's setters are the `url` crate's `quirks` module
//! (its implementation of the URL API's setters).

use crate::dom::bindings::codegen_prelude::*;
use crate::dom::element::Element;

/// <https://html.spec.whatwg.org/#concept-hyperlink-url-set>: the element's href parsed
/// against its node document (None: no href, or it does not parse). "Reinitialize url" is
/// this, run before every member reads the URL (the element keeps no URL of its own).
fn url_of<'js>(e: &Dom<'js, Element<'js>>) -> Option<url::Url> {
    let href = e.get_attr("href")?;
    crate::dom::bindings::reflect::resolve_url(e, &href).and_then(|s| url::Url::parse(&s).ok())
}

/// <https://html.spec.whatwg.org/#update-href>: set the href content attribute to the URL.
fn update_href<'js>(cx: &Cx<'js>, e: &Dom<'js, Element<'js>>, url: &url::Url) {
    e.set_attr(&cx.ctx, e, "href", url.as_str().to_string());
}

/// <https://html.spec.whatwg.org/#dom-hyperlink-href>
pub fn href<'js>(e: &Dom<'js, Element<'js>>) -> String {
    match url_of(e) {
        // Step 4. Return this's url, serialized.
        Some(u) => u.into(),
        // Steps 2-3. No URL: "" without the attribute, else the attribute's value.
        None => e.get_attr("href").unwrap_or_default(),
    }
}

/// Reads a part of the URL (`empty` when there is none).
pub fn part<'js>(e: &Dom<'js, Element<'js>>, empty: &str, read: fn(&url::Url) -> &str) -> String {
    match url_of(e) {
        Some(u) => read(&u).to_string(),
        None => empty.to_string(),
    }
}

/// A setter: with a URL, run the URL API setter `set` on it and update href.
pub fn set_part<'js>(
    cx: &Cx<'js>,
    e: &Dom<'js, Element<'js>>,
    value: &str,
    set: fn(&mut url::Url, &str),
) {
    // Steps 1-3. Reinitialize url; if url is null, return.
    let Some(mut u) = url_of(e) else {
        return;
    };
    // Step 4. The URL standard's setter.
    set(&mut u, value);
    // Step 5. Update href.
    update_href(cx, e, &u);
}

pub fn set_protocol(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_protocol(u, v);
}
pub fn set_username(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_username(u, v);
}
pub fn set_password(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_password(u, v);
}
pub fn set_host(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_host(u, v);
}
pub fn set_hostname(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_hostname(u, v);
}
pub fn set_port(u: &mut url::Url, v: &str) {
    let _ = url::quirks::set_port(u, v);
}
pub fn set_pathname(u: &mut url::Url, v: &str) {
    url::quirks::set_pathname(u, v);
}
pub fn set_search(u: &mut url::Url, v: &str) {
    url::quirks::set_search(u, v);
}
pub fn set_hash(u: &mut url::Url, v: &str) {
    url::quirks::set_hash(u, v);
}

/// <https://html.spec.whatwg.org/#dom-hyperlink-origin>
pub fn origin<'js>(e: &Dom<'js, Element<'js>>) -> String {
    match url_of(e) {
        Some(u) => u.origin().ascii_serialization(),
        None => String::new(),
    }
}

/// The HTMLHyperlinkElementUtils members of an element interface's Methods impl.
#[macro_export]
macro_rules! hyperlink_element_utils_methods {
    () => {
        fn href(&self, cx: &Cx<'js>) -> Fallible<USVString> {
            Ok($crate::dom::htmlhyperlinkelementutils::href(
                &$crate::dom::element::this_element(cx)?,
            ))
        }
        fn origin(&self, cx: &Cx<'js>) -> Fallible<USVString> {
            Ok($crate::dom::htmlhyperlinkelementutils::origin(
                &$crate::dom::element::this_element(cx)?,
            ))
        }
        $crate::hyperlink_element_utils_methods!(@part protocol, set_protocol, ":", url::quirks::protocol);
        $crate::hyperlink_element_utils_methods!(@part username, set_username, "", url::quirks::username);
        $crate::hyperlink_element_utils_methods!(@part password, set_password, "", url::quirks::password);
        $crate::hyperlink_element_utils_methods!(@part host, set_host, "", url::quirks::host);
        $crate::hyperlink_element_utils_methods!(@part hostname, set_hostname, "", url::quirks::hostname);
        $crate::hyperlink_element_utils_methods!(@part port, set_port, "", url::quirks::port);
        $crate::hyperlink_element_utils_methods!(@part pathname, set_pathname, "", url::quirks::pathname);
        $crate::hyperlink_element_utils_methods!(@part search, set_search, "", url::quirks::search);
        $crate::hyperlink_element_utils_methods!(@part hash, set_hash, "", url::quirks::hash);
    };
    (@part $get:ident, $set:ident, $empty:expr, $read:path) => {
        fn $get(&self, cx: &Cx<'js>) -> Fallible<USVString> {
            Ok($crate::dom::htmlhyperlinkelementutils::part(
                &$crate::dom::element::this_element(cx)?,
                $empty,
                $read,
            ))
        }
        fn $set(&self, cx: &Cx<'js>, value: USVString) -> Fallible<()> {
            let e = $crate::dom::element::this_element(cx)?;
            $crate::dom::htmlhyperlinkelementutils::set_part(
                cx,
                &e,
                &value,
                $crate::dom::htmlhyperlinkelementutils::$set,
            );
            Ok(())
        }
    };
}
