//! <https://html.spec.whatwg.org/#the-workernavigator-object>: a worker's navigator (the
//! members it shares with Navigator are [`crate::dom::navigator`]'s).

use crate::dom::bindings::codegen::WorkerNavigatorBinding::WorkerNavigatorMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::navigator::{navigator_mixins, NavigatorState};

/// <https://html.spec.whatwg.org/#workernavigator>
pub struct WorkerNavigator<'js> {
    state: NavigatorState<'js>,
}

impl<'js> Trace<'js> for WorkerNavigator<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.state.trace(tracer)
    }
}

impl<'js> WorkerNavigator<'js> {
    pub fn new_inherited() -> WorkerNavigator<'js> {
        WorkerNavigator {
            state: NavigatorState::default(),
        }
    }
}

impl<'js> WorkerNavigatorMethods<'js> for WorkerNavigator<'js> {
    navigator_mixins!();
}
