//! Which files are tests, in which globals they run, and the wrappers wptserve generates for
//! `.window.js`, `.worker.js` and `.any.js` tests (the same source of truth for the server's
//! wrapper pages and for the runner's script list).

use std::path::{Path, PathBuf};

/// A kind of global a test runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    Window,
    DedicatedWorker,
    SharedWorker,
    ServiceWorker,
}

impl Variant {
    /// The wrapper page's suffix replacing `.js` of an `.any.js` test.
    pub fn any_suffix(self) -> &'static str {
        match self {
            Variant::Window => ".html",
            Variant::DedicatedWorker => ".worker.html",
            Variant::SharedWorker => ".sharedworker.html",
            Variant::ServiceWorker => ".serviceworker.html",
        }
    }

    /// `self.GLOBAL` answers for this variant.
    fn global_flags(self) -> (bool, bool) {
        // (isWindow, isWorker)
        match self {
            Variant::Window => (true, false),
            _ => (false, true),
        }
    }
}

/// `// META:` lines at the top of a `.js` test.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub scripts: Vec<String>,
    /// The raw `global=` values, comma-separated lists flattened.
    pub globals: Vec<String>,
    pub timeout_long: bool,
    pub title: Option<String>,
    /// `variant=` query strings (`?a=b`); each makes a separate test.
    pub variants: Vec<String>,
}

impl Meta {
    /// Reads the leading `// META: key=value` lines; the block ends at the first line that
    /// is not one (a blank line included), as wptserve reads it.
    pub fn parse(source: &str) -> Meta {
        let mut meta = Meta::default();
        let mut seen_global = false;
        for line in source.lines() {
            let Some(rest) = line.strip_prefix("//") else {
                break;
            };
            let Some(rest) = rest.trim_start().strip_prefix("META:") else {
                break;
            };
            let Some((key, value)) = rest.trim_start().split_once('=') else {
                break;
            };
            if !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                break;
            }
            let value = value.to_string();
            match key {
                "script" => meta.scripts.push(value),
                // Only the first global= line counts.
                "global" if !seen_global => {
                    seen_global = true;
                    meta.globals.extend(
                        value
                            .split(',')
                            .map(|g| g.trim().to_string())
                            .filter(|g| !g.is_empty()),
                    )
                }
                "timeout" => meta.timeout_long = value == "long",
                "title" => meta.title = Some(value),
                "variant" => meta.variants.push(value),
                _ => {}
            }
        }
        meta
    }

    /// The globals of an `.any.js` test: `global=` names (`worker` is every kind of worker;
    /// unknown names add nothing), window and dedicated worker when there are none.
    pub fn globals(&self) -> Vec<Variant> {
        let mut out = Vec::new();
        let mut add = |v: Variant| {
            if !out.contains(&v) {
                out.push(v)
            }
        };
        if self.globals.is_empty() {
            add(Variant::Window);
            add(Variant::DedicatedWorker);
        }
        for g in &self.globals {
            match g.as_str() {
                "window" => add(Variant::Window),
                "worker" => {
                    add(Variant::DedicatedWorker);
                    add(Variant::SharedWorker);
                    add(Variant::ServiceWorker);
                }
                "dedicatedworker" => add(Variant::DedicatedWorker),
                "sharedworker" => add(Variant::SharedWorker),
                "serviceworker" => add(Variant::ServiceWorker),
                // shadowrealm, jsshell and the like are not run by this runner.
                _ => {}
            }
        }
        out.sort();
        out
    }
}

/// What a wrapper URL stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    /// An HTML page running the test in a window, or starting a worker that runs it.
    Page(Variant),
    /// The `.any.worker.js` / `.worker.js`-derived script a worker loads.
    WorkerScript,
}

/// For a wrapper URL path, the `.js` test it wraps and which wrapper it is.
pub fn wrapper_for(path: &str) -> Option<(String, Wrapper)> {
    if let Some(base) = path.strip_suffix(".any.worker.js") {
        return Some((format!("{base}.any.js"), Wrapper::WorkerScript));
    }
    for variant in [
        Variant::DedicatedWorker,
        Variant::SharedWorker,
        Variant::ServiceWorker,
        Variant::Window,
    ] {
        if let Some(base) = path.strip_suffix(&format!(".any{}", variant.any_suffix())) {
            return Some((format!("{base}.any.js"), Wrapper::Page(variant)));
        }
    }
    if let Some(base) = path.strip_suffix(".window.html") {
        return Some((format!("{base}.window.js"), Wrapper::Page(Variant::Window)));
    }
    if let Some(base) = path.strip_suffix(".worker.html") {
        return Some((
            format!("{base}.worker.js"),
            Wrapper::Page(Variant::DedicatedWorker),
        ));
    }
    None
}

/// For the server: the `.js` test and variant behind a wrapper page URL (worker scripts
/// count as dedicated-worker wrappers).
pub fn wrapper_target(path: &str) -> Option<(String, Variant)> {
    match wrapper_for(path)? {
        (js, Wrapper::Page(v)) => Some((js, v)),
        (js, Wrapper::WorkerScript) => Some((js, Variant::DedicatedWorker)),
    }
}

/// The inline script defining `self.GLOBAL` (`.any.html` and `.any.worker.js` only).
pub fn global_script(variant: Variant) -> String {
    let (is_window, is_worker) = variant.global_flags();
    format!(
        "self.GLOBAL = {{\n  isWindow: function() {{ return {is_window}; }},\n  isWorker: function() {{ return {is_worker}; }},\n  isShadowRealm: function() {{ return false; }},\n}};"
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

fn js_string_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The text and content type of a wrapper page for `test_path` (an `.any.js`, `.window.js` or
/// `.worker.js` URL path), laid out as wptserve's templates. `query` (with its `?`) goes to
/// the worker's script URL.
pub fn wrapper_text(
    test_path: &str,
    meta: &Meta,
    variant: Variant,
    query: &str,
) -> (String, &'static str) {
    let is_any = test_path.ends_with(".any.js");
    let worker_script = if is_any {
        test_path.replace(".any.js", ".any.worker.js")
    } else {
        test_path.to_string()
    };
    let mut meta_html = Vec::new();
    if meta.timeout_long {
        meta_html.push("<meta name=\"timeout\" content=\"long\">".to_string());
    }
    if let Some(title) = &meta.title {
        meta_html.push(format!("<title>{}</title>", html_escape(title)));
    }
    let mut out = String::from("<!doctype html>\n<meta charset=utf-8>\n");
    out.push_str(&meta_html.join("\n"));
    out.push('\n');
    if is_any && variant == Variant::Window {
        out.push_str(&format!(
            "<script>\n{}\n</script>\n",
            global_script(variant)
        ));
    }
    out.push_str("<script src=\"/resources/testharness.js\"></script>\n");
    out.push_str("<script src=\"/resources/testharnessreport.js\"></script>\n");
    match variant {
        Variant::Window => {
            let scripts: Vec<String> = meta
                .scripts
                .iter()
                .map(|s| format!("<script src=\"{}\"></script>", attr_escape(s)))
                .collect();
            out.push_str(&scripts.join("\n"));
            out.push('\n');
            out.push_str("<div id=log></div>\n");
            out.push_str(&format!(
                "<script src=\"{}\"></script>\n",
                attr_escape(test_path)
            ));
        }
        Variant::DedicatedWorker | Variant::SharedWorker => {
            let ctor = if variant == Variant::SharedWorker {
                "SharedWorker"
            } else {
                "Worker"
            };
            out.push_str("<div id=log></div>\n");
            out.push_str(&format!(
                "<script>\nfetch_tests_from_worker(new {ctor}(\"{worker_script}{query}\"));\n</script>\n"
            ));
        }
        Variant::ServiceWorker => {
            out.push_str("<div id=log></div>\n");
            out.push_str(&format!(
                "<script>\n(async function() {{\n  const scope = 'does/not/exist';\n  let reg = await navigator.serviceWorker.getRegistration(scope);\n  if (reg) await reg.unregister();\n  reg = await navigator.serviceWorker.register(\"{worker_script}{query}\", {{scope}});\n  fetch_tests_from_worker(reg.installing);\n}})();\n</script>\n"
            ));
        }
    }
    (out, "text/html")
}

/// The `.any.worker.js` a worker loads for an `.any.js` test.
pub fn worker_script_text(test_path: &str, meta: &Meta) -> String {
    let mut out = String::from("\n");
    out.push_str(&global_script(Variant::DedicatedWorker));
    out.push('\n');
    out.push_str("importScripts(\"/resources/testharness.js\");\n");
    let mut lines = Vec::new();
    for s in &meta.scripts {
        lines.push(format!("importScripts(\"{}\")", js_string_escape(s)));
    }
    if let Some(title) = &meta.title {
        lines.push(format!(
            "self.META_TITLE = \"{}\";",
            js_string_escape(title)
        ));
    }
    out.push_str(&lines.join("\n"));
    out.push('\n');
    out.push_str(&format!("importScripts(\"{test_path}\");\ndone();\n"));
    out
}

/// One test to run: a URL (its wpt.fyi test id) and how.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// The test's id: its URL path with the query (`/dom/x.any.worker.html?a=b`).
    pub id: String,
    /// The `.js` file (URL path) whose scripts run.
    pub script: String,
    pub variant: Variant,
    pub meta: Meta,
    /// `?...` from a `variant=` line, or empty.
    pub query: String,
    pub secure: bool,
    /// HTML pages with testharness.js (they need the document loader).
    pub html: bool,
}

/// wpt's manifest rules (`tools/manifest/sourcefile.py`, `in_non_test_dir` and
/// `name_is_non_test`): files at the root, under a root-level `common/` or `tools/`, or under a
/// `resources/`, `support/` or `tools/` folder at any depth are not tests; nor are dot files.
fn is_support_path(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some((file, dirs)) = parts.split_last() else {
        return true;
    };
    dirs.is_empty()
        || matches!(dirs[0], "common" | "tools")
        || dirs
            .iter()
            .any(|d| matches!(*d, "resources" | "support" | "tools") || d.starts_with('.'))
        || file.starts_with('.')
        || *file == "META.yml"
        || file.ends_with(".headers")
        || file.ends_with(".ini")
}

/// The tests under `root` selected by `paths` (URL-style, relative to the root; empty: all),
/// sorted by id.
pub fn discover(root: &Path, paths: &[String]) -> Vec<TestCase> {
    let mut files = Vec::new();
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![root.to_path_buf()]
    } else {
        paths
            .iter()
            .filter_map(|p| crate::server::resolve(root, p))
            .collect()
    };
    for start in starts {
        collect(&start, &mut files);
    }
    let mut out = Vec::new();
    for file in files {
        let Ok(rel) = file.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if is_support_path(&rel) {
            continue;
        }
        let url = format!("/{rel}");
        let secure = rel.contains(".https.") || rel.contains("/https/");
        let source = || std::fs::read_to_string(&file).unwrap_or_default();
        let mut push = |id: String, variant: Variant, meta: &Meta, query: String, html: bool| {
            out.push(TestCase {
                id: format!("{id}{query}"),
                script: url.clone(),
                variant,
                meta: meta.clone(),
                query,
                // Service workers only exist in secure contexts: their variant is HTTPS.
                secure: secure || variant == Variant::ServiceWorker,
                html,
            })
        };
        if let Some(base) = url.strip_suffix(".any.js") {
            let meta = Meta::parse(&source());
            for variant in meta.globals() {
                let id = format!("{base}.any{}", variant.any_suffix());
                for query in queries(&meta) {
                    push(id.clone(), variant, &meta, query, false);
                }
            }
        } else if let Some(base) = url.strip_suffix(".window.js") {
            let meta = Meta::parse(&source());
            for query in queries(&meta) {
                push(
                    format!("{base}.window.html"),
                    Variant::Window,
                    &meta,
                    query,
                    false,
                );
            }
        } else if let Some(base) = url.strip_suffix(".worker.js") {
            let meta = Meta::parse(&source());
            for query in queries(&meta) {
                push(
                    format!("{base}.worker.html"),
                    Variant::DedicatedWorker,
                    &meta,
                    query,
                    false,
                );
            }
        } else if url.ends_with(".html") || url.ends_with(".htm") {
            let text = source();
            if text.contains("/resources/testharness.js") && !url.contains("-ref.") {
                push(
                    url.clone(),
                    Variant::Window,
                    &Meta::default(),
                    String::new(),
                    true,
                );
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

fn queries(meta: &Meta) -> Vec<String> {
    if meta.variants.is_empty() {
        vec![String::new()]
    } else {
        meta.variants.clone()
    }
}

/// Files under `path`, sorted. Symlinked folders are not followed (no loops), nor are
/// dot-folders such as `.git`.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(kind) = e.file_type() else { continue };
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        if kind.is_dir() && !hidden {
            collect(&e.path(), out);
        } else if !kind.is_dir() && e.path().is_file() {
            out.push(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_lines() {
        let m = Meta::parse(
            "// META: script=/a.js\n// META: global=window,worker\n// META: timeout=long\n// META: variant=?x=1\n// META: title=T\n// META: global=dedicatedworker\nlet x;\n// META: script=/late.js\n",
        );
        assert_eq!(m.scripts, ["/a.js"]);
        assert!(m.timeout_long);
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.variants, ["?x=1"]);
        assert_eq!(
            m.globals(),
            [
                Variant::Window,
                Variant::DedicatedWorker,
                Variant::SharedWorker,
                Variant::ServiceWorker
            ]
        );
        assert_eq!(
            Meta::parse("").globals(),
            [Variant::Window, Variant::DedicatedWorker]
        );
        // A blank line ends the META block.
        assert!(
            Meta::parse("// META: script=/a.js\n\n// META: script=/b.js\n").scripts == ["/a.js"]
        );
        assert_eq!(Meta::parse("// META: global=moon\n").globals(), []);
    }

    #[test]
    fn wrapper_paths() {
        assert_eq!(
            wrapper_for("/a/b.any.serviceworker.html"),
            Some(("/a/b.any.js".into(), Wrapper::Page(Variant::ServiceWorker)))
        );
        assert_eq!(
            wrapper_for("/a/b.any.worker.js"),
            Some(("/a/b.any.js".into(), Wrapper::WorkerScript))
        );
        assert_eq!(
            wrapper_for("/a/b.https.window.html"),
            Some((
                "/a/b.https.window.js".into(),
                Wrapper::Page(Variant::Window)
            ))
        );
        assert_eq!(wrapper_for("/a/b.html"), None);
    }
}
