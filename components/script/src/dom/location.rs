//! <https://html.spec.whatwg.org/#the-location-interface> and
//! <https://html.spec.whatwg.org/#worker-locations>: the URL of the global, read through the
//! URL standard's getters. (No navigation yet: Location's setters are not exposed.)

use crate::dom::bindings::codegen::LocationBinding::LocationMethods;
use crate::dom::bindings::codegen::WorkerLocationBinding::WorkerLocationMethods;
use crate::dom::bindings::codegen_prelude::*;
use url::quirks;

/// The getters both interfaces share (HTML §7.10.1, §10.3.3), over `self.url`.
macro_rules! url_getters {
    () => {
        fn href(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::href(&self.url).to_string())
        }
        fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::origin(&self.url))
        }
        fn protocol(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::protocol(&self.url).to_string())
        }
        fn host(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::host(&self.url).to_string())
        }
        fn hostname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::hostname(&self.url).to_string())
        }
        fn port(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::port(&self.url).to_string())
        }
        fn pathname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::pathname(&self.url).to_string())
        }
        fn search(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::search(&self.url).to_string())
        }
        fn hash(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(quirks::hash(&self.url).to_string())
        }
    };
}

/// The global's URL (about:blank if it does not parse).
fn global_url(url: &str) -> url::Url {
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

/// <https://html.spec.whatwg.org/#worker-locations>
pub struct WorkerLocation<'js> {
    url: url::Url,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for WorkerLocation<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> WorkerLocation<'js> {
    pub fn new_inherited(url: &str) -> WorkerLocation<'js> {
        WorkerLocation {
            url: global_url(url),
            _js: std::marker::PhantomData,
        }
    }
}

impl<'js> WorkerLocationMethods<'js> for WorkerLocation<'js> {
    url_getters!();
}
