//! <https://dom.spec.whatwg.org/#mutation-observers>: MutationObserver, the registered
//! observer lists of nodes, "queue a mutation record" (the records are
//! [`crate::dom::mutationrecord`]s) and "notify mutation observers" (a microtask).

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::MutationObserverBinding::MutationObserverMethods;
use crate::dom::bindings::codegen::{MutationCallback, MutationObserverInit};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use crate::dom::mutationrecord::MutationRecord;
use crate::dom::node::Node;

/// A registered observer's options (MutationObserverInit after validation).
#[derive(Clone, Debug, Default)]
pub struct Options {
    child_list: bool,
    attributes: bool,
    character_data: bool,
    subtree: bool,
    attribute_old_value: bool,
    character_data_old_value: bool,
    attribute_filter: Option<Vec<String>>,
}

/// <https://dom.spec.whatwg.org/#registered-observer> (transient ones are added to removed
/// nodes and dropped at the next notification).
pub struct Registered<'js> {
    observer: Dom<'js, MutationObserver<'js>>,
    options: Options,
    transient: bool,
}

impl<'js> Trace<'js> for Registered<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.observer.trace(tracer)
    }
}

/// <https://dom.spec.whatwg.org/#interface-mutationobserver>
pub struct MutationObserver<'js> {
    callback: MutationCallback<'js>,
    records: DomRefCell<Vec<Dom<'js, MutationRecord<'js>>>>,
    /// The nodes this observer is registered on (weak in the standard).
    nodes: DomRefCell<Vec<Dom<'js, Node<'js>>>>,
}

impl<'js> Trace<'js> for MutationObserver<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.callback.trace(tracer);
        self.records.trace(tracer);
        self.nodes.trace(tracer);
    }
}

fn this_observer<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, MutationObserver<'js>>> {
    <MutationObserver as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

impl<'js> MutationObserverMethods<'js> for MutationObserver<'js> {
    /// <https://dom.spec.whatwg.org/#dom-mutationobserver-observe>
    fn observe(
        &self,
        cx: &Cx<'js>,
        target: Dom<'js, Node<'js>>,
        init: MutationObserverInit,
    ) -> Fallible<()> {
        let this = this_observer(cx)?;
        // Steps 1-2. Old values or a filter imply the kind.
        let attributes = init
            .attributes
            .unwrap_or(init.attributeOldValue.is_some() || init.attributeFilter.is_some());
        let character_data = init
            .characterData
            .unwrap_or(init.characterDataOldValue.is_some());
        // Steps 3-6. The TypeErrors.
        if !init.childList && !attributes && !character_data {
            return Err(Error::Type(
                "observe() needs one of childList, attributes or characterData".into(),
            ));
        }
        if init.attributeOldValue == Some(true) && !attributes {
            return Err(Error::Type("attributeOldValue needs attributes".into()));
        }
        if init.attributeFilter.is_some() && !attributes {
            return Err(Error::Type("attributeFilter needs attributes".into()));
        }
        if init.characterDataOldValue == Some(true) && !character_data {
            return Err(Error::Type(
                "characterDataOldValue needs characterData".into(),
            ));
        }
        let options = Options {
            child_list: init.childList,
            attributes,
            character_data,
            subtree: init.subtree,
            attribute_old_value: init.attributeOldValue == Some(true),
            character_data_old_value: init.characterDataOldValue == Some(true),
            attribute_filter: init.attributeFilter,
        };
        // Step 7. Already registered on target: replace its options (and drop this
        // observer's transient registrations).
        {
            let mut list = target.observers.borrow_mut();
            if let Some(r) = list
                .iter_mut()
                .find(|r| !r.transient && r.observer.ptr_eq(&this))
            {
                r.options = options;
                drop(list);
                for n in self.nodes.borrow().iter() {
                    n.observers
                        .borrow_mut()
                        .retain(|r| !(r.transient && r.observer.ptr_eq(&this)));
                }
                return Ok(());
            }
            // Step 8. Otherwise a new registered observer.
            list.push(Registered {
                observer: this.clone(),
                options,
                transient: false,
            });
        }
        self.nodes.borrow_mut().push(target);
        if let Some(global) = GlobalScope::current(&cx.ctx) {
            global.mutation_observers_used.set(true);
        }
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-mutationobserver-disconnect>
    fn disconnect(&self, cx: &Cx<'js>) -> Fallible<()> {
        let this = this_observer(cx)?;
        for n in self.nodes.borrow_mut().drain(..) {
            n.observers
                .borrow_mut()
                .retain(|r| !r.observer.ptr_eq(&this));
        }
        self.records.borrow_mut().clear();
        Ok(())
    }
    /// <https://dom.spec.whatwg.org/#dom-mutationobserver-takerecords>
    fn takeRecords(&self, _cx: &Cx<'js>) -> Fallible<Vec<Dom<'js, MutationRecord<'js>>>> {
        Ok(std::mem::take(&mut *self.records.borrow_mut()))
    }
    fn Constructor(_cx: &Cx<'js>, callback: MutationCallback<'js>) -> Fallible<Self> {
        Ok(MutationObserver {
            callback,
            records: DomRefCell::new(Vec::new()),
            nodes: DomRefCell::new(Vec::new()),
        })
    }
}

/// The kind of a mutation and its details, for [`queue_record`].
pub enum Mutation<'js> {
    Attributes {
        name: String,
        old_value: Option<String>,
    },
    CharacterData {
        old_value: String,
    },
    ChildList {
        added: Vec<Dom<'js, Node<'js>>>,
        removed: Vec<Dom<'js, Node<'js>>>,
        previous_sibling: Option<Dom<'js, Node<'js>>>,
        next_sibling: Option<Dom<'js, Node<'js>>>,
    },
}

/// <https://dom.spec.whatwg.org/#queue-a-mutation-record>
pub fn queue_record<'js>(target: &Dom<'js, Node<'js>>, mutation: Mutation<'js>) {
    let ctx = target.reflector().ctx().clone();
    let Some(global) = GlobalScope::current(&ctx) else {
        return;
    };
    // Nothing to do until some observer observes (the common case).
    if !global.mutation_observers_used.get() {
        return;
    }
    // Steps 1-3. The interested observers and their old values, from target's inclusive
    // ancestors' registered observers.
    let mut interested: Vec<(Dom<'js, MutationObserver<'js>>, Option<String>)> = Vec::new();
    let mut n = Some(target.clone());
    while let Some(node) = n {
        for r in node.observers.borrow().iter() {
            let o = &r.options;
            if !node.ptr_eq(target) && !o.subtree {
                continue;
            }
            let (wanted, old) = match &mutation {
                Mutation::Attributes { name, old_value } => (
                    o.attributes && o.attribute_filter.as_ref().is_none_or(|f| f.contains(name)),
                    o.attribute_old_value.then(|| old_value.clone()).flatten(),
                ),
                Mutation::CharacterData { old_value } => (
                    o.character_data,
                    o.character_data_old_value.then(|| old_value.clone()),
                ),
                Mutation::ChildList { .. } => (o.child_list, None),
            };
            if !wanted {
                continue;
            }
            match interested
                .iter_mut()
                .find(|(obs, _)| obs.ptr_eq(&r.observer))
            {
                Some(entry) => {
                    if old.is_some() {
                        entry.1 = old;
                    }
                }
                None => interested.push((r.observer.clone(), old)),
            }
        }
        n = node.parent_node();
    }
    if interested.is_empty() {
        return;
    }
    // Step 4. A record for each interested observer.
    for (observer, old_value) in interested {
        let record = MutationRecord::new_inherited(&ctx, target, &mutation, old_value);
        let Ok(record) = record.and_then(|r| reflect_dom_object(&ctx, r)) else {
            continue;
        };
        observer.records.borrow_mut().push(record);
        let mut pending = global.pending_mutation_observers.borrow_mut();
        if !pending.iter().any(|o| o.ptr_eq(&observer)) {
            pending.push(observer);
        }
    }
    // Step 5. Queue a mutation observer microtask.
    queue_microtask(&ctx, &global);
}

/// <https://dom.spec.whatwg.org/#queue-a-tree-mutation-record>: a "childList" record for
/// `target` with the added and removed nodes and the siblings around them.
pub fn queue_tree_mutation_record<'js>(
    target: &Dom<'js, Node<'js>>,
    added: Vec<Dom<'js, Node<'js>>>,
    removed: Vec<Dom<'js, Node<'js>>>,
    previous_sibling: Option<Dom<'js, Node<'js>>>,
    next_sibling: Option<Dom<'js, Node<'js>>>,
) {
    // Step 2. Queue a mutation record of "childList" for target.
    queue_record(
        target,
        Mutation::ChildList {
            added,
            removed,
            previous_sibling,
            next_sibling,
        },
    );
}

/// <https://dom.spec.whatwg.org/#queue-a-mutation-observer-compound-microtask>
fn queue_microtask<'js>(ctx: &Ctx<'js>, global: &GlobalScope<'js>) {
    if global.mutation_observer_microtask_queued.replace(true) {
        return;
    }
    let Ok(f) = Function::new(ctx.clone(), |ctx: Ctx<'js>| notify(&ctx)) else {
        return;
    };
    let callback = crate::dom::bindings::codegen::VoidFunction {
        callback: f.into_inner(),
    };
    let _ = crate::script_thread::queue_microtask(ctx, callback);
}

/// <https://dom.spec.whatwg.org/#notify-mutation-observers>
fn notify<'js>(ctx: &Ctx<'js>) {
    let Some(global) = GlobalScope::current(ctx) else {
        return;
    };
    // Steps 1-3. Unset the flag; take the pending observers.
    global.mutation_observer_microtask_queued.set(false);
    let observers = std::mem::take(&mut *global.pending_mutation_observers.borrow_mut());
    // Step 5. For each: take its records, drop its transient registrations, call back.
    for mo in observers {
        let records = std::mem::take(&mut *mo.records.borrow_mut());
        for n in mo.nodes.borrow().iter() {
            n.observers
                .borrow_mut()
                .retain(|r| !(r.transient && r.observer.ptr_eq(&mo)));
        }
        if records.is_empty() {
            continue;
        }
        let this = mo.reflector().clone().into_value();
        if let Err(e) = mo.callback.call(ctx, this, records, mo.clone()) {
            GlobalScope::report_error(ctx, e);
        }
    }
}

/// "Remove" step 15: the removed node gets a transient registered observer for each
/// subtree observer of its old inclusive ancestors.
pub fn add_transient_observers<'js>(
    removed: &Dom<'js, Node<'js>>,
    old_parent: &Dom<'js, Node<'js>>,
) {
    let mut n = Some(old_parent.clone());
    let mut transient = Vec::new();
    while let Some(node) = n {
        for r in node.observers.borrow().iter() {
            if r.options.subtree {
                transient.push(Registered {
                    observer: r.observer.clone(),
                    options: r.options.clone(),
                    transient: true,
                });
            }
        }
        n = node.parent_node();
    }
    if transient.is_empty() {
        return;
    }
    for t in &transient {
        if !t.observer.nodes.borrow().iter().any(|x| x.ptr_eq(removed)) {
            t.observer.nodes.borrow_mut().push(removed.clone());
        }
    }
    removed.observers.borrow_mut().extend(transient);
}

/// The registered observer list a node carries.
pub type ObserverList<'js> = DomRefCell<Vec<Registered<'js>>>;

/// Whether `node` has tree mutations worth queuing (some observer exists in its global).
pub fn observed(node: &Dom<'_, Node<'_>>) -> bool {
    let ctx = node.reflector().ctx().clone();
    GlobalScope::current(&ctx).is_some_and(|g| g.mutation_observers_used.get())
}
