// META: title=img and media elements load their resource (HTML §4.8.4, §4.8.11)
"use strict";

promise_test(async () => {
  const img = document.createElement("img");
  assert_true(img.complete, "no source: complete");
  const loaded = new Promise((resolve, reject) => { img.onload = resolve; img.onerror = () => reject(new Error("error")); });
  img.src = "resources/pixel.png";
  assert_false(img.complete, "loading");
  await loaded;
  assert_true(img.complete);
  assert_equals(img.currentSrc, new URL("resources/pixel.png", location.href).href);
  await img.decode();
}, "an img fires load when its bytes have arrived (not even connected)");

promise_test(async t => {
  const img = document.createElement("img");
  const failed = new Promise((resolve, reject) => { img.onerror = resolve; img.onload = () => reject(new Error("load")); });
  img.src = "resources/missing.png";
  await failed;
  assert_true(img.complete, "broken is complete");
  await promise_rejects_dom(t, "EncodingError", img.decode());
}, "an img whose resource is missing fires error");

promise_test(async t => {
  const img = document.createElement("img");
  const failed = new Promise(resolve => { img.onerror = resolve; });
  img.src = "";
  await failed;
}, "an empty src fires error");

promise_test(async t => {
  document.body.insertAdjacentHTML("beforeend", '<img id=parsed src="resources/pixel.png?parsed">');
  const img = document.getElementById("parsed");
  t.add_cleanup(() => img.remove());
  if (!img.complete) await new Promise(resolve => { img.onload = resolve; });
  assert_equals(document.images[document.images.length - 1], img);
}, "an img made by the parser loads");

promise_test(async () => {
  const audio = document.createElement("audio");
  assert_equals(audio.networkState, HTMLMediaElement.NETWORK_EMPTY);
  assert_true(audio.paused);
  audio.src = "resources/tone.wav";
  const events = [];
  for (const type of ["loadstart", "loadedmetadata", "canplay", "canplaythrough", "play", "playing"]) {
    audio.addEventListener(type, () => events.push(type));
  }
  await audio.play();
  assert_false(audio.paused);
  assert_greater_than_equal(audio.readyState, HTMLMediaElement.HAVE_FUTURE_DATA);
  assert_equals(audio.currentSrc, new URL("resources/tone.wav", location.href).href);
  for (const type of ["loadstart", "canplay", "play", "playing"]) assert_true(events.includes(type), type);
  audio.pause();
  assert_true(audio.paused);
}, "play() resolves once the media resource is there");

promise_test(async t => {
  const video = document.createElement("video");
  video.src = "resources/missing.webm";
  await promise_rejects_dom(t, "NotSupportedError", video.play());
  assert_equals(video.error.code, MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED);
  assert_equals(video.networkState, HTMLMediaElement.NETWORK_NO_SOURCE);
}, "play() rejects with NotSupportedError when the resource fails");

promise_test(async t => {
  const audio = document.createElement("audio");
  audio.src = "resources/tone.wav";
  const p = audio.play();
  audio.pause();
  await promise_rejects_dom(t, "AbortError", p);
}, "pause() before the resource arrived rejects play()");

test(() => {
  const v = document.createElement("video");
  assert_equals(v.canPlayType("video/mp4"), "maybe");
  assert_equals(v.canPlayType('video/mp4; codecs="avc1.42E01E, mp4a.40.2"'), "probably");
  assert_equals(v.canPlayType("video/x-unknown"), "");
  assert_equals(v.canPlayType('audio/ogg; codecs="nope"'), "");
  assert_equals(v.preload, "metadata");
  v.setAttribute("preload", "");
  assert_equals(v.preload, "auto");
  assert_throws_dom("IndexSizeError", () => { v.volume = 2; });
}, "canPlayType and media attributes");

promise_test(async () => {
  const img = new Image(3, 4);
  assert_true(img instanceof HTMLImageElement);
  assert_equals(Object.getPrototypeOf(img), HTMLImageElement.prototype);
  assert_equals(img.ownerDocument, document);
  assert_equals(img.width, 3);
  assert_equals(img.getAttribute("height"), "4");
  assert_equals(Image.prototype, HTMLImageElement.prototype);
  assert_equals(Image.length, 0);
  assert_throws_js(TypeError, () => Image(), "needs new");
  await new Promise((resolve, reject) => {
    img.onload = resolve;
    img.onerror = () => reject(new Error("error"));
    img.src = "resources/pixel.png?factory";
  });
  const audio = new Audio("resources/tone.wav");
  assert_true(audio instanceof HTMLAudioElement);
  assert_equals(audio.preload, "auto");
  await new Promise(resolve => audio.addEventListener("canplaythrough", resolve));
  assert_equals(audio.readyState, HTMLMediaElement.HAVE_ENOUGH_DATA);
}, "the Image() and Audio() legacy factory functions");
