//! The profile's HTTP cache through the engine's public API: a response `fetch()` stored is
//! used again by a new engine on the same profile (the cache is the profile's, on disk),
//! its files are private to the user, and `cache: "no-store"` still goes to the server.
//! (The cache modes, revalidation and Vary are the own WPT suite's
//! `wpt/tests/fetch/http-cache/`; background fetch going around the cache is
//! `wpt/tests/background-fetch/http-cache.https.window.js`.)

use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

fn start(server: &wpt::server::Server, profile: &std::path::Path) -> engine::Engine {
    let mut config = engine::EngineConfig::new(profile);
    config.network = server.network_config();
    engine::Engine::start(config).expect("the engine starts")
}

fn requests(page: &engine::Page, key: &str) -> u64 {
    page.eval_promise(
        &format!(
            "fetch('/_faults/stats?key={key}', {{ cache: 'no-store' }})
               .then(r => r.json()).then(s => String(s.requests))"
        ),
        WAIT,
    )
    .unwrap()
    .parse()
    .unwrap()
}

#[test]
fn a_stored_response_outlives_the_engine_and_stays_private() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("index.html"),
        "<!doctype html><title>cache</title>",
    )
    .unwrap();
    let server = wpt::server::Server::start(wpt::server::ServerOptions {
        config: wpt::config::WptConfig::ephemeral(),
        root: root.path().to_path_buf(),
        harness_dir: None,
    })
    .expect("the server starts");
    let origin = format!("https://web-platform.test:{}", server.config.https_ports[0]);
    let key = "restart";
    let url = format!("/_faults/body?size=300000&seed=5&key={key}&cache_control=max-age%3D3600");
    let length =
        format!("fetch('{url}').then(r => r.arrayBuffer()).then(b => String(b.byteLength))");
    let profile = tempfile::tempdir().unwrap();

    let engine = start(&server, profile.path());
    let page = engine.open_page(&format!("{origin}/index.html")).unwrap();
    page.wait_loaded(WAIT).unwrap();
    assert_eq!(page.eval_promise(&length, WAIT).unwrap(), "300000");
    assert_eq!(requests(&page, key), 1);
    drop(page);
    engine.shutdown();

    let engine = start(&server, profile.path());
    let page = engine.open_page(&format!("{origin}/index.html")).unwrap();
    page.wait_loaded(WAIT).unwrap();
    // The same bytes, from the profile's cache: the server saw no new request.
    let checksum = "fetch('URL', { cache: 'MODE' }).then(r => r.arrayBuffer()).then(b => {
        let h = 0; for (const x of new Uint8Array(b)) h = (h * 31 + x) >>> 0; return String(h); })";
    let cached = page
        .eval_promise(
            &checksum.replace("URL", &url).replace("MODE", "default"),
            WAIT,
        )
        .unwrap();
    assert_eq!(requests(&page, key), 1, "the response came from the cache");
    let fresh = page
        .eval_promise(
            &checksum.replace("URL", &url).replace("MODE", "no-store"),
            WAIT,
        )
        .unwrap();
    assert_eq!(requests(&page, key), 2, "no-store went to the server");
    assert_eq!(cached, fresh, "the cached bytes are the server's");
    drop(page);
    engine.shutdown();

    // Owner-only, like the rest of the profile.
    use std::os::unix::fs::PermissionsExt;
    let dir = profile.path().join("http-cache");
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{}", dir.display());
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() >= 2, "a meta and a body file: {files:?}");
    for file in files {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}
