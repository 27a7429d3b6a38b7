//! The bindings runtime: what the generated code (from `webidls/` by `webidl_codegen`) calls,
//! and the include of that code.
//!
//! - [`root`]: `Dom<'js, T>` references and the inheritance traits;
//! - [`conversions`]: WebIDL ES <-> IDL conversions;
//! - [`error`]: `Error`/`Fallible` and the mapping to JS exceptions (one place);
//! - [`realm`]: per-realm tables and `define_interface`, reflectors;
//! - [`glue`]: guards (no panic crosses into JS; promise operations reject), brand checks;
//! - [`native`]: the JS function objects of glue functions and their call path;
//! - [`panic`]: a panic a guard caught is reported to the embedder, never hidden;
//! - [`codegen`]: the generated traits, types and glue.

pub mod buffer_source;
pub mod callback;
pub mod cell;
pub mod conversions;
pub mod domstring;
pub mod error;
pub mod glue;
pub mod iterable;
pub mod legacy;
pub mod native;
pub mod panic;
pub mod realm;
pub mod reflect;
pub mod root;
pub mod spec;
pub mod structuredclone;

/// The generated bindings: `$OUT_DIR/bindings/mod.rs` declares one module per interface
/// (`FooBinding`) and a few for the other definitions, whose types it re-exports.
#[allow(
    non_snake_case,
    non_camel_case_types,
    unused_imports,
    unused_variables,
    unused_mut,
    unused_parens,
    dead_code,
    clippy::all
)]
pub mod codegen {
    include!(concat!(env!("OUT_DIR"), "/bindings/mod.rs"));
}

/// Everything the generated code names unqualified.
pub mod codegen_prelude {
    pub use super::conversions::{
        self as conv, BufferView, BufferViewKind, ByteString, DOMString, FrozenArray, IdlEnum,
        ToJsValue, USVString,
    };
    pub use super::error::{Error, Fallible};
    pub use super::glue::{self, Cx};
    pub use super::iterable::{self, IterKind};
    pub use super::legacy;
    pub use super::native::CallArgs;
    pub use super::realm::{self, reflect_dom_object, reflect_with_proto};
    pub use super::reflect;
    pub use super::root::{Dom, DomInterface, DomObject, HasParent, Inherits};
    pub use super::spec::*;
    pub use crate::dom::eventtarget::{event_handler, EventHandlerKind};
    pub use rquickjs;
    pub use rquickjs::class::{JsClass, Readable, Trace, Tracer};
    pub use rquickjs::function::{Constructor, Params};
    pub use rquickjs::{ArrayBuffer, Ctx, Function, JsLifetime, Object, Promise, Value};
}

pub use codegen::{GlobalKind, PrototypeId};
