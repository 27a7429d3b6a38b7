//! Errors of DOM methods and their mapping to JS exceptions, in one place (after Deno's
//! `ext/fetch` errors and Servo's `dom/bindings/error.rs`).
//!
//! Every variant says which exception it becomes. Exceptions are created in the realm of the
//! context they are thrown into: the caller's.

use rquickjs::{Ctx, Exception, Value};
use std::fmt;

/// `Result` of a DOM method.
pub type Fallible<T> = Result<T, Error>;

/// Defines [`DomErrorName`] from one table: name and legacy code (0: none).
macro_rules! dom_error_names {
    ($($name:ident = $code:expr,)*) => {
        /// The DOMException names (WebIDL "DOMException names" table), with their legacy codes.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum DomErrorName { $($name,)* }

        impl DomErrorName {
            const ALL: &'static [DomErrorName] = &[$(DomErrorName::$name,)*];

            /// The exception's `name`.
            pub fn as_str(self) -> &'static str {
                match self { $(DomErrorName::$name => stringify!($name),)* }
            }

            /// The legacy `code` (0 for names without one).
            pub fn code(self) -> u16 {
                match self { $(DomErrorName::$name => $code,)* }
            }
        }
    };
}

dom_error_names! {
    IndexSizeError = 1,
    HierarchyRequestError = 3,
    WrongDocumentError = 4,
    InvalidCharacterError = 5,
    NoModificationAllowedError = 7,
    NotFoundError = 8,
    NotSupportedError = 9,
    InUseAttributeError = 10,
    InvalidStateError = 11,
    SyntaxError = 12,
    InvalidModificationError = 13,
    NamespaceError = 14,
    InvalidAccessError = 15,
    TypeMismatchError = 17,
    SecurityError = 18,
    NetworkError = 19,
    AbortError = 20,
    URLMismatchError = 21,
    QuotaExceededError = 22,
    TimeoutError = 23,
    InvalidNodeTypeError = 24,
    DataCloneError = 25,
    EncodingError = 0,
    NotReadableError = 0,
    UnknownError = 0,
    ConstraintError = 0,
    DataError = 0,
    TransactionInactiveError = 0,
    ReadOnlyError = 0,
    VersionError = 0,
    OperationError = 0,
    NotAllowedError = 0,
    OptOutError = 0,
}

impl DomErrorName {
    pub fn from_name(name: &str) -> Option<DomErrorName> {
        Self::ALL.iter().copied().find(|n| n.as_str() == name)
    }
}

/// An error a DOM method reports; each variant names the exception it becomes.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// A `TypeError`.
    Type(String),
    /// A `RangeError`.
    Range(String),
    /// A JS `SyntaxError` (not the DOMException of that name).
    JsSyntax(String),
    /// A `DOMException` with this name.
    Dom(DomErrorName, String),
    /// A `QuotaExceededError` (the WebIDL interface inheriting DOMException).
    QuotaExceeded {
        message: String,
        quota: Option<f64>,
        requested: Option<f64>,
    },
    /// A JS exception is already pending in the context (thrown by script we called).
    JsException,
}

impl Error {
    pub fn type_error(msg: impl Into<String>) -> Error {
        Error::Type(msg.into())
    }
    pub fn dom(name: DomErrorName, msg: impl Into<String>) -> Error {
        Error::Dom(name, msg.into())
    }
    pub fn invalid_state(msg: impl Into<String>) -> Error {
        Error::Dom(DomErrorName::InvalidStateError, msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Type(m) => write!(f, "TypeError: {m}"),
            Error::Range(m) => write!(f, "RangeError: {m}"),
            Error::JsSyntax(m) => write!(f, "SyntaxError: {m}"),
            Error::Dom(n, m) => write!(f, "{}: {m}", n.as_str()),
            Error::QuotaExceeded { message, .. } => write!(f, "QuotaExceededError: {message}"),
            Error::JsException => write!(f, "(a JavaScript exception)"),
        }
    }
}

impl std::error::Error for Error {}

impl From<rquickjs::Error> for Error {
    fn from(e: rquickjs::Error) -> Error {
        match e {
            rquickjs::Error::Exception => Error::JsException,
            other => Error::Type(other.to_string()),
        }
    }
}

/// The exception value for `e`, created in `ctx`'s realm. For [`Error::JsException`] this
/// takes the pending exception.
pub fn error_value<'js>(ctx: &Ctx<'js>, e: Error) -> Value<'js> {
    let thrown = match e {
        Error::JsException => return ctx.catch(),
        Error::Type(m) => Exception::throw_type(ctx, &m),
        Error::Range(m) => Exception::throw_range(ctx, &m),
        Error::JsSyntax(m) => Exception::throw_syntax(ctx, &m),
        Error::Dom(name, m) => match crate::dom::domexception::create(ctx, &m, name.as_str()) {
            Ok(v) => return v,
            Err(e) => return error_value(ctx, e),
        },
        Error::QuotaExceeded {
            message,
            quota,
            requested,
        } => match crate::dom::quotaexceedederror::create(ctx, &message, quota, requested) {
            Ok(v) => return v,
            Err(e) => return error_value(ctx, e),
        },
    };
    let _ = thrown;
    ctx.catch()
}

/// Throws `e` into `ctx` (as the caller's realm's exception).
pub fn throw(ctx: &Ctx<'_>, e: Error) -> rquickjs::Error {
    match e {
        Error::JsException => rquickjs::Error::Exception,
        other => {
            let v = error_value(ctx, other);
            ctx.throw(v)
        }
    }
}

/// A readable description of the pending exception (for logs and the embedder), taking it.
pub fn describe_exception(ctx: &Ctx<'_>, value: &Value<'_>) -> String {
    let _ = ctx;
    if let Some(obj) = value.as_object() {
        let name: Option<String> = obj.get::<_, Option<String>>("name").ok().flatten();
        let message: Option<String> = obj.get::<_, Option<String>>("message").ok().flatten();
        let stack: Option<String> = obj.get::<_, Option<String>>("stack").ok().flatten();
        if name.is_some() || message.is_some() {
            let mut s = format!(
                "{}: {}",
                name.unwrap_or_else(|| "Error".into()),
                message.unwrap_or_default()
            );
            if let Some(stack) = stack.filter(|s| !s.is_empty()) {
                s.push('\n');
                s.push_str(stack.trim_end());
            }
            return s;
        }
    }
    super::conversions::display_value(value)
}
