//! The `postMessage(message, transfer)` / `postMessage(message, options)` overload pair of
//! MessagePort, Worker, DedicatedWorkerGlobalScope, ServiceWorker and Client, written once.
//!
//! Each spec defines the first overload as the second with «[ "transfer" → transfer ]», and
//! each interface's steps start with StructuredSerializeWithTransfer of the message and
//! options["transfer"]. An interface implements [`PostMessage`] (what it does with the
//! message) and expands [`post_message_methods!`](crate::post_message_methods) in its
//! `...Methods` impl.

use crate::dom::bindings::codegen::StructuredSerializeOptions;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::structuredclone::{self, Serialized};

/// An interface with the postMessage() overload pair.
pub trait PostMessage<'js> {
    /// The interface's `postMessage(message, options)` method steps.
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()>;
}

/// StructuredSerializeWithTransfer(message, options["transfer"]), rethrowing: the step of
/// every postMessage() that makes the message.
pub fn serialize_with_transfer<'js>(
    cx: &Cx<'js>,
    message: Value<'js>,
    options: StructuredSerializeOptions<'js>,
) -> Fallible<Serialized> {
    structuredclone::serialize(&cx.ctx, message, options.transfer)
}

/// The two postMessage() overloads, for the `...Methods` impl of a type that implements
/// [`PostMessage`].
#[macro_export]
macro_rules! post_message_methods {
    () => {
        /// `postMessage(message, transfer)`: `postMessage(message, «[ "transfer" →
        /// transfer ]»)`.
        fn postMessage(
            &self,
            cx: &Cx<'js>,
            message: Value<'js>,
            transfer: Vec<Object<'js>>,
        ) -> Fallible<()> {
            let options = $crate::dom::bindings::codegen::StructuredSerializeOptions { transfer };
            $crate::dom::postmessage::PostMessage::post_message(self, cx, message, options)
        }
        /// `postMessage(message, options)`.
        fn postMessage_1(
            &self,
            cx: &Cx<'js>,
            message: Value<'js>,
            options: $crate::dom::bindings::codegen::StructuredSerializeOptions<'js>,
        ) -> Fallible<()> {
            $crate::dom::postmessage::PostMessage::post_message(self, cx, message, options)
        }
    };
}
