//! <https://html.spec.whatwg.org/#the-location-interface>: the URL of the window, read
//! through the URL standard's getters, which WorkerLocation ([`crate::dom::workerlocation`])
//! shares. (No navigation yet: Location's setters are not exposed.)

use crate::dom::bindings::codegen::LocationBinding::LocationMethods;
use crate::dom::bindings::codegen_prelude::*;

/// The getters both interfaces share (HTML §7.10.1, §10.3.3), over `self.url`.
macro_rules! url_getters {
    () => {
        fn href(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::href(&self.url).to_string())
        }
        fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::origin(&self.url))
        }
        fn protocol(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::protocol(&self.url).to_string())
        }
        fn host(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::host(&self.url).to_string())
        }
        fn hostname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::hostname(&self.url).to_string())
        }
        fn port(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::port(&self.url).to_string())
        }
        fn pathname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::pathname(&self.url).to_string())
        }
        fn search(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::search(&self.url).to_string())
        }
        fn hash(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::hash(&self.url).to_string())
        }
    };
}
pub(crate) use url_getters;

/// The global's URL (about:blank if it does not parse).
pub(crate) fn global_url(url: &str) -> url::Url {
    url::Url::parse(url).unwrap_or_else(|_| url::Url::parse("about:blank").expect("about:blank"))
}

/// <https://html.spec.whatwg.org/#the-location-interface>
pub struct Location<'js> {
    url: url::Url,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Location<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> Location<'js> {
    pub fn new_inherited(url: &str) -> Location<'js> {
        Location {
            url: global_url(url),
            _js: std::marker::PhantomData,
        }
    }
}

impl<'js> LocationMethods<'js> for Location<'js> {
    url_getters!();
}
