//! <https://w3c.github.io/ServiceWorker/#client-interface>: a service worker's view of one
//! page or worker of its origin (a window's is a [`WindowClient`]; all of them:
//! [`crate::dom::clients`]).

use crate::dom::bindings::codegen::ClientBinding::ClientMethods;
use crate::dom::bindings::codegen::{ClientType, FrameType, StructuredSerializeOptions};
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::globalscope::GlobalScope;
use crate::dom::postmessage::{serialize_with_transfer, PostMessage};
use crate::dom::windowclient::WindowClient;
use crate::service_workers::{ClientSnapshot, EnvironmentKind};

/// <https://w3c.github.io/ServiceWorker/#client-interface>
pub struct Client<'js> {
    client: ClientSnapshot,
    _js: std::marker::PhantomData<&'js ()>,
}

impl<'js> Trace<'js> for Client<'js> {
    fn trace<'a>(&self, _tracer: Tracer<'a, 'js>) {}
}

impl<'js> Client<'js> {
    pub fn new_inherited(client: ClientSnapshot) -> Client<'js> {
        Client {
            client,
            _js: std::marker::PhantomData,
        }
    }

    /// The client this object stands for.
    pub fn snapshot(&self) -> &ClientSnapshot {
        &self.client
    }

    /// Create Client / Create Window Client: a new object for the client (a WindowClient for
    /// a window client).
    pub fn create(ctx: &Ctx<'js>, client: ClientSnapshot) -> Fallible<Dom<'js, Client<'js>>> {
        if client.kind == EnvironmentKind::Window {
            let w = reflect_dom_object(ctx, WindowClient::new_inherited(ctx, client)?)?;
            return Ok(w.upcast::<Client>());
        }
        reflect_dom_object(ctx, Client::new_inherited(client))
    }
}

impl<'js> PostMessage<'js> for Client<'js> {
    /// <https://w3c.github.io/ServiceWorker/#client-postmessage-options>
    fn post_message(
        &self,
        cx: &Cx<'js>,
        message: Value<'js>,
        options: StructuredSerializeOptions<'js>,
    ) -> Fallible<()> {
        let global = GlobalScope::current(&cx.ctx)
            .ok_or_else(|| Error::invalid_state("postMessage() needs a global"))?;
        // Step 3. StructuredSerializeWithTransfer, rethrowing.
        let serialized = serialize_with_transfer(cx, message, options)?;
        // Step 4. In parallel: find the client and queue the message on its client message
        // queue (the source is this service worker).
        let info = global.info();
        match info.service_workers.as_ref().zip(info.service_worker) {
            Some((context, (_, worker))) => {
                context.post_to_client(&self.client.id, serialized, worker, info.origin.clone())
            }
            None => serialized.dispose(),
        }
        Ok(())
    }
}

impl<'js> ClientMethods<'js> for Client<'js> {
    /// <https://w3c.github.io/ServiceWorker/#client-url>
    fn url(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.client.url.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-frametype>: a frame's window is
    /// "nested", another window "top-level" (no auxiliary windows here); workers have none.
    fn frameType(&self, _cx: &Cx<'js>) -> Fallible<FrameType> {
        Ok(match self.client.kind {
            EnvironmentKind::Window if !self.client.ancestor_origins.is_empty() => {
                FrameType::Nested
            }
            EnvironmentKind::Window => FrameType::TopLevel,
            _ => FrameType::None,
        })
    }
    /// <https://w3c.github.io/ServiceWorker/#client-id>
    fn id(&self, _cx: &Cx<'js>) -> Fallible<DOMString> {
        Ok(self.client.id.clone())
    }
    /// <https://w3c.github.io/ServiceWorker/#client-type>
    fn r#type(&self, _cx: &Cx<'js>) -> Fallible<ClientType> {
        Ok(match self.client.kind {
            EnvironmentKind::DedicatedWorker => ClientType::Worker,
            EnvironmentKind::SharedWorker => ClientType::Sharedworker,
            _ => ClientType::Window,
        })
    }
    crate::post_message_methods!();
}
