// The generator's test bed: every construct webidl_codegen supports, implemented in
// components/script/src/dom/testbinding.rs and exercised from JS by the script crate's tests
// (src/dom/testbinding.rs, `mod tests`). Compiled only under #[cfg(test)].

enum TestEnum { "", "one", "two-words" };

dictionary TestParentDictionary {
  long parentMember = 7;
};

dictionary TestDictionary : TestParentDictionary {
  required DOMString requiredMember;
  boolean booleanMember = true;
  unsigned long long bigMember = 0;
  TestEnum enumMember = "one";
  DOMString? nullableMember = null;
  sequence<long> sequenceMember;
  any anyMember;
  (long or DOMString) unionMember;
};

dictionary TestOptionalDictionary {
  DOMString name = "default";
  unsigned long count = 0;
};

typedef (TestBinding or DOMString) TestInfo;
typedef long TestLong;

callback TestCallback = long (long a, DOMString b);

callback interface TestListener {
  DOMString handle(long value);
};

[Exposed=(Window,Worker)]
interface TestBinding : EventTarget {
  constructor();
  constructor(DOMString name);
  constructor(long number, optional boolean flag = false);

  const unsigned short CONST_SHORT = 3;
  const boolean CONST_BOOL = true;
  const double CONST_DOUBLE = 1.5;

  attribute boolean booleanAttribute;
  attribute byte byteAttribute;
  attribute octet octetAttribute;
  attribute short shortAttribute;
  attribute unsigned short unsignedShortAttribute;
  attribute long longAttribute;
  attribute unsigned long unsignedLongAttribute;
  attribute long long longLongAttribute;
  attribute unsigned long long unsignedLongLongAttribute;
  attribute float floatAttribute;
  attribute unrestricted float unrestrictedFloatAttribute;
  attribute double doubleAttribute;
  attribute unrestricted double unrestrictedDoubleAttribute;
  attribute DOMString stringAttribute;
  attribute USVString usvStringAttribute;
  attribute ByteString byteStringAttribute;
  attribute [LegacyNullToEmptyString] DOMString nullToEmptyAttribute;
  attribute object objectAttribute;
  attribute any anyAttribute;
  attribute TestEnum enumAttribute;
  attribute DOMString? nullableStringAttribute;
  attribute long? nullableLongAttribute;
  attribute TestInfo unionAttribute;
  readonly attribute DOMString name;
  [SameObject] readonly attribute TestBinding sameObject;
  [LegacyUnforgeable] readonly attribute long unforgeable;
  [Replaceable] readonly attribute long replaceable;
  [PutForwards=booleanAttribute] readonly attribute TestBinding forwarder;
  attribute EventHandler onfoo;
  static attribute long staticAttribute;
  [Exposed=Window] readonly attribute boolean windowOnly;
  [SecureContext] readonly attribute boolean secureOnly;
  [Pref="dom.testbinding.pref"] readonly attribute boolean prefOnly;
  stringifier attribute DOMString label;

  byte passByte(byte value);
  octet passOctet(octet value);
  short passShort(short value);
  long passLong(long value);
  unsigned long passUnsignedLong(unsigned long value);
  long long passLongLong(long long value);
  unsigned long long passUnsignedLongLong(unsigned long long value);
  unsigned long long passEnforcedUnsignedLongLong([EnforceRange] unsigned long long value);
  octet passClampedOctet([Clamp] octet value);
  double passDouble(double value);
  unrestricted double passUnrestrictedDouble(unrestricted double value);
  float passFloat(float value);
  boolean passBoolean(boolean value);
  DOMString passString(DOMString value);
  USVString passUSVString(USVString value);
  ByteString passByteString(ByteString value);
  TestEnum passEnum(TestEnum value);
  any passAny(any value);
  object passObject(object value);
  DOMString? passNullableString(DOMString? value);
  sequence<long> passSequence(sequence<long> value);
  sequence<sequence<DOMString>> passNestedSequence(sequence<sequence<DOMString>> value);
  DOMString describeRecord(record<DOMString, long> value);
  TestDictionary passDictionary(TestDictionary value);
  TestOptionalDictionary passOptionalDictionary(optional TestOptionalDictionary value = {});
  DOMString describeUnion((long or DOMString or TestDictionary or sequence<long> or TestBinding) value);
  DOMString describeNullableUnion((long or DOMString)? value);
  DOMString describeUnionWithBoolean((boolean or double or DOMString) value);
  DOMString describeRequestLike((TestInfo or sequence<TestInfo>) value);
  TestBinding? passInterface(TestBinding? value);
  EventTarget passEventTarget(EventTarget value);
  long passTypedef(TestLong value);
  DOMString describeBuffer(BufferSource value);

  DOMString optionalArgs(optional long a, optional DOMString b = "b", optional boolean c = true);
  long variadic(DOMString first, long... rest);
  long optionalLength(long a, optional long b);

  DOMString overloaded(DOMString s);
  DOMString overloaded(long n);
  DOMString overloaded(TestDictionary d);
  DOMString overloaded(sequence<long> s);
  DOMString overloaded(long a, long b);

  long callCallback(TestCallback cb, long a, DOMString b);
  DOMString callListener(TestListener listener, long value);

  Promise<long> resolveLater(long value);
  Promise<undefined> rejectWith(DOMString name);

  undefined throwType();
  undefined throwDom(DOMString name);
  undefined throwQuota();
  undefined throwRange();
  undefined panicInRust();
  undefined callAndRethrow(Function f);

  static long staticOperation(long value);
};

[Exposed=(Window,Worker)]
interface TestDerived : TestBinding {
  constructor();
  readonly attribute DOMString derivedOnly;
};

[Exposed=ServiceWorker]
interface TestServiceWorkerOnly {
  constructor();
};

[Exposed=*]
namespace TestNamespace {
  const long NAMESPACE_CONST = 42;
  long twice(long value);
  readonly attribute DOMString description;
};

// [SameObject] is kept by the glue even when the implementation returns a new object.
[Exposed=(Window,Worker)]
interface TestSameObject {
  constructor();
  [SameObject] readonly attribute object fresh;
  readonly attribute object notSame;
};

// A pair iterable: entries/keys/values/forEach/@@iterator and "TestIterable Iterator".
[Exposed=(Window,Worker)]
interface TestIterable {
  constructor();
  undefined add(DOMString key, long value);
  undefined clear();
  iterable<DOMString, long>;
};
