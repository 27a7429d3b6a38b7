//! A test file's background fetch controller: started on first use (most tests never touch
//! background fetch), on a temporary profile directory of its own, with its functional
//! events fired in the file's service worker registry. Stopped, and its directory removed,
//! when the file ends.

use net::background_fetch::{Controller, ControllerConfig, EmbedderSinks};
use net_traits::{BackgroundFetchRequest, BackgroundFetchService, ClientId, ReplySink};
use parking_lot::Mutex;
use script::service_workers::ServiceWorkerContext;
use std::sync::Arc;

struct Running {
    controller: Controller,
    events: Option<std::thread::JoinHandle<()>>,
    _profile: tempfile::TempDir,
}

/// See the module documentation.
pub struct FileController {
    network: net::NetworkConfig,
    service_workers: ServiceWorkerContext,
    /// The file's profile's network state (navigator.onLine follows the same switch).
    online: net_traits::OnlineSignal,
    running: Mutex<Option<Running>>,
    /// Why the controller could not start (reported once, then requests are dropped).
    failed: Mutex<Option<String>>,
}

impl FileController {
    pub fn new(
        network: net::NetworkConfig,
        service_workers: ServiceWorkerContext,
        online: net_traits::OnlineSignal,
    ) -> Arc<Self> {
        Arc::new(FileController {
            network,
            service_workers,
            online,
            running: Mutex::new(None),
            failed: Mutex::new(None),
        })
    }

    fn controller(&self) -> Option<Controller> {
        let mut running = self.running.lock();
        if let Some(r) = running.as_ref() {
            return Some(r.controller.clone());
        }
        if self.failed.lock().is_some() {
            return None;
        }
        match self.start() {
            Ok(r) => {
                let c = r.controller.clone();
                *running = Some(r);
                Some(c)
            }
            Err(e) => {
                log::error!(target: "wpt", "the background fetch controller did not start: {e}");
                *self.failed.lock() = Some(e);
                None
            }
        }
    }

    fn start(&self) -> Result<Running, String> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut config = ControllerConfig::new(profile.path().to_path_buf(), self.network.clone());
        // Tests fetch from a local server: no reason to wait long between retries.
        config.retry_delay = std::time::Duration::from_millis(50);
        config.max_retry_delay = std::time::Duration::from_millis(500);
        config.quota_per_origin = Some(1 << 30);
        config.online = self.online.clone();
        let (events_tx, events_rx) = crossbeam_channel::unbounded();
        let controller = Controller::start(
            config,
            EmbedderSinks {
                events: events_tx,
                display: None,
            },
        )
        .map_err(|e| e.to_string())?;
        // A cleared service worker registration takes its background fetches with it.
        let commands = controller.clone();
        self.service_workers
            .on_registration_cleared(Arc::new(move |registration| {
                commands.command(net_traits::EmbedderCommand::RegistrationRemoved(
                    net_traits::RegistrationId(registration),
                ))
            }));
        // The service worker host: functional events go to the registration's active
        // worker; their end goes back to the controller.
        let host = controller.clone();
        let service_workers = self.service_workers.clone();
        let events = std::thread::Builder::new()
            .name("wpt-bgfetch-events".into())
            .spawn(move || {
                for event in events_rx {
                    let id = event.event;
                    let controller = host.clone();
                    service_workers.fire_background_fetch_event(
                        event,
                        Box::new(move |dispatched| {
                            controller.send(BackgroundFetchRequest::EventDone {
                                event: id,
                                dispatched,
                            })
                        }),
                    );
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Running {
            controller,
            events: Some(events),
            _profile: profile,
        })
    }

    /// Stops the controller (if it started) and removes its profile.
    pub fn shutdown(&self) {
        let running = self.running.lock().take();
        if let Some(mut r) = running {
            r.controller.shutdown();
            // The controller's end of the events channel is gone with it.
            drop(r.controller);
            if let Some(t) = r.events.take() {
                let _ = t.join();
            }
        }
    }
}

impl BackgroundFetchService for FileController {
    fn connect(&self, origin: &str, sink: ReplySink) -> ClientId {
        match self.controller() {
            Some(c) => c.connect_sink(origin, sink),
            // No controller: requests are never answered; the test times out and the log
            // says why.
            None => ClientId(0),
        }
    }
    fn disconnect(&self, client: ClientId) {
        if let Some(r) = self.running.lock().as_ref() {
            r.controller.disconnect(client);
        }
    }
    fn send(&self, request: BackgroundFetchRequest) {
        if let Some(c) = self.controller() {
            c.send(request);
        }
    }
}
