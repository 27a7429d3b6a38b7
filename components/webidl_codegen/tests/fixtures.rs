//! One test per fixture in `tests/fixtures/`: what the first pass makes of it (the model) and
//! what the emitter writes. The behaviour of the emitted glue from JS is tested in the script
//! crate (`TestBinding`).

use std::path::PathBuf;
use webidl_codegen::model::*;
use webidl_codegen::{Config, Definitions, ResolveOptions};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.webidl"))
}

/// Loads `globals.webidl` plus the named fixtures.
fn load(names: &[&str]) -> Definitions {
    let mut paths = vec![fixture_path("globals")];
    paths.extend(names.iter().map(|n| fixture_path(n)));
    webidl_codegen::load(&paths, ResolveOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every generated file, one after the other.
fn emit(defs: &Definitions) -> String {
    webidl_codegen::generate(defs, &Config::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .concatenated()
}

/// The emitted code with all whitespace removed, for `contains` checks.
fn squash(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    // prettyplease adds trailing commas when it breaks a list over lines.
    s.replace(",)", ")")
        .replace(",>", ">")
        .replace(",]", "]")
        .replace(",}", "}")
}

fn errors_of(files: &[(&str, &str)]) -> String {
    match webidl_codegen::load_str(files, ResolveOptions::default()) {
        Ok(defs) => match webidl_codegen::generate(&defs, &Config::default()) {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    }
}

const GLOBALS: &str = "[Global=Window, Exposed=Window] interface Window {};";

#[test]
fn enum_fixture() {
    let defs = load(&["enum"]);
    assert_eq!(defs.enums["Result"].values, vec!["", "success", "failure"]);
    let code = squash(&emit(&defs));
    assert!(
        code.contains("pubenumResult{Empty,Success,Failure}"),
        "variants"
    );
    assert!(code.contains("pubenumReason{BadStatus,FetchError,QuotaExceeded}"));
    assert!(
        code.contains(r#"""=>Some(Result::Empty)"#),
        "the empty string parses"
    );
    assert!(
        code.contains("conv::to_enum::<Reason>"),
        "enum arguments are converted"
    );
    assert!(code.contains("Reason::FetchError"), "an enum default");
}

#[test]
fn dictionary_default_fixture() {
    let defs = load(&["dictionary_default"]);
    let d = &defs.dictionaries["Options"];
    assert_eq!(d.parent.as_deref(), Some("Base"));
    let names: Vec<&str> = d.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["downloadTotal", "id", "zeta"],
        "members sorted for conversion"
    );
    assert_eq!(d.members[0].default, Some(DefaultValue::Integer(0)));
    assert!(d.members[1].required);
    let code = squash(&emit(&defs));
    assert!(code.contains("pubstructOptions{"));
    assert!(code.contains("pubparent:Base,"), "the parent is embedded");
    assert!(
        code.contains("pubdownloadTotal:u64,"),
        "a default makes the member plain"
    );
    assert!(
        code.contains("pubtitle:Option<DOMString>"),
        "no default: Option"
    );
    assert!(code.contains("None=>0asu64"), "the default value");
    assert!(
        code.contains("Requiredmemberisundefined"),
        "required members are checked"
    );
}

#[test]
fn union_fixture() {
    let defs = load(&["union"]);
    let code = emit(&defs);
    let flat = squash(&code);
    assert!(
        flat.contains("pubenumThingInfo<'js>{"),
        "typedef'd union keeps its name"
    );
    assert!(
        flat.contains("pubenumThingInfoOrThingInfoSequence<'js>{"),
        "outer union named by members"
    );
    assert!(flat.contains("ThingInfoSequence(Vec<ThingInfo<'js>>)"));
    assert!(
        flat.contains("ThingInfoOrThingInfoSequence::ThingInfo(ThingInfo::Thing("),
        "a flattened member is wrapped in its nested union"
    );
    assert!(
        flat.contains("maybe:Option<LongOrString>"),
        "nullable union"
    );
    // Conversion order: platform objects before iterables before strings.
    let iface = code.find("DomInterface<'js>>::unwrap(&v)").unwrap();
    let iter = code.find("conv::has_iterator").unwrap();
    assert!(iface < iter);
}

#[test]
fn promise_fixture() {
    let defs = load(&["promise"]);
    let code = squash(&emit(&defs));
    assert!(code.contains("fnlist(&self,cx:&Cx<'js>)->Fallible<Promise<'js>>;"));
    assert!(
        code.contains("glue::promise_method(params,\"UsesPromise.list\",0"),
        "promise operations reject"
    );
    assert_eq!(code.matches("glue::promise_method(").count(), 2);
    assert_eq!(code.matches("glue::method(").count(), 0);
}

#[test]
fn inheritance_fixture() {
    let defs = load(&["inheritance"]);
    assert_eq!(defs.ancestry("Leaf"), ["Leaf", "Middle", "Root"]);
    assert_eq!(defs.descendants("Root"), ["Leaf", "Middle"]);
    let code = squash(&emit(&defs));
    assert!(code.contains("proto_parent:ProtoParent::Interface(PrototypeId::Middleasusize)"));
    assert!(code.contains(
        "impl<'js>Inherits<'js,crate::dom::types::Root<'js>>forcrate::dom::types::Leaf<'js>"
    ));
    assert!(
        code.contains("HasParent::parent(HasParent::parent(self))"),
        "two-step upcast"
    );
    // Brand check of Root tries the descendants.
    assert!(code.contains("data.as_class::<crate::dom::types::Leaf<'js>>()"));
    // Errors: unknown parent, cycle.
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("a.webidl", "[Exposed=Window] interface A : Nope {};"),
    ]);
    assert!(
        e.contains("a.webidl:1:") && e.contains("unknown interface `Nope`"),
        "{e}"
    );
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        (
            "a.webidl",
            "[Exposed=Window] interface A : B {};\n[Exposed=Window] interface B : A {};",
        ),
    ]);
    assert!(e.contains("inheritance cycle"), "{e}");
}

#[test]
fn partial_and_mixin_fixture_in_any_file_order() {
    let defs = load(&["partial_a", "partial_b"]);
    let merged = &defs.interfaces["Merged"];
    let names: Vec<&str> = merged.members.iter().filter_map(|m| m.name()).collect();
    assert_eq!(
        names,
        ["fromMain", "fromPartial", "fromMixin"],
        "main, partials, then mixins"
    );
    let dict: Vec<&str> = defs.dictionaries["MergedDict"]
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(dict, ["fromMain", "fromPartial"]);
    // The same files in the other order produce the same code.
    let again = webidl_codegen::load(
        &[
            fixture_path("partial_b"),
            fixture_path("globals"),
            fixture_path("partial_a"),
        ],
        ResolveOptions::default(),
    )
    .unwrap();
    assert_eq!(
        emit(&defs),
        emit(&again),
        "output does not depend on file order"
    );
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("p.webidl", "partial interface Lost {};"),
    ]);
    assert!(e.contains("partial `Lost` has no main definition"), "{e}");
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("p.webidl", "Window includes Nothing;"),
    ]);
    assert!(e.contains("unknown mixin `Nothing`"), "{e}");
}

#[test]
fn exposed_fixture() {
    let defs = load(&["exposed"]);
    let every = &defs.interfaces["Everywhere"];
    let window_only = every.attributes().find(|a| a.name == "windowOnly").unwrap();
    assert_eq!(
        window_only.exposure,
        Exposure::Globals(["Window".to_string()].into())
    );
    let code = squash(&emit(&defs));
    // Bits follow the sorted [Global] interfaces: DedicatedWorker=1, ServiceWorker=2, Window=4.
    assert!(code.contains(r#"name:"Everywhere",kind:SpecKind::Interface,id:PrototypeId::Everywhereasusize,parent:None,proto_parent:ProtoParent::Object,exposure:7u32"#));
    assert!(code.contains(r#"AttrSpec::new("windowOnly",get_windowOnly,None,4u32)"#));
    assert!(code.contains(r#"name:"OnlyInServiceWorkers",kind:SpecKind::Interface,id:PrototypeId::OnlyInServiceWorkersasusize,parent:None,proto_parent:ProtoParent::Object,exposure:2u32"#));
    assert!(code.contains(r#"name:"Star",kind:SpecKind::Interface,id:PrototypeId::Starasusize,parent:None,proto_parent:ProtoParent::Object,exposure:7u32"#));
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("x.webidl", "[Exposed=Mars] interface X {};"),
    ]);
    assert!(
        e.contains("[Exposed=Mars]") && e.contains("no interface declares [Global=Mars]"),
        "{e}"
    );
    let e = errors_of(&[("g.webidl", GLOBALS), ("x.webidl", "interface X {};")]);
    assert!(e.contains("has no [Exposed]"), "{e}");
}

#[test]
fn overload_fixture() {
    let defs = load(&["overload"]);
    let code = squash(&emit(&defs));
    assert!(code.contains("fnf(&self,cx:&Cx<'js>,s:DOMString)"));
    assert!(code.contains("fnf_1(&self,cx:&Cx<'js>,n:i32)"));
    assert!(code.contains("fnf_2(&self,cx:&Cx<'js>,a:i32,b:i32)"));
    assert!(code.contains("fnop_f<'js>("), "a dispatcher");
    assert!(
        code.contains(r#"OpSpec::new("f",op_f,1u32"#),
        "length: shortest"
    );
    assert!(
        code.contains(r#"OpSpec::new("g",op_g_0,0u32"#),
        "optional not counted"
    );
    assert!(
        code.contains("fng(&self,cx:&Cx<'js>,x:Option<i32>)"),
        "optional without default"
    );
}

#[test]
fn callback_fixture() {
    let defs = load(&["callback"]);
    let code = squash(&emit(&defs));
    assert!(code.contains("pubstructTick<'js>{"));
    assert!(
        code.contains("pubfncall(&self,ctx:&Ctx<'js>,this_arg:Value<'js>,n:i32)->Fallible<i32>")
    );
    assert!(code.contains("pubstructListener<'js>{"));
    assert!(code.contains("conv::user_object_operation(ctx,&self.object,\"handle\",this_arg)"));
}

#[test]
fn namespace_fixture() {
    let defs = load(&["namespace"]);
    assert_eq!(defs.interfaces["tools"].kind, InterfaceKind::Namespace);
    let code = squash(&emit(&defs));
    assert!(code.contains("fntwice(cx:&Cx<'js>,x:i32)->Fallible<i32>whereSelf:Sized;"));
    assert!(code.contains("kind:SpecKind::Namespace"));
    assert!(code.contains(r#"ConstSpec{name:"ANSWER",value:ConstValue::Number(42f64)}"#));
}

#[test]
fn numeric_extended_attributes_fixture() {
    let defs = webidl_codegen::load(
        &[fixture_path("globals"), fixture_path("numeric_ext_attrs")],
        ResolveOptions::default(),
    )
    .unwrap();
    let a = defs.interfaces["Reflecting"].attributes().next().unwrap();
    assert_eq!(
        a.ext_attrs.get("ReflectDefault"),
        Some(&ExtAttrValue::Integer("1".into()))
    );
    assert_eq!(
        a.ext_attrs.get("ReflectRange"),
        Some(&ExtAttrValue::List(vec!["0".into(), "8".into()]))
    );
    assert_eq!(a.location.line, 3, "positions survive the pre-pass");
    // HTML reflection: the getter and setter are default trait methods over the runtime's
    // `reflect` functions, with the default and the clamping range.
    let code = squash(&emit(&defs));
    assert!(
        code.contains(
            "fnspan(&self,cx:&Cx<'js>)->Fallible<u32>{reflect::get_unsigned_long(cx,\"span\",Some(1u32),false,Some((0u32,8u32)))}"
        ),
        "{code}"
    );
    assert!(
        code.contains("fnset_span(&self,cx:&Cx<'js>,value:u32)->Fallible<()>{reflect::set_unsigned_long(cx,\"span\",value,Some(1u32),false,false)}"),
        "{code}"
    );
}

#[test]
fn reflection_fixture() {
    let defs = load(&["reflect"]);
    let code = squash(&emit(&defs));
    for expected in [
        // [Reflect=name] names the content attribute; [ReflectURL] resolves a URL.
        "reflect::get_string(cx,\"http-equiv\")",
        "reflect::get_url(cx,\"src\")",
        "reflect::set_string(cx,\"src\",value)",
        // Enumerated: keywords and defaults; non-nullable maps no state to "".
        "reflect::get_enumerated(cx,\"method\",&[\"get\",\"post\"],Some(\"get\"),Some(\"get\"),None).map(Option::unwrap_or_default)",
        "reflect::get_enumerated(cx,\"crossorigin\",&[\"anonymous\",\"use-credentials\"],None,Some(\"anonymous\"),Some(\"anonymous\"))}",
        "reflect::set_nullable_string(cx,\"crossorigin\",value)",
        "reflect::get_long(cx,\"maxlength\",None,true)",
        "reflect::get_double(cx,\"max\",Some(1f64),true)",
        "reflect::get_token_list(cx,\"rel\")",
        // [ReflectSetter]: the getter stays required.
        "fnaction(&self,cx:&Cx<'js>)->Fallible<USVString>;",
        "reflect::set_string(cx,\"action\",value)",
        // Element references: Element? and FrozenArray<Element>?.
        "reflect::get_element(cx,\"aria-activedescendant\")",
        "reflect::set_element(cx,\"aria-activedescendant\",value)",
        "reflect::get_elements(cx,\"aria-owns\")",
        "reflect::set_elements(cx,\"aria-owns\",value)",
        // CSSOM property attributes go through getPropertyValue()/setProperty().
        "self.getPropertyValue(cx,\"background-color\".into())",
        // A named property getter/setter/deleter: trait methods and exotic hooks.
        "fnnamed_getter(&self,cx:&Cx<'js>,name:DOMString)->Fallible<Option<DOMString>>;",
        "legacy::named_set_property(",
        // [LegacyFactoryFunction]: a trait method and a FactorySpec.
        "fnLegacyFactoryFunction_Picture(cx:&Cx<'js>,width:Option<u32>)->Fallible<Self>",
        "FactorySpec{name:\"Picture\"",
    ] {
        assert!(code.contains(expected), "missing {expected} in {code}");
    }
}

#[test]
fn refused_constructs_name_themselves() {
    let cases = [
        (
            "maplike<DOMString, long>;",
            "`maplike` declarations are not supported",
        ),
        ("setlike<long>;", "`setlike` declarations are not supported"),
        (
            "iterable<long>;",
            "value iterators (`iterable<V>`) need an indexed property getter",
        ),
        (
            "async iterable<long, long>;",
            "`async iterable` declarations are not supported yet",
        ),
        ("getter long (unsigned long i);", "special operations"),
        ("getter long named(DOMString name);", "named getters"),
        (
            "setter undefined set(unsigned long i, long v);",
            "special operations",
        ),
        ("[Default] object toJSON();", "[Default] operations"),
        (
            "attribute ObservableArray<long> list;",
            "ObservableArray<T> is not supported",
        ),
        (
            "[Frobnicate] attribute long x;",
            "[Frobnicate] is not supported",
        ),
    ];
    for (member, message) in cases {
        let src = format!("[Exposed=Window] interface R {{\n  {member}\n}};");
        let e = errors_of(&[("g.webidl", GLOBALS), ("r.webidl", &src)]);
        assert!(e.contains("r.webidl:2:"), "{member}: {e}");
        assert!(e.contains(message), "{member}: {e}");
    }
}

#[test]
fn a_named_indexed_getter_makes_an_exotic_class() {
    let src = "[Exposed=Window] interface List {\n  readonly attribute unsigned long length;\n  getter long? item(unsigned long index);\n};";
    let defs = webidl_codegen::load_str(
        &[("g.webidl", GLOBALS), ("l.webidl", src)],
        ResolveOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let code = squash(&emit(&defs));
    assert!(
        code.contains("constKIND:rquickjs::class::ClassKind=rquickjs::class::ClassKind::Exotic"),
        "exotic"
    );
    assert!(
        code.contains("fnindexed_get_List<'js>("),
        "the getter helper"
    );
    assert!(
        code.contains("array_iterator:true"),
        "@@iterator is Array.prototype.values"
    );
    assert!(
        code.contains("fnitem(&self,cx:&Cx<'js>,index:u32)"),
        "still a regular operation"
    );
}

#[test]
fn unknown_names_and_typedef_cycles_are_located_errors() {
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        (
            "u.webidl",
            "[Exposed=Window] interface U {\n  undefined f(Missing m);\n};",
        ),
    ]);
    assert!(
        e.contains("u.webidl:2:") && e.contains("unknown type `Missing`"),
        "{e}"
    );
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("t.webidl", "typedef A B;\ntypedef B A;"),
    ]);
    assert!(e.contains("typedef cycle"), "{e}");
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        ("d.webidl", "enum E { \"a\", \"a\" };"),
    ]);
    assert!(e.contains("lists \"a\" twice"), "{e}");
    let e = errors_of(&[
        ("g.webidl", GLOBALS),
        (
            "d.webidl",
            "dictionary D { long x; };\n[Exposed=Window] interface I { undefined f(D d); };",
        ),
    ]);
    assert!(e.contains("must be optional"), "{e}");
}

#[test]
fn syntax_errors_and_weedle_panics_are_located() {
    let e = errors_of(&[("j.webidl", "interface A {};;")]);
    assert!(
        e.starts_with("j.webidl:1:16: expected a definition, found `;`"),
        "{e}"
    );
    let e = errors_of(&[(
        "j.webidl",
        "\n\n[Exposed=Window] interface A {\n  attribute;\n};\n",
    )]);
    assert!(e.starts_with("j.webidl:"), "{e}");
    let e = errors_of(&[("j.webidl", "[Exposed=Window interface A {};")]);
    assert!(e.starts_with("j.webidl:1:1: unclosed `[`"), "{e}");
    // Junk inside an extended attribute list is reported where it is.
    let e = errors_of(&[("j.webidl", "[A=, B] interface X {};")]);
    assert!(e.starts_with("j.webidl:1:4:"), "{e}");
}

#[test]
fn output_is_deterministic() {
    let a = emit(&load(&["enum", "union", "callback"]));
    let b = emit(&load(&["callback", "union", "enum"]));
    assert_eq!(a, b);
}
