//! <https://html.spec.whatwg.org/#the-domstringlist-interface>: a read-only list of strings
//! (IndexedDB's store and index names).

use crate::dom::bindings::codegen::DOMStringListBinding::DOMStringListMethods;
use crate::dom::bindings::codegen_prelude::*;

/// <https://html.spec.whatwg.org/#domstringlist>
pub struct DOMStringList<'js> {
    strings: Vec<String>,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for DOMStringList<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> DOMStringList<'js> {
    pub fn new(ctx: &Ctx<'js>, strings: Vec<String>) -> Fallible<Dom<'js, DOMStringList<'js>>> {
        reflect_dom_object(
            ctx,
            DOMStringList {
                strings,
                _js: std::marker::PhantomData,
            },
        )
    }
}

impl<'js> DOMStringListMethods<'js> for DOMStringList<'js> {
    /// <https://html.spec.whatwg.org/#dom-domstringlist-length>
    fn length(&self, _cx: &Cx<'js>) -> Fallible<u32> {
        Ok(self.strings.len() as u32)
    }

    /// <https://html.spec.whatwg.org/#dom-domstringlist-item>: null past the end.
    fn item(&self, _cx: &Cx<'js>, index: u32) -> Fallible<Option<DOMString>> {
        Ok(self.strings.get(index as usize).cloned())
    }

    /// <https://html.spec.whatwg.org/#dom-domstringlist-contains>
    fn contains(&self, _cx: &Cx<'js>, string: DOMString) -> Fallible<bool> {
        Ok(self.strings.iter().any(|s| *s == *string))
    }
}
