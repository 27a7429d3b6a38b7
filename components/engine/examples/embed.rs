//! Embedding the engine, end to end: start an engine on a temporary profile, open a page
//! from a local server, let it register a service worker and start a background fetch,
//! answer the permission prompt, print progress from the delegate, and exit once the
//! service worker's `backgroundfetchsuccess` event ran.
//!
//! ```sh
//! cargo run -p engine --example embed
//! ```

#[path = "../tests/support/server.rs"]
mod server;

use engine::{
    BackgroundFetchInfo, Delegate, Engine, EngineConfig, FetchResult, PageEvent, PageId,
    PermissionAnswer, PermissionRequest,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const SIZE: u64 = 8 << 20;

const PAGE: &str = r#"<!doctype html>
<title>An episode to keep</title>
<script>
(async () => {
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const fetch = await registration.backgroundFetch.fetch('episode-1', ['/episode.bin'], {
    title: 'Episode 1', downloadTotal: SIZE, icons: [{ src: '/icon.png', sizes: '96x96' }],
  });
  console.log(`background fetch ${fetch.id} started`);
})().catch(e => console.error(`the page failed: ${e}`));
</script>"#;

const SERVICE_WORKER: &str = r#"
addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  let bytes = 0;
  for (const record of await event.registration.matchAll()) {
    const response = await record.responseReady;
    bytes += (await response.arrayBuffer()).byteLength;
  }
  await event.updateUI({ title: `Episode 1 (${bytes} bytes, ready offline)` });
  console.log(`the service worker read ${bytes} bytes`);
})()));
"#;

/// The user, as far as this example goes: says yes, watches the progress.
struct Terminal {
    done: crossbeam_channel::Sender<BackgroundFetchInfo>,
}

impl Delegate for Terminal {
    fn request_permission(&self, request: PermissionRequest, answer: PermissionAnswer) {
        println!(
            "{} asks to download in the background: allowed",
            request.origin
        );
        answer.grant();
    }

    fn background_fetch_changed(&self, info: &BackgroundFetchInfo) {
        println!(
            "[{}] {:?}: {} of {} bytes{}",
            info.origin,
            info.title,
            info.downloaded,
            info.download_total,
            match (info.result, info.finished) {
                (FetchResult::Empty, _) => String::new(),
                (r, false) => format!(", {}", r.as_str()),
                (r, true) => format!(", {} (event done)", r.as_str()),
            }
        );
        if info.finished {
            let _ = self.done.send(info.clone());
        }
    }

    fn page_event(&self, _page: PageId, event: &PageEvent) {
        match event {
            PageEvent::Console { message, .. } => println!("console: {message}"),
            other => eprintln!("page: {other:?}"),
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let routes = HashMap::from([
        (
            "/".to_string(),
            server::Body::Text("text/html", PAGE.replace("SIZE", &SIZE.to_string())),
        ),
        (
            "/sw.js".to_string(),
            server::Body::Text("text/javascript", SERVICE_WORKER.to_string()),
        ),
        ("/episode.bin".to_string(), server::Body::Generated(SIZE)),
    ]);
    let site = server::Server::start(routes);
    let profile = std::env::temp_dir().join(format!("bgfetch-embed-{}", std::process::id()));
    let (done_tx, done) = crossbeam_channel::unbounded();
    let mut config = EngineConfig::new(&profile);
    config.delegate = Arc::new(Terminal { done: done_tx });
    let engine = Engine::start(config)?;
    let page = engine.open_page(&format!("{}/", site.origin))?;
    page.wait_loaded(Duration::from_secs(10))?;
    let finished = done.recv_timeout(Duration::from_secs(60))?;
    println!(
        "done: {} of {} bytes, {}",
        finished.downloaded,
        finished.download_total,
        finished.result.as_str()
    );
    page.close();
    engine.shutdown();
    let _ = std::fs::remove_dir_all(&profile);
    if finished.result == FetchResult::Success && finished.downloaded == SIZE {
        Ok(())
    } else {
        Err("the background fetch did not succeed".into())
    }
}
