// The folder site's service worker: reports the click, and renames the download once done.
addEventListener("backgroundfetchclick", () => console.log("the service worker got backgroundfetchclick"));
addEventListener("backgroundfetchsuccess", event =>
  event.waitUntil(event.updateUI({ title: "An episode from a folder (stored)" })));
