//! [`net_traits::FetchService`] on this crate's HTTP client and Fetch steps: what script
//! threads' `fetch()`, page loads and worker scripts go through, on the profile's
//! [`NetworkStack`] (each request counts as foreground traffic while it runs); bodies are
//! forwarded chunk by chunk.

use crate::fetch::{fetch, BodySource, FetchClient, FetchParams};
use crate::stack::NetworkStack;
use crate::NetworkConfig;
use http_body_util::BodyExt;
use net_traits::{FetchEvent, FetchRequest, FetchService, FetchSink};
use std::time::Duration;

/// The network side of `fetch()` for script threads.
pub struct NetFetchService {
    stack: NetworkStack,
    idle_timeout: Duration,
}

impl NetFetchService {
    /// On a network stack of its own (one thread).
    pub fn new(config: &NetworkConfig) -> Result<NetFetchService, String> {
        Ok(NetFetchService::on(&NetworkStack::new(config, 1)?))
    }

    /// On the profile's network stack.
    pub fn on(stack: &NetworkStack) -> NetFetchService {
        NetFetchService {
            stack: stack.clone(),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

impl FetchService for NetFetchService {
    fn fetch(&self, request: FetchRequest, mut sink: FetchSink) {
        let client = self.stack.client().clone();
        let idle_timeout = self.idle_timeout;
        let traffic = self.stack.traffic().clone();
        let http_cache = self.stack.http_cache();
        self.stack.handle().spawn(async move {
            let FetchRequest {
                mut request,
                origin,
                secure_context,
                unsafe_response,
                cancel,
            } = request;
            // A foreground request to its server until its body ends (or it fails): it counts
            // against background fetch's limits for that server.
            let _in_flight = traffic.begin(&crate::background_fetch::server_of(&request.url));
            let body = request
                .body
                .take()
                .map(|b| BodySource::Bytes(bytes::Bytes::from_owner(Shared(b))));
            // Main fetch: with integrity metadata, the whole body is checked before the
            // response is handed over (a mismatch is a network error).
            let mut integrity = crate::sri::IntegrityCheck::new(&request.integrity);
            let fetch_client = FetchClient {
                origin,
                secure: secure_context,
            };
            let response = fetch(
                &client,
                &fetch_client,
                FetchParams {
                    request,
                    body,
                    range_start: 0,
                    on_upload: None,
                    idle_timeout,
                    accept_encoding: true,
                    http_cache,
                },
            );
            let response = tokio::select! {
                r = response => r,
                _ = cancelled(&cancel) => return sink(FetchEvent::Failed("aborted".into())),
            };
            let response = match response {
                Ok(r) => r,
                Err(e) => return sink(FetchEvent::Failed(e.to_string())),
            };
            let opaque = response.meta.is_opaque() && !unsafe_response;
            // An opaque response is not eligible for integrity validation.
            if integrity.is_some() && response.meta.is_opaque() {
                return sink(FetchEvent::Failed(
                    "integrity metadata cannot be checked on an opaque response".into(),
                ));
            }
            let head = if unsafe_response {
                response.meta.clone()
            } else {
                response.meta.for_script()
            };
            // Held until the body is checked, with the body's pieces.
            let mut held = match integrity {
                Some(_) => Some((head, Vec::new())),
                None => {
                    sink(FetchEvent::Response(head));
                    None
                }
            };
            // Handle content codings: decode the body as it arrives.
            let coding = response
                .meta
                .headers
                .iter()
                .find(|(n, _)| n.0.eq_ignore_ascii_case(b"content-encoding"))
                .map(|(_, v)| String::from_utf8_lossy(&v.0).into_owned());
            let mut decoder =
                crate::content_coding::Decoder::for_content_encoding(coding.as_deref());
            let mut body = response.body;
            loop {
                let frame = tokio::select! {
                    f = tokio::time::timeout(idle_timeout, body.frame()) => f,
                    _ = cancelled(&cancel) => return sink(FetchEvent::Failed("aborted".into())),
                };
                match frame {
                    Err(_) => return sink(FetchEvent::Failed("the body stalled".into())),
                    Ok(None) => {
                        match decoder.finish() {
                            Ok(rest) if !opaque && !rest.is_empty() => {
                                pass_on(&mut sink, &mut held, &mut integrity, rest)
                            }
                            Ok(_) => {}
                            Err(e) => return sink(FetchEvent::Failed(e)),
                        }
                        if let (Some(check), Some((head, pieces))) = (integrity, held) {
                            if !check.matches() {
                                return sink(FetchEvent::Failed(
                                    "the body does not match the request's integrity metadata"
                                        .into(),
                                ));
                            }
                            sink(FetchEvent::Response(head));
                            for piece in pieces {
                                sink(FetchEvent::Body(piece));
                            }
                        }
                        return sink(FetchEvent::Done);
                    }
                    Ok(Some(Err(e))) => return sink(FetchEvent::Failed(e.to_string())),
                    Ok(Some(Ok(frame))) => {
                        if let Ok(data) = frame.into_data() {
                            let data = match decoder.push(&data) {
                                Ok(d) => d,
                                Err(e) => return sink(FetchEvent::Failed(e)),
                            };
                            // An opaque response's body is not for script.
                            if !opaque && !data.is_empty() {
                                pass_on(&mut sink, &mut held, &mut integrity, data);
                            }
                        }
                    }
                }
            }
        });
    }
}

/// Resolves once the script side cancels the fetch (checked every 20 ms: aborting is rare and
/// the check is one atomic load).
async fn cancelled(token: &net_traits::CancelToken) {
    while !token.is_cancelled() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A piece of the body: to the script side at once, or held (and hashed) until the whole
/// body is checked against the request's integrity metadata.
fn pass_on(
    sink: &mut FetchSink,
    held: &mut Option<(net_traits::ResponseMeta, Vec<Vec<u8>>)>,
    integrity: &mut Option<crate::sri::IntegrityCheck>,
    piece: Vec<u8>,
) {
    match (held, integrity) {
        (Some((_, pieces)), Some(check)) => {
            check.update(&piece);
            pieces.push(piece);
        }
        _ => sink(FetchEvent::Body(piece)),
    }
}

/// A request body's shared bytes as the owner of a `Bytes` (sent without a copy).
struct Shared(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}
