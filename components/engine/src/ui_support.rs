//! What a background fetch UI needs besides the [`crate::Delegate`]: the bytes of a fetch's
//! icon, fetched as the display algorithm asks (the UI shows it), and the profile lock for
//! tools that act on a stored profile while no engine runs on it (listing, pausing or
//! clearing background fetches from a command line).

use crate::{lock, Engine, EngineError};
use net_traits::{
    CancelToken, CredentialsMode, FetchEvent, FetchRequest, RequestData, RequestMode,
};
use std::path::Path;
use std::time::Duration;

/// An image the UI fetched (a background fetch's icon).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedImage {
    /// The response's final URL.
    pub url: String,
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Engine {
    /// Fetches an image resource for the UI, as
    /// <https://wicg.github.io/background-fetch/#display> lets the user agent do with a
    /// fetch's icons (<https://w3c.github.io/image-resource/#fetching-an-image-resource>): a
    /// GET in no-cors mode with credentials, for a client of `client_origin`, on the
    /// profile's network stack. It gives up past `max_bytes` or after `timeout`. The answer
    /// is [`PendingImage::wait`]'s (call it from any thread).
    pub fn fetch_image(
        &self,
        url: &str,
        client_origin: &str,
        max_bytes: usize,
        timeout: Duration,
    ) -> PendingImage {
        let (tx, rx) = crossbeam_channel::bounded(1);
        let mut request = RequestData::get(url);
        request.mode = RequestMode::NoCors;
        request.credentials = CredentialsMode::Include;
        request.referrer = "no-referrer".into();
        let cancel = CancelToken::default();
        let mut answer = Some(tx);
        let mut image = FetchedImage {
            url: url.to_string(),
            status: 0,
            content_type: None,
            bytes: Vec::new(),
        };
        let sink = {
            let cancel = cancel.clone();
            Box::new(move |event: FetchEvent| {
                let result = match event {
                    FetchEvent::Response(meta) => {
                        image.status = meta.status;
                        image.content_type = meta.header_values("content-type").into_iter().next();
                        if let Some(last) = meta.url_list.last() {
                            image.url = last.clone();
                        }
                        return;
                    }
                    FetchEvent::Body(bytes) => {
                        if image.bytes.len() + bytes.len() <= max_bytes {
                            image.bytes.extend_from_slice(&bytes);
                            return;
                        }
                        cancel.cancel();
                        Err(format!("larger than {max_bytes} bytes"))
                    }
                    FetchEvent::Done => Ok(std::mem::replace(
                        &mut image,
                        FetchedImage {
                            url: String::new(),
                            status: 0,
                            content_type: None,
                            bytes: Vec::new(),
                        },
                    )),
                    FetchEvent::Failed(e) => Err(e),
                };
                if let Some(tx) = answer.take() {
                    let _ = tx.send(result);
                }
            })
        };
        self.fetcher.0.fetch(
            FetchRequest {
                request,
                origin: client_origin.to_string(),
                secure_context: true,
                unsafe_response: true,
                cancel: cancel.clone(),
            },
            sink,
        );
        PendingImage {
            answer: rx,
            cancel,
            timeout,
        }
    }
}

/// An image fetch under way ([`Engine::fetch_image`]).
pub struct PendingImage {
    answer: crossbeam_channel::Receiver<Result<FetchedImage, String>>,
    cancel: CancelToken,
    timeout: Duration,
}

impl PendingImage {
    /// Waits for the image (at most the fetch's timeout; then the fetch is canceled).
    pub fn wait(self) -> Result<FetchedImage, String> {
        match self.answer.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(_) => {
                self.cancel.cancel();
                Err(format!("no answer within {:?}", self.timeout))
            }
        }
    }
}

impl Drop for PendingImage {
    /// Not waited for any more: the fetch stops.
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// The profile lock held without an engine: while it lives no engine (in this process or
/// another) can start on the profile, so a tool may read and change the stored state.
#[derive(Debug)]
pub struct ProfileGuard {
    _lock: lock::ProfileLock,
}

/// Takes the profile's lock (`engine.lock`, the one [`Engine::start`] takes) for a tool that
/// acts on a stored profile with no engine running. Fails with
/// [`EngineError::ProfileInUse`] while an engine runs on it.
pub fn lock_profile(profile_dir: &Path) -> Result<ProfileGuard, EngineError> {
    storage::private::create_dir_all(profile_dir)
        .map_err(|e| EngineError::Profile(format!("{}: {e}", profile_dir.display())))?;
    match lock::ProfileLock::acquire(profile_dir) {
        Ok(lock) => Ok(ProfileGuard { _lock: lock }),
        Err(lock::LockError::InUse(pid)) => Err(EngineError::ProfileInUse { pid }),
        Err(lock::LockError::Io(e)) => Err(EngineError::Profile(format!(
            "{}: {e}",
            profile_dir.display()
        ))),
    }
}
