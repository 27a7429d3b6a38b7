// A service worker script that throws while it runs.
throw new Error("the script fails");
