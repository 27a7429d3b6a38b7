// A tour of what the engine runs today: events, timers, promises and microtasks, WebIDL
// bindings with their exceptions, and the Background Fetch interfaces.
// Run it with `cargo run --release -p shell -- run components/shell/scripts/platform.js`.

const target = new EventTarget();
target.addEventListener("greet", e => console.log(`event: ${e.type}, trusted: ${e.isTrusted}`));
target.dispatchEvent(new CustomEvent("greet", { detail: 1 }));

console.log("interfaces:", ["BackgroundFetchManager", "BackgroundFetchRegistration",
    "BackgroundFetchRecord"].filter(n => typeof self[n] === "function").join(", "));
console.log("fetch.length =", BackgroundFetchManager.prototype.fetch.length);
try {
    new BackgroundFetchManager();
} catch (e) {
    console.log(`new BackgroundFetchManager(): ${e.name}: ${e.message}`);
}
try {
    new QuotaExceededError("too big", { quota: 10, requested: 5 });
} catch (e) {
    console.log(`QuotaExceededError with requested < quota: ${e.name}`);
}

queueMicrotask(() => console.log("microtask after the script"));
let ticks = 0;
const interval = setInterval(() => {
    ticks += 1;
    console.log(`interval tick ${ticks}`);
    if (ticks === 3) {
        clearInterval(interval);
        new Promise(resolve => setTimeout(resolve, 10)).then(() => console.log("done"));
    }
}, 5);
console.log("end of script");
