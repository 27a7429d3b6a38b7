//! <https://url.spec.whatwg.org/#url-class>, on the `url` crate (Servo's URL parser).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::URLBinding::URLMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::urlsearchparams::{self, URLSearchParams};
use url::quirks;

/// <https://url.spec.whatwg.org/#url-class>
pub struct URL<'js> {
    /// The URL.
    url: DomRefCell<url::Url>,
    /// The query object.
    query_object: Dom<'js, URLSearchParams<'js>>,
}

impl<'js> Trace<'js> for URL<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.query_object.trace(tracer);
    }
}

/// The API URL parser: `url` against `base`, failure as `None`.
fn api_parse(url: &str, base: Option<&str>) -> Option<url::Url> {
    // Step 1. If base is given, parse it; failure is failure.
    let base = match base {
        Some(b) => Some(url::Url::parse(b).ok()?),
        None => None,
    };
    // Step 2. Parse url against base.
    url::Url::options().base_url(base.as_ref()).parse(url).ok()
}

impl<'js> URL<'js> {
    /// <https://url.spec.whatwg.org/#url-initialize>
    fn initialize(ctx: &Ctx<'js>, url: url::Url) -> Fallible<URL<'js>> {
        // Steps 2-4. The query object, initialized with the URL's query.
        let list = urlsearchparams::parse(url.query().unwrap_or(""));
        let query_object = reflect_dom_object(ctx, URLSearchParams::new_inherited(list))?;
        Ok(URL {
            url: DomRefCell::new(url),
            query_object,
        })
    }

    /// The URLSearchParams update steps: set the URL's query (and strip trailing spaces of
    /// an opaque path when it becomes null).
    pub fn set_query_from_params(&self, query: Option<&str>) {
        self.url.borrow_mut().set_query(query);
    }

    /// The query object's list follows the URL's query.
    fn refresh_query_object(&self) {
        let query = self.url.borrow().query().unwrap_or("").to_string();
        self.query_object.set_list(urlsearchparams::parse(&query));
    }

    pub fn url(&self) -> url::Url {
        self.url.borrow().clone()
    }
}

impl<'js> URLMethods<'js> for URL<'js> {
    /// <https://w3c.github.io/FileAPI/#dfn-createObjectURL>: a new blob URL for `obj` in the
    /// blob URL store, owned by the current global (revoked when it ends).
    fn createObjectURL(
        cx: &Cx<'js>,
        obj: Dom<'js, crate::dom::blob::Blob<'js>>,
    ) -> Fallible<DOMString> {
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("no global"))?;
        let url = global
            .profile()
            .blob_urls()
            .add_entry(crate::blob_url::BlobUrlEntry {
                bytes: obj.shared_bytes(),
                type_: obj.type_string().to_string(),
                origin: global.info().origin.clone(),
            });
        global.blob_urls.borrow_mut().push(url.clone());
        Ok(url)
    }
    /// <https://w3c.github.io/FileAPI/#dfn-revokeObjectURL>: a URL that does not parse, is
    /// not a blob URL, or belongs to another origin is ignored.
    fn revokeObjectURL(cx: &Cx<'js>, url: DOMString) -> Fallible<()> {
        let global = crate::dom::globalscope::GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("no global"))?;
        let Ok(parsed) = url::Url::parse(&url) else {
            return Ok(());
        };
        if parsed.scheme() != "blob" {
            return Ok(());
        }
        global
            .profile()
            .blob_urls()
            .remove_entry(parsed.as_str(), &global.info().origin);
        global
            .blob_urls
            .borrow_mut()
            .retain(|u| u != parsed.as_str());
        Ok(())
    }
    /// <https://url.spec.whatwg.org/#dom-url-href>
    fn href(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::href(&self.url.borrow()).to_string())
    }
    fn set_href(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        // Steps 1-2. Parse the value; failure throws a TypeError.
        let parsed = url::Url::parse(&value)
            .map_err(|e| Error::Type(format!("{value:?} is not a valid URL: {e}")))?;
        // Steps 3-5. Set the URL, empty the query object's list, refill it from the query.
        *self.url.borrow_mut() = parsed;
        self.refresh_query_object();
        Ok(())
    }
    fn toJSON(&self, cx: &Cx<'js>) -> Fallible<USVString> {
        self.href(cx)
    }
    fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::origin(&self.url.borrow()))
    }
    fn protocol(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::protocol(&self.url.borrow()).to_string())
    }
    fn set_protocol(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_protocol(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn username(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::username(&self.url.borrow()).to_string())
    }
    fn set_username(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_username(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn password(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::password(&self.url.borrow()).to_string())
    }
    fn set_password(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_password(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn host(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::host(&self.url.borrow()).to_string())
    }
    fn set_host(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_host(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn hostname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::hostname(&self.url.borrow()).to_string())
    }
    fn set_hostname(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_hostname(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn port(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::port(&self.url.borrow()).to_string())
    }
    fn set_port(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        let _ = quirks::set_port(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn pathname(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::pathname(&self.url.borrow()).to_string())
    }
    fn set_pathname(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        quirks::set_pathname(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    fn search(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::search(&self.url.borrow()).to_string())
    }
    /// <https://url.spec.whatwg.org/#dom-url-search>
    fn set_search(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        quirks::set_search(&mut self.url.borrow_mut(), &value);
        // The query object's list is the new query, parsed.
        self.refresh_query_object();
        Ok(())
    }
    /// <https://url.spec.whatwg.org/#dom-url-searchparams>
    fn searchParams(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, URLSearchParams<'js>>> {
        // The query object's URL object is this (linked here, where script first sees it).
        if let Some(this) = <URL as DomInterface>::unwrap(&cx.this) {
            self.query_object.set_url_object(this);
        }
        Ok(self.query_object.clone())
    }
    fn hash(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(quirks::hash(&self.url.borrow()).to_string())
    }
    fn set_hash(&self, _cx: &Cx<'js>, value: USVString) -> Fallible<()> {
        quirks::set_hash(&mut self.url.borrow_mut(), &value);
        Ok(())
    }
    /// <https://url.spec.whatwg.org/#dom-url-parse>
    fn parse(
        cx: &Cx<'js>,
        url: USVString,
        base: Option<USVString>,
    ) -> Fallible<Option<Dom<'js, URL<'js>>>> {
        // Steps 1-2. Failure is null.
        let Some(parsed) = api_parse(&url, base.as_deref()) else {
            return Ok(None);
        };
        // Steps 3-4. A new URL object, initialized.
        let value = URL::initialize(&cx.ctx, parsed)?;
        Ok(Some(reflect_dom_object(&cx.ctx, value)?))
    }
    /// <https://url.spec.whatwg.org/#dom-url-canparse>
    fn canParse(_cx: &Cx<'js>, url: USVString, base: Option<USVString>) -> Fallible<bool> {
        Ok(api_parse(&url, base.as_deref()).is_some())
    }
    /// <https://url.spec.whatwg.org/#dom-url-url>
    fn Constructor(cx: &Cx<'js>, url: USVString, base: Option<USVString>) -> Fallible<Self> {
        // Steps 1-2. Parse; failure throws a TypeError.
        let parsed = api_parse(&url, base.as_deref()).ok_or_else(|| {
            Error::Type(match &base {
                Some(b) => format!("{url:?} against {b:?} is not a valid URL"),
                None => format!("{url:?} is not a valid URL"),
            })
        })?;
        // Step 3. Initialize this.
        URL::initialize(&cx.ctx, parsed)
    }
}
