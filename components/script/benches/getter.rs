//! Benchmark (not a test): calls per second of generated getters from JS against a plain JS
//! accessor in the same runtime, and of a generated method taking a dictionary argument
//! (`structuredClone(v, { transfer: [] })`) against a plain JS function reading the same
//! dictionary member. Run with `cargo bench -p script --bench getter`.

use script::{GlobalHandle, GlobalKind, GlobalOptions};
use std::time::Duration;

const CALLS: u64 = 5_000_000;

fn measure(g: &GlobalHandle, setup: &str, expr: &str) -> f64 {
    measure_n(g, setup, expr, CALLS)
}

fn measure_n(g: &GlobalHandle, setup: &str, expr: &str, calls: u64) -> f64 {
    // Best of three runs, timed inside JS so only the loop is measured.
    let src = format!(
        "(() => {{ {setup}; let best = Infinity, sink = 0;
            for (let run = 0; run < 3; run++) {{
                const t0 = Date.now();
                for (let i = 0; i < {calls}; i++) {{ if ({expr}) sink++; }}
                best = Math.min(best, Date.now() - t0);
            }}
            if (sink === 0) throw new Error('the loop did nothing');
            return best; }})()"
    );
    let ms: f64 = g.eval(&src).expect("benchmark runs").parse().unwrap();
    calls as f64 / (ms.max(1.0) / 1000.0)
}

fn main() {
    let mut options = GlobalOptions::new(GlobalKind::Window);
    options.script_timeout = Some(Duration::from_secs(600));
    let g = GlobalHandle::spawn(options).expect("global");
    let plain = measure(
        &g,
        "const o = { get bubbles() { return true; } }",
        "o.bubbles",
    );
    let generated = measure(
        &g,
        "const o = new Event('x', { bubbles: true })",
        "o.bubbles",
    );
    let inherited = measure(
        &g,
        "const o = new CustomEvent('x', { bubbles: true })",
        "o.bubbles",
    );
    let global_attr = measure(&g, "const o = self", "o.isSecureContext");
    println!("getter benchmark, {CALLS} calls per run, best of 3");
    println!(
        "  plain JS accessor                 {:>12.0} calls/s",
        plain
    );
    println!(
        "  generated getter (Event.bubbles)  {:>12.0} calls/s  ({:.2}x the plain accessor's time)",
        generated,
        plain / generated
    );
    println!(
        "  through inheritance (CustomEvent) {:>12.0} calls/s  ({:.2}x)",
        inherited,
        plain / inherited
    );
    println!(
        "  on the global (isSecureContext)   {:>12.0} calls/s  ({:.2}x)",
        global_attr,
        plain / global_attr
    );
    // A method with a dictionary argument: the generated glue converts the dictionary
    // (reading `transfer` and converting the sequence) before the call.
    const METHOD_CALLS: u64 = 500_000;
    let plain_fn = measure_n(
        &g,
        "const f = (v, o) => (o.transfer.length, v); const d = { transfer: [] }",
        "f(1, d) === 1",
        METHOD_CALLS,
    );
    let generated_fn = measure_n(
        &g,
        "const d = { transfer: [] }",
        "structuredClone(1, d) === 1",
        METHOD_CALLS,
    );
    println!("method benchmark, {METHOD_CALLS} calls per run, best of 3");
    println!(
        "  plain JS function with a dictionary {:>10.0} calls/s",
        plain_fn
    );
    println!(
        "  structuredClone(1, {{transfer: []}})  {:>10.0} calls/s  ({:.2}x the plain function's time)",
        generated_fn,
        plain_fn / generated_fn
    );
    g.shutdown();
}
