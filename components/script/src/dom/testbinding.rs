//! The implementation of `test_webidls/TestBinding.webidl` and the tests that drive it from
//! JS: property descriptors, lengths, conversions, overloads, exceptions, prototype chains and
//! exposure, as WebIDL's ECMAScript binding defines them. Test builds only.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::TestBindingBinding::TestBindingMethods;
use crate::dom::bindings::codegen::TestDerivedBinding::TestDerivedMethods;
use crate::dom::bindings::codegen::TestIterableBinding::TestIterableMethods;
use crate::dom::bindings::codegen::TestNamespaceBinding::TestNamespaceMethods;
use crate::dom::bindings::codegen::TestSameObjectBinding::TestSameObjectMethods;
use crate::dom::bindings::codegen::TestServiceWorkerOnlyBinding::TestServiceWorkerOnlyMethods;
use crate::dom::bindings::codegen::{
    BooleanOrDoubleOrString, BufferSource, Function as FunctionCallback, LongOrString,
    LongOrStringOrTestDictionaryOrLongSequenceOrTestBinding, TestCallback, TestDictionary,
    TestEnum, TestInfo, TestInfoOrTestInfoSequence, TestListener, TestOptionalDictionary,
};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::eventtarget::EventTarget;
use crate::dom::globalscope::GlobalScope;
use std::cell::Cell;
use std::marker::PhantomData;

thread_local! {
    static STATIC_ATTRIBUTE: Cell<i32> = const { Cell::new(0) };
}

/// The interface with every construct.
pub struct TestBinding<'js> {
    event_target: EventTarget<'js>,
    name: String,
    boolean: Cell<bool>,
    byte: Cell<i8>,
    octet: Cell<u8>,
    short: Cell<i16>,
    unsigned_short: Cell<u16>,
    long: Cell<i32>,
    unsigned_long: Cell<u32>,
    long_long: Cell<i64>,
    unsigned_long_long: Cell<u64>,
    float: Cell<f32>,
    unrestricted_float: Cell<f32>,
    double: Cell<f64>,
    unrestricted_double: Cell<f64>,
    string: DomRefCell<String>,
    usv_string: DomRefCell<String>,
    byte_string: DomRefCell<ByteString>,
    null_to_empty: DomRefCell<String>,
    object: DomRefCell<Option<Object<'js>>>,
    any: DomRefCell<Option<Value<'js>>>,
    enumeration: Cell<TestEnum>,
    nullable_string: DomRefCell<Option<String>>,
    nullable_long: Cell<Option<i32>>,
    union: DomRefCell<Option<TestInfo<'js>>>,
    label: DomRefCell<String>,
}

impl<'js> HasParent<'js> for TestBinding<'js> {
    type Parent = EventTarget<'js>;
    fn parent(&self) -> &EventTarget<'js> {
        &self.event_target
    }
}

impl<'js> Trace<'js> for TestBinding<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.event_target.trace(tracer);
        self.object.trace(tracer);
        self.any.trace(tracer);
        self.union.trace(tracer);
    }
}

impl<'js> TestBinding<'js> {
    fn new_inherited(name: String) -> TestBinding<'js> {
        TestBinding {
            event_target: EventTarget::new_inherited(),
            name,
            boolean: Cell::new(false),
            byte: Cell::new(0),
            octet: Cell::new(0),
            short: Cell::new(0),
            unsigned_short: Cell::new(0),
            long: Cell::new(0),
            unsigned_long: Cell::new(0),
            long_long: Cell::new(0),
            unsigned_long_long: Cell::new(0),
            float: Cell::new(0.0),
            unrestricted_float: Cell::new(0.0),
            double: Cell::new(0.0),
            unrestricted_double: Cell::new(0.0),
            string: DomRefCell::new(String::new()),
            usv_string: DomRefCell::new(String::new()),
            byte_string: DomRefCell::new(ByteString::default()),
            null_to_empty: DomRefCell::new(String::new()),
            object: DomRefCell::new(None),
            any: DomRefCell::new(None),
            enumeration: Cell::new(TestEnum::Empty),
            nullable_string: DomRefCell::new(None),
            nullable_long: Cell::new(None),
            union: DomRefCell::new(None),
            label: DomRefCell::new("test binding".into()),
        }
    }
}

fn this_binding<'js>(cx: &Cx<'js>) -> Fallible<Dom<'js, TestBinding<'js>>> {
    <TestBinding as DomInterface>::unwrap(&cx.this)
        .ok_or_else(|| Error::Type("Illegal invocation".into()))
}

macro_rules! cell_attribute {
    ($get:ident, $set:ident, $field:ident, $t:ty) => {
        fn $get(&self, _cx: &Cx<'js>) -> Fallible<$t> {
            Ok(self.$field.get())
        }
        fn $set(&self, _cx: &Cx<'js>, value: $t) -> Fallible<()> {
            self.$field.set(value);
            Ok(())
        }
    };
}

macro_rules! refcell_attribute {
    ($get:ident, $set:ident, $field:ident, $t:ty) => {
        fn $get(&self, _cx: &Cx<'js>) -> Fallible<$t> {
            Ok(self.$field.borrow().clone())
        }
        fn $set(&self, _cx: &Cx<'js>, value: $t) -> Fallible<()> {
            *self.$field.borrow_mut() = value;
            Ok(())
        }
    };
}

macro_rules! pass {
    ($($name:ident: $t:ty),* $(,)?) => {$(
        fn $name(&self, _cx: &Cx<'js>, value: $t) -> Fallible<$t> {
            Ok(value)
        }
    )*};
}

fn describe_long_or_string(v: &LongOrString) -> String {
    match v {
        LongOrString::Long(n) => format!("long:{n}"),
        LongOrString::String(s) => format!("string:{s}"),
    }
}

impl<'js> TestBindingMethods<'js> for TestBinding<'js> {
    cell_attribute!(booleanAttribute, set_booleanAttribute, boolean, bool);
    cell_attribute!(byteAttribute, set_byteAttribute, byte, i8);
    cell_attribute!(octetAttribute, set_octetAttribute, octet, u8);
    cell_attribute!(shortAttribute, set_shortAttribute, short, i16);
    cell_attribute!(
        unsignedShortAttribute,
        set_unsignedShortAttribute,
        unsigned_short,
        u16
    );
    cell_attribute!(longAttribute, set_longAttribute, long, i32);
    cell_attribute!(
        unsignedLongAttribute,
        set_unsignedLongAttribute,
        unsigned_long,
        u32
    );
    cell_attribute!(longLongAttribute, set_longLongAttribute, long_long, i64);
    cell_attribute!(
        unsignedLongLongAttribute,
        set_unsignedLongLongAttribute,
        unsigned_long_long,
        u64
    );
    cell_attribute!(floatAttribute, set_floatAttribute, float, f32);
    cell_attribute!(
        unrestrictedFloatAttribute,
        set_unrestrictedFloatAttribute,
        unrestricted_float,
        f32
    );
    cell_attribute!(doubleAttribute, set_doubleAttribute, double, f64);
    cell_attribute!(
        unrestrictedDoubleAttribute,
        set_unrestrictedDoubleAttribute,
        unrestricted_double,
        f64
    );
    refcell_attribute!(stringAttribute, set_stringAttribute, string, DOMString);
    refcell_attribute!(
        usvStringAttribute,
        set_usvStringAttribute,
        usv_string,
        USVString
    );
    refcell_attribute!(
        byteStringAttribute,
        set_byteStringAttribute,
        byte_string,
        ByteString
    );
    refcell_attribute!(
        nullToEmptyAttribute,
        set_nullToEmptyAttribute,
        null_to_empty,
        DOMString
    );
    fn objectAttribute(&self, cx: &Cx<'js>) -> Fallible<Object<'js>> {
        if let Some(o) = self.object.borrow().clone() {
            return Ok(o);
        }
        let o = Object::new(cx.ctx.clone())?;
        *self.object.borrow_mut() = Some(o.clone());
        Ok(o)
    }
    fn set_objectAttribute(&self, _cx: &Cx<'js>, value: Object<'js>) -> Fallible<()> {
        *self.object.borrow_mut() = Some(value);
        Ok(())
    }
    fn anyAttribute(&self, cx: &Cx<'js>) -> Fallible<Value<'js>> {
        Ok(self
            .any
            .borrow()
            .clone()
            .unwrap_or_else(|| Value::new_undefined(cx.ctx.clone())))
    }
    fn set_anyAttribute(&self, _cx: &Cx<'js>, value: Value<'js>) -> Fallible<()> {
        *self.any.borrow_mut() = Some(value);
        Ok(())
    }
    cell_attribute!(enumAttribute, set_enumAttribute, enumeration, TestEnum);
    refcell_attribute!(
        nullableStringAttribute,
        set_nullableStringAttribute,
        nullable_string,
        Option<DOMString>
    );
    cell_attribute!(
        nullableLongAttribute,
        set_nullableLongAttribute,
        nullable_long,
        Option<i32>
    );
    fn unionAttribute(&self, _cx: &Cx<'js>) -> Fallible<TestInfo<'js>> {
        Ok(self
            .union
            .borrow()
            .clone()
            .unwrap_or(TestInfo::String(String::new())))
    }
    fn set_unionAttribute(&self, _cx: &Cx<'js>, value: TestInfo<'js>) -> Fallible<()> {
        *self.union.borrow_mut() = Some(value);
        Ok(())
    }
    fn name(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.name.clone())
    }
    fn sameObject(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, TestBinding<'js>>> {
        this_binding(cx)
    }
    fn unforgeable(&self, _cx: &Cx<'js>) -> Fallible<i32> {
        Ok(1)
    }
    fn replaceable(&self, _cx: &Cx<'js>) -> Fallible<i32> {
        Ok(2)
    }
    fn forwarder(&self, cx: &Cx<'js>) -> Fallible<Dom<'js, TestBinding<'js>>> {
        this_binding(cx)
    }
    fn staticAttribute(_cx: &Cx<'js>) -> Fallible<i32> {
        Ok(STATIC_ATTRIBUTE.with(|s| s.get()))
    }
    fn set_staticAttribute(_cx: &Cx<'js>, value: i32) -> Fallible<()> {
        STATIC_ATTRIBUTE.with(|s| s.set(value));
        Ok(())
    }
    fn windowOnly(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(true)
    }
    fn secureOnly(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(true)
    }
    fn prefOnly(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(true)
    }
    refcell_attribute!(label, set_label, label, DOMString);

    pass! {
        passByte: i8, passOctet: u8, passShort: i16, passLong: i32, passUnsignedLong: u32,
        passLongLong: i64, passUnsignedLongLong: u64, passEnforcedUnsignedLongLong: u64,
        passClampedOctet: u8, passDouble: f64, passUnrestrictedDouble: f64, passFloat: f32,
        passBoolean: bool, passString: DOMString, passUSVString: USVString,
        passByteString: ByteString, passEnum: TestEnum, passAny: Value<'js>,
        passObject: Object<'js>, passNullableString: Option<DOMString>, passSequence: Vec<i32>,
        passNestedSequence: Vec<Vec<DOMString>>, passDictionary: TestDictionary<'js>,
        passOptionalDictionary: TestOptionalDictionary,
        passInterface: Option<Dom<'js, TestBinding<'js>>>,
        passEventTarget: Dom<'js, EventTarget<'js>>, passTypedef: i32,
    }
    fn describeRecord(&self, _cx: &Cx<'js>, value: Vec<(DOMString, i32)>) -> Fallible<DOMString> {
        Ok(value
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","))
    }
    fn describeUnion(
        &self,
        _cx: &Cx<'js>,
        value: LongOrStringOrTestDictionaryOrLongSequenceOrTestBinding<'js>,
    ) -> Fallible<DOMString> {
        use LongOrStringOrTestDictionaryOrLongSequenceOrTestBinding as U;
        Ok(match value {
            U::Long(n) => format!("long:{n}"),
            U::String(s) => format!("string:{s}"),
            U::TestDictionary(d) => format!("dictionary:{}", d.requiredMember),
            U::LongSequence(s) => format!("sequence:{}", s.len()),
            U::TestBinding(t) => format!("interface:{}", t.name),
        })
    }
    fn describeNullableUnion(
        &self,
        _cx: &Cx<'js>,
        value: Option<LongOrString>,
    ) -> Fallible<DOMString> {
        Ok(match value {
            None => "null".into(),
            Some(v) => describe_long_or_string(&v),
        })
    }
    fn describeUnionWithBoolean(
        &self,
        _cx: &Cx<'js>,
        value: BooleanOrDoubleOrString,
    ) -> Fallible<DOMString> {
        Ok(match value {
            BooleanOrDoubleOrString::Boolean(b) => format!("boolean:{b}"),
            BooleanOrDoubleOrString::Double(d) => format!("double:{d}"),
            BooleanOrDoubleOrString::String(s) => format!("string:{s}"),
        })
    }
    fn describeRequestLike(
        &self,
        _cx: &Cx<'js>,
        value: TestInfoOrTestInfoSequence<'js>,
    ) -> Fallible<DOMString> {
        let one = |i: &TestInfo| match i {
            TestInfo::TestBinding(t) => format!("interface:{}", t.name),
            TestInfo::String(s) => format!("string:{s}"),
        };
        Ok(match value {
            TestInfoOrTestInfoSequence::TestInfo(i) => one(&i),
            TestInfoOrTestInfoSequence::TestInfoSequence(list) => {
                format!("[{}]", list.iter().map(one).collect::<Vec<_>>().join(","))
            }
        })
    }
    fn describeBuffer(&self, _cx: &Cx<'js>, value: BufferSource<'js>) -> Fallible<DOMString> {
        Ok(match value {
            BufferSource::ArrayBuffer(b) => format!("ArrayBuffer:{}", b.len()),
            BufferSource::ArrayBufferView(v) => {
                let view = crate::dom::bindings::buffer_source::view(&v);
                let bytes = view.to_vec()?;
                format!("{:?}:{:?}", view.kind, bytes)
            }
        })
    }
    fn optionalArgs(
        &self,
        _cx: &Cx<'js>,
        a: Option<i32>,
        b: DOMString,
        c: bool,
    ) -> Fallible<DOMString> {
        Ok(format!("{a:?}|{b}|{c}"))
    }
    fn variadic(&self, _cx: &Cx<'js>, first: DOMString, rest: Vec<i32>) -> Fallible<i32> {
        Ok(first.len() as i32 * 100 + rest.iter().sum::<i32>())
    }
    fn optionalLength(&self, _cx: &Cx<'js>, a: i32, b: Option<i32>) -> Fallible<i32> {
        Ok(a + b.unwrap_or(0))
    }
    fn overloaded(&self, _cx: &Cx<'js>, s: DOMString) -> Fallible<DOMString> {
        Ok(format!("string:{s}"))
    }
    fn overloaded_1(&self, _cx: &Cx<'js>, n: i32) -> Fallible<DOMString> {
        Ok(format!("long:{n}"))
    }
    fn overloaded_2(&self, _cx: &Cx<'js>, d: TestDictionary<'js>) -> Fallible<DOMString> {
        Ok(format!("dictionary:{}", d.requiredMember))
    }
    fn overloaded_3(&self, _cx: &Cx<'js>, s: Vec<i32>) -> Fallible<DOMString> {
        Ok(format!("sequence:{s:?}"))
    }
    fn overloaded_4(&self, _cx: &Cx<'js>, a: i32, b: i32) -> Fallible<DOMString> {
        Ok(format!("two:{a},{b}"))
    }
    fn callCallback(
        &self,
        cx: &Cx<'js>,
        cb: TestCallback<'js>,
        a: i32,
        b: DOMString,
    ) -> Fallible<i32> {
        cb.call(&cx.ctx, Value::new_undefined(cx.ctx.clone()), a, b)
    }
    fn callListener(
        &self,
        cx: &Cx<'js>,
        listener: TestListener<'js>,
        value: i32,
    ) -> Fallible<DOMString> {
        listener.handle(&cx.ctx, Value::new_undefined(cx.ctx.clone()), value)
    }
    /// Resolves in a later task (exercises the global's task queue).
    fn resolveLater(&self, cx: &Cx<'js>, value: i32) -> Fallible<Promise<'js>> {
        let (promise, resolve, _) = cx.ctx.promise()?;
        let global =
            GlobalScope::current(&cx.ctx).ok_or_else(|| Error::Type("no global".into()))?;
        global.queue_task(Box::new(move |_ctx: &Ctx<'js>| {
            resolve.call::<_, ()>((value,))?;
            Ok(())
        }));
        Ok(promise)
    }
    fn rejectWith(&self, _cx: &Cx<'js>, name: DOMString) -> Fallible<Promise<'js>> {
        Err(match name.as_str() {
            "TypeError" => Error::Type("rejected".into()),
            "QuotaExceededError" => Error::QuotaExceeded {
                message: "rejected".into(),
                quota: None,
                requested: None,
            },
            other => Error::Dom(
                DomErrorName::from_name(other).unwrap_or(DomErrorName::UnknownError),
                "rejected".into(),
            ),
        })
    }
    fn throwType(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Err(Error::Type("thrown".into()))
    }
    fn throwDom(&self, _cx: &Cx<'js>, name: DOMString) -> Fallible<()> {
        Err(Error::Dom(
            DomErrorName::from_name(&name).unwrap_or(DomErrorName::UnknownError),
            "thrown".into(),
        ))
    }
    fn throwQuota(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Err(Error::QuotaExceeded {
            message: "thrown".into(),
            quota: Some(10.0),
            requested: Some(20.0),
        })
    }
    fn throwRange(&self, _cx: &Cx<'js>) -> Fallible<()> {
        Err(Error::Range("thrown".into()))
    }
    fn panicInRust(&self, _cx: &Cx<'js>) -> Fallible<()> {
        panic!("a deliberate panic in a DOM method")
    }
    fn callAndRethrow(&self, cx: &Cx<'js>, f: FunctionCallback<'js>) -> Fallible<()> {
        f.call(&cx.ctx, Value::new_undefined(cx.ctx.clone()), Vec::new())?;
        Ok(())
    }
    fn staticOperation(_cx: &Cx<'js>, value: i32) -> Fallible<i32> {
        Ok(value * 2)
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TestBinding::new_inherited("anonymous".into()))
    }
    fn Constructor_1(_cx: &Cx<'js>, name: DOMString) -> Fallible<Self> {
        Ok(TestBinding::new_inherited(name))
    }
    fn Constructor_2(_cx: &Cx<'js>, number: i32, flag: bool) -> Fallible<Self> {
        Ok(TestBinding::new_inherited(format!("{number}:{flag}")))
    }
}

/// A derived interface (brand checks through inheritance).
pub struct TestDerived<'js> {
    test_binding: TestBinding<'js>,
}

impl<'js> HasParent<'js> for TestDerived<'js> {
    type Parent = TestBinding<'js>;
    fn parent(&self) -> &TestBinding<'js> {
        &self.test_binding
    }
}

impl<'js> Trace<'js> for TestDerived<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.test_binding.trace(tracer)
    }
}

impl<'js> TestDerivedMethods<'js> for TestDerived<'js> {
    fn derivedOnly(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(format!("derived:{}", self.test_binding.name))
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TestDerived {
            test_binding: TestBinding::new_inherited("derived".into()),
        })
    }
}

/// Exposed only in service workers.
pub struct TestServiceWorkerOnly<'js>(PhantomData<&'js ()>);

impl<'js> Trace<'js> for TestServiceWorkerOnly<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> TestServiceWorkerOnlyMethods<'js> for TestServiceWorkerOnly<'js> {
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TestServiceWorkerOnly(PhantomData))
    }
}

/// Returns a new object on every call; the glue must keep the [SameObject] one.
pub struct TestSameObject<'js>(PhantomData<&'js ()>);

impl<'js> Trace<'js> for TestSameObject<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> TestSameObjectMethods<'js> for TestSameObject<'js> {
    fn fresh(&self, cx: &Cx<'js>) -> Fallible<Object<'js>> {
        Ok(Object::new(cx.ctx.clone())?)
    }
    fn notSame(&self, cx: &Cx<'js>) -> Fallible<Object<'js>> {
        Ok(Object::new(cx.ctx.clone())?)
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TestSameObject(PhantomData))
    }
}

/// A pair iterable over a list the test changes while iterating.
pub struct TestIterable<'js> {
    pairs: std::cell::RefCell<Vec<(String, i32)>>,
    _js: PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for TestIterable<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> TestIterableMethods<'js> for TestIterable<'js> {
    fn add(&self, _cx: &Cx<'js>, key: DOMString, value: i32) -> Fallible<()> {
        self.pairs.borrow_mut().push((key.to_string(), value));
        Ok(())
    }
    fn clear(&self, _cx: &Cx<'js>) -> Fallible<()> {
        self.pairs.borrow_mut().clear();
        Ok(())
    }
    fn value_pairs(&self, _cx: &Cx<'js>) -> Fallible<Vec<(DOMString, i32)>> {
        Ok(self
            .pairs
            .borrow()
            .iter()
            .map(|(k, v)| (DOMString::from(k.as_str()), *v))
            .collect())
    }
    fn Constructor(_cx: &Cx<'js>) -> Fallible<Self> {
        Ok(TestIterable {
            pairs: Default::default(),
            _js: PhantomData,
        })
    }
}

/// The namespace's operations.
pub struct TestNamespace;

impl<'js> TestNamespaceMethods<'js> for TestNamespace {
    fn description(_cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok("the test namespace".into())
    }
    fn twice(_cx: &Cx<'js>, value: i32) -> Fallible<i32> {
        Ok(value.wrapping_mul(2))
    }
}

#[cfg(test)]
mod tests {
    use crate::global_handle::{EvalError, GlobalHandle, GlobalOptions};
    use crate::GlobalKind;
    use std::time::Duration;

    /// Assertion helpers for the JS side of these tests.
    const PRELUDE: &str = r#"
        function eq(actual, expected, what) {
            if (!Object.is(actual, expected)) {
                throw new Error(what + ": expected " + String(expected) + ", got " + String(actual));
            }
        }
        function throws(expected, f, what) {
            try { f(); } catch (e) {
                const name = e && e.name;
                if (name !== expected) throw new Error(what + ": expected " + expected + ", got " + e);
                return e;
            }
            throw new Error(what + ": expected " + expected + ", nothing was thrown");
        }
        function desc(o, p) { return Object.getOwnPropertyDescriptor(o, p); }
    "#;

    fn global(kind: GlobalKind) -> GlobalHandle {
        let mut options = GlobalOptions::new(kind);
        options.prefs.insert("dom.testbinding.pref".into());
        GlobalHandle::spawn(options).expect("global starts")
    }

    /// Runs `body` (JS that throws on failure) and expects it to complete.
    fn check(g: &GlobalHandle, body: &str) {
        let src = format!("{PRELUDE}\n(function() {{ {body}\n }})(); 'ok'");
        match g.eval(&src) {
            Ok(v) => assert_eq!(v, "ok"),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn interface_object_and_prototype() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            eq(typeof TestBinding, "function", "interface object");
            eq(TestBinding.name, "TestBinding", "name");
            eq(TestBinding.length, 0, "length is the shortest constructor's");
            let d = desc(self, "TestBinding");
            eq(d.writable && !d.enumerable && d.configurable, true, "global property attributes");
            d = desc(TestBinding, "prototype");
            eq(!d.writable && !d.enumerable && !d.configurable, true, "prototype property");
            eq(Object.getPrototypeOf(TestBinding), EventTarget, "interface object inherits");
            eq(Object.getPrototypeOf(TestBinding.prototype), EventTarget.prototype, "prototype chain");
            eq(Object.getPrototypeOf(TestDerived.prototype), TestBinding.prototype, "derived chain");
            eq(Object.getPrototypeOf(EventTarget), Function.prototype, "root interface object");
            d = desc(TestBinding.prototype, "constructor");
            eq(d.writable && !d.enumerable && d.configurable, true, "constructor property");
            eq(TestBinding.prototype[Symbol.toStringTag], "TestBinding", "toStringTag");
            d = desc(TestBinding.prototype, Symbol.toStringTag);
            eq(!d.writable && !d.enumerable && d.configurable, true, "toStringTag attributes");
            eq(Object.prototype.toString.call(new TestBinding()), "[object TestBinding]", "toString tag");
            throws("TypeError", () => TestBinding(), "call without new");
            throws("TypeError", () => new BackgroundFetchRegistration(), "no constructor");
            eq(typeof TestServiceWorkerOnly, "undefined", "[Exposed=ServiceWorker] absent in a window");
            "#,
        );
    }

    #[test]
    fn constants_attributes_and_operations() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            for (const o of [TestBinding, TestBinding.prototype]) {
                const d = desc(o, "CONST_SHORT");
                eq(d.value === 3 && !d.writable && d.enumerable && !d.configurable, true, "constant");
            }
            eq(TestBinding.CONST_BOOL, true, "boolean constant");
            eq(TestBinding.CONST_DOUBLE, 1.5, "double constant");
            let d = desc(TestBinding.prototype, "longAttribute");
            eq(typeof d.get, "function", "accessor getter");
            eq(typeof d.set, "function", "accessor setter");
            eq(d.enumerable && d.configurable, true, "attribute is enumerable and configurable");
            eq(d.get.name, "get longAttribute", "getter name");
            eq(d.get.length, 0, "getter length");
            eq(d.set.name, "set longAttribute", "setter name");
            eq(d.set.length, 1, "setter length");
            eq(desc(TestBinding.prototype, "name").set, undefined, "readonly has no setter");
            d = desc(TestBinding.prototype, "passLong");
            eq(d.writable && d.enumerable && d.configurable, true, "operation attributes");
            eq(d.value.length, 1, "operation length");
            eq(TestBinding.prototype.optionalArgs.length, 0, "optional arguments are not counted");
            eq(TestBinding.prototype.optionalLength.length, 1, "one required argument");
            eq(TestBinding.prototype.variadic.length, 1, "variadic arguments are not counted");
            eq(TestBinding.prototype.overloaded.length, 1, "overloads: the shortest");
            eq(TestBinding.prototype.passOptionalDictionary.length, 0, "optional dictionary");
            eq(TestBinding.staticOperation(21), 42, "static operation");
            eq(TestBinding.prototype.staticOperation, undefined, "static op not on prototype");
            TestBinding.staticAttribute = 5;
            eq(TestBinding.staticAttribute, 5, "static attribute");
            const keys = [];
            const t = new TestBinding("n");
            for (const k in t) keys.push(k);
            eq(keys.includes("name") && keys.includes("longAttribute"), true, "attributes enumerate");
            eq(t.name, "n", "constructor overload by type");
            eq(new TestBinding(4).name, "4:false", "constructor overload with default");
            eq(new TestBinding(4, true).name, "4:true", "constructor overload with flag");
            eq(new TestBinding().name, "anonymous", "nullary constructor");
            eq(String(t), "test binding", "stringifier attribute");
            t.label = "relabelled";
            eq(`${t}`, "relabelled", "toString uses the attribute");
            eq(TestNamespace.twice(4), 8, "namespace operation");
            eq(TestNamespace.NAMESPACE_CONST, 42, "namespace constant");
            eq(TestNamespace.description, "the test namespace", "namespace attribute");
            eq(Object.prototype.toString.call(TestNamespace), "[object TestNamespace]", "namespace tag");
            eq(typeof TestNamespace, "object", "namespace is an object");
            "#,
        );
    }

    #[test]
    fn brand_checks_and_this() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const getter = desc(TestBinding.prototype, "name").get;
            throws("TypeError", () => getter.call({}), "getter on a plain object");
            throws("TypeError", () => getter.call(new EventTarget()), "getter on a parent-type object");
            throws("TypeError", () => TestBinding.prototype.passLong.call(5, 1), "operation on a number");
            const derived = new TestDerived();
            eq(getter.call(derived), "derived", "getter on a derived object");
            eq(derived.derivedOnly, "derived:derived", "derived attribute");
            throws("TypeError", () => desc(TestDerived.prototype, "derivedOnly").get.call(new TestBinding()), "child getter on parent");
            const t = new TestBinding();
            eq(t.passEventTarget(t), t, "an interface argument takes a derived object");
            throws("TypeError", () => t.passEventTarget({}), "a plain object is no EventTarget");
            eq(t.passEventTarget(self), self, "the global is an EventTarget");
            eq(t.sameObject, t.sameObject, "[SameObject]");
            const s = new TestSameObject(), s2 = new TestSameObject();
            eq(s.fresh, s.fresh, "[SameObject] is kept by the glue");
            eq(s.fresh === s2.fresh, false, "per object");
            eq(s.notSame === s.notSame, false, "without [SameObject] each call is new");
            Object.defineProperty(Object.prototype, "fresh", { get() { return 42; }, set() {}, configurable: true });
            const s3 = new TestSameObject();
            eq(typeof s3.fresh, "object", "Object.prototype cannot answer for the [SameObject] cache");
            eq(s3.fresh, s3.fresh, "still the same object");
            delete Object.prototype.fresh;
            eq(t.passInterface(null), null, "nullable interface");
            eq(t.passInterface(t), t, "interface round trip");
            // Operations of EventTarget work with this = undefined: the global.
            const add = EventTarget.prototype.addEventListener;
            let fired = 0;
            add.call(undefined, "ping", () => fired++);
            self.dispatchEvent(new Event("ping"));
            eq(fired, 1, "undefined this is the global");
            "#,
        );
    }

    #[test]
    fn integer_conversions() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding();
            eq(t.passByte(127), 127, "byte max");
            eq(t.passByte(128), -128, "byte wraps");
            eq(t.passByte(-129), 127, "byte wraps below");
            eq(t.passOctet(256), 0, "octet modulo");
            eq(t.passOctet(-1), 255, "octet negative");
            eq(t.passOctet(3.9), 3, "truncates");
            eq(t.passOctet(-3.9), 253, "truncates toward zero, then modulo");
            eq(t.passShort(32768), -32768, "short wraps");
            eq(t.passLong(2 ** 31), -(2 ** 31), "long wraps");
            eq(t.passUnsignedLong(-1), 4294967295, "unsigned long wraps");
            eq(t.passLong(NaN), 0, "NaN is 0");
            eq(t.passLong(Infinity), 0, "Infinity is 0");
            eq(t.passLong("12"), 12, "strings are converted with ToNumber");
            eq(t.passLong({ valueOf() { return 7; } }), 7, "valueOf is called");
            eq(t.passLong(null), 0, "null is 0");
            eq(t.passLong(undefined), 0, "undefined is NaN, hence 0");
            eq(Object.is(t.passLong(-0), 0), true, "-0 is +0");
            eq(t.passUnsignedLongLong(2 ** 53 - 1), 2 ** 53 - 1, "max safe integer");
            eq(t.passUnsignedLongLong(-1), 2 ** 64 - 1, "unsigned long long wraps (as a double)");
            eq(t.passLongLong(-(2 ** 53)), -(2 ** 53), "long long negative");
            eq(t.passLongLong(-1), -1, "long long -1 keeps its bits");
            eq(t.passLongLong(-2000), -2000, "long long small negative");
            eq(t.passShort(-1), -1, "short -1");
            eq(t.passUnsignedLongLong(-5), 2 ** 64 - 5, "unsigned long long -5 wraps");
            eq(t.passEnforcedUnsignedLongLong(5.9), 5, "[EnforceRange] truncates");
            throws("TypeError", () => t.passEnforcedUnsignedLongLong(-1), "[EnforceRange] below");
            throws("TypeError", () => t.passEnforcedUnsignedLongLong(2 ** 53), "[EnforceRange] above");
            throws("TypeError", () => t.passEnforcedUnsignedLongLong(NaN), "[EnforceRange] NaN");
            throws("TypeError", () => t.passEnforcedUnsignedLongLong(Infinity), "[EnforceRange] Infinity");
            eq(t.passClampedOctet(300), 255, "[Clamp] above");
            eq(t.passClampedOctet(-5), 0, "[Clamp] below");
            eq(t.passClampedOctet(2.5), 2, "[Clamp] rounds half to even");
            eq(t.passClampedOctet(3.5), 4, "[Clamp] rounds half to even, up");
            eq(t.passClampedOctet(NaN), 0, "[Clamp] NaN");
            throws("TypeError", () => t.passLong(Symbol()), "Symbol cannot be a number");
            throws("TypeError", () => t.passLong(1n), "BigInt cannot be a number");
            const err = new Error("from valueOf");
            try { t.passLong({ valueOf() { throw err; } }); throw 1; } catch (e) { eq(e, err, "valueOf's exception propagates"); }
            t.unsignedLongLongAttribute = 2 ** 40;
            eq(t.unsignedLongLongAttribute, 2 ** 40, "attribute setter converts");
            t.byteAttribute = 200;
            eq(t.byteAttribute, -56, "attribute setter wraps");
            "#,
        );
    }

    #[test]
    fn float_string_and_other_conversions() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding();
            eq(t.passDouble(1.25), 1.25, "double");
            throws("TypeError", () => t.passDouble(NaN), "restricted double refuses NaN");
            throws("TypeError", () => t.passDouble(Infinity), "restricted double refuses Infinity");
            eq(Number.isNaN(t.passUnrestrictedDouble(NaN)), true, "unrestricted double");
            eq(t.passFloat(0.1), Math.fround(0.1), "float rounds");
            throws("TypeError", () => t.passFloat(1e40), "float overflow");
            eq(t.passBoolean(""), false, "ToBoolean");
            eq(t.passBoolean({}), true, "objects are true");
            eq(t.passString(12), "12", "ToString");
            eq(t.passString(null), "null", "null is 'null'");
            t.nullToEmptyAttribute = null;
            eq(t.nullToEmptyAttribute, "", "[LegacyNullToEmptyString]");
            throws("TypeError", () => t.passString(Symbol()), "Symbol is not a string");
            eq(t.passUSVString("a\uD800b"), "a\uFFFDb", "USVString replaces a lone surrogate");
            eq(t.passString("snowman \u2603 \uD83D\uDE00"), "snowman \u2603 \uD83D\uDE00", "non-ASCII round trip");
            eq(t.passByteString("\xFF"), "\xFF", "ByteString");
            throws("TypeError", () => t.passByteString("\u0100"), "ByteString over 0xFF");
            eq(t.passEnum("two-words"), "two-words", "enum");
            eq(t.passEnum(""), "", "the empty enum value");
            throws("TypeError", () => t.passEnum("three"), "bad enum value");
            t.enumAttribute = "one";
            throws("TypeError", () => { t.enumAttribute = "nope"; }, "bad enum in a setter");
            const o = {};
            eq(t.passObject(o), o, "object");
            throws("TypeError", () => t.passObject(1), "object refuses a number");
            eq(t.passAny(undefined), undefined, "any");
            eq(t.passNullableString(undefined), null, "nullable: undefined is null");
            eq(t.passNullableString(5), "5", "nullable string");
            t.nullableLongAttribute = null;
            eq(t.nullableLongAttribute, null, "nullable long");
            eq(t.passTypedef(3), 3, "typedef");
            eq(t.describeBuffer(new ArrayBuffer(3)), "ArrayBuffer:3", "ArrayBuffer");
            eq(t.describeBuffer(new Uint8Array([1, 2, 3]).subarray(1)), "Uint8Array:[2, 3]", "typed array view");
            eq(t.describeBuffer(new DataView(new ArrayBuffer(2))), "DataView:[0, 0]", "DataView");
            throws("TypeError", () => t.describeBuffer([1]), "an array is no BufferSource");
            const lying = new Uint8Array([7, 8]);
            Object.defineProperty(lying, "byteLength", { value: 1e9 });
            Object.defineProperty(lying, "buffer", { value: new ArrayBuffer(50) });
            eq(t.describeBuffer(lying), "Uint8Array:[7, 8]", "views are read with the intrinsic accessors");
            "#,
        );
    }

    #[test]
    fn sequences_records_and_dictionaries() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding();
            eq(JSON.stringify(t.passSequence([1, "2", 3.7])), "[1,2,3]", "sequence<long>");
            eq(JSON.stringify(t.passSequence(new Set([4, 5]))), "[4,5]", "any iterable");
            function* gen() { yield 6; yield 7; }
            eq(JSON.stringify(t.passSequence(gen())), "[6,7]", "a generator");
            throws("TypeError", () => t.passSequence(5), "a number is no sequence");
            throws("TypeError", () => t.passSequence({}), "an object without @@iterator");
            eq(JSON.stringify(t.passNestedSequence([["a"], ["b", "c"]])), '[["a"],["b","c"]]', "nested");
            eq(t.describeRecord({ a: 1, b: "2" }), "a=1,b=2", "record");
            const d = t.passDictionary({ requiredMember: "r", sequenceMember: [1], unionMember: "u" });
            eq(d.requiredMember, "r", "required member");
            eq(d.booleanMember, true, "boolean default");
            eq(d.bigMember, 0, "unsigned long long default");
            eq(d.enumMember, "one", "enum default");
            eq(d.nullableMember, null, "nullable default null");
            eq(d.parentMember, 7, "inherited member default");
            eq(JSON.stringify(d.sequenceMember), "[1]", "sequence member");
            eq(d.unionMember, "u", "union member");
            eq("anyMember" in d, false, "absent member stays absent");
            throws("TypeError", () => t.passDictionary({}), "missing required member");
            throws("TypeError", () => t.passDictionary(5), "a number is no dictionary");
            throws("TypeError", () => t.passDictionary({ requiredMember: "r", enumMember: "x" }), "bad enum member");
            const order = [];
            const probe = new Proxy({ requiredMember: "r" }, { get(o, k) { order.push(k); return o[k]; } });
            t.passDictionary(probe);
            eq(order.join(), "parentMember,anyMember,bigMember,booleanMember,enumMember,nullableMember,requiredMember,sequenceMember,unionMember", "members are read inherited first, then lexicographically");
            Object.defineProperty(Object.prototype, "count", { set() { throw new Error("setter ran"); }, configurable: true });
            eq(t.passOptionalDictionary().count, 0, "dictionaries are created with CreateDataProperty");
            delete Object.prototype.count;
            const od = t.passOptionalDictionary();
            eq(od.name + od.count, "default0", "optional dictionary defaults to {}");
            eq(t.passOptionalDictionary(null).name, "default", "null is an empty dictionary");
            eq(t.passOptionalDictionary({ count: 2 }).count, 2, "member given");
            "#,
        );
    }

    #[test]
    fn unions_and_overloads() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding("me");
            eq(t.describeUnion(5), "long:5", "number -> long");
            eq(t.describeUnion("s"), "string:s", "string -> DOMString");
            eq(t.describeUnion([1, 2]), "sequence:2", "iterable -> sequence");
            eq(t.describeUnion({ requiredMember: "d" }), "dictionary:d", "object -> dictionary");
            eq(t.describeUnion(t), "interface:me", "platform object -> interface");
            eq(t.describeUnion(true), "string:true", "boolean falls back to the string type");
            throws("TypeError", () => t.describeUnion(undefined), "undefined -> dictionary, missing required member");
            eq(t.describeNullableUnion(null), "null", "nullable union");
            eq(t.describeNullableUnion(undefined), "null", "undefined is null for a nullable union");
            eq(t.describeUnionWithBoolean(false), "boolean:false", "boolean");
            eq(t.describeUnionWithBoolean(2), "double:2", "number");
            eq(t.describeUnionWithBoolean({}), "string:[object Object]", "object -> string");
            eq(t.describeRequestLike("u"), "string:u", "typedef union member");
            eq(t.describeRequestLike(t), "interface:me", "typedef union interface member");
            eq(t.describeRequestLike(["a", t]), "[string:a,interface:me]", "sequence of typedef union");
            t.unionAttribute = t;
            eq(t.unionAttribute, t, "union attribute");
            eq(t.overloaded("x"), "string:x", "overload: string");
            eq(t.overloaded(3), "long:3", "overload: number");
            eq(t.overloaded({ requiredMember: "q" }), "dictionary:q", "overload: dictionary");
            eq(t.overloaded([1, 2]), "sequence:[1, 2]", "overload: sequence");
            eq(t.overloaded(1, 2), "two:1,2", "overload by argument count");
            eq(t.overloaded(1, 2, 3), "two:1,2", "extra arguments are ignored");
            throws("TypeError", () => t.overloaded(), "no overload takes no argument");
            throws("TypeError", () => t.overloaded(null), "null -> dictionary -> missing member");
            eq(t.optionalArgs(), "None|b|true", "defaults");
            eq(t.optionalArgs(undefined, undefined, false), "None|b|false", "undefined means missing");
            eq(t.optionalArgs(1, "x"), "Some(1)|x|true", "given");
            eq(t.variadic("ab"), 200, "no variadic arguments");
            eq(t.variadic("ab", 1, 2, "3"), 206, "variadic arguments converted");
            throws("TypeError", () => t.variadic(), "required argument missing");
            throws("TypeError", () => t.passLong(), "too few arguments");
            "#,
        );
    }

    #[test]
    fn callbacks_event_handlers_and_special_attributes() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding();
            eq(t.callCallback((a, b) => a + b.length, 2, "abc"), 5, "callback function");
            throws("TypeError", () => t.callCallback({}, 1, ""), "an object is no callback function");
            eq(t.callListener({ handle(v) { return "h" + v; } }, 3), "h3", "callback interface object");
            eq(t.callListener(v => "f" + v, 4), "f4", "callback interface as a function");
            throws("TypeError", () => t.callListener({}, 1), "callback interface without the operation");
            const thrown = new Error("inner");
            try { t.callAndRethrow(() => { throw thrown; }); throw 1; } catch (e) { eq(e, thrown, "a callback's exception propagates"); }
            eq(t.onfoo, null, "event handler starts null");
            let calls = [];
            t.addEventListener("foo", () => calls.push("first"));
            t.onfoo = e => calls.push("handler:" + e.type);
            t.addEventListener("foo", () => calls.push("last"));
            t.dispatchEvent(new Event("foo"));
            eq(calls.join(), "first,handler:foo,last", "handler runs in its listener's place");
            const h = () => calls.push("replaced");
            t.onfoo = h;
            eq(t.onfoo, h, "handler getter");
            calls = [];
            t.dispatchEvent(new Event("foo"));
            eq(calls.join(), "first,replaced,last", "replacing keeps the place");
            t.onfoo = 5;
            eq(t.onfoo, null, "non-objects are null ([LegacyTreatNonObjectAsNull])");
            t.onfoo = e => false;
            const ev = new Event("foo", { cancelable: true });
            eq(t.dispatchEvent(ev), false, "returning false cancels");
            const d = desc(t, "unforgeable");
            eq(typeof d.get === "function" && d.enumerable && !d.configurable, true, "[LegacyUnforgeable] is an own accessor");
            eq(desc(TestBinding.prototype, "unforgeable"), undefined, "and not on the prototype");
            eq(t.unforgeable, 1, "unforgeable value");
            eq(t.replaceable, 2, "[Replaceable] getter");
            t.replaceable = "own";
            eq(t.replaceable, "own", "[Replaceable] setter shadows");
            eq(desc(t, "replaceable").value, "own", "own data property");
            t.forwarder = true;
            eq(t.booleanAttribute, true, "[PutForwards] sets the forwarded attribute");
            const rset = desc(TestBinding.prototype, "replaceable").set;
            throws("TypeError", () => rset.call({}, 1), "[Replaceable] setter brand check");
            throws("TypeError", () => rset.call(t), "[Replaceable] setter needs an argument");
            throws("TypeError", () => desc(TestBinding.prototype, "forwarder").set.call({}, true), "[PutForwards] setter brand check");
            throws("TypeError", () => desc(TestBinding.prototype, "onfoo").set.call(t), "event handler setter needs an argument");
            eq(t.windowOnly, true, "[Exposed=Window] member in a window");
            eq(t.secureOnly, true, "[SecureContext] member in a secure context");
            eq(t.prefOnly, true, "[Pref] member with the pref on");
            "#,
        );
    }

    #[test]
    fn a_panic_in_a_binding_is_reported_to_the_embedder() {
        let (events, embedder) = crossbeam_channel::unbounded();
        let mut options = GlobalOptions::new(GlobalKind::Window);
        options.events = Some(events);
        let g = GlobalHandle::spawn(options).expect("global starts");
        // The page goes on: the call throws a TypeError it can catch.
        let caught = g
            .eval("try { new TestBinding().panicInRust(); 'no' } catch (e) { e.name + ': ' + e.message }")
            .unwrap();
        assert_eq!(
            caught,
            "TypeError: internal error: a deliberate panic in a DOM method"
        );
        assert_eq!(g.eval("1 + 1").unwrap(), "2", "the global still answers");
        g.shutdown();
        // The embedder hears of the bug, with where it happened.
        let panics: Vec<_> = embedder
            .try_iter()
            .filter_map(|e| match e {
                crate::GlobalEvent::Panic { message, location } => Some((message, location)),
                _ => None,
            })
            .collect();
        assert_eq!(panics.len(), 1, "{panics:?}");
        assert_eq!(panics[0].0, "a deliberate panic in a DOM method");
        assert!(
            panics[0].1.contains("testbinding.rs:"),
            "the location names the file: {}",
            panics[0].1
        );
    }

    #[test]
    fn exceptions_and_promises() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const t = new TestBinding();
            let e = throws("TypeError", () => t.throwType(), "TypeError");
            eq(e instanceof TypeError, true, "an intrinsic TypeError");
            e = throws("InvalidStateError", () => t.throwDom("InvalidStateError"), "DOMException");
            eq(e instanceof DOMException, true, "a DOMException");
            eq(e.code, 11, "legacy code");
            eq(e.message, "thrown", "message");
            e = throws("QuotaExceededError", () => t.throwQuota(), "QuotaExceededError");
            eq(e.constructor, QuotaExceededError, "the QuotaExceededError interface");
            eq(e instanceof DOMException, true, "inherits DOMException");
            eq(e.quota + "/" + e.requested + "/" + e.code, "10/20/22", "quota, requested, code");
            throws("RangeError", () => t.throwRange(), "RangeError");
            e = throws("TypeError", () => t.panicInRust(), "a Rust panic becomes a TypeError");
            eq(/internal error/.test(e.message), true, "and says so");
            // Promise-returning operations never throw: bad this, bad arguments and errors reject.
            const p1 = TestBinding.prototype.rejectWith.call({}, "AbortError");
            eq(p1 instanceof Promise, true, "a brand check failure rejects");
            const p2 = t.rejectWith();
            eq(p2 instanceof Promise, true, "too few arguments rejects");
            "#,
        );
        let r = g.eval_promise(
            "new TestBinding().rejectWith('AbortError').then(() => 'resolved', e => e.name + ':' + (e instanceof DOMException))",
            Duration::from_secs(5),
        );
        assert_eq!(r, Ok("AbortError:true".to_string()));
        let r = g.eval_promise(
            "new TestBinding().rejectWith('QuotaExceededError').catch(e => e.constructor === QuotaExceededError && e.quota === null)",
            Duration::from_secs(5),
        );
        assert_eq!(r, Ok("true".to_string()));
        let r = g.eval_promise(
            "TestBinding.prototype.rejectWith.call(5, 'x').catch(e => e.name)",
            Duration::from_secs(5),
        );
        assert_eq!(r, Ok("TypeError".to_string()));
        let r = g.eval_promise("new TestBinding().resolveLater(9)", Duration::from_secs(5));
        assert_eq!(r, Ok("9".to_string()));
    }

    #[test]
    fn exposure_per_global_kind() {
        for kind in [
            GlobalKind::Window,
            GlobalKind::DedicatedWorkerGlobalScope,
            GlobalKind::SharedWorkerGlobalScope,
            GlobalKind::ServiceWorkerGlobalScope,
        ] {
            let g = global(kind);
            let sw = kind == GlobalKind::ServiceWorkerGlobalScope;
            let window = kind == GlobalKind::Window;
            check(
                &g,
                &format!(
                    r#"
                    eq(typeof TestServiceWorkerOnly, "{sw_only}", "[Exposed=ServiceWorker]");
                    eq(typeof BackgroundFetchEvent, "{sw_only}", "BackgroundFetchEvent only in service workers");
                    eq(typeof BackgroundFetchUpdateUIEvent, "{sw_only}", "BackgroundFetchUpdateUIEvent too");
                    eq(typeof ExtendableEvent, "{sw_only}", "ExtendableEvent too");
                    eq(typeof BackgroundFetchManager, "function", "[Exposed=(Window,Worker)]");
                    eq(typeof TestBinding, "function", "TestBinding everywhere");
                    eq("windowOnly" in TestBinding.prototype, {window}, "[Exposed=Window] member");
                    eq(typeof Window, "{window_only}", "Window only in windows");
                    eq(typeof WorkerGlobalScope, "{worker_only}", "WorkerGlobalScope only in workers");
                    eq(typeof Cache, "function", "[Exposed=(Window,Worker)] in every global kind");
                    eq(typeof caches, "object", "[SecureContext] caches in a secure context");
                    eq(self.constructor.name.length > 0, true, "global has a constructor");
                    "#,
                    sw_only = if sw { "function" } else { "undefined" },
                    window_only = if window { "function" } else { "undefined" },
                    worker_only = if window { "undefined" } else { "function" },
                ),
            );
        }
        // Secure-context and pref gating.
        let mut options = GlobalOptions::new(GlobalKind::Window);
        options.secure_context = false;
        let g = GlobalHandle::spawn(options).unwrap();
        check(
            &g,
            r#"
            eq("secureOnly" in TestBinding.prototype, false, "[SecureContext] hidden outside secure contexts");
            eq("prefOnly" in TestBinding.prototype, false, "[Pref] hidden with the pref off");
            eq(isSecureContext, false, "isSecureContext");
            "#,
        );
    }

    #[test]
    fn global_prototype_chains() {
        let cases = [
            (GlobalKind::Window, "Window,EventTarget"),
            (
                GlobalKind::DedicatedWorkerGlobalScope,
                "DedicatedWorkerGlobalScope,WorkerGlobalScope,EventTarget",
            ),
            (
                GlobalKind::SharedWorkerGlobalScope,
                "SharedWorkerGlobalScope,WorkerGlobalScope,EventTarget",
            ),
            (
                GlobalKind::ServiceWorkerGlobalScope,
                "ServiceWorkerGlobalScope,WorkerGlobalScope,EventTarget",
            ),
        ];
        for (kind, chain) in cases {
            let g = global(kind);
            let r = g.eval(
                "const names = []; for (let p = Object.getPrototypeOf(self); p !== Object.prototype; p = Object.getPrototypeOf(p)) names.push(p.constructor.name); names.join()",
            );
            assert_eq!(r, Ok(chain.to_string()), "{kind:?}");
            assert_eq!(g.eval("self === globalThis"), Ok("true".into()));
        }
    }

    #[test]
    fn dictionary_default_arrives_in_rust() {
        use crate::dom::bindings::codegen::BackgroundFetchOptions;
        let g = global(GlobalKind::Window);
        let got = g
            .with(|ctx| {
                let empty = rquickjs::Object::new(ctx.clone()).unwrap().into_value();
                let options = BackgroundFetchOptions::from_js(ctx, &empty, "test").unwrap();
                let titled: rquickjs::Value =
                    ctx.eval("({ title: 't', downloadTotal: 5 })").unwrap();
                let titled = BackgroundFetchOptions::from_js(ctx, &titled, "test").unwrap();
                let bad: rquickjs::Value = ctx.eval("({ downloadTotal: -1 })").unwrap();
                let bad =
                    BackgroundFetchOptions::from_js(ctx, &bad, "test").map(|o| o.downloadTotal);
                (
                    options.downloadTotal,
                    options.parent.title,
                    titled.downloadTotal,
                    titled.parent.title,
                    bad,
                )
            })
            .unwrap();
        assert_eq!(got.0, 0, "downloadTotal's default");
        assert_eq!(got.1, None, "title absent");
        assert_eq!(got.2, 5);
        assert_eq!(got.3.as_deref(), Some("t"));
        // unsigned long long without [EnforceRange] wraps modulo 2^64.
        assert_eq!(got.4, Ok(u64::MAX));
    }

    #[test]
    fn background_fetch_bindings_from_js() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const d = desc(BackgroundFetchRegistration.prototype, "id");
            eq(typeof d.get === "function" && d.enumerable && d.configurable, true, "id is an enumerable accessor");
            eq(BackgroundFetchManager.prototype.fetch.length, 2, "fetch.length");
            eq(BackgroundFetchManager.prototype.get.length, 1, "get.length");
            eq(BackgroundFetchManager.prototype.getIds.length, 0, "getIds.length");
            eq(BackgroundFetchRegistration.prototype.matchAll.length, 0, "matchAll.length");
            eq(BackgroundFetchRegistration.prototype.match.length, 1, "match.length");
            throws("TypeError", () => new BackgroundFetchManager(), "no constructor");
            eq(Object.getPrototypeOf(BackgroundFetchRegistration.prototype), EventTarget.prototype, "inherits EventTarget");
            eq("onprogress" in BackgroundFetchRegistration.prototype, true, "onprogress");
            "#,
        );
        // An enum-typed argument with a bad value is a TypeError.
        let r = g.with(|ctx| {
            use crate::dom::bindings::codegen::BackgroundFetchResult;
            let v: rquickjs::Value = ctx.eval("'nope'").unwrap();
            let bad = conv::to_enum::<BackgroundFetchResult>(ctx, &v, "result").err();
            let v: rquickjs::Value = ctx.eval("''").unwrap();
            let good = conv::to_enum::<BackgroundFetchResult>(ctx, &v, "result").ok();
            (bad, good)
        });
        let (bad, good) = r.unwrap();
        assert!(
            matches!(bad, Some(crate::dom::bindings::error::Error::Type(m)) if m.contains("not a valid enum value"))
        );
        assert_eq!(
            good,
            Some(crate::dom::bindings::codegen::BackgroundFetchResult::Empty)
        );
        use super::super::bindings::codegen_prelude::conv;
    }

    #[test]
    fn service_worker_events() {
        let g = global(GlobalKind::ServiceWorkerGlobalScope);
        check(
            &g,
            r#"
            eq(BackgroundFetchUpdateUIEvent.prototype.updateUI.length, 0, "updateUI.length");
            eq(Object.getPrototypeOf(BackgroundFetchUpdateUIEvent.prototype), BackgroundFetchEvent.prototype, "chain");
            eq(Object.getPrototypeOf(BackgroundFetchEvent.prototype), ExtendableEvent.prototype, "chain");
            throws("TypeError", () => new BackgroundFetchEvent("x", {}), "registration is required");
            const e = new ExtendableEvent("x");
            throws("InvalidStateError", () => e.waitUntil(Promise.resolve()), "untrusted waitUntil");
            "#,
        );
    }

    #[test]
    fn garbage_at_real_instances_in_every_global() {
        // Every constructor, static operation, operation and accessor of every interface
        // exposed in each kind of global, called on real instances (the global, the
        // document and its nodes, and whatever each constructor makes) with junk arguments
        // of several arities: each call returns or throws a JS exception; nothing panics or
        // crashes, and the global still answers afterwards.
        for kind in [
            GlobalKind::Window,
            GlobalKind::DedicatedWorkerGlobalScope,
            GlobalKind::SharedWorkerGlobalScope,
            GlobalKind::ServiceWorkerGlobalScope,
        ] {
            // A profile with service workers, and real service worker objects (for
            // registrations and workers the registry does not know: every method must cope).
            let registry = crate::service_workers::ServiceWorkerRegistry::new();
            let mut options = GlobalOptions::new(kind);
            options.prefs.insert("dom.testbinding.pref".into());
            options.url = "https://a.test/page".into();
            options.origin = "https://a.test".into();
            options.service_workers = Some(registry.context());
            if kind == GlobalKind::ServiceWorkerGlobalScope {
                options.service_worker = Some((1000, 1001));
            }
            options.setup.push(Box::new(service_worker_objects));
            let g = GlobalHandle::spawn(options).expect("global starts");
            let r = g.eval(
                r#"
                const junk = [undefined, null, 0, -1, NaN, 2 ** 64, "", "x", Symbol("s"), {}, [],
                              () => {}, new Proxy({}, { get() { throw new Error("trap"); } }), 1n, true];
                const argSets = [[], junk.slice(0, 2), junk.slice(2, 5), junk.slice(5, 9), junk.slice(9)];
                const pool = [self];
                const add = (f) => { try { const v = f(); if (v !== null && typeof v === "object") pool.push(v); } catch (e) {} };
                if (typeof document === "object") {
                    add(() => document);
                    add(() => document.documentElement);
                    add(() => document.head);
                    add(() => document.body);
                    for (const n of ["script", "meta", "title", "div", "x-unknown"]) add(() => document.createElement(n));
                    add(() => document.createTextNode("t"));
                    add(() => document.createComment("c"));
                    add(() => document.doctype);
                    add(() => document.getElementsByTagName("*"));
                    add(() => navigator);
                    add(() => location);
                }
                add(() => self.navigator);
                add(() => self.location);
                add(() => self.navigator.serviceWorker);
                add(() => self.clients);
                for (const o of self.__serviceWorkerObjects) pool.push(o);
                add(() => new MessageChannel().port1);
                add(() => new Request("https://a.test/", { method: "POST", body: "b" }));
                add(() => new Response("body"));
                add(() => new Blob(["b"]));
                add(() => new File(["b"], "f"));
                add(() => new URL("https://a.test/?a=b"));
                add(() => new URL("https://a.test/").searchParams);
                add(() => new Headers([["a", "b"]]));
                const names = Object.getOwnPropertyNames(self).filter((n) => /^[A-Z]/.test(n) && n !== "TestBinding");
                const interfaces = names.map((n) => self[n]).filter((I) => typeof I === "function" && I.prototype);
                for (const I of interfaces) {
                    for (const args of [...argSets, ["x"], ["x", {}]]) {
                        try { const o = new I(...args); if (o && typeof o === "object") pool.push(o); } catch (e) {}
                    }
                }
                let calls = 0;
                // Property operations on every object (exotic ones included), with values
                // that are reference-counted.
                for (const o of pool) {
                    for (const key of [0, 1, "0", "expando", Symbol.iterator, "length"]) {
                        try { o[key] = {}; } catch (e) {}
                        try { o[key] = "s" + key.toString(); } catch (e) {}
                        try { void o[key]; void (key in o); delete o[key]; } catch (e) {}
                        try { Object.getOwnPropertyDescriptor(o, key); } catch (e) {}
                    }
                    try { Object.keys(o); Reflect.ownKeys(o); } catch (e) {}
                }
                const call = (f, thisArg, args) => {
                    try { const r = f.apply(thisArg, args); if (r instanceof Promise) r.catch(() => {}); } catch (e) {}
                    calls++;
                };
                for (const I of interfaces) {
                    // Static operations and attributes.
                    for (const key of Object.getOwnPropertyNames(I)) {
                        const d = Object.getOwnPropertyDescriptor(I, key);
                        if (key === "prototype" || !d) continue;
                        for (const f of [d.value, d.get, d.set]) {
                            if (typeof f !== "function") continue;
                            for (const args of argSets) call(f, I, args);
                        }
                    }
                    const instances = pool.filter((o) => { try { return o instanceof I; } catch (e) { return false; } });
                    for (const key of Object.getOwnPropertyNames(I.prototype)) {
                        if (key === "close" || key === "terminate") continue;
                        const d = Object.getOwnPropertyDescriptor(I.prototype, key);
                        for (const f of [d.value, d.get, d.set]) {
                            if (typeof f !== "function" || f === I) continue;
                            for (const thisArg of [...instances, ...junk.slice(0, 10)]) {
                                for (const args of argSets) call(f, thisArg, args);
                                for (const other of pool.slice(0, 8)) call(f, thisArg, [other, other]);
                            }
                        }
                    }
                }
                calls
                "#,
            );
            let calls: u64 = r
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"))
                .parse()
                .unwrap();
            assert!(calls > 5000, "{kind:?}: {calls} calls");
            assert_eq!(g.eval("1 + 1").expect("still answers"), "2", "{kind:?}");
            g.shutdown();
            drop(registry);
        }
    }

    /// A setup hook: `__serviceWorkerObjects`, real ServiceWorkerRegistration, ServiceWorker,
    /// Client and WindowClient objects for a registration the registry never had.
    fn service_worker_objects(
        ctx: &rquickjs::Ctx<'_>,
    ) -> crate::dom::bindings::error::Fallible<()> {
        use crate::dom::bindings::error::Error;
        use crate::service_workers::{
            ClientSnapshot, EnvironmentKind, RegistrationSnapshot, UpdateViaCache, WorkerSnapshot,
            WorkerState,
        };
        let global = crate::dom::globalscope::GlobalScope::current(ctx)
            .ok_or_else(|| Error::invalid_state("no global"))?;
        let worker = WorkerSnapshot {
            id: 1001,
            script_url: "https://a.test/sw.js".into(),
            state: WorkerState::Activated,
        };
        let registration = crate::dom::serviceworkerregistration::ServiceWorkerRegistration::get(
            ctx,
            &global,
            &RegistrationSnapshot {
                id: 1000,
                scope: "https://a.test/".into(),
                update_via_cache: UpdateViaCache::Imports,
                installing: None,
                waiting: None,
                active: Some(worker.clone()),
                seq: 0,
            },
        )?;
        let sw = crate::dom::serviceworker::ServiceWorker::get(ctx, &global, &worker, 0)?;
        let mut objects = vec![registration.reflector().clone(), sw.reflector().clone()];
        // Client objects exist in service workers only.
        let in_service_worker = global.info().kind == GlobalKind::ServiceWorkerGlobalScope;
        for kind in [EnvironmentKind::Window, EnvironmentKind::DedicatedWorker] {
            if !in_service_worker {
                break;
            }
            let client = crate::dom::client::Client::create(
                ctx,
                ClientSnapshot {
                    id: "no-such-client".into(),
                    url: "https://a.test/page".into(),
                    kind,
                    ancestor_origins: Vec::new(),
                },
            )?;
            objects.push(client.reflector().clone());
        }
        ctx.globals().set("__serviceWorkerObjects", objects)?;
        Ok(())
    }

    #[test]
    fn pair_iterables() {
        let g = global(GlobalKind::Window);
        check(
            &g,
            r#"
            const p = TestIterable.prototype;
            for (const [name, length] of [["entries", 0], ["keys", 0], ["values", 0], ["forEach", 1]]) {
                const d = desc(p, name);
                eq(typeof d.value, "function", name);
                eq(d.writable && d.enumerable && d.configurable, true, name + " is a regular operation");
                eq(d.value.length, length, name + ".length");
                eq(d.value.name, name, name + ".name");
            }
            const it = desc(p, Symbol.iterator);
            eq(it.value, p.entries, "@@iterator is entries");
            eq(it.writable && !it.enumerable && it.configurable, true, "@@iterator attributes");

            const t = new TestIterable();
            t.add("a", 1);
            t.add("b", 2);
            const iter = t.entries();
            const iterProto = Object.getPrototypeOf(iter);
            const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
            eq(Object.getPrototypeOf(iterProto), IteratorPrototype, "%IteratorPrototype%");
            eq(iterProto[Symbol.toStringTag], "TestIterable Iterator", "iterator tag");
            eq(Object.prototype.toString.call(iter), "[object TestIterable Iterator]", "tag");
            const nd = desc(iterProto, "next");
            eq(nd.writable && nd.enumerable && nd.configurable && nd.value.length === 0, true, "next");
            eq(Object.getPrototypeOf(t.keys()), iterProto, "one prototype for all kinds");

            let r = iter.next();
            eq(JSON.stringify(r), '{"value":["a",1],"done":false}', "first entry");
            // The list is live: what is added before the iterator passes it shows up.
            t.add("c", 3);
            eq(JSON.stringify(iter.next().value), '["b",2]', "second");
            eq(JSON.stringify(iter.next().value), '["c",3]', "added while iterating");
            r = iter.next();
            eq(r.done && r.value === undefined, true, "done");
            eq(iter.next().done, true, "stays done");

            eq(JSON.stringify([...t.keys()]), '["a","b","c"]', "keys");
            eq(JSON.stringify([...t.values()]), '[1,2,3]', "values");
            eq(JSON.stringify([...t]), '[["a",1],["b",2],["c",3]]', "spread uses @@iterator");
            const seen = [];
            const thisArg = {};
            t.forEach(function (value, key, obj) { seen.push([value, key, obj === t, this === thisArg]); }, thisArg);
            eq(JSON.stringify(seen), '[[1,"a",true,true],[2,"b",true,true],[3,"c",true,true]]', "forEach");
            // forEach reads the live list at each step.
            const order = [];
            t.forEach((v, k) => { order.push(k); if (k === "a") t.clear(); });
            eq(JSON.stringify(order), '["a"]', "forEach is live");

            throws("TypeError", () => t.forEach(5), "forEach needs a function");
            throws("TypeError", () => p.entries.call({}), "entries brand check");
            throws("TypeError", () => iterProto.next.call({}), "next brand check");
            throws("TypeError", () => iterProto.next.call([][Symbol.iterator]()), "not ours");
            "#,
        );
    }

    #[test]
    fn a_shut_down_global_answers_gone() {
        let g = global(GlobalKind::Window);
        let r = g.eval("1 + 1");
        assert_eq!(r, Ok("2".into()));
        g.shutdown();
        let _ = EvalError::Gone;
    }
}
