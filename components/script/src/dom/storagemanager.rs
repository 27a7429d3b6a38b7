//! <https://storage.spec.whatwg.org/#storagemanager>: the origin's storage usage and quota
//! (the profile's store counts its caches and background fetches against the quota both
//! enforce) and whether its storage is persistent.

use crate::dom::bindings::codegen::StorageEstimate;
use crate::dom::bindings::codegen::StorageManagerBinding::StorageManagerMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use crate::permissions::PermissionState;
use net_traits::cache::{CacheReply, CacheRequest};

/// <https://storage.spec.whatwg.org/#storagemanager>
pub struct StorageManager<'js> {
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for StorageManager<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> StorageManager<'js> {
    pub fn new() -> StorageManager<'js> {
        StorageManager {
            _js: std::marker::PhantomData,
        }
    }
}

impl Default for StorageManager<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the origin's bucket is persistent: the embedder decides through the
/// "persistent-storage" permission; unless it denied it, a profile's storage is persistent
/// (an engine's profile is an installed one: nothing evicts it).
fn is_persistent(global: &GlobalScope<'_>) -> bool {
    global
        .info()
        .permissions
        .get(&global.info().origin, "persistent-storage")
        != PermissionState::Denied
}

/// A promise resolved (in a task) with whether the storage is persistent.
fn persistence<'js>(cx: &Cx<'js>) -> Fallible<Promise<'js>> {
    let global = GlobalScope::current(&cx.ctx)
        .ok_or_else(|| Error::invalid_state("StorageManager needs a global"))?;
    // Step: an opaque origin's storage is not available: TypeError.
    if global.info().origin == "null" {
        return glue::rejected_promise(&cx.ctx, Error::Type("this origin has no storage".into()));
    }
    let persistent = is_persistent(&global);
    let (promise, resolve, _) = cx.ctx.promise()?;
    global.queue_task(Box::new(move |_| {
        resolve.call::<_, ()>((persistent,))?;
        Ok(())
    }));
    Ok(promise)
}

impl<'js> StorageManagerMethods<'js> for StorageManager<'js> {
    /// <https://storage.spec.whatwg.org/#dom-storagemanager-persisted>
    fn persisted(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        persistence(cx)
    }

    /// <https://storage.spec.whatwg.org/#dom-storagemanager-persist>: the embedder's
    /// decision (persistent unless it denied "persistent-storage").
    fn persist(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        persistence(cx)
    }

    /// <https://storage.spec.whatwg.org/#dom-storagemanager-estimate>: usage and quota of
    /// the origin, from the profile's store (caches and background fetches).
    fn estimate(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        crate::dom::cachestorage::send(
            &cx.ctx,
            CacheRequest::Estimate,
            Box::new(|ctx, reply| match reply {
                CacheReply::Estimate { usage, quota } => StorageEstimate {
                    usage: Some(usage),
                    quota: Some(quota),
                }
                .to_js(ctx),
                CacheReply::Failed(e) => Err(Error::Type(format!("estimate(): {e}"))),
                other => Err(Error::Type(format!(
                    "estimate(): unexpected answer {other:?}"
                ))),
            }),
        )
    }
}
