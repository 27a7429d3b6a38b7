//! <https://html.spec.whatwg.org/multipage/media.html#htmlmediaelement>, without decoding:
//! the resource selection algorithm picks `src` or the first playable `<source>`, fetches
//! it, and the element reaches HAVE_ENOUGH_DATA (firing the events a page waits for:
//! `loadstart`, `loadedmetadata`, `loadeddata`, `canplay`, `canplaythrough`) once the bytes
//! have arrived, or fails with MEDIA_ERR_SRC_NOT_SUPPORTED. `play()` resolves once the
//! resource is there and rejects with NotSupportedError when it failed; time does not advance
//! (nothing is rendered), `duration` is +Infinity once known to exist (no decoding to learn
//! it), and `canPlayType` answers from a table of containers and codecs.

use crate::dom::bindings::cell::DomRefCell;
use crate::dom::bindings::codegen::CanPlayTypeResult;
use crate::dom::bindings::codegen::HTMLMediaElementBinding::HTMLMediaElementMethods;
use crate::dom::bindings::codegen_prelude::*;
use crate::dom::bindings::error::DomErrorName;
use crate::dom::document::Document;
use crate::dom::element::{this_element, Element};
use crate::dom::eventtarget::EventTarget;
use crate::dom::htmlelement::HTMLElement;
use crate::dom::mediaerror::MediaError;
use crate::dom::node::{self, Node};
use html5ever::QualName;
use std::cell::Cell;

const NETWORK_EMPTY: u16 = 0;
const NETWORK_IDLE: u16 = 1;
const NETWORK_LOADING: u16 = 2;
const NETWORK_NO_SOURCE: u16 = 3;
const HAVE_NOTHING: u16 = 0;
const HAVE_ENOUGH_DATA: u16 = 4;
const MEDIA_ERR_SRC_NOT_SUPPORTED: u16 = 4;

/// <https://html.spec.whatwg.org/multipage/media.html#htmlmediaelement>
pub struct HTMLMediaElement<'js> {
    html: HTMLElement<'js>,
    network_state: Cell<u16>,
    ready_state: Cell<u16>,
    paused: Cell<bool>,
    current_src: DomRefCell<String>,
    error: DomRefCell<Option<Dom<'js, MediaError<'js>>>>,
    /// Bumped by every load: responses of an older load are ignored.
    generation: Cell<u64>,
    /// The list of pending play promises.
    pending_plays: DomRefCell<Vec<(Function<'js>, Function<'js>)>>,
    current_time: Cell<f64>,
    volume: Cell<f64>,
    muted: Cell<Option<bool>>,
    playback_rate: Cell<f64>,
    default_playback_rate: Cell<f64>,
    preserves_pitch: Cell<bool>,
}

impl<'js> HasParent<'js> for HTMLMediaElement<'js> {
    type Parent = HTMLElement<'js>;
    fn parent(&self) -> &HTMLElement<'js> {
        &self.html
    }
}

impl<'js> Trace<'js> for HTMLMediaElement<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        self.html.trace(tracer);
        self.error.trace(tracer);
        for (a, b) in self.pending_plays.borrow().iter() {
            a.trace(tracer);
            b.trace(tracer);
        }
    }
}

impl<'js> HTMLMediaElement<'js> {
    pub fn new_inherited(
        name: QualName,
        document: &Dom<'js, Document<'js>>,
        attrs: Vec<(String, String)>,
    ) -> Self {
        HTMLMediaElement {
            html: HTMLElement::new_inherited(name, document, attrs),
            network_state: Cell::new(NETWORK_EMPTY),
            ready_state: Cell::new(HAVE_NOTHING),
            paused: Cell::new(true),
            current_src: Default::default(),
            error: Default::default(),
            generation: Cell::new(0),
            pending_plays: Default::default(),
            current_time: Cell::new(0.0),
            volume: Cell::new(1.0),
            muted: Cell::new(None),
            playback_rate: Cell::new(1.0),
            default_playback_rate: Cell::new(1.0),
            preserves_pitch: Cell::new(true),
        }
    }

    /// <https://html.spec.whatwg.org/#take-pending-play-promises> and settle them.
    fn settle_pending_plays(&self, ctx: &Ctx<'js>, result: Result<(), Error>) {
        let promises = std::mem::take(&mut *self.pending_plays.borrow_mut());
        for (resolve, reject) in promises {
            match &result {
                Ok(()) => {
                    let _ = resolve.call::<_, ()>(());
                }
                Err(e) => {
                    let v = crate::dom::bindings::error::error_value(ctx, e.clone());
                    let _ = reject.call::<_, ()>((v,));
                }
            }
        }
    }
}

fn media<'js>(e: &Dom<'js, Element<'js>>) -> Option<Dom<'js, HTMLMediaElement<'js>>> {
    node::downcast(&e.upcast::<Node>())
}

/// "Queue a media element task" firing a simple event `type_` (for this load only).
fn queue_event<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, type_: &'static str) {
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    let e = e.clone();
    global.queue_task(Box::new(move |ctx| {
        crate::dom::eventtarget::fire_event(ctx, &e.upcast::<EventTarget>(), type_, false, false)?;
        Ok(())
    }));
}

/// <https://html.spec.whatwg.org/#notify-about-playing>: take the pending play promises, then
/// queue a media element task that fires `playing` and resolves them.
fn notify_about_playing<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    let Some(m) = media(e) else {
        return;
    };
    let Some(global) = crate::dom::globalscope::GlobalScope::current(ctx) else {
        return;
    };
    // Step 1. Take pending play promises.
    let promises = std::mem::take(&mut *m.pending_plays.borrow_mut());
    let e = e.clone();
    global.queue_task(Box::new(move |ctx| {
        // Step 2.1. Fire an event named playing at the element.
        crate::dom::eventtarget::fire_event(
            ctx,
            &e.upcast::<EventTarget>(),
            "playing",
            false,
            false,
        )?;
        // Step 2.2. Resolve pending play promises with promises.
        for (resolve, _) in promises {
            let _ = resolve.call::<_, ()>(());
        }
        Ok(())
    }));
}

/// <https://html.spec.whatwg.org/#media-element-load-algorithm>
pub fn media_element_load_algorithm<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    let Some(m) = media(e) else {
        return;
    };
    // Step 1-3. Abort the current load (its responses become stale).
    m.generation.set(m.generation.get() + 1);
    // Step 6. Reject the pending play promises with an AbortError.
    m.settle_pending_plays(
        ctx,
        Err(Error::dom(
            DomErrorName::AbortError,
            "the media was reloaded",
        )),
    );
    // Step 7. If networkState is not NETWORK_EMPTY: fire emptied, reset the state.
    if m.network_state.get() != NETWORK_EMPTY {
        queue_event(ctx, e, "emptied");
        m.network_state.set(NETWORK_EMPTY);
        m.ready_state.set(HAVE_NOTHING);
        m.paused.set(true);
        m.current_time.set(0.0);
    }
    // Step 8-10. The playback rate is reset, error is null.
    m.playback_rate.set(m.default_playback_rate.get());
    *m.error.borrow_mut() = None;
    // Step 11. Invoke the resource selection algorithm.
    resource_selection(ctx, e);
}

/// <https://html.spec.whatwg.org/#concept-media-load-algorithm>: `src`, else the first
/// `<source>` child with a `src` whose type can be played.
fn resource_selection<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>) {
    let Some(m) = media(e) else {
        return;
    };
    // Step 1-2. networkState NETWORK_NO_SOURCE.
    m.network_state.set(NETWORK_NO_SOURCE);
    let candidate = match e.get_attr("src") {
        Some(src) => Some(src),
        None => node::element_children(&e.upcast::<Node>())
            .into_iter()
            .filter(|c| c.is_html() && c.local_name_() == "source")
            .filter(|s| {
                s.get_attr("type")
                    .is_none_or(|t| can_play_type(&t) != CanPlayTypeResult::Empty)
            })
            .find_map(|s| s.get_attr("src")),
    };
    let Some(candidate) = candidate else {
        // Step 7. Nothing to load: networkState NETWORK_EMPTY.
        m.network_state.set(NETWORK_EMPTY);
        return;
    };
    // Step 9. networkState NETWORK_LOADING; fire loadstart.
    m.network_state.set(NETWORK_LOADING);
    queue_event(ctx, e, "loadstart");
    let generation = m.generation.get();
    let url = node::node_document(&e.upcast::<Node>()).and_then(|d| {
        if candidate.is_empty() {
            None
        } else {
            d.parse_url(&candidate).ok()
        }
    });
    let Some(url) = url else {
        failed(ctx, e, generation);
        return;
    };
    *m.current_src.borrow_mut() = url.to_string();
    let destination = if e.local_name_() == "video" {
        net_traits::Destination::Video
    } else {
        net_traits::Destination::Audio
    };
    if !crate::dom::element_resources::fetch_for_element(
        ctx,
        e,
        &url,
        destination,
        generation,
        response_arrived,
    ) {
        failed(ctx, e, generation);
    }
}

fn response_arrived<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, ok: bool, generation: u64) {
    let Some(m) = media(e) else {
        return;
    };
    if m.generation.get() != generation {
        return;
    }
    if !ok {
        failed(ctx, e, generation);
        return;
    }
    // The resource is there: HAVE_METADATA, then HAVE_ENOUGH_DATA, with their events.
    m.network_state.set(NETWORK_IDLE);
    m.ready_state.set(HAVE_ENOUGH_DATA);
    for t in [
        "durationchange",
        "loadedmetadata",
        "loadeddata",
        "canplay",
        "canplaythrough",
    ] {
        queue_event(ctx, e, t);
    }
    // Autoplay, or a play() that waited: notify about playing.
    if e.has_attr("autoplay") && m.paused.get() {
        m.paused.set(false);
        queue_event(ctx, e, "play");
    }
    if !m.paused.get() {
        notify_about_playing(ctx, e);
    }
}

/// <https://html.spec.whatwg.org/#dedicated-media-source-failure-steps>
fn failed<'js>(ctx: &Ctx<'js>, e: &Dom<'js, Element<'js>>, generation: u64) {
    let Some(m) = media(e) else {
        return;
    };
    if m.generation.get() != generation {
        return;
    }
    // Step 1. error: MEDIA_ERR_SRC_NOT_SUPPORTED.
    if let Ok(err) = reflect_dom_object(
        ctx,
        MediaError::new_inherited(
            MEDIA_ERR_SRC_NOT_SUPPORTED,
            "the media resource could not be fetched",
        ),
    ) {
        *m.error.borrow_mut() = Some(err);
    }
    // Step 3-4. networkState NETWORK_NO_SOURCE; fire error.
    m.network_state.set(NETWORK_NO_SOURCE);
    queue_event(ctx, e, "error");
    // Step 5. Reject pending play promises with NotSupportedError.
    m.settle_pending_plays(
        ctx,
        Err(Error::dom(
            DomErrorName::NotSupportedError,
            "the media resource could not be fetched",
        )),
    );
}

/// <https://html.spec.whatwg.org/#dom-navigator-canplaytype>'s table: containers the
/// engine would accept, "probably" when the codecs are named and known.
pub fn can_play_type(t: &str) -> CanPlayTypeResult {
    let mut parts = t.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let containers: &[(&str, &[&str])] = &[
        ("audio/mpeg", &["mp3"]),
        ("audio/mp3", &["mp3"]),
        (
            "audio/mp4",
            &["mp4a.40.2", "mp4a.40.5", "mp4a.40.29", "flac", "opus"],
        ),
        ("audio/aac", &[]),
        ("audio/ogg", &["vorbis", "opus", "flac"]),
        ("audio/wav", &["1"]),
        ("audio/wave", &["1"]),
        ("audio/webm", &["vorbis", "opus"]),
        ("audio/flac", &[]),
        (
            "video/mp4",
            &[
                "avc1",
                "mp4a.40.2",
                "hev1",
                "hvc1",
                "av01",
                "vp09",
                "opus",
                "flac",
            ],
        ),
        (
            "video/webm",
            &[
                "vp8", "vp8.0", "vp9", "vp9.0", "vp09", "av01", "vorbis", "opus",
            ],
        ),
        ("video/ogg", &["theora", "vorbis", "opus"]),
    ];
    let Some((_, codecs)) = containers.iter().find(|(c, _)| *c == essence) else {
        return CanPlayTypeResult::Empty;
    };
    let named: Vec<String> = parts
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("codecs"))
                .then(|| v.trim().trim_matches('"').to_string())
        })
        .flat_map(|v| {
            v.split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .collect();
    if named.is_empty() {
        return CanPlayTypeResult::Maybe;
    }
    let known = named.iter().all(|c| {
        codecs
            .iter()
            .any(|k| c == k || c.starts_with(&format!("{k}.")))
    });
    if known {
        CanPlayTypeResult::Probably
    } else {
        CanPlayTypeResult::Empty
    }
}

impl<'js> HTMLMediaElementMethods<'js> for HTMLMediaElement<'js> {
    fn error(&self, _cx: &Cx<'js>) -> Fallible<Option<Dom<'js, MediaError<'js>>>> {
        Ok(self.error.borrow().clone())
    }
    fn currentSrc(&self, _cx: &Cx<'js>) -> Fallible<USVString> {
        Ok(self.current_src.borrow().clone())
    }
    fn networkState(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.network_state.get())
    }
    /// <https://html.spec.whatwg.org/#dom-media-load>
    fn load(&self, cx: &Cx<'js>) -> Fallible<()> {
        media_element_load_algorithm(&cx.ctx, &this_element(cx)?);
        Ok(())
    }
    fn canPlayType(&self, _cx: &Cx<'js>, type_: DOMString) -> Fallible<CanPlayTypeResult> {
        Ok(can_play_type(&type_))
    }
    fn readyState(&self, _cx: &Cx<'js>) -> Fallible<u16> {
        Ok(self.ready_state.get())
    }
    fn seeking(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    fn currentTime(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.current_time.get())
    }
    /// Seeking without media data only records the position.
    fn set_currentTime(&self, _cx: &Cx<'js>, value: f64) -> Fallible<()> {
        self.current_time.set(value.max(0.0));
        Ok(())
    }
    fn duration(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(if self.ready_state.get() == HAVE_NOTHING {
            f64::NAN
        } else {
            f64::INFINITY
        })
    }
    fn paused(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.paused.get())
    }
    fn defaultPlaybackRate(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.default_playback_rate.get())
    }
    fn set_defaultPlaybackRate(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
        self.default_playback_rate.set(value);
        queue_event(&cx.ctx, &this_element(cx)?, "ratechange");
        Ok(())
    }
    fn playbackRate(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.playback_rate.get())
    }
    fn set_playbackRate(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
        self.playback_rate.set(value);
        queue_event(&cx.ctx, &this_element(cx)?, "ratechange");
        Ok(())
    }
    fn preservesPitch(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self.preserves_pitch.get())
    }
    fn set_preservesPitch(&self, _cx: &Cx<'js>, value: bool) -> Fallible<()> {
        self.preserves_pitch.set(value);
        Ok(())
    }
    /// Time does not advance, so playback never ends.
    fn ended(&self, _cx: &Cx<'js>) -> Fallible<bool> {
        Ok(false)
    }
    /// <https://html.spec.whatwg.org/#dom-media-play>
    fn play(&self, cx: &Cx<'js>) -> Fallible<Promise<'js>> {
        let e = this_element(cx)?;
        let (promise, resolve, reject) = cx.ctx.promise()?;
        // Step 2. If error is MEDIA_ERR_SRC_NOT_SUPPORTED, reject with NotSupportedError.
        if self.error.borrow().is_some() {
            let v = crate::dom::bindings::error::error_value(
                &cx.ctx,
                Error::dom(
                    DomErrorName::NotSupportedError,
                    "the media resource could not be fetched",
                ),
            );
            reject.call::<_, ()>((v,))?;
            return Ok(promise);
        }
        // Step 3. Append the promise to the pending play promises.
        self.pending_plays.borrow_mut().push((resolve, reject));
        // Step 4. The internal play steps: an empty element selects its resource first.
        if self.network_state.get() == NETWORK_EMPTY {
            resource_selection(&cx.ctx, &e);
        }
        if self.paused.get() {
            // Step 4.1-4.3. paused becomes false; fire play; then waiting or playing.
            self.paused.set(false);
            queue_event(&cx.ctx, &e, "play");
            if self.ready_state.get() < 3 {
                queue_event(&cx.ctx, &e, "waiting");
            } else {
                notify_about_playing(&cx.ctx, &e);
            }
        } else if self.ready_state.get() >= 3 {
            // Step 5. Already playing with enough data: the promises resolve in a task.
            notify_about_playing(&cx.ctx, &e);
        }
        Ok(promise)
    }
    /// <https://html.spec.whatwg.org/#dom-media-pause>
    fn pause(&self, cx: &Cx<'js>) -> Fallible<()> {
        let e = this_element(cx)?;
        if self.network_state.get() == NETWORK_EMPTY {
            resource_selection(&cx.ctx, &e);
        }
        if !self.paused.get() {
            self.paused.set(true);
            queue_event(&cx.ctx, &e, "timeupdate");
            queue_event(&cx.ctx, &e, "pause");
            self.settle_pending_plays(
                &cx.ctx,
                Err(Error::dom(
                    DomErrorName::AbortError,
                    "play() was interrupted by pause()",
                )),
            );
        }
        Ok(())
    }
    fn volume(&self, _cx: &Cx<'js>) -> Fallible<f64> {
        Ok(self.volume.get())
    }
    /// A volume outside 0.0-1.0 is an IndexSizeError.
    fn set_volume(&self, cx: &Cx<'js>, value: f64) -> Fallible<()> {
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::dom(
                DomErrorName::IndexSizeError,
                "the volume must be between 0 and 1",
            ));
        }
        self.volume.set(value);
        queue_event(&cx.ctx, &this_element(cx)?, "volumechange");
        Ok(())
    }
    /// Muted starts as the `muted` content attribute said.
    fn muted(&self, cx: &Cx<'js>) -> Fallible<bool> {
        Ok(self
            .muted
            .get()
            .unwrap_or(this_element(cx)?.has_attr("muted")))
    }
    fn set_muted(&self, cx: &Cx<'js>, value: bool) -> Fallible<()> {
        self.muted.set(Some(value));
        queue_event(&cx.ctx, &this_element(cx)?, "volumechange");
        Ok(())
    }
}
