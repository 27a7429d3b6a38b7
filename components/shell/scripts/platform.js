// A tour of what the engine runs today: events, timers, promises and microtasks, WebIDL
// bindings with their exceptions, the Background Fetch interfaces, and the platform base a
// page uses (the DOM, selectors, blobs and blob URLs, fetch() of local URLs, abort, workers).
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

// The document of this window (no page was loaded: the initial one), and the DOM.
document.body.innerHTML = '<ul id="list"><li class="done">fetch</li><li>store</li></ul>';
const list = document.querySelector("#list");
list.append(Object.assign(document.createElement("li"), { textContent: "notify" }));
console.log("DOM:", [...list.children].map(li => li.textContent).join(", "),
    "| done:", document.querySelectorAll("li.done").length, "| html:", list.outerHTML.length, "chars");

// Blobs, blob URLs and data: URLs are fetched without a network.
const blobURL = URL.createObjectURL(new Blob(["a blob's bytes"], { type: "text/plain" }));
fetch(blobURL).then(r => r.text()).then(t => console.log(`fetch(blob:): ${t}`));
fetch("data:;base64,aGVsbG8=").then(r => r.text()).then(t => console.log(`fetch(data:): ${t}`));
const controller = new AbortController();
fetch("data:,never read", { signal: controller.signal })
    .catch(e => console.log(`aborted fetch: ${e.name}`));
controller.abort();

// A dedicated worker from a blob URL, on its own thread.
const worker = new Worker(URL.createObjectURL(new Blob(
    ["onmessage = e => postMessage(e.data * 2);"], { type: "text/javascript" })));
worker.onmessage = e => { console.log(`worker says ${e.data}`); worker.terminate(); };
worker.postMessage(21);

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
