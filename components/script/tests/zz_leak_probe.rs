use script::{GlobalHandle, GlobalKind, GlobalOptions};
use std::time::Duration;

fn rss_kb() -> u64 {
    let s = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = s.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

#[test]
fn leak_probe() {
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.script_timeout = Some(Duration::from_secs(600));
    let g = GlobalHandle::spawn(options).expect("window starts");
    let cases = [
        ("getter", "const e = new Event('x', {bubbles: true}); let s = 0; for (let i = 0; i < __N__; i++) s += e.bubbles; return 'ok'"),
        ("ctor", "for (let i = 0; i < __N__; i++) new Event('x'); return 'ok'"),
        ("blob seq", "for (let i = 0; i < __N__; i++) new Blob(['a', 'b']); return 'ok'"),
        ("illegal", "const g = Object.getOwnPropertyDescriptor(Event.prototype, 'bubbles').get; for (let i = 0; i < __N__; i++) { try { g.call({}); } catch (e) {} } return 'ok'"),
        ("conv err", "for (let i = 0; i < __N__; i++) { try { new Event(Symbol()); } catch (e) {} } return 'ok'"),
        ("illegal ctor", "for (let i = 0; i < __N__; i++) { try { new Node(); } catch (e) {} } return 'ok'"),
        ("global getter", "let s = 0; for (let i = 0; i < __N__; i++) s += isSecureContext; return 'ok'"),
        ("global getter undefined this", "const g = Object.getOwnPropertyDescriptor(self, 'isSecureContext') || Object.getOwnPropertyDescriptor(Object.getPrototypeOf(self), 'isSecureContext'); for (let i = 0; i < __N__; i++) g.get.call(undefined); return 'ok'"),
        ("method", "const t = new EventTarget(); const f = () => {}; for (let i = 0; i < __N__; i++) { t.addEventListener('x', f); t.removeEventListener('x', f); } return 'ok'"),
        ("dispatch", "const t = new EventTarget(); t.addEventListener('x', e => e.type); for (let i = 0; i < __N__; i++) t.dispatchEvent(new Event('x')); return 'ok'"),
        ("setter", "const a = document.createElement('a'); for (let i = 0; i < __N__; i++) a.id = 'q'; return 'ok'"),
        ("same object", "let s = 0; for (let i = 0; i < __N__; i++) s += document.body ? 1 : 0; return 'ok'"),
        ("headers iter", "const h = new Headers([['a', 'b'], ['c', 'd']]); for (let i = 0; i < __N__; i++) { for (const x of h) {} } return 'ok'"),
        ("promise plain", "for (let i = 0; i < __N__; i++) { Promise.reject(1).catch(() => {}); } return 'ok'"),
        ("promise reject", "for (let i = 0; i < __N__; i++) { Blob.prototype.text.call({}).catch(() => {}); } return 'ok'"),
        ("structuredClone", "for (let i = 0; i < __N__; i++) structuredClone(1, { transfer: [] }); return 'ok'"),
        ("static", "for (let i = 0; i < __N__; i++) URL.canParse('http://a'); return 'ok'"),
    ];
    for (name, src) in cases {
        let src = format!("(() => {{ {} }})()", src.replace("__N__", "20000"));
        let _ = g.eval(&src);
        let _ = g.eval("'gc'");
        let before = rss_kb();
        if !name.starts_with("promise") { continue; }
        for _ in 0..8 {
            let r = g.eval(&src.replace("20000", "100000"));
            assert!(matches!(r.as_deref(), Ok("ok")), "{name}: {r:?}");
            eprintln!("ROUND {name}: {} KB", rss_kb() as i64 - before as i64);
        }
        let after = rss_kb();
        eprintln!("LEAK {name}: {} KB", after as i64 - before as i64);
    }
}
