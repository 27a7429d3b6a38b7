//! <https://html.spec.whatwg.org/#the-navigator-object>: the user agent's identity,
//! language, online state and hardware concurrency, written once for Navigator and
//! WorkerNavigator ([`crate::dom::workernavigator`]).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::NavigatorBinding::NavigatorMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;

/// The user agent string (HTML's "default `User-Agent` value"), as the network sends it.
pub const USER_AGENT: &str = net_traits::USER_AGENT;

/// <https://html.spec.whatwg.org/#dom-navigator-online>: false when the user agent will not
/// contact the network, which is the global's profile's network state
/// ([`crate::Profile::online`], the switch the embedder sets).
pub fn is_online(ctx: &Ctx<'_>) -> bool {
    GlobalScope::current(ctx).is_none_or(|g| g.profile().online().is_online())
}

/// When the network state of the profile changes: "queue a global task on the networking
/// task source given the relevant global object, to fire an event named `offline` (or
/// `online`) at the Window or WorkerGlobalScope object".
pub(crate) fn watch_network_state(
    online: &net_traits::OnlineSignal,
    tasks: crate::global_handle::TaskSender,
) -> net_traits::online::Subscription {
    online.subscribe(move |online| {
        let _ = tasks.queue(move |ctx| {
            let Some(global) = GlobalScope::current(ctx) else {
                return;
            };
            let name = if online { "online" } else { "offline" };
            let target = GlobalScope::as_event_target(&global);
            if let Err(e) = crate::dom::eventtarget::fire_event(ctx, &target, name, false, false) {
                GlobalScope::report_error(ctx, e);
            }
        });
    })
}

/// The platform string of `navigator.platform` and `navigator.oscpu`: "OS ARCH" (e.g.
/// "linux x86_64").
pub fn platform() -> String {
    format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)
}

/// The state both interfaces share: the languages array is the same object until it changes.
#[derive(Default)]
pub(crate) struct NavigatorState<'js> {
    languages: DomRefCell<Option<FrozenArray<'js>>>,
    storage: DomRefCell<Option<Dom<'js, crate::dom::storagemanager::StorageManager<'js>>>>,
}

impl<'js> Trace<'js> for NavigatorState<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.languages.trace(tracer);
        self.storage.trace(tracer);
    }
}

impl<'js> NavigatorState<'js> {
    pub(crate) fn languages(&self, ctx: &Ctx<'js>) -> Fallible<FrozenArray<'js>> {
        if let Some(l) = self.languages.borrow().as_ref() {
            return Ok(l.clone());
        }
        let l = FrozenArray::new(ctx, vec!["en-US".to_string()])?;
        *self.languages.borrow_mut() = Some(l.clone());
        Ok(l)
    }

    /// <https://storage.spec.whatwg.org/#dom-navigatorstorage-storage> ([SameObject]).
    pub(crate) fn storage(
        &self,
        ctx: &Ctx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::storagemanager::StorageManager<'js>>> {
        if let Some(s) = self.storage.borrow().as_ref() {
            return Ok(s.clone());
        }
        let s = reflect_dom_object(ctx, crate::dom::storagemanager::StorageManager::new())?;
        *self.storage.borrow_mut() = Some(s.clone());
        Ok(s)
    }
}

/// NavigatorID, NavigatorLanguage, NavigatorOnLine and NavigatorConcurrentHardware.
macro_rules! navigator_mixins {
    () => {
        fn appCodeName(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok("Mozilla".into())
        }
        fn appName(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok("Netscape".into())
        }
        /// The user agent string without its leading "Mozilla/".
        fn appVersion(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok($crate::dom::navigator::USER_AGENT
                .trim_start_matches("Mozilla/")
                .into())
        }
        fn platform(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok($crate::dom::navigator::platform())
        }
        fn product(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok("Gecko".into())
        }
        fn userAgent(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok($crate::dom::navigator::USER_AGENT.into())
        }
        fn language(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok("en-US".into())
        }
        fn languages(&self, cx: &Cx<'js>) -> Fallible<FrozenArray<'js>> {
            self.state.languages(&cx.ctx)
        }
        fn storage(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::storagemanager::StorageManager<'js>>> {
            self.state.storage(&cx.ctx)
        }
        fn onLine(&self, cx: &Cx<'js>) -> Fallible<bool> {
            Ok($crate::dom::navigator::is_online(&cx.ctx))
        }
        fn hardwareConcurrency(&self, _cx: &Cx<'js>) -> Fallible<u64> {
            Ok(std::thread::available_parallelism()
                .map(|n| n.get() as u64)
                .unwrap_or(1))
        }
        // [Exposed=Window] members (the generator asks for them on WorkerNavigator too,
        // where they are never exposed).
        /// The compatibility value of `productSub` for a non-Gecko engine.
        fn productSub(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok("20030107".into())
        }
        fn vendor(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok(String::new())
        }
        fn vendorSub(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok(String::new())
        }
        fn oscpu(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
            Ok($crate::dom::navigator::platform())
        }
        fn taintEnabled(&self, _cx: &Cx<'js>) -> Fallible<bool> {
            Ok(false)
        }
        /// <https://w3c.github.io/ServiceWorker/#navigator-service-worker-attribute>: the
        /// ServiceWorkerContainer of this navigator's global ([SameObject]).
        fn serviceWorker(
            &self,
            cx: &Cx<'js>,
        ) -> Fallible<Dom<'js, $crate::dom::serviceworkercontainer::ServiceWorkerContainer<'js>>> {
            let global = $crate::dom::globalscope::GlobalScope::current(&cx.ctx)
                .ok_or_else(|| Error::invalid_state("navigator has no global"))?;
            $crate::dom::serviceworkercontainer::ServiceWorkerContainer::of(&cx.ctx, &global)
        }
    };
}
pub(crate) use navigator_mixins;

/// <https://html.spec.whatwg.org/#navigator>
pub struct Navigator<'js> {
    state: NavigatorState<'js>,
    /// `userActivation` ([SameObject]).
    user_activation: DomRefCell<Option<Dom<'js, crate::dom::useractivation::UserActivation<'js>>>>,
}

impl<'js> Trace<'js> for Navigator<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.state.trace(tracer);
        self.user_activation.trace(tracer);
    }
}

impl<'js> Navigator<'js> {
    pub fn new_inherited(_global: &GlobalScope<'js>) -> Navigator<'js> {
        Navigator {
            state: NavigatorState::default(),
            user_activation: DomRefCell::new(None),
        }
    }
}

impl<'js> NavigatorMethods<'js> for Navigator<'js> {
    navigator_mixins!();

    /// <https://html.spec.whatwg.org/#dom-navigator-useractivation>
    fn userActivation(
        &self,
        cx: &Cx<'js>,
    ) -> Fallible<Dom<'js, crate::dom::useractivation::UserActivation<'js>>> {
        if let Some(u) = self.user_activation.borrow().as_ref() {
            return Ok(u.clone());
        }
        let u = reflect_dom_object(&cx.ctx, crate::dom::useractivation::UserActivation::new())?;
        *self.user_activation.borrow_mut() = Some(u.clone());
        Ok(u)
    }
}
