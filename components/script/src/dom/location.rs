//! <https://html.spec.whatwg.org/#the-location-interface>: the URL of the window, read
//! through the URL standard's getters, which WorkerLocation ([`crate::dom::workerlocation`])
//! shares. (No navigation yet: Location's setters are not exposed.)

use crate::dom::bindings::codegen::LocationBinding::LocationMethods;
use crate::dom::bindings::codegen_prelude::*;

/// The getters both interfaces share (HTML §7.10.1, §10.3.3), over `self.url`.
macro_rules! url_getters {
    () => {
        fn href(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::href(&self.location_url()).to_string())
        }
        fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::origin(&self.location_url()))
        }
        fn protocol(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::protocol(&self.location_url()).to_string())
        }
        fn host(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::host(&self.location_url()).to_string())
        }
        fn hostname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::hostname(&self.location_url()).to_string())
        }
        fn port(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::port(&self.location_url()).to_string())
        }
        fn pathname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::pathname(&self.location_url()).to_string())
        }
        fn search(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::search(&self.location_url()).to_string())
        }
        fn hash(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(::url::quirks::hash(&self.location_url()).to_string())
        }
    };
}
pub(crate) use url_getters;

/// The global's URL (about:blank if it does not parse).
pub(crate) fn global_url(url: &str) -> url::Url {
    url::Url::parse(url).unwrap_or_else(|_| url::Url::parse("about:blank").expect("about:blank"))
}

/// <https://html.spec.whatwg.org/#the-location-interface>: its URL is its window's
/// document's (updated when the window loads another document).
pub struct Location<'js> {
    url: std::cell::RefCell<url::Url>,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Location<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> Location<'js> {
    pub fn new_inherited(url: &str) -> Location<'js> {
        Location {
            url: std::cell::RefCell::new(global_url(url)),
            _js: std::marker::PhantomData,
        }
    }

    fn location_url(&self) -> std::cell::Ref<'_, url::Url> {
        self.url.borrow()
    }

    /// The window's document changed: this is its URL now.
    pub(crate) fn set_url(&self, url: url::Url) {
        *self.url.borrow_mut() = url;
    }
}

impl<'js> LocationMethods<'js> for Location<'js> {
    url_getters!();
}
