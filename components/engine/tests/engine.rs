//! The engine façade through its public API only: one engine per profile directory, a page
//! from a local server doing a real background fetch (permission prompt, progress, the
//! service worker's success event reading every byte), the prompt's refusal, commands from
//! the UI, and the online switch reaching the page.

#[path = "support/fetches.rs"]
mod fetches;
#[path = "support/server.rs"]
mod server;

use engine::{
    BackgroundFetchInfo, Delegate, Engine, EngineConfig, EngineError, FailureReason, FetchCommand,
    FetchResult, NotificationInfo, PageEvent, PageId, PermissionAnswer, PermissionRequest,
    PermissionState,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Records what the engine tells it; answers prompts with `grant`.
struct Recorder {
    grant: bool,
    prompts: Mutex<Vec<PermissionRequest>>,
    finished: crossbeam_channel::Sender<BackgroundFetchInfo>,
    console: crossbeam_channel::Sender<String>,
    opened: Mutex<Vec<(PageId, String)>>,
    shown: Mutex<Vec<NotificationInfo>>,
}

impl Delegate for Recorder {
    fn request_permission(&self, request: PermissionRequest, answer: PermissionAnswer) {
        self.prompts.lock().unwrap().push(request);
        if self.grant {
            answer.grant()
        } else {
            answer.deny()
        }
    }
    fn background_fetch_changed(&self, info: &BackgroundFetchInfo) {
        if info.finished {
            let _ = self.finished.send(info.clone());
        }
    }
    fn page_event(&self, _page: PageId, event: &PageEvent) {
        if let PageEvent::Console { message, .. } = event {
            let _ = self.console.send(message.clone());
        }
    }
    fn window_opened(&self, page: PageId, url: &str) {
        self.opened.lock().unwrap().push((page, url.to_string()));
    }
    fn show_notification(&self, notification: &NotificationInfo) {
        self.shown.lock().unwrap().push(notification.clone());
    }
    fn alert(&self, url: &str, message: &str) {
        let _ = self.console.send(format!("[alert {url}] {message:?}"));
    }
    fn confirm(&self, _url: &str, message: &str) -> bool {
        message == "Download 1 episode?"
    }
    fn prompt(&self, _url: &str, _message: &str, default: &str) -> Option<String> {
        Some(format!("{default} (edited)"))
    }
}

struct Harness {
    site: server::Server,
    engine: Engine,
    recorder: Arc<Recorder>,
    finished: crossbeam_channel::Receiver<BackgroundFetchInfo>,
    console: crossbeam_channel::Receiver<String>,
    _profile: tempfile::TempDir,
}

const SW: &str = r#"
addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  let bytes = 0, wrong = 0;
  for (const record of await event.registration.matchAll()) {
    const body = new Uint8Array(await (await record.responseReady).arrayBuffer());
    for (let i = 0; i < body.length; i++) if (body[i] !== (i * 7 + 3) % 251) wrong++;
    bytes += body.length;
  }
  console.log(`success event: ${bytes} bytes, ${wrong} wrong`);
})()));
addEventListener('backgroundfetchabort', () => console.log('abort event'));
// The user clicked the fetch's UI: the worker may open one window (as in Chromium).
addEventListener('backgroundfetchclick', event => event.waitUntil((async () => {
  const client = await clients.openWindow('/opened.html?id=' + event.registration.id);
  const url = new URL(client.url);
  console.log(`click event: opened ${url.pathname}${url.search}, a ${client.type} client, focused ${client.focused}`);
  try {
    await clients.openWindow('/opened.html');
    console.log('second openWindow: opened');
  } catch (e) {
    console.log(`second openWindow: ${e.name}`);
  }
})()));
addEventListener('message', event => event.waitUntil(event.data === 'notify'
  ? self.registration.showNotification('Download complete', {
      body: 'Episode 1', tag: 'download', data: { url: '/opened.html?from=notification' },
      actions: [{ action: 'play', title: 'Play' }],
    }).then(() => console.log('notification shown'), e => console.log(`notification failed: ${e.name}`))
  : clients.openWindow('/opened.html')
      .then(() => console.log('openWindow from a message: opened'),
            e => console.log(`openWindow from a message: ${e.name}`))));
// The user clicked the notification: open the page it names (allowed during the click).
addEventListener('notificationclick', event => {
  console.log(`notificationclick: ${event.notification.title}, action ${event.action}`);
  event.notification.close();
  event.waitUntil(clients.openWindow(event.notification.data.url)
    .then(c => console.log(`notification opened ${new URL(c.url).search}`)));
});
addEventListener('notificationclose', event => console.log(`notificationclose: ${event.notification.tag}`));
"#;

fn page(size: u64) -> String {
    format!(
        r#"<!doctype html><script>
(async () => {{
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const f = await registration.backgroundFetch.fetch('file', ['/file.bin'],
      {{ title: 'A file', downloadTotal: {size} }});
  console.log(`started ${{f.id}}`);
}})().catch(e => console.log(`failed: ${{e}}`));
</script>"#
    )
}

fn harness(grant: bool, size: u64) -> Harness {
    let site = server::Server::start(HashMap::from([
        ("/".into(), server::Body::Text("text/html", page(size))),
        (
            "/sw.js".into(),
            server::Body::Text("text/javascript", SW.into()),
        ),
        ("/file.bin".into(), server::Body::Generated(size)),
        (
            "/opened.html".into(),
            server::Body::Text(
                "text/html",
                "<!doctype html><script>console.log('opened page: ' + location.search)</script>"
                    .into(),
            ),
        ),
    ]));
    let profile = tempfile::tempdir().unwrap();
    let (finished_tx, finished) = crossbeam_channel::unbounded();
    let (console_tx, console) = crossbeam_channel::unbounded();
    let recorder = Arc::new(Recorder {
        grant,
        prompts: Mutex::new(Vec::new()),
        finished: finished_tx,
        console: console_tx,
        opened: Mutex::new(Vec::new()),
        shown: Mutex::new(Vec::new()),
    });
    let mut config = EngineConfig::new(profile.path());
    config.delegate = recorder.clone();
    let engine = Engine::start(config).expect("the engine starts");
    Harness {
        site,
        engine,
        recorder,
        finished,
        console,
        _profile: profile,
    }
}

/// Waits for a console message that starts with `prefix`.
fn console_line(h: &Harness, prefix: &str) -> String {
    loop {
        match h.console.recv_timeout(WAIT) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(_) => continue,
            Err(_) => panic!("no console message starting with {prefix:?}"),
        }
    }
}

/// Waits for a console message starting with each of `prefixes`, whatever their order;
/// returns them in the order of `prefixes`.
fn console_lines(h: &Harness, prefixes: &[&str]) -> Vec<String> {
    let mut found: Vec<Option<String>> = vec![None; prefixes.len()];
    while found.iter().any(Option::is_none) {
        let line = h
            .console
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("missing console messages: {prefixes:?}, got {found:?}"));
        if let Some(i) = prefixes.iter().position(|p| line.starts_with(p)) {
            found[i].get_or_insert(line);
        }
    }
    found.into_iter().flatten().collect()
}

#[test]
fn a_page_does_a_background_fetch_end_to_end() {
    let size = 3 << 20;
    let h = harness(true, size);
    let page = h.engine.open_page(&format!("{}/", h.site.origin)).unwrap();
    page.wait_loaded(WAIT).unwrap();
    assert_eq!(console_line(&h, "started"), "started file");
    let info = h.finished.recv_timeout(WAIT).expect("the fetch finishes");
    assert_eq!(info.result, FetchResult::Success);
    assert_eq!((info.downloaded, info.download_total), (size, size));
    assert_eq!(info.origin, h.site.origin);
    assert_eq!(
        console_line(&h, "success event"),
        format!("success event: {size} bytes, 0 wrong")
    );
    // The delegate was asked once, for this origin; the answer is remembered.
    let prompts = h.recorder.prompts.lock().unwrap().clone();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].origin, h.site.origin);
    assert_eq!(prompts[0].name, "background-fetch");
    assert_eq!(
        h.engine.permission(&h.site.origin, "background-fetch"),
        PermissionState::Granted
    );
    // What the display shows (once the engine's view caught up).
    let shown = fetches::once_finished(&h.engine, WAIT);
    assert_eq!(shown.len(), 1);
    assert!(shown[0].finished && shown[0].result == FetchResult::Success);
    page.close();
    h.engine.shutdown();
}

#[test]
fn a_refused_prompt_aborts_the_fetch() {
    let h = harness(false, 1 << 20);
    let page = h.engine.open_page(&format!("{}/", h.site.origin)).unwrap();
    page.wait_loaded(WAIT).unwrap();
    let info = h.finished.recv_timeout(WAIT).expect("the fetch settles");
    assert_eq!(info.result, FetchResult::Failure);
    assert_eq!(info.failure_reason, FailureReason::Aborted);
    assert_eq!(
        info.downloaded, 0,
        "nothing was downloaded before the answer"
    );
    console_line(&h, "abort event");
    assert_eq!(
        h.engine.permission(&h.site.origin, "background-fetch"),
        PermissionState::Denied
    );
    drop(page);
    h.engine.shutdown();
}

#[test]
fn the_ui_can_abort_and_click_a_fetch() {
    // Offline, the GET waits: the fetch stays active while the UI acts on it.
    let h = harness(true, 1 << 20);
    h.engine
        .set_permission(&h.site.origin, "background-fetch", PermissionState::Granted);
    h.engine.set_online(false);
    let page = h.engine.open_page(&format!("{}/", h.site.origin)).unwrap();
    page.wait_loaded(WAIT).unwrap();
    assert_eq!(page.eval("navigator.onLine").unwrap(), "false");
    console_line(&h, "started");
    let uid = fetches::first(&h.engine, WAIT).uid;
    // Without a click, the worker cannot open windows.
    page.eval("navigator.serviceWorker.controller || navigator.serviceWorker.ready.then(r => r.active.postMessage('open'))")
        .unwrap();
    assert_eq!(
        console_line(&h, "openWindow from a message"),
        "openWindow from a message: InvalidAccessError"
    );
    // The click opens one window, which the embedder sees and can take.
    h.engine.command(uid, FetchCommand::Click);
    // (The new page and the worker report on threads of their own: in any order.)
    let lines = console_lines(&h, &["opened page", "click event", "second openWindow"]);
    assert_eq!(
        lines,
        [
            "opened page: ?id=file",
            "click event: opened /opened.html?id=file, a window client, focused true",
            "second openWindow: InvalidAccessError",
        ]
    );
    let opened = h.recorder.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert_eq!(
        opened[0].1,
        format!("{}/opened.html?id=file", h.site.origin)
    );
    let window = h
        .engine
        .take_opened_window(opened[0].0)
        .expect("the engine kept the window for the embedder");
    assert_eq!(window.eval("location.search").unwrap(), "?id=file");
    assert!(h.engine.take_opened_window(opened[0].0).is_none());
    window.close();
    h.engine.command(uid, FetchCommand::Abort);
    let info = h.finished.recv_timeout(WAIT).expect("the fetch settles");
    assert_eq!(info.failure_reason, FailureReason::Aborted);
    console_line(&h, "abort event");
    assert!(
        h.recorder.prompts.lock().unwrap().is_empty(),
        "granted: no prompt"
    );
    h.engine.set_online(true);
    assert_eq!(page.eval("navigator.onLine").unwrap(), "true");
    page.close();
    h.engine.shutdown();
}

#[test]
fn a_notification_click_opens_a_window() {
    let h = harness(true, 1 << 10);
    h.engine
        .set_permission(&h.site.origin, "background-fetch", PermissionState::Granted);
    let page = h.engine.open_page(&format!("{}/", h.site.origin)).unwrap();
    page.wait_loaded(WAIT).unwrap();
    console_line(&h, "started");
    let post = "navigator.serviceWorker.ready.then(r => r.active.postMessage('notify'))";
    // Without the permission, showNotification() rejects.
    page.eval(post).unwrap();
    assert_eq!(
        console_line(&h, "notification"),
        "notification failed: TypeError"
    );
    h.engine
        .set_permission(&h.site.origin, "notifications", PermissionState::Granted);
    page.eval(post).unwrap();
    assert_eq!(console_line(&h, "notification"), "notification shown");
    let shown = h.recorder.shown.lock().unwrap().clone();
    assert_eq!(shown.len(), 1);
    let n = &shown[0];
    assert_eq!(
        (
            n.title.as_str(),
            n.body.as_str(),
            n.tag.as_str(),
            n.persistent
        ),
        ("Download complete", "Episode 1", "download", true)
    );
    assert_eq!(n.origin, h.site.origin);
    assert_eq!(n.actions, [("play".to_string(), "Play".to_string())]);
    assert_eq!(h.engine.notifications(), shown);
    // The user clicks its action: the worker gets notificationclick and opens a window.
    assert!(h.engine.notification_clicked(n.id, Some("play")));
    let lines = console_lines(
        &h,
        &["notificationclick", "opened page", "notification opened"],
    );
    assert_eq!(
        lines,
        [
            "notificationclick: Download complete, action play",
            "opened page: ?from=notification",
            "notification opened ?from=notification",
        ]
    );
    assert!(h.engine.notifications().is_empty(), "the handler closed it");
    assert_eq!(h.recorder.opened.lock().unwrap().len(), 1);
    // Shown again, then closed by the user: notificationclose.
    page.eval(post).unwrap();
    assert_eq!(console_line(&h, "notification"), "notification shown");
    let id = h.engine.notifications()[0].id;
    h.engine.notification_closed(id);
    assert_eq!(
        console_line(&h, "notificationclose"),
        "notificationclose: download"
    );
    assert!(!h.engine.notification_clicked(id, None), "it is gone");
    page.close();
    h.engine.shutdown();
}

const MODULE_APP_SW: &str = r#"
import { countBytes } from './sw-util.js';
// The record is streamed with a reader (never read whole), and the count goes to the page
// on a BroadcastChannel named after the fetch.
addEventListener('backgroundfetchsuccess', event => event.waitUntil((async () => {
  const [record] = await event.registration.matchAll();
  const response = await record.responseReady;
  const { bytes, wrong, chunks } = await countBytes(response.body);
  console.log(`worker streamed ${bytes} bytes in ${chunks > 1 ? 'several chunks' : 'one chunk'}`);
  new BroadcastChannel(event.registration.id).postMessage({ id: event.registration.id, bytes, wrong });
})()));
addEventListener('backgroundfetchclick', event => event.waitUntil(
  clients.openWindow('/app/?opened=' + event.registration.id)));
"#;

const MODULE_APP_SW_UTIL: &str = r#"
export async function countBytes(stream) {
  const reader = stream.getReader();
  let bytes = 0, wrong = 0, chunks = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { bytes, wrong, chunks };
    for (let i = 0; i < value.length; i++) if (value[i] !== ((bytes + i) * 7 + 3) % 251) wrong++;
    bytes += value.length;
    chunks++;
  }
}
"#;

const MODULE_APP_FETCHER: &str = r#"
export async function start(size) {
  if (location.search.startsWith('?opened')) {
    console.log(`opened window ${location.search}`);
    return;
  }
  const registration = await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/', type: 'module' });
  await navigator.serviceWorker.ready;
  const channel = new BroadcastChannel('episode');
  channel.onmessage = e => console.log(`page heard: ${e.data.id} ${e.data.bytes} bytes, ${e.data.wrong} wrong`);
  const f = await registration.backgroundFetch.fetch('episode', ['/app/episode.bin'], { downloadTotal: size });
  console.log(`started ${f.id}`);
}
"#;

#[test]
fn a_module_app_streams_a_record_to_its_page_and_opens_a_window() {
    let size: u64 = 8 << 20;
    let js = |s: &str| server::Body::Text("text/javascript", s.into());
    let site = server::Server::start(HashMap::from([
        (
            "/app/".into(),
            server::Body::Text(
                "text/html",
                "<!doctype html><script type=module src=main.js></script>".into(),
            ),
        ),
        (
            "/app/main.js".into(),
            js(&format!(
                "import {{ start }} from './fetcher.js';\nstart({size});\n"
            )),
        ),
        ("/app/fetcher.js".into(), js(MODULE_APP_FETCHER)),
        ("/app/sw.js".into(), js(MODULE_APP_SW)),
        ("/app/sw-util.js".into(), js(MODULE_APP_SW_UTIL)),
        ("/app/episode.bin".into(), server::Body::Generated(size)),
    ]));
    let profile = tempfile::tempdir().unwrap();
    let (finished_tx, _finished) = crossbeam_channel::unbounded();
    let (console_tx, console) = crossbeam_channel::unbounded();
    let recorder = Arc::new(Recorder {
        grant: true,
        prompts: Mutex::new(Vec::new()),
        finished: finished_tx,
        console: console_tx,
        opened: Mutex::new(Vec::new()),
        shown: Mutex::new(Vec::new()),
    });
    let mut config = EngineConfig::new(profile.path());
    config.delegate = recorder.clone();
    let engine = Engine::start(config).expect("the engine starts");
    let h = Harness {
        site,
        engine,
        recorder,
        finished: _finished,
        console,
        _profile: profile,
    };
    let page = h
        .engine
        .open_page(&format!("{}/app/", h.site.origin))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    let lines = console_lines(&h, &["started", "worker streamed", "page heard"]);
    assert_eq!(
        lines,
        [
            "started episode".to_string(),
            format!("worker streamed {size} bytes in several chunks"),
            format!("page heard: episode {size} bytes, 0 wrong"),
        ]
    );
    // The user clicks the download: the worker opens a window, which the embedder sees.
    let uid = fetches::first(&h.engine, WAIT).uid;
    h.engine.command(uid, FetchCommand::Click);
    assert_eq!(
        console_line(&h, "opened window"),
        "opened window ?opened=episode"
    );
    // (The delegate hears of the window once it loaded, after its console line.)
    let deadline = std::time::Instant::now() + WAIT;
    while h.recorder.opened.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let opened = h.recorder.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert_eq!(
        opened[0].1,
        format!("{}/app/?opened=episode", h.site.origin)
    );
    page.close();
    h.engine.shutdown();
}

/// A download page as podcast and offline-media sites write them: the URL comes from a
/// link's `href`, the size and title from `data-*` attributes, a `<progress>` shows the
/// download and `style.display` toggles the button and the status while it runs.
const DOWNLOAD_PAGE: &str = r#"<!doctype html>
<title>Episodes</title>
<a id=episode href="media/episode-1.bin" data-fetch-id="episode-1">Episode 1</a>
<button id=download data-size="SIZE">Download</button>
<progress id=progress hidden></progress>
<span id=status style="display: none">0%</span>
<script>
const button = document.getElementById('download');
button.addEventListener('click', async () => {
  const link = document.getElementById('episode');
  const progress = document.getElementById('progress');
  const status = document.getElementById('status');
  const registration = await navigator.serviceWorker.register('sw.js');
  await navigator.serviceWorker.ready;
  progress.hidden = false;
  status.style.display = 'inline';
  button.style.display = 'none';
  const size = Number(button.dataset.size);
  const fetch = await registration.backgroundFetch.fetch(link.dataset.fetchId, [link.href], { downloadTotal: size, title: link.textContent });
  console.log(`started ${fetch.id} ${link.href} ${progress.position} ${getComputedStyle(status).display} ${getComputedStyle(button).display}`);
  fetch.addEventListener('progress', () => {
    progress.value = fetch.downloaded / fetch.downloadTotal;
    status.textContent = `${Math.round(progress.position * 100)}%`;
    if (fetch.result) {
      status.style.display = 'none';
      button.style.display = '';
      progress.hidden = true;
      console.log(`done ${fetch.result} ${status.textContent} ${getComputedStyle(status).display} [${button.getAttribute('style')}] ${document.activeElement.localName}`);
    }
  });
});
</script>"#;

#[test]
fn a_download_page_uses_link_href_progress_and_style_during_a_background_fetch() {
    let size: u64 = 2 << 20;
    let site = server::Server::start(HashMap::from([
        (
            "/app/".into(),
            server::Body::Text(
                "text/html",
                DOWNLOAD_PAGE.replace("SIZE", &size.to_string()),
            ),
        ),
        (
            "/app/sw.js".into(),
            server::Body::Text(
                "text/javascript",
                "addEventListener('fetch', () => {});".into(),
            ),
        ),
        (
            "/app/media/episode-1.bin".into(),
            server::Body::Generated(size),
        ),
    ]));
    let profile = tempfile::tempdir().unwrap();
    let (finished_tx, _finished) = crossbeam_channel::unbounded();
    let (console_tx, console) = crossbeam_channel::unbounded();
    let recorder = Arc::new(Recorder {
        grant: true,
        prompts: Mutex::new(Vec::new()),
        finished: finished_tx,
        console: console_tx,
        opened: Mutex::new(Vec::new()),
        shown: Mutex::new(Vec::new()),
    });
    let mut config = EngineConfig::new(profile.path());
    config.delegate = recorder.clone();
    let engine = Engine::start(config).expect("the engine starts");
    let h = Harness {
        site,
        engine,
        recorder,
        finished: _finished,
        console,
        _profile: profile,
    };
    let page = h
        .engine
        .open_page(&format!("{}/app/", h.site.origin))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    // The user clicks the download button.
    page.eval("document.getElementById('download').click()")
        .unwrap();
    assert_eq!(
        console_line(&h, "started"),
        format!(
            "started episode-1 {}/app/media/episode-1.bin -1 inline none",
            h.site.origin
        )
    );
    assert_eq!(console_line(&h, "done"), "done success 100% none [] body");
    // The record is the link's target, whole.
    let fetches = fetches::once_downloaded(&h.engine, size, WAIT);
    assert_eq!(fetches.len(), 1);
    assert_eq!(fetches[0].downloaded, size);
    assert_eq!(
        fetches[0].title, "Episode 1",
        "the title came from the link's text"
    );
    page.close();
    h.engine.shutdown();
}

#[test]
fn user_prompts_and_window_open_go_to_the_embedder() {
    let h = harness(true, 1);
    let page = h
        .engine
        .open_page(&format!("{}/missing", h.site.origin))
        .unwrap();
    page.wait_loaded(WAIT).unwrap();
    page.eval(
        "alert('line 1\\r\\nline 2'); \
         console.log(`answers ${confirm('Download 1 episode?')} ${confirm('other')} ${prompt('Name', 'Ada')} ${window.open('/popup')}`)",
    )
    .unwrap();
    assert_eq!(
        console_line(&h, "[alert"),
        format!("[alert {}/missing] \"line 1\\nline 2\"", h.site.origin)
    );
    assert_eq!(
        console_line(&h, "answers"),
        "answers true false Ada (edited) null"
    );
    // Without activation window.open() is blocked; with it, the embedder opens the page.
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        h.recorder.opened.lock().unwrap().is_empty(),
        "a popup without activation is blocked"
    );
    page.activate();
    assert_eq!(
        page.eval("String(window.open('/missing?popup'))").unwrap(),
        "null"
    );
    let deadline = std::time::Instant::now() + WAIT;
    while h.recorder.opened.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let opened = h.recorder.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].1, format!("{}/missing?popup", h.site.origin));
    assert_eq!(
        page.eval("String(window.open('/missing?again'))").unwrap(),
        "null",
        "the activation was consumed"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        h.recorder.opened.lock().unwrap().len(),
        1,
        "the activation was consumed"
    );
    page.close();
    h.engine.shutdown();
}

#[test]
fn one_engine_per_profile_directory() {
    let dir = tempfile::tempdir().unwrap();
    let first = Engine::start(EngineConfig::new(dir.path())).unwrap();
    match Engine::start(EngineConfig::new(dir.path())) {
        Err(EngineError::ProfileInUse { pid }) => assert_eq!(pid, Some(std::process::id())),
        other => panic!("a second engine on the profile: {:?}", other.err()),
    }
    // Another profile runs beside it.
    let other = tempfile::tempdir().unwrap();
    let second = Engine::start(EngineConfig::new(other.path())).unwrap();
    second.shutdown();
    first.shutdown();
    // Released: the profile can be used again.
    Engine::start(EngineConfig::new(dir.path()))
        .expect("the profile is free after shutdown")
        .shutdown();
}

#[test]
fn a_page_that_does_not_load_says_why() {
    let h = harness(true, 1);
    // Nobody listens there any more: a network error, not a document.
    let gone = server::Server::start(HashMap::new());
    let url = format!("{}/", gone.origin);
    drop(gone);
    let page = h.engine.open_page(&url).unwrap();
    let err = page.wait_loaded(WAIT).unwrap_err();
    assert!(!err.0.is_empty(), "{err}");
    // A 404 is a document like any other: it loads.
    let missing = h
        .engine
        .open_page(&format!("{}/missing", h.site.origin))
        .unwrap();
    missing.wait_loaded(WAIT).unwrap();
    assert!(matches!(
        h.engine.open_page("not a url"),
        Err(EngineError::Page(_))
    ));
    drop(page);
    h.engine.shutdown();
}
