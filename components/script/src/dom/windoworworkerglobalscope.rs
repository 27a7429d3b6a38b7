//! The `WindowOrWorkerGlobalScope` mixin
//! (<https://html.spec.whatwg.org/#windoworworkerglobalscope-mixin>), written once for every
//! global interface that includes it (Window and the worker globals) as a macro their
//! `...Methods` impls expand.

/// The `WindowOrWorkerGlobalScope` mixin members, written once for every global type that
/// includes the mixin (used inside its `...Methods` impl; `self.global_scope()` is the state).
#[macro_export]
macro_rules! window_or_worker_global_scope_methods {
    () => {
        /// <https://html.spec.whatwg.org/#dom-origin>
        fn origin(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
            Ok(self.global_scope().info().origin.clone())
        }
        /// <https://html.spec.whatwg.org/#dom-issecurecontext>
        fn isSecureContext(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            Ok(self.global_scope().info().secure_context)
        }
        /// <https://html.spec.whatwg.org/#dom-crossoriginisolated>
        fn crossOriginIsolated(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            // No cross-origin isolation policies are implemented.
            Ok(false)
        }
        /// <https://fetch.spec.whatwg.org/#dom-global-fetch>
        fn fetch(
            &self,
            cx: &Cx<'js>,
            input: $crate::dom::bindings::codegen::RequestInfo<'js>,
            init: $crate::dom::bindings::codegen::RequestInit<'js>,
        ) -> Fallible<Promise<'js>> {
            $crate::dom::fetch::fetch(cx, self.global_scope(), input, init)
        }
        /// <https://html.spec.whatwg.org/#dom-structuredclone>
        fn structuredClone(
            &self,
            cx: &Cx<'js>,
            value: Value<'js>,
            options: $crate::dom::bindings::codegen::StructuredSerializeOptions<'js>,
        ) -> Fallible<Value<'js>> {
            // Steps 1-2. Serialize with the transfer list, then deserialize here.
            let serialized = $crate::dom::bindings::structuredclone::serialize(
                &cx.ctx,
                value,
                options.transfer,
            )?;
            $crate::dom::bindings::structuredclone::deserialize(&cx.ctx, serialized)
        }
        /// <https://w3c.github.io/ServiceWorker/#global-caches>: this global's CacheStorage.
        fn caches(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::cachestorage::CacheStorage<'js>>> {
            $crate::dom::cachestorage::CacheStorage::of(&cx.ctx, self.global_scope())
        }
        /// <https://w3c.github.io/IndexedDB/#dom-windoworworkerglobalscope-indexeddb>
        fn indexedDB(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::indexeddb::factory::IDBFactory<'js>>> {
            $crate::dom::indexeddb::factory::IDBFactory::of(&cx.ctx, self.global_scope())
        }
        /// <https://html.spec.whatwg.org/#dom-btoa>
        fn btoa(&self, _cx: &Cx<'js>, data: DOMString) -> Fallible<DOMString> {
            $crate::dom::base64::btoa(&data)
        }
        /// <https://html.spec.whatwg.org/#dom-atob>
        fn atob(&self, _cx: &Cx<'js>, data: DOMString) -> Fallible<ByteString> {
            $crate::dom::base64::atob(&data)
        }
        /// <https://html.spec.whatwg.org/#dom-reporterror>
        fn reportError(&self, cx: &Cx<'js>, e: Value<'js>) -> Fallible<()> {
            // The reportError(e) method steps are to report an exception e for this.
            $crate::dom::error_reporting::report_an_exception(&cx.ctx, e);
            Ok(())
        }
        /// <https://html.spec.whatwg.org/#dom-settimeout>
        fn setTimeout(
            &self,
            _cx: &Cx<'js>,
            handler: $crate::dom::bindings::codegen::TimerHandler<'js>,
            timeout: i32,
            arguments: Vec<Value<'js>>,
        ) -> Fallible<i32> {
            Ok($crate::dom::timers::timer_initialization_steps(
                self.global_scope(),
                handler,
                timeout,
                arguments,
                false,
                None,
            ))
        }
        /// <https://html.spec.whatwg.org/#dom-cleartimeout>
        fn clearTimeout(&self, _cx: &Cx<'js>, id: i32) -> Fallible<()> {
            $crate::dom::timers::clear_timer(self.global_scope(), id);
            Ok(())
        }
        /// <https://html.spec.whatwg.org/#dom-setinterval>
        fn setInterval(
            &self,
            _cx: &Cx<'js>,
            handler: $crate::dom::bindings::codegen::TimerHandler<'js>,
            timeout: i32,
            arguments: Vec<Value<'js>>,
        ) -> Fallible<i32> {
            Ok($crate::dom::timers::timer_initialization_steps(
                self.global_scope(),
                handler,
                timeout,
                arguments,
                true,
                None,
            ))
        }
        /// <https://html.spec.whatwg.org/#dom-clearinterval>
        fn clearInterval(&self, _cx: &Cx<'js>, id: i32) -> Fallible<()> {
            $crate::dom::timers::clear_timer(self.global_scope(), id);
            Ok(())
        }
        /// <https://html.spec.whatwg.org/#dom-queuemicrotask>
        fn queueMicrotask(
            &self,
            cx: &Cx<'js>,
            callback: $crate::dom::bindings::codegen::VoidFunction<'js>,
        ) -> Fallible<()> {
            $crate::script_thread::queue_microtask(&cx.ctx, callback)
        }
    };
}
